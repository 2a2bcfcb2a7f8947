// The base of every metric (as prom-client's lib/metric.js): a name and help checked at construction, label names
// declared up front from a fixed list, and the series kept by their label values.

import { argumentError, ErrorCode } from '../errors.js';

/**
 * The only label names a metric may use. Values are bounded: model names and versions from the manifest or the
 * session options, variants from the deployment, error codes from `ErrorCode`, features from the drift reference;
 * never user keys or input data.
 */
export const LABEL_NAMES = Object.freeze(/** @type {const} */ (['model', 'version', 'variant', 'code', 'feature']));

/** @typedef {typeof LABEL_NAMES[number]} LabelName */

/** Longest label value kept; longer ones are cut (with a marker) so one bad name cannot blow up a scrape. */
export const MAX_LABEL_VALUE_LENGTH = 128;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * @typedef {object} MetricOptions
 * @property {string} name `onnx_edge_` prefix, base units in the name, counters end in `_total`
 * @property {string} help one line for `# HELP` and the OTLP description
 * @property {readonly LabelName[]} [labelNames]
 * @property {string} [unit] the UCUM unit for OTLP (`s`, `By`, `1`)
 */

/**
 * @template {object} Cell
 */
export class Metric {
  /** @type {Map<string, Cell & { labels: readonly string[] }>} */
  #series = new Map();

  /** @param {MetricOptions} options */
  constructor(options) {
    const { name, help, labelNames = [], unit = '' } = options;
    if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `invalid metric name ${JSON.stringify(name)}`, { reason: 'metricName', name });
    }
    if (typeof help !== 'string' || help === '') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `metric ${name} needs a help text`, { reason: 'metricHelp', name });
    }
    for (const label of labelNames) {
      if (!LABEL_NAMES.includes(label) || !LABEL_NAME.test(label)) {
        throw argumentError(ErrorCode.OPTIONS_INVALID, `label ${JSON.stringify(label)} is not one of ${LABEL_NAMES.join(', ')}`, {
          reason: 'labelName', name, label,
        });
      }
    }
    if (new Set(labelNames).size !== labelNames.length) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `metric ${name} repeats a label name`, { reason: 'labelName', name });
    }
    /** @readonly */
    this.name = name;
    /** @readonly */
    this.help = help;
    /** @readonly @type {readonly LabelName[]} */
    this.labelNames = Object.freeze([...labelNames]);
    /** @readonly */
    this.unit = unit;
  }

  /**
   * The series for these label values (in `labelNames` order), made on first use. Callers on a hot path keep the
   * returned cell and update it directly.
   * @param {readonly string[]} values
   * @returns {Cell & { labels: readonly string[] }}
   */
  cell(values) {
    const key = values.join('\u0000');
    let cell = this.#series.get(key);
    if (cell === undefined) {
      if (values.length !== this.labelNames.length) {
        throw argumentError(ErrorCode.OPTIONS_INVALID, `metric ${this.name} takes ${this.labelNames.length} label values`, {
          reason: 'labelValues', name: this.name,
        });
      }
      cell = Object.assign(this.makeCell(), { labels: Object.freeze(values.map(boundLabelValue)) });
      this.#series.set(key, cell);
    }
    return cell;
  }

  /**
   * Every series, in the order they were made.
   * @returns {IterableIterator<Cell & { labels: readonly string[] }>}
   */
  cells() {
    return this.#series.values();
  }

  /** Forget every series (gauges set afresh at each scrape). */
  clear() {
    this.#series.clear();
  }

  /**
   * A new, empty series value. Subclasses override it.
   * @returns {Cell}
   */
  makeCell() {
    throw new Error('Metric.makeCell is abstract');
  }
}

/**
 * A label value as it is kept: a string, cut to `MAX_LABEL_VALUE_LENGTH`.
 * @param {unknown} value
 * @returns {string}
 */
export function boundLabelValue(value) {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return text.length <= MAX_LABEL_VALUE_LENGTH ? text : `${text.slice(0, MAX_LABEL_VALUE_LENGTH - 1)}…`;
}
