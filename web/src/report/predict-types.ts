/**
 * The shapes of the report's "Predict, then look" questions (./predict.ts,
 * ./predict-lesson.ts). No logic here.
 */

/** One document's answer to a question. */
export interface PredictAnswer {
  /** Which document, when several are compared; '' for one. */
  doc: string
  /** Answered (2xx) req/s at the connection count asked about, repeats averaged. */
  measured: number
  /** The queueing model's req/s (textbook: io_ms and cpu_ms only), or null when the runs carry no prediction. */
  theory: number | null
  /** The model calibrated to the machine that ran it, req/s; absent without a calibration. */
  machine?: number
}

/** One question: a topology serving a workload at the workload's highest connection count. */
export interface PredictItem {
  /** The localStorage key of the student's guess: one per scenario, topology and workload. */
  key: string
  /** A DOM id for the question. */
  id: string
  scenario: string
  workload: string
  topology: string
  connections: number
  /** `4 pre-forked workers`, from the scenario definition ('' when it does not say). */
  topologyText: string
  /** `50 ms wait + 0 ms CPU per request`, from the scenario definition ('' when it does not say). */
  workloadText: string
  answers: PredictAnswer[]
  /** What the question names (default the topology): the side a lesson compares (./predict-lesson.ts). */
  title?: string
  /** The unit of the answers (default req/s): the lesson's metric's. */
  unit?: string
}

/** A group of questions: one workload of one scenario. */
export interface PredictGroup {
  scenario: string
  workload: string
  connections: number
  workloadText: string
  items: PredictItem[]
  /** The group's heading when it asks about a lesson's metric, e.g. `cpu-20ms @3: probe p99 (ms)`. */
  heading?: string
}

