/**
 * The course's languages and how a command picks one: `--lang`, else the
 * POSIX locale variables (LC_ALL, then LC_MESSAGES, then LANG: the order
 * POSIX gives them for messages, "Environment Variables", The Open Group
 * Base Specifications Issue 7, 8.2), else English.
 * Pure: the caller passes the environment in.
 */

/** The languages the lab's UI, notes and handouts come in. */
export const LANGS = ['en', 'pt-BR', 'ru'] as const

/** `en`, `pt-BR` or `ru`: a BCP 47 tag (RFC 5646), also the suffix of a translated file (`notes.pt-BR.md`). */
export type Lang = (typeof LANGS)[number]

/** Whether a string is one of {@link LANGS}, exactly as spelled there. */
export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s)
}

/**
 * The language of a POSIX locale name: `pt_BR.UTF-8` → `pt-BR`, `ru_RU.UTF-8`
 * (or `ru`) → `ru`, `en_US.UTF-8`, `C`, `POSIX` → `en`.
 * @returns undefined for an empty or unset value (the next variable decides)
 */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined
  const [language, territory] = locale.split(/[.@]/)[0]?.split(/[_-]/) ?? []
  if (language?.toLowerCase() === 'pt' && territory?.toUpperCase() === 'BR') return 'pt-BR'
  if (language?.toLowerCase() === 'ru') return 'ru'
  return 'en'
}

/**
 * The language of a command: `--lang` when given, else the first set one of
 * LC_ALL, LC_MESSAGES and LANG, else `en`.
 * @param flag - the `--lang` value as typed, if any
 * @param env - the process environment (or a test's)
 * @returns the language, or the one-line message for a `--lang` that is not one of {@link LANGS} (the CLI exits 2 with it)
 */
export function resolveLang(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): { ok: true; lang: Lang } | { ok: false; message: string } {
  if (flag !== undefined) {
    return isLang(flag) ? { ok: true, lang: flag } : { ok: false, message: `--lang ${flag}: expected one of ${LANGS.join(', ')}` }
  }
  return { ok: true, lang: langOfLocale(env.LC_ALL) ?? langOfLocale(env.LC_MESSAGES) ?? langOfLocale(env.LANG) ?? 'en' }
}

/**
 * A translated file's name beside the English one: `notes.md` → `notes.pt-BR.md`; English keeps the name.
 * @param file - the English file's name or path, ending in `.md`
 */
export function localizedName(file: string, lang: Lang): string {
  return lang === 'en' ? file : file.replace(/\.md$/, `.${lang}.md`)
}
