// A counter: a value per series that only goes up (`_total` names).

import { Metric } from './metric.js';

/** @typedef {{ value: number }} CounterCell */

/** @extends {Metric<CounterCell>} */
export class Counter extends Metric {
  /** @type {'counter'} */
  type = 'counter';

  /** @override @returns {CounterCell} */
  makeCell() {
    return { value: 0 };
  }

  /**
   * Add `amount` (default 1; negative amounts are ignored: a counter never goes down).
   * @param {readonly string[]} labels values in `labelNames` order
   * @param {number} [amount]
   */
  inc(labels, amount = 1) {
    if (amount > 0) this.cell(labels).value += amount;
  }
}
