// The metrics one Telemetry owns (prom-client's Registry, without a global default): registered once by name,
// collected (scrape-time gauges set) and handed to the renderers in registration order.

import { argumentError, ErrorCode } from '../errors.js';
import { LABEL_NAMES, MAX_LABEL_VALUE_LENGTH } from './metric.js';

/** @typedef {import('./counter.js').Counter | import('./gauge.js').Gauge | import('./histogram.js').Histogram} AnyMetric */

const CONSTANT_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MetricSet {
  /** @type {Map<string, AnyMetric>} */
  #metrics = new Map();

  /**
   * @param {Record<string, string>} [constantLabels] labels on every series (the deployment: `app`, `region`, ...):
   *   names not among the metric labels (nor `le`, nor starting with `__`), string values of at most 128 characters
   */
  constructor(constantLabels = {}) {
    /** @readonly @type {Readonly<Record<string, string>>} */
    this.constantLabels = Object.freeze(checkConstantLabels(constantLabels));
  }

  /**
   * @template {AnyMetric} M
   * @param {M} metric
   * @returns {M}
   */
  register(metric) {
    if (this.#metrics.has(metric.name)) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `metric ${metric.name} is already registered`, { reason: 'duplicateMetric', name: metric.name });
    }
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  /**
   * Run every gauge's `collect` (values read at scrape time), then return the metrics in registration order.
   * @returns {AnyMetric[]}
   */
  collect() {
    for (const metric of this.#metrics.values()) {
      if (metric.type === 'gauge' && metric.collect !== undefined) metric.collect(metric);
    }
    return [...this.#metrics.values()];
  }
}

/**
 * @param {unknown} labels
 * @returns {Record<string, string>}
 */
function checkConstantLabels(labels) {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, 'labels must be an object of label name to string', { reason: 'labels' });
  }
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of Object.entries(labels)) {
    const reserved = /** @type {readonly string[]} */ (LABEL_NAMES).includes(name) || name === 'le' || name.startsWith('__');
    if (!CONSTANT_LABEL_NAME.test(name) || reserved) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `labels: ${JSON.stringify(name)} is not a label name you can set`, { reason: 'labels', label: name });
    }
    if (typeof value !== 'string' || value.length > MAX_LABEL_VALUE_LENGTH) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `labels: the value of ${name} must be a string of at most ${MAX_LABEL_VALUE_LENGTH} characters`, {
        reason: 'labels', label: name,
      });
    }
    out[name] = value;
  }
  return out;
}
