/**
 * Shared types of the engine adapters (real servers from Debian packages).
 */

/** Thrown when a run needs an engine that is not installed; the CLI exits 3 with `installCommand`. */
export class EngineMissingError extends Error {
  constructor(
    readonly engine: string,
    readonly installCommand: string,
  ) {
    super(`${engine} is not installed; install it with: ${installCommand}`)
    this.name = 'EngineMissingError'
  }
}

/** The stacks `--stack` accepts: built-in Node engines, or the real Python ones. */
export const STACKS = ['node', 'python'] as const
export type Stack = (typeof STACKS)[number]
