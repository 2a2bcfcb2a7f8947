// The last runs of one version (how long each took, whether it failed), and their summary: error rate and p95
// latency. The quantile is computed by the core (its SlidingQuantiles, numpy's linear method).

import { callWasm } from '../init.js';
import { rolloutGlue } from './assignment.js';

/** @typedef {import('../init.js').Engine} Engine */

/** One answered run: when it ended (ms, `performance.now()`), how long it took (ms), whether it succeeded. */
/** @typedef {{ at: number, ms: number, ok: boolean }} Outcome */

/**
 * @typedef {object} WindowSummary
 * @property {number} count runs
 * @property {number} errors failed runs
 * @property {number} errorRate errors / count (0 without runs)
 * @property {number | null} p95Ms 95th percentile of the successful runs' durations (null without any)
 * @property {number} successes
 */

export class OutcomeWindow {
  /** @type {Outcome[]} */
  #ring = [];
  #next = 0;
  #capacity;

  /** @param {number} capacity runs kept (the oldest is forgotten first) */
  constructor(capacity) {
    this.#capacity = Math.max(1, capacity);
  }

  /** @param {Outcome} outcome */
  push(outcome) {
    if (this.#ring.length < this.#capacity) this.#ring.push(outcome);
    else this.#ring[this.#next] = outcome;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** Runs held. */
  get count() {
    return this.#ring.length;
  }

  /**
   * The runs held, oldest first.
   * @returns {Outcome[]}
   */
  outcomes() {
    if (this.#ring.length < this.#capacity) return [...this.#ring];
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }

  /**
   * @param {Engine} engine
   * @returns {WindowSummary}
   */
  summary(engine) {
    return summarize(engine, this.outcomes());
  }
}

/**
 * Error rate and p95 latency of some runs.
 * @param {Engine} engine
 * @param {readonly Outcome[]} outcomes
 * @returns {WindowSummary}
 */
export function summarize(engine, outcomes) {
  const durations = outcomes.filter((o) => o.ok).map((o) => o.ms);
  const errors = outcomes.length - durations.length;
  return {
    count: outcomes.length,
    errors,
    errorRate: outcomes.length === 0 ? 0 : errors / outcomes.length,
    p95Ms: durations.length === 0 ? null : quantile(engine, durations, 0.95),
    successes: durations.length,
  };
}

/**
 * The `q` quantile of `values` by the core (numpy's linear method).
 * @param {Engine} engine
 * @param {readonly number[]} values
 * @param {number} q
 * @returns {number}
 */
export function quantile(engine, values, q) {
  return callWasm(engine, () => {
    const window = new (rolloutGlue(engine).SlidingQuantiles)(values.length);
    try {
      for (const v of values) window.push(v);
      return window.quantiles(Float64Array.of(q))[0];
    } finally {
      window.free();
    }
  });
}
