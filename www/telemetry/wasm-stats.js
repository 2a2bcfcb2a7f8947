// The statistics objects of the Rust core (DriftMonitor, LiveMetrics, SlidingQuantiles), each held for the engine
// it was made on. The core owns every statistic; this file only makes, calls and frees them. When the engine is
// replaced after a trap, an object is made again on the new engine and its window starts empty (the old window
// went with the old instance's memory).

import { callWasm } from '../init.js';

/** @typedef {import('../init.js').Engine} Engine */

/**
 * One feature's drift now, as the core reports it.
 * @typedef {{ input: string, index: number, count: number, psi: number, ks: number, js: number }} FeatureDriftReport
 */

/**
 * @typedef {object} DriftMonitorHandle
 * @property {(input: string, dims: number[], values: ArrayLike<number>) => void} observe
 * @property {() => FeatureDriftReport[]} report
 * @property {() => void} reset
 * @property {() => void} free
 */

/** @typedef {{ count: number, accuracy: number, precision: number, recall: number, f1: number }} ClassificationSummary */
/** @typedef {{ count: number, mae: number, rmse: number }} RegressionSummary */

/**
 * @typedef {object} LiveSummary
 * @property {ClassificationSummary | null} classification for classifiers (macro precision, recall and F1)
 * @property {RegressionSummary | null} regression for regressors
 * @property {number} pending predictions waiting for their label
 * @property {number} dropped predictions dropped unlabelled (more than `maxPending` waiting)
 * @property {number} unmatched labels whose prediction was unknown to the core
 */

/**
 * @typedef {object} LiveMetricsHandle
 * @property {(id: string, value: number) => void} predicted
 * @property {(id: string, label: number) => boolean} labelled
 * @property {() => LiveSummary} summary
 * @property {() => void} free
 */

/**
 * @typedef {object} SlidingQuantilesHandle
 * @property {(value: number) => void} push
 * @property {number} length
 * @property {(qs: Float64Array) => Float64Array} quantiles
 * @property {() => void} free
 */

/**
 * What telemetry uses from the glue (the bindings' src/wasm/telemetry.rs).
 * @typedef {object} StatsGlue
 * @property {new (referenceJson: string, window: number) => DriftMonitorHandle} DriftMonitor
 * @property {new (kind: 'classification' | 'regression', maxPending: number, window: number) => LiveMetricsHandle} LiveMetrics
 * @property {new (capacity: number) => SlidingQuantilesHandle} SlidingQuantiles
 * @property {(expected: Float64Array, actual: Float64Array) => { psi: number, ks: number, js: number }} driftScores
 * @property {(predicted: Float64Array, actual: Float64Array) => ClassificationSummary} classificationMetrics
 * @property {(predicted: Float64Array, actual: Float64Array) => RegressionSummary} regressionMetrics
 */

/**
 * The glue's statistics classes.
 * @param {Engine} engine
 * @returns {StatsGlue}
 */
export function statsGlue(engine) {
  return /** @type {StatsGlue} */ (/** @type {unknown} */ (engine.glue));
}

/**
 * Does this build of the engine have the statistics classes?
 * @param {Engine} engine
 * @returns {boolean}
 */
export function hasStats(engine) {
  const glue = /** @type {Partial<StatsGlue>} */ (statsGlue(engine));
  return typeof glue.DriftMonitor === 'function' && typeof glue.LiveMetrics === 'function' && typeof glue.SlidingQuantiles === 'function';
}

/**
 * A core statistics object bound to one engine.
 * @template {{ free: () => void }} T
 */
export class EngineBound {
  /** @type {(glue: StatsGlue) => T} */
  #make;
  /** @type {Engine | null} */
  #engine = null;
  /** @type {T | null} */
  #value = null;

  /** @param {(glue: StatsGlue) => T} make */
  constructor(make) {
    this.#make = make;
  }

  /**
   * The object on `engine`, made (again) if it was made on another engine or not yet.
   * @param {Engine} engine
   * @returns {T}
   */
  on(engine) {
    if (this.#engine !== engine || this.#value === null) {
      this.free();
      this.#value = callWasm(engine, () => this.#make(statsGlue(engine)));
      this.#engine = engine;
    }
    return this.#value;
  }

  /**
   * The object if it lives on `engine` (a live one), else null: nothing is made.
   * @param {Engine | null} engine
   * @returns {T | null}
   */
  peek(engine) {
    return engine !== null && !engine.dead && this.#engine === engine ? this.#value : null;
  }

  /**
   * Call `fn` on the object through `callWasm` (a trap marks the engine dead and comes out as OnnxEdgeError).
   * @template R
   * @param {Engine} engine
   * @param {(value: T) => R} fn
   * @returns {R}
   */
  call(engine, fn) {
    const value = this.on(engine);
    return callWasm(engine, () => fn(value));
  }

  /** Free the object (nothing to free on a dead engine: its memory went with it). */
  free() {
    const engine = this.#engine;
    const value = this.#value;
    this.#engine = null;
    this.#value = null;
    if (engine !== null && value !== null && !engine.dead) {
      try {
        callWasm(engine, () => value.free());
      } catch {
        // freeing is best effort
      }
    }
  }
}
