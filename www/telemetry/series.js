// One model version served under one variant: its metric cells (kept, so a run updates them without looking labels
// up), its latency window in the core, and its drift and live-accuracy watches.

import { callWasm } from '../init.js';
import { EngineBound } from './wasm-stats.js';

/** @typedef {import('./histogram.js').HistogramCell} HistogramCell */
/** @typedef {import('./counter.js').CounterCell} CounterCell */
/** @typedef {import('./wasm-stats.js').SlidingQuantilesHandle} SlidingQuantilesHandle */

export class Series {
  /** @type {EngineBound<SlidingQuantilesHandle>} */
  latencyWindow;
  /** @type {import('./drift-watch.js').DriftWatch | null} */
  drift = null;
  /** @type {import('./live-watch.js').LiveWatch | null} */
  live = null;
  /** The `track` options in force, or null to look them up again. @type {import('./telemetry.js').TrackOptions | null} */
  track = null;
  /** Error counters by code, made on first use. @type {Map<string, CounterCell>} */
  errors = new Map();
  /** The latest latencies not yet handed to the core's window (a ring of its size): runs write here, snapshots hand them over. */
  #ring;
  #ringNext = 0;
  #unsynced = 0;

  /**
   * @param {{ model: string, version: string, variant: string }} identity label values
   * @param {{ latency: HistogramCell, predictions: CounterCell }} cells
   * @param {number} window latency values kept for p50/p95/p99
   */
  constructor(identity, cells, window) {
    /** @readonly */
    this.model = identity.model;
    /** @readonly */
    this.version = identity.version;
    /** @readonly */
    this.variant = identity.variant;
    /** @readonly @type {readonly string[]} */
    this.labels = Object.freeze([identity.model, identity.version, identity.variant]);
    /** @readonly */
    this.latency = cells.latency;
    /** @readonly */
    this.predictions = cells.predictions;
    this.latencyWindow = new EngineBound((glue) => new glue.SlidingQuantiles(window));
    this.#ring = new Float64Array(window);
  }

  /**
   * One run's latency, for the quantiles (a store into a ring: no call into wasm on the run's path).
   * @param {number} seconds
   */
  recordLatency(seconds) {
    this.#ring[this.#ringNext] = seconds;
    this.#ringNext = this.#ringNext + 1 === this.#ring.length ? 0 : this.#ringNext + 1;
    if (this.#unsynced < this.#ring.length) this.#unsynced += 1;
  }

  /**
   * The quantiles `qs` of the last `window` latencies, computed by the core's SlidingQuantiles after it got the
   * latencies recorded since the last call; null when it holds none.
   * @param {import('../init.js').Engine} engine
   * @param {Float64Array} qs
   * @returns {{ values: Float64Array, count: number } | null}
   */
  latencyQuantiles(engine, qs) {
    const window = this.latencyWindow.on(engine);
    const ring = this.#ring;
    const unsynced = this.#unsynced;
    this.#unsynced = 0;
    return callWasm(engine, () => {
      for (let k = unsynced; k > 0; k -= 1) window.push(ring[(this.#ringNext - k + ring.length) % ring.length]);
      const count = window.length;
      return count === 0 ? null : { values: window.quantiles(qs), count };
    });
  }

  /** Free the core objects. */
  free() {
    this.latencyWindow.free();
    this.drift?.free();
    this.live?.free();
  }
}
