// Live quality of one model version (and variant) from labels that arrive later: predictions wait in the core's
// LiveMetrics (at most `maxPending`, the oldest dropped and counted) and labelled pairs enter its sliding window, over
// which it computes accuracy and macro precision, recall and F1 (classifiers) or MAE and RMSE (regressors).
// An `accuracy-drop` fires when the judged metric crosses its threshold (thresholds.js), once until it recovers.

import { EngineBound } from './wasm-stats.js';

/** @typedef {import('../init.js').Engine} Engine */
/** @typedef {import('./thresholds.js').Thresholds} Thresholds */
/** @typedef {import('./wasm-stats.js').LiveMetricsHandle} LiveMetricsHandle */
/** @typedef {import('./wasm-stats.js').LiveSummary} LiveSummary */
/** @typedef {import('./prediction-value.js').TaskKind} TaskKind */

export class LiveWatch {
  /** @type {EngineBound<LiveMetricsHandle>} */
  #metrics;
  #dropped = false;

  /**
   * @param {TaskKind} kind
   * @param {{ maxPending: number, window: number, thresholds: Readonly<Thresholds> }} options
   */
  constructor(kind, options) {
    /** @readonly */
    this.kind = kind;
    this.#metrics = new EngineBound((glue) => new glue.LiveMetrics(kind, options.maxPending, options.window));
    /** @type {Readonly<Thresholds>} */
    this.thresholds = options.thresholds;
  }

  /**
   * @param {Engine} engine
   * @param {string} id
   * @param {number} value
   */
  predicted(engine, id, value) {
    this.#metrics.call(engine, (m) => m.predicted(id, value));
  }

  /**
   * @param {Engine} engine
   * @param {string} id
   * @param {number} label
   * @returns {boolean} false when the core did not know the prediction (dropped, or lost with a replaced engine)
   */
  labelled(engine, id, label) {
    return this.#metrics.call(engine, (m) => m.labelled(id, label));
  }

  /**
   * @param {Engine | null} engine
   * @returns {LiveSummary | null}
   */
  summary(engine) {
    if (engine === null || this.#metrics.peek(engine) === null) return null;
    return this.#metrics.call(engine, (m) => m.summary());
  }

  /**
   * Judge the summary: the drop (metric, value, threshold, count) when it newly crossed its threshold, else null.
   * @param {LiveSummary} summary
   * @returns {{ metric: 'accuracy' | 'mae' | 'rmse', value: number, threshold: number, count: number } | null}
   */
  check(summary) {
    const t = this.thresholds;
    /** @type {{ metric: 'accuracy' | 'mae' | 'rmse', value: number, threshold: number, count: number } | null} */
    let breach = null;
    const c = summary.classification;
    const r = summary.regression;
    if (c !== null && c.count >= t.minLabels && c.accuracy < t.accuracy) {
      breach = { metric: 'accuracy', value: c.accuracy, threshold: t.accuracy, count: c.count };
    } else if (r !== null && r.count >= t.minLabels) {
      if (t.mae !== null && r.mae > t.mae) breach = { metric: 'mae', value: r.mae, threshold: t.mae, count: r.count };
      else if (t.rmse !== null && r.rmse > t.rmse) breach = { metric: 'rmse', value: r.rmse, threshold: t.rmse, count: r.count };
    }
    const judged = (c !== null && c.count >= t.minLabels) || (r !== null && r.count >= t.minLabels);
    if (breach === null) {
      if (judged) this.#dropped = false;
      return null;
    }
    if (this.#dropped) return null;
    this.#dropped = true;
    return breach;
  }

  free() {
    this.#metrics.free();
  }
}
