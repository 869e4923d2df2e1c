/**
 * Ticks of a logarithmic axis, shared by the live page's and the report's
 * latency charts. Pure.
 */

/**
 * Ticks of a log axis on the 1-2-5 sequence covering `[lo, hi]`, with the
 * axis bounds on ticks: 47..840 → 20, 50, 100, 200, 500, 1000. Values from
 * 0.001 to 5·10⁷ (ms, on the charts that use it); `lo` and `hi` outside that
 * range get its ends.
 */
export function logTicks(lo: number, hi: number): { ticks: number[]; min: number; max: number } {
  const steps = [1, 2, 5]
  const all: number[] = []
  for (let e = -3; e <= 7; e++) for (const s of steps) all.push(Number((s * 10 ** e).toPrecision(1)))
  const min = [...all].reverse().find((t) => t <= lo) ?? all[0] ?? 0.001
  const max = all.find((t) => t >= hi) ?? all.at(-1) ?? 1e7
  const ticks = all.filter((t) => t >= min && t <= max)
  return { ticks, min, max }
}

/** {@link logTicks} of the positive values among `values`; `{}` (the axis left to Chart.js) when there are none. */
export function logAxis(values: number[]): { ticks: number[]; min: number; max: number } | Record<string, never> {
  const ys = values.filter((v) => v > 0 && Number.isFinite(v))
  return ys.length ? logTicks(Math.min(...ys), Math.max(...ys)) : {}
}
