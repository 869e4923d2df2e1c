/**
 * What the run loop needs from the engines without reaching into the registry:
 * the error a missing engine raises, and the stacks `--stack` accepts (their
 * words are the vocabulary's, lab/core/vocabulary.ts).
 */

export { STACKS, type Stack } from '../core/vocabulary.js'

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
