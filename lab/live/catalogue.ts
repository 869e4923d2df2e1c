/**
 * The demo's catalogue: the built-in scenarios (`scenarios/<name>/`) that
 * load and validate, with their knobs and rendered notes. Importing a
 * scenario.ts takes ~0.1 s, so a scenario is loaded again only when its
 * scenario.ts or notes.md changed (an instructor may edit one mid-class), or
 * the demo's language (lab/core/i18n.ts, `lab demo --lang`) has a translation of the notes; the
 * cache is shared by every server in the process.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { DEMO_LIMITS, knobsFor, type Knob } from '../core/knobs.js'
import type { CatalogueResponse, ScenarioInfo } from '../core/live-api.js'
import { validateScenario, type Scenario } from '../core/scenario.js'
import { STACKS } from '../engines/types.js'
import { renderNotes } from '../store/report.js'
import { currentLang } from '../core/i18n.js'
import { localizedName } from '../core/i18n-lang.js'
import { SCENARIOS_DIR, loadScenarioFile, readNotes, scenarioNames } from '../store/scenarios.js'

/** A scenario of the catalogue as loaded from `scenarios/<name>/scenario.ts`. */
export interface Entry {
  /** The scenario as written (the knobs apply to it). */
  raw: unknown
  scenario: Scenario
  knobs: Knob[]
  notesHtml: string
}

// the promise is kept, so servers that load at the same moment share one import of each file
const loaded = new Map<string, { stamp: string; entry: Promise<Entry | undefined> }>()
const mtime = (file: string): number => (existsSync(file) ? statSync(file).mtimeMs : 0)

/** The scenarios a demo offers. */
export class Catalogue {
  private entries = new Map<string, Entry>()

  /** The scenarios as last loaded, by name. */
  get current(): ReadonlyMap<string, Entry> {
    return this.entries
  }

  /**
   * Reloads the scenarios whose files changed; a scenario that does not load
   * or validate is left out (`lab list` shows why).
   * @returns the scenarios by name
   */
  async load(): Promise<ReadonlyMap<string, Entry>> {
    const next = new Map<string, Entry>()
    for (const name of scenarioNames()) {
      const file = path.join(SCENARIOS_DIR, name, 'scenario.ts')
      const lang = currentLang()
      const notes = path.join(SCENARIOS_DIR, name, 'notes.md')
      const stamp = `${mtime(file)}:${mtime(notes)}:${lang}:${mtime(localizedName(notes, lang))}`
      let cached = loaded.get(name)
      if (cached?.stamp !== stamp) loaded.set(name, (cached = { stamp, entry: loadEntry(name, file) }))
      const entry = await cached.entry
      if (entry) next.set(name, entry)
    }
    this.entries = next
    return next
  }

  /** `GET /api/scenarios`, freshly loaded. */
  async response(): Promise<CatalogueResponse> {
    const entries = await this.load()
    return { scenarios: [...entries.values()].map(info), stacks: STACKS, limits: DEMO_LIMITS, lang: currentLang() }
  }
}

async function loadEntry(name: string, file: string): Promise<Entry | undefined> {
  try {
    const raw = await loadScenarioFile(file)
    const v = validateScenario(raw, name)
    return v.ok ? { raw, scenario: v.value, knobs: knobsFor(v.value), notesHtml: renderNotes(readNotes(file, currentLang()) ?? '') } : undefined
  } catch {
    return undefined
  }
}

function info(e: Entry): ScenarioInfo {
  return {
    name: e.scenario.name,
    title: e.scenario.title,
    summary: e.scenario.summary,
    topologies: Object.entries(e.scenario.topologies).map(([id, t]) => ({ id, model: t.server.model, ...(t.server.model === 'prefork' ? { workers: t.server.workers } : {}) })),
    workloads: Object.entries(e.scenario.workloads).map(([id, w]) => ({ id, ...w })),
    knobs: e.knobs,
    notesHtml: e.notesHtml,
  }
}
