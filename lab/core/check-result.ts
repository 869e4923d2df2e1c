/**
 * The schema of a check result (`lab exercise check --json`, `<results>.check.json`,
 * docs/exercises.md "check: exit codes and the verdict"), as zod, so the
 * documented shape is tested against what the command prints. Pure.
 */
import { z } from 'zod'
import type { CheckResult } from './exercise.js'

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

/** One graded check: name, threshold, the figure measured (null: not measured), passed, and the explanation of a failure (empty when passed). */
export const checkVerdictSchema = z.strictObject({
  name: z.string().min(1),
  figure: z.string().min(1),
  op: z.enum(['>=', '<=', '<', '>', '==']),
  threshold: z.number(),
  measured: z.number().nullable(),
  passed: z.boolean(),
  explanation: z.string(),
})

/** A whole check result; `satisfies` keeps it equal to the {@link CheckResult} type the command writes. */
export const checkResultSchema = z.strictObject({
  exercise: z.string().min(1),
  student: z.string().nullable(),
  parameters: z.record(z.string(), z.number()),
  parametersMatch: z.boolean(),
  answer: z.record(z.string(), z.unknown()),
  answerHash: sha256Hex,
  resultsDigest: sha256Hex.nullable(),
  machine: z.strictObject({ cpuModel: z.string(), cores: z.number().int().min(1), kernel: z.string(), hostnameHash: z.string().regex(/^[0-9a-f]{16}$/) }),
  passed: z.boolean(),
  checks: z.array(checkVerdictSchema).min(1),
  results: z.string().nullable(),
  report: z.string().nullable(),
}) satisfies z.ZodType<CheckResult>
