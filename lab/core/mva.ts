/**
 * Exact Mean Value Analysis of a single-class closed queueing network
 * (M. Reiser and S. S. Lavenberg, "Mean-Value Analysis of Closed Multichain
 * Queuing Networks", JACM 27(2), 1980), with load-dependent stations.
 *
 * A load-dependent station's rate μ(j) with j requests present is, in this
 * lab, always constant from some m on (m servers: μ(j) = μ(m) for j ≥ m).
 * The recursion then needs the marginal probabilities p(i | n) only for
 * i < m, and the tail from the mean queue length Q (Lazowska, Zahorjan,
 * Graham, Sevcik, "Quantitative System Performance", Prentice-Hall 1984,
 * ch. 20, load-dependent stations; G. Bolch et al., "Queueing Networks and
 * Markov Chains", 2nd ed. 2006, §8.2, multiple-server stations):
 *
 *   R(n) = Σ_{j=1}^{m−1} j/μ(j) · p(j−1 | n−1) + 1/μ(m) · [Q(n−1) + 1 − Σ_{i=0}^{m−2} (i+1) · p(i | n−1)]
 *   p(j | n) = X(n)/μ(j) · p(j−1 | n−1),  j = 1..m−1
 *
 * so a population of N costs O(N · m) instead of O(N²): 10,000 connections
 * in front of 64 workers solve in milliseconds. With m = 1 this is the
 * load-independent R = D · (1 + Q).
 *
 * The idle probability is not taken as 1 − Σ p(j | n): near saturation that
 * difference of nearly equal numbers loses every digit (the classic
 * instability of load-dependent MVA; 64 workers at 100 connections came out
 * 31 % low). It comes from the network without the station instead,
 * p(0 | n) = p(0 | n−1) · X(n) / X₋ₖ(n), a product of positive numbers
 * (from the convolution identity p(0 | n) = G₋ₖ(n) / G(n), J. P. Buzen,
 * "Computational Algorithms for Closed Queueing Networks with Exponential
 * Servers", CACM 16(9), 1973). Each load-dependent
 * station costs one solution of the network without it.
 *
 * Pure: no I/O.
 */

/** One station of a closed network. Demands are in ms per request. */
export type Station =
  | { kind: 'delay'; demandMs: number }
  /** `servers` identical servers sharing one queue (servers may be fractional: a share of the cores). */
  | { kind: 'queue'; demandMs: number; servers: number }
  /**
   * Any load-dependent station: completions per ms with j requests present, j ≥ 1.
   * `constantFrom` (optional): the rate is the same for every j ≥ this; without it
   * the rate is read for every j up to the population.
   */
  | { kind: 'rate'; ratePerMs: (j: number) => number; constantFrom?: number }

/** A station as the recursion sees it: rates μ(1..m), constant from m on. */
interface Shaped {
  delayMs?: number
  /** μ(j) for j = 1..m, index j − 1; requests per ms. */
  mu: number[]
}

function shape(s: Station, population: number): Shaped {
  if (s.kind === 'delay') return { delayMs: s.demandMs, mu: [] }
  if (s.kind === 'queue') {
    if (!(s.demandMs > 0)) return { delayMs: 0, mu: [] }
    const m = Math.max(1, Math.min(population, Math.ceil(s.servers)))
    return { mu: Array.from({ length: m }, (_, i) => Math.min(i + 1, s.servers) / s.demandMs) }
  }
  const m = Math.max(1, Math.min(population, s.constantFrom ?? population))
  return { mu: Array.from({ length: m }, (_, i) => s.ratePerMs(i + 1)) }
}

/**
 * Exact MVA of a single-class closed network.
 * @param stations - the stations every request visits once
 * @param population - requests in the network (connections), ≥ 1
 * @param thinkMs - think time per cycle outside the stations, ms (0 for a closed loop with no think time)
 * @returns throughput in requests per ms for every population 1..N (index n − 1), and the response time at N in ms
 */
export function mva(stations: readonly Station[], population: number, thinkMs = 0): { throughputPerMs: number[]; responseMs: number } {
  const shaped = stations.map((s) => shape(s, population))
  // X₋ₖ(n) for each load-dependent station k: the network without it (Infinity when nothing is left)
  const without = shaped.map((s, k) => (s.mu.length > 1 ? mva(stations.filter((_, i) => i !== k), population, thinkMs).throughputPerMs : []))
  const q = new Float64Array(shaped.length)
  const r = new Float64Array(shaped.length)
  // p[k][i] = p(i | n − 1), i = 0..m − 1, updated in place from the top down
  const p = shaped.map((s) => Float64Array.from({ length: Math.max(1, s.mu.length) }, (_, i) => (i === 0 ? 1 : 0)))
  const invMu = shaped.map((s) => Float64Array.from(s.mu, (mu) => 1 / mu))
  const throughput: number[] = []
  let response = 0
  for (let n = 1; n <= population; n++) {
    response = 0
    for (let k = 0; k < shaped.length; k++) {
      const s = shaped[k] as Shaped
      if (s.delayMs !== undefined) {
        r[k] = s.delayMs
      } else {
        const pk = p[k] as Float64Array
        const inv = invMu[k] as Float64Array
        const m = inv.length
        let head = 0
        let weighted = 0
        for (let j = 1; j < m && j <= n; j++) {
          head += j * (inv[j - 1] as number) * (pk[j - 1] as number)
          weighted += j * (pk[j - 1] as number)
        }
        r[k] = head + ((q[k] as number) + 1 - weighted) * (inv[m - 1] as number)
      }
      response += r[k] as number
    }
    const x = n / (thinkMs + response)
    throughput.push(x)
    for (let k = 0; k < shaped.length; k++) {
      q[k] = x * (r[k] as number)
      const pk = p[k] as Float64Array
      const inv = invMu[k] as Float64Array
      if (inv.length <= 1) continue
      for (let j = Math.min(inv.length - 1, n); j >= 1; j--) pk[j] = x * (inv[j - 1] as number) * (pk[j - 1] as number)
      pk[0] = ((pk[0] as number) * x) / ((without[k] as number[])[n - 1] as number)
    }
  }
  return { throughputPerMs: throughput, responseMs: response }
}
