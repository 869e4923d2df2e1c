import { readdirSync } from 'node:fs'
import { makePlan } from '../lab/core/plan.js'
import { validateScenario } from '../lab/core/scenario.js'
import { eventPct } from '../lab/core/window.js'
import { levelWindow, warmupCap } from '../lab/run/level.js'
import { predictionsFor } from '../lab/run/result.js'
const cal = { 'prefork': { serverMsPerRequest: 0.314, clientMsPerRequest: 0.309 }, 'event-loop': { serverMsPerRequest: 0.054, clientMsPerRequest: 0.047 } } as const
for (const name of readdirSync('scenarios')) {
  const mod = await import(`../scenarios/${name}/scenario.ts`)
  const v = validateScenario(mod.default, name)
  if (!v.ok) { console.log(name, v.problems); continue }
  const p = makePlan(v.value, { quick: true })
  if (!p.ok) continue
  let total = 0
  const parts: string[] = []
  for (const t of p.value.topologies) {
    total += 1 // start + stop
    for (const l of t.levels) {
      const w = p.value.workloads[l.workload]!
      const pred = predictionsFor(t.def, w, l.connections, 2, p.value.load.timeout_s, { calibration: cal[t.def.server.model] })
      const win = levelWindow(p.value.load, l.connections, pred, eventPct(w))
      const warm = Math.min(warmupCap(p.value.load.warmup_s, pred ?? { perSecond: NaN, meanMs: NaN }, l.connections), Math.max(p.value.load.warmup_s, (pred?.meanMs ?? 0) / 1000 * 1.2))
      total += warm + win.durationS + 0.3
      parts.push(`${t.id}/${l.workload}@${l.connections}:${win.durationS}${win.verdict === 'too-short' ? '!' : ''}`)
    }
  }
  console.log(name.padEnd(20), `~${total.toFixed(0)} s + 3`, parts.join(' '))
}
