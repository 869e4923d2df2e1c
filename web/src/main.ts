// Entry point of the report page: reads the results `lab report` embedded in
// #lab-data and renders them. Nothing here touches the network.
import './style.css'
import type { ReportPayload } from './report/types.js'
import { mountReport } from './report-view.js'

const root = document.getElementById('app') ?? document.body
let payload: ReportPayload | undefined
try {
  const parsed = JSON.parse(document.getElementById('lab-data')?.textContent ?? '') as Partial<ReportPayload>
  if (Array.isArray(parsed.documents)) payload = { documents: parsed.documents, notesHtml: parsed.notesHtml ?? '', ...(typeof parsed.handoutHtml === 'string' ? { handoutHtml: parsed.handoutHtml } : {}), ...(Array.isArray(parsed.exerciseChecks) ? { exerciseChecks: parsed.exerciseChecks } : {}) }
} catch {
  // the unfilled page (e.g. `vite dev`): fall through to the message below
}
if (payload) {
  mountReport(root, payload, new URLSearchParams(location.search).has('present'))
} else {
  root.textContent = 'This page has no results in it. Make a report with: lab report results/<scenario>/<timestamp>.json'
}
