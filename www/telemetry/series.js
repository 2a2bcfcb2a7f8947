// One model version served under one variant: its metric cells (kept, so a run updates them without looking labels
// up), its latency window in the core, and its drift and live-accuracy watches.

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
  /** Error counters by code, made on first use. @type {Map<string, CounterCell>} */
  errors = new Map();

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
  }

  /** Free the core objects. */
  free() {
    this.latencyWindow.free();
    this.drift?.free();
    this.live?.free();
  }
}
