// A gauge: a value per series that is set, usually at scrape time from a `collect` function (as prom-client's
// point-in-time values), so nothing runs between scrapes.

import { Metric } from './metric.js';

/** @typedef {{ value: number }} GaugeCell */

/** @extends {Metric<GaugeCell>} */
export class Gauge extends Metric {
  /** @type {'gauge'} */
  type = 'gauge';

  /**
   * @param {import('./metric.js').MetricOptions & { collect?: (gauge: Gauge) => void, integer?: boolean }} options
   *   `collect` runs before every scrape and export, and sets the values then; `integer` values go to OTLP as `asInt`
   */
  constructor(options) {
    super(options);
    /** @readonly */
    this.collect = options.collect;
    /** @readonly */
    this.integer = options.integer ?? false;
  }

  /** @override @returns {GaugeCell} */
  makeCell() {
    return { value: 0 };
  }

  /**
   * @param {readonly string[]} labels values in `labelNames` order
   * @param {number} value
   */
  set(labels, value) {
    this.cell(labels).value = value;
  }
}
