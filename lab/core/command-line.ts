/**
 * Command lines as recorded in the results (`command`): what a reader pastes
 * into a POSIX shell to reproduce a run.
 *
 * Pure: no I/O.
 */

/** Joins arguments into one POSIX shell line: each argument as is when it holds only `[\w@%+=:,./-]`, else in single quotes (a `'` inside written `'\''`). */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}
