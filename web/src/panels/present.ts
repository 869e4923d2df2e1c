/**
 * Presenter mode, on both pages: large type for a projector, toggled by a
 * button and by `?present` in the address. The `present` class on <html>
 * sets the sizes (style.css); charts are drawn again at the new size.
 */
import { h } from './dom.js'
import { t } from '../../../lab/core/i18n.js'

/** Whether the page is in presenter mode now. */
export const presenting = (): boolean => document.documentElement.classList.contains('present')

/** The base font size of the charts in CSS pixels: 18 in presenter mode, else 12. */
export const chartFontSize = (): number => (presenting() ? 18 : 12)

/**
 * The "Presenter mode" button. Turns the mode on or off, then calls `onChange`.
 * @param start - start in presenter mode (the mode is set at once; `onChange` is not called for it)
 * @param onChange - e.g. redraw the charts at the new size
 */
export function presenterButton(start: boolean, onChange: (on: boolean) => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'present-toggle', 'aria-pressed': String(start) }, t('report.presenter'))
  const set = (on: boolean): void => {
    document.documentElement.classList.toggle('present', on)
    button.setAttribute('aria-pressed', String(on))
  }
  set(start)
  button.addEventListener('click', () => {
    set(!presenting())
    onChange(presenting())
  })
  return button
}
