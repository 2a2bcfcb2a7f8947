// Drift of one model version (and variant): its inputs go, as sampled, into the core's DriftMonitor (bins from the
// reference, a sliding window per feature), which reports PSI, KS and Jensen-Shannon per feature. Small inputs are
// gathered here and handed over in batches of `checkEvery` values (one call into wasm per batch, not per run);
// after each batch, and before any report, the monitor has every value. After each batch the features are judged
// against the thresholds and a feature whose level rises (ok -> warn -> alert) gives a `drift` event; it can fire
// again after it fell back to ok.

import { float16ToNumber } from '../dtypes.js';
import { featureLabel } from './reference.js';
import { driftLevel, LEVEL_RANK } from './thresholds.js';
import { EngineBound } from './wasm-stats.js';

/** @typedef {import('../init.js').Engine} Engine */
/** @typedef {import('./thresholds.js').Thresholds} Thresholds */
/** @typedef {import('./thresholds.js').DriftLevel} DriftLevel */
/** @typedef {import('./wasm-stats.js').DriftMonitorHandle} DriftMonitorHandle */
/** @typedef {{ readonly type: string, readonly dims: readonly number[], readonly data: unknown }} TensorLike */

/**
 * One feature's drift now.
 * @typedef {object} FeatureDrift
 * @property {string} feature the label value, `X[2]`
 * @property {string} input
 * @property {number} index
 * @property {number} count values in the window
 * @property {number} psi
 * @property {number} ks
 * @property {number} js
 * @property {DriftLevel | null} level null while the window holds fewer than `minSamples` values
 */

export class DriftWatch {
  /** @type {EngineBound<DriftMonitorHandle>} */
  #monitor;
  /** Inputs (and outputs) the reference names. @type {Set<string>} */
  #names;
  /** @type {Map<string, DriftLevel>} */
  #levels = new Map();
  #sinceCheck = 0;
  /** Values gathered per input, not yet in the monitor; `width` is the input's last dim (1 for rank 0 and 1). @type {Map<string, { width: number, values: number[] }>} */
  #pending = new Map();

  /**
   * @param {{ json: string, features: { input: string, index: number }[] }} reference
   * @param {{ window: number, checkEvery: number, thresholds: Readonly<Thresholds> }} options
   */
  constructor(reference, options) {
    this.#monitor = new EngineBound((glue) => new glue.DriftMonitor(reference.json, options.window));
    this.#names = new Set(reference.features.map((f) => f.input));
    /** @readonly */
    this.checkEvery = options.checkEvery;
    /** @type {Readonly<Thresholds>} */
    this.thresholds = options.thresholds;
  }

  /**
   * Feed the referenced tensors of one run. Returns true when it is time to judge (`checkEvery` values since the last
   * time).
   * @param {Engine} engine
   * @param {Readonly<Record<string, TensorLike>>} feeds
   * @param {Readonly<Record<string, TensorLike>>} outputs
   * @returns {boolean}
   */
  observe(engine, feeds, outputs) {
    for (const name of this.#names) {
      const tensor = feeds[name] ?? outputs[name];
      if (tensor === undefined) continue;
      const values = numericValues(tensor);
      if (values === null) continue;
      const width = tensor.dims.length <= 1 ? 1 : Math.max(1, tensor.dims[tensor.dims.length - 1]);
      let pending = this.#pending.get(name);
      if (pending !== undefined && pending.width !== width) {
        this.#flush(engine);
        pending = undefined;
      }
      if (values.length >= this.checkEvery) {
        this.#flush(engine);
        this.#monitor.call(engine, (m) => m.observe(name, [...tensor.dims], values));
      } else {
        if (pending === undefined) {
          pending = { width, values: [] };
          this.#pending.set(name, pending);
        }
        for (let i = 0; i < values.length; i += 1) pending.values.push(values[i]);
      }
      this.#sinceCheck += values.length;
    }
    if (this.#sinceCheck < this.checkEvery) return false;
    this.#flush(engine);
    return true;
  }

  /**
   * Hand the gathered values to the monitor.
   * @param {Engine} engine
   */
  #flush(engine) {
    for (const [name, { width, values }] of this.#pending) {
      if (values.length === 0) continue;
      const dims = width === 1 ? [values.length] : [values.length / width, width];
      this.#monitor.call(engine, (m) => m.observe(name, dims, values));
    }
    this.#pending.clear();
  }

  /**
   * Every feature's drift over the window (empty when the monitor was never fed on this engine).
   * @param {Engine | null} engine
   * @returns {FeatureDrift[]}
   */
  report(engine) {
    if (engine !== null && !engine.dead && this.#pending.size > 0) this.#flush(engine);
    const monitor = this.#monitor.peek(engine);
    if (monitor === null || engine === null) return [];
    const reports = this.#monitor.call(engine, (m) => m.report());
    return reports.map((r) => ({
      feature: featureLabel(r),
      input: r.input,
      index: r.index,
      count: r.count,
      psi: r.psi,
      ks: r.ks,
      js: r.js,
      level: r.count >= this.thresholds.minSamples ? driftLevel(r, this.thresholds).level : null,
    }));
  }

  /**
   * Judge every feature; returns those whose level rose since the last judgement, with what they passed.
   * @param {Engine} engine
   * @returns {(FeatureDrift & { level: 'warn' | 'alert', exceeded: ('psi' | 'js' | 'ks')[] })[]}
   */
  check(engine) {
    this.#sinceCheck = 0;
    /** @type {(FeatureDrift & { level: 'warn' | 'alert', exceeded: ('psi' | 'js' | 'ks')[] })[]} */
    const rising = [];
    for (const drift of this.report(engine)) {
      if (drift.level === null) continue;
      const { exceeded } = driftLevel(drift, this.thresholds);
      const before = this.#levels.get(drift.feature) ?? 'ok';
      this.#levels.set(drift.feature, drift.level);
      if (drift.level !== 'ok' && LEVEL_RANK[drift.level] > LEVEL_RANK[before]) {
        rising.push({ ...drift, level: drift.level, exceeded });
      }
    }
    return rising;
  }

  /** Forget the window and the levels. */
  reset() {
    this.#levels.clear();
    this.#sinceCheck = 0;
    this.#pending.clear();
    this.#monitor.free();
  }

  free() {
    this.#monitor.free();
  }
}

/**
 * A tensor's values as the core's `&[f64]` takes them: numeric typed arrays as they are (the glue copies them into
 * wasm memory as f64), 64-bit integers and float16 bits converted; null for strings.
 * @param {TensorLike} tensor
 * @returns {ArrayLike<number> | null}
 */
export function numericValues(tensor) {
  const { data, type } = tensor;
  if (type === 'string') return null;
  if (type === 'int64' || type === 'uint64') return Float64Array.from(/** @type {ArrayLike<bigint>} */ (data), Number);
  if (type === 'float16') return Float64Array.from(/** @type {Uint16Array} */ (data), float16ToNumber);
  return /** @type {ArrayLike<number>} */ (data);
}
