// The probation of a version after a switch: its runs are collected until the window is complete (count, or time
// with enough runs), then judged against the previous version's figures measured before the switch.

import { summarize } from './outcome-window.js';

/** @typedef {import('../init.js').Engine} Engine */
/** @typedef {import('./outcome-window.js').Outcome} Outcome */
/** @typedef {import('./outcome-window.js').WindowSummary} WindowSummary */
/** @typedef {import('./deploy-options.js').RollbackSettings} RollbackSettings */

/**
 * What a judgement found (the `rollback` event carries it).
 * @typedef {object} RollbackFigures
 * @property {string} version the version judged
 * @property {string | null} previous the version it replaced (served again after a rollback)
 * @property {('errorRate' | 'p95')[]} reasons what exceeded its threshold (empty when it passed)
 * @property {WindowSummary & { elapsedMs: number }} window the judged version's runs since the switch
 * @property {WindowSummary} baseline the previous version's last runs before the switch
 * @property {number | null} errorRateIncrease window.errorRate - baseline.errorRate
 * @property {number | null} p95Ratio window.p95Ms / baseline.p95Ms (null without both)
 * @property {RollbackSettings} thresholds
 */

export class RollbackWatch {
  /** @type {Outcome[]} */
  #outcomes = [];

  /**
   * @param {{ version: string, previous: string | null, baseline: WindowSummary, settings: RollbackSettings, startedAt: number }} state
   */
  constructor(state) {
    /** @readonly */
    this.version = state.version;
    /** @readonly */
    this.previous = state.previous;
    /** @readonly */
    this.baseline = state.baseline;
    /** @readonly */
    this.settings = state.settings;
    /** @readonly */
    this.startedAt = state.startedAt;
  }

  /** Runs collected so far. */
  get count() {
    return this.#outcomes.length;
  }

  /**
   * Add a run of the watched version; true when the window is complete (judge it now).
   * @param {Outcome} outcome
   * @returns {boolean}
   */
  observe(outcome) {
    if (this.#outcomes.length < this.settings.window) this.#outcomes.push(outcome);
    const n = this.#outcomes.length;
    return n >= this.settings.window || (outcome.at - this.startedAt >= this.settings.windowMs && n >= this.settings.minRuns);
  }

  /**
   * The judgement of the window collected.
   * @param {Engine} engine
   * @param {number} now
   * @returns {RollbackFigures}
   */
  judge(engine, now) {
    const s = this.settings;
    const window = { ...summarize(engine, this.#outcomes), elapsedMs: now - this.startedAt };
    const base = this.baseline;
    /** @type {('errorRate' | 'p95')[]} */
    const reasons = [];
    const errorRateIncrease = window.errorRate - base.errorRate;
    if (errorRateIncrease > s.maxErrorRate) reasons.push('errorRate');
    const hasLatency = window.p95Ms !== null && base.p95Ms !== null && base.successes >= s.minRuns;
    const p95Ratio = hasLatency ? /** @type {number} */ (window.p95Ms) / Math.max(/** @type {number} */ (base.p95Ms), Number.MIN_VALUE) : null;
    if (hasLatency && /** @type {number} */ (p95Ratio) > s.maxP95Ratio
      && /** @type {number} */ (window.p95Ms) - /** @type {number} */ (base.p95Ms) >= s.minP95IncreaseMs) {
      reasons.push('p95');
    }
    return {
      version: this.version,
      previous: this.previous,
      reasons,
      window,
      baseline: base,
      errorRateIncrease,
      p95Ratio,
      thresholds: { ...s },
    };
  }
}
