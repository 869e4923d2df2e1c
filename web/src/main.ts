// Entry point of the report page: reads the results `lab report` embedded in
// #lab-data and renders them. Nothing here touches the network.
import './style.css'
import type { ReportPayload } from './report/types.js'
import { mountReport } from './report-view.js'
import { presenting } from './panels/present.js'
import { currentLang, setLang, t } from '../../lab/core/i18n.js'
import { isLang } from '../../lab/core/i18n-lang.js'

const root = document.getElementById('app') ?? document.body
let payload: ReportPayload | undefined
try {
  const parsed = JSON.parse(document.getElementById('lab-data')?.textContent ?? '') as Partial<ReportPayload>
  if (Array.isArray(parsed.documents)) {
    payload = { documents: parsed.documents, notesHtml: parsed.notesHtml ?? '', ...(typeof parsed.handoutHtml === 'string' ? { handoutHtml: parsed.handoutHtml } : {}), ...(Array.isArray(parsed.exerciseChecks) ? { exerciseChecks: parsed.exerciseChecks } : {}) }
    // the page opens in the run's language (`lab run --lang`); the header's switch changes it
    const lang = parsed.lang ?? parsed.documents[0]?.lang
    if (lang && isLang(lang)) setLang(lang)
  }
} catch {
  // the unfilled page (e.g. `vite dev`): fall through to the message below
}
if (payload) {
  const report = payload
  // the language switch draws the page again in the language picked, in the presenter mode it is in now
  const mount = (present: boolean): void =>
    mountReport(root, report, present, (lang) => {
      setLang(lang)
      document.documentElement.lang = lang
      mount(presenting())
    })
  document.documentElement.lang = currentLang()
  mount(new URLSearchParams(location.search).has('present'))
} else {
  root.textContent = t('report.empty')
}
