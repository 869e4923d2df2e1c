/**
 * The smallest DOM helpers the pages share: an element builder, an accessible
 * table, and a button that shows and hides what it controls.
 */
import type { Table } from '../report/types.js'
import { t } from '../../../lab/core/i18n.js'

/** A child `h` accepts; falsy ones are skipped. */
export type Child = Node | string | null | undefined | false

/** Creates an element with attributes and children (strings become text, never HTML). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
  for (const c of children) if (c) el.append(c)
  return el
}

/** An accessible table: a caption, column headers, and the first cell of each row as its header. */
export function tableElement(caption: string, t: Table): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...t.columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...t.rows.map((r) => h('tr', {}, ...r.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))))),
    ),
  )
}

/**
 * A "Show table" button for `wrap` (hidden to start with; give it an id).
 * @param onOpen - called each time the table is shown, e.g. to fill it with the latest figures
 */
export function toggleButton(wrap: HTMLElement, onOpen: () => void = () => undefined): HTMLElement {
  wrap.hidden = true
  const button = h('button', { type: 'button', class: 'table-toggle', 'aria-expanded': 'false', 'aria-controls': wrap.id }, t('report.showTable'))
  button.addEventListener('click', () => {
    wrap.hidden = !wrap.hidden
    button.setAttribute('aria-expanded', String(!wrap.hidden))
    button.textContent = wrap.hidden ? t('report.showTable') : t('describe.hideTable')
    if (!wrap.hidden) onOpen()
  })
  return button
}

/** A "Show table" button and the table it shows and hides (`<id>-table`). */
export function tableToggle(id: string, caption: string, t: Table): HTMLElement[] {
  const wrap = h('div', { class: 'table-wrap', id: `${id}-table` }, tableElement(caption, t))
  return [toggleButton(wrap), wrap]
}
