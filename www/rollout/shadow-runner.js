// Shadow runs: after a served run's answer is returned, the shadow candidate runs on copies of the same inputs (on
// a later task: `setTimeout(0)`, off the caller's critical path), and the core compares its outputs with the served
// ones. Agreement is summed per candidate: top-1 agreement for classifiers, max and mean absolute difference for
// regressors (and for every output).

import { callWasm, liveEngine } from '../init.js';
import { Tensor } from '../tensor.js';
import { rolloutGlue } from './assignment.js';
import { describeError } from './staging-gate.js';

/** @typedef {import('../session.js').InferenceSession} InferenceSession */
/** @typedef {import('./assignment.js').Agreement} Agreement */
/** @typedef {{ readonly type: string, readonly data: any, readonly dims: readonly number[] }} TensorLike */

/** The variant label of shadow runs. */
export const SHADOW_VARIANT = 'shadow';

/**
 * Agreement of one output, summed over the compared runs.
 * @typedef {object} OutputAgreement
 * @property {number} rows rows compared
 * @property {number | null} top1 share of rows with the same top-1 class (null when the output has no classes)
 * @property {number} top1Agree rows with the same top-1 class
 * @property {number} maxAbs largest |served - shadow|
 * @property {number} meanAbs mean |served - shadow| over every element compared
 */

/**
 * A candidate's agreement with the served versions so far.
 * @typedef {object} ShadowTotals
 * @property {string} version the shadow candidate
 * @property {number} runs runs compared
 * @property {number} errors shadow runs that failed (the served answers were not affected)
 * @property {number} dropped shadow runs skipped because `shadowMaxPending` were waiting
 * @property {string | null} output the output the summary is about: the first float output with a class axis
 *   (scores), else the first output with classes (integer labels), else the first output (a regressor)
 * @property {'classifier' | 'regressor' | null} kind
 * @property {number} rows rows compared (of `output`)
 * @property {number | null} top1 top-1 agreement of `output` (classifiers), null for regressors
 * @property {number} maxAbs of `output`
 * @property {number} meanAbs of `output`
 * @property {Record<string, OutputAgreement>} outputs every output both versions gave
 * @property {{ code: string, message: string } | null} lastError
 */

/**
 * @typedef {object} ShadowJob
 * @property {InferenceSession} session the candidate's session
 * @property {string} version the candidate
 * @property {Record<string, TensorLike>} feeds the served run's inputs
 * @property {Record<string, TensorLike>} outputs the served run's outputs
 * @property {{ version: string, variant: string, predictionId: string }} served
 * @property {() => void} done called once the shadow run is over (the deployment counts it as in flight)
 */

/**
 * One shadow run compared: the candidate, the served run it shadowed, the agreement of each output in this run, and
 * the candidate's totals so far.
 * @typedef {{ version: string, against: { version: string, variant: string, predictionId: string }, run: Record<string, Agreement>, total: ShadowTotals }} ShadowReport
 */

/** @typedef {{ rows: number, top1Agree: number, top1Rows: number, maxAbs: number, absSum: number, elements: number }} Sums */

export class ShadowRunner {
  /** @type {Map<string, { totals: Omit<ShadowTotals, 'outputs' | 'rows' | 'top1' | 'maxAbs' | 'meanAbs'>, sums: Map<string, Sums> }>} */
  #candidates = new Map();
  #pending = 0;
  /** @type {(() => void)[]} */
  #idle = [];
  #maxPending;
  /** @type {(report: ShadowReport) => void} */
  #onReport;

  /**
   * @param {{ maxPending: number, onReport: (report: ShadowReport) => void }} options
   */
  constructor(options) {
    this.#maxPending = options.maxPending;
    this.#onReport = options.onReport;
  }

  /**
   * Schedule a shadow run (copies the inputs and outputs now, so the caller may reuse its buffers). False when it
   * was dropped: too many waiting (then `done` was not kept).
   * @param {ShadowJob} job
   * @returns {boolean}
   */
  schedule(job) {
    const candidate = this.#candidate(job.version);
    if (this.#pending >= this.#maxPending) {
      candidate.totals.dropped += 1;
      return false;
    }
    const feeds = copyTensors(job.feeds);
    const outputs = copyTensors(job.outputs);
    this.#pending += 1;
    setTimeout(() => {
      void this.#run({ ...job, feeds, outputs }).finally(() => {
        job.done();
        this.#pending -= 1;
        if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }, 0);
    return true;
  }

  /**
   * Resolves once no shadow run is waiting or running.
   * @returns {Promise<void>}
   */
  settled() {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => { this.#idle.push(resolve); });
  }

  /**
   * Every candidate's totals so far.
   * @returns {Record<string, ShadowTotals>}
   */
  report() {
    return Object.fromEntries([...this.#candidates.keys()].map((v) => [v, this.#totals(v)]));
  }

  /** @param {ShadowJob} job */
  async #run(job) {
    const candidate = this.#candidate(job.version);
    /** @type {Record<string, import('../tensor.js').Tensor>} */
    let shadow;
    try {
      shadow = await job.session.run(job.feeds, undefined, { variant: SHADOW_VARIANT });
    } catch (error) {
      candidate.totals.errors += 1;
      candidate.totals.lastError = describeError(error);
      return;
    }
    const engine = await liveEngine();
    /** @type {Record<string, Agreement>} */
    const run = {};
    try {
      for (const [name, served] of Object.entries(job.outputs)) {
        const other = shadow[name];
        if (other === undefined) continue;
        const a = { name, type: served.type, dims: [...served.dims], data: served.data };
        const b = { name, type: other.type, dims: [...other.dims], data: other.data };
        const agreement = callWasm(engine, () => rolloutGlue(engine).agreement(a, b));
        run[name] = agreement;
        this.#add(candidate, name, served, other, agreement);
      }
    } catch (error) {
      candidate.totals.errors += 1;
      candidate.totals.lastError = describeError(error);
      return;
    }
    candidate.totals.runs += 1;
    if (candidate.totals.output === null) choosePrimary(candidate.totals, job.outputs, run);
    this.#onReport({ version: job.version, against: job.served, run, total: this.#totals(job.version) });
  }

  /**
   * @param {{ totals: any, sums: Map<string, Sums> }} candidate
   * @param {string} name
   * @param {TensorLike} a
   * @param {TensorLike} b
   * @param {Agreement} agreement
   */
  #add(candidate, name, a, b, agreement) {
    let sums = candidate.sums.get(name);
    if (sums === undefined) {
      sums = { rows: 0, top1Agree: 0, top1Rows: 0, maxAbs: 0, absSum: 0, elements: 0 };
      candidate.sums.set(name, sums);
    }
    const elements = Math.min(a.data.length, b.data.length);
    sums.rows += agreement.rows;
    if (agreement.top1 !== null) {
      sums.top1Agree += Math.round(agreement.top1 * agreement.rows);
      sums.top1Rows += agreement.rows;
    }
    sums.maxAbs = Math.max(sums.maxAbs, agreement.maxAbs);
    sums.absSum += agreement.meanAbs * elements;
    sums.elements += elements;
  }

  /** @param {string} version */
  #candidate(version) {
    let candidate = this.#candidates.get(version);
    if (candidate === undefined) {
      candidate = {
        totals: { version, runs: 0, errors: 0, dropped: 0, output: null, kind: null, lastError: null },
        sums: new Map(),
      };
      this.#candidates.set(version, candidate);
    }
    return candidate;
  }

  /**
   * @param {string} version
   * @returns {ShadowTotals}
   */
  #totals(version) {
    const candidate = this.#candidate(version);
    /** @type {Record<string, OutputAgreement>} */
    const outputs = {};
    for (const [name, s] of candidate.sums) {
      outputs[name] = {
        rows: s.rows,
        top1: s.top1Rows === 0 ? null : s.top1Agree / s.top1Rows,
        top1Agree: s.top1Agree,
        maxAbs: s.maxAbs,
        meanAbs: s.elements === 0 ? 0 : s.absSum / s.elements,
      };
    }
    const main = candidate.totals.output === null ? undefined : outputs[candidate.totals.output];
    return {
      ...candidate.totals,
      rows: main?.rows ?? 0,
      top1: candidate.totals.kind === 'classifier' ? main?.top1 ?? null : null,
      maxAbs: main?.maxAbs ?? 0,
      meanAbs: main?.meanAbs ?? 0,
      outputs,
    };
  }
}

/**
 * Which output the summary is about (see ShadowTotals.output).
 * @param {{ output: string | null, kind: 'classifier' | 'regressor' | null }} totals
 * @param {Record<string, TensorLike>} served
 * @param {Record<string, Agreement>} run
 */
function choosePrimary(totals, served, run) {
  const names = Object.keys(run);
  const isFloat = (/** @type {string} */ n) => served[n].type.startsWith('float');
  const scores = names.find((n) => isFloat(n) && served[n].dims.length >= 2 && served[n].dims[served[n].dims.length - 1] > 1 && run[n].top1 !== null);
  const labels = names.find((n) => run[n].top1 !== null);
  const chosen = scores ?? labels ?? names[0];
  if (chosen === undefined) return;
  totals.output = chosen;
  totals.kind = run[chosen].top1 === null ? 'regressor' : 'classifier';
}

/**
 * Copies of tensors (their data arrays copied), by name.
 * @param {Readonly<Record<string, TensorLike>>} tensors
 * @returns {Record<string, TensorLike>}
 */
function copyTensors(tensors) {
  /** @type {Record<string, TensorLike>} */
  const out = {};
  for (const [name, t] of Object.entries(tensors)) {
    const data = Array.isArray(t.data) ? [...t.data] : /** @type {{ slice: () => unknown }} */ (t.data).slice();
    out[name] = new Tensor(/** @type {any} */ (t.type), /** @type {any} */ (data), t.dims);
  }
  return out;
}
