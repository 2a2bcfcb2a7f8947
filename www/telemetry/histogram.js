// A histogram with fixed bucket bounds: per series a count per bucket (not cumulative: OTLP's `bucketCounts`; the
// Prometheus renderer adds them up), the sum and the count.

import { argumentError, ErrorCode } from '../errors.js';
import { Metric } from './metric.js';

/** Inference latency buckets: 10 µs to 10 s, 1-2.5-5 per decade (19 bounds, seconds). */
export const LATENCY_BUCKETS = Object.freeze([
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Model load buckets: 1 ms to 60 s (seconds). */
export const LOAD_BUCKETS = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

/** @typedef {{ counts: Float64Array, sum: number, count: number }} HistogramCell */

/** @extends {Metric<HistogramCell>} */
export class Histogram extends Metric {
  /** @type {'histogram'} */
  type = 'histogram';

  /** @param {import('./metric.js').MetricOptions & { buckets: readonly number[] }} options */
  constructor(options) {
    super(options);
    const { buckets } = options;
    const sorted = Array.isArray(buckets) && buckets.length > 0
      && buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > buckets[i - 1]));
    if (!sorted) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `histogram ${options.name}: buckets must be finite and increasing`, {
        reason: 'buckets', name: options.name,
      });
    }
    /** Upper bounds, increasing; `+Inf` is implied. @readonly @type {readonly number[]} */
    this.buckets = Object.freeze([...buckets]);
  }

  /** @override @returns {HistogramCell} */
  makeCell() {
    return { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
  }

  /**
   * @param {readonly string[]} labels values in `labelNames` order
   * @param {number} value
   */
  observe(labels, value) {
    observeInto(this.buckets, this.cell(labels), value);
  }
}

/**
 * Record `value` into a histogram series (a value equal to a bound falls in that bound's bucket, as `le` says).
 * @param {readonly number[]} buckets
 * @param {HistogramCell} cell
 * @param {number} value
 */
export function observeInto(buckets, cell, value) {
  if (Number.isNaN(value)) return;
  let i = 0;
  while (i < buckets.length && value > buckets[i]) i += 1;
  cell.counts[i] += 1;
  cell.sum += value;
  cell.count += 1;
}
