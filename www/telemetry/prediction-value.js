// The value recorded for live accuracy, per row of a prediction. The rule:
//
// - The output: the one chosen with `telemetry.track(model, { output })`, else the first output the run returned
//   in the session's output order (for scikit-learn classifiers converted by skl2onnx: `label`).
// - Rows: the output's first dim (a scalar output is one row).
// - Integer or bool output, one value per row: that value is the class (classification).
// - String output: the class's index in `classes` (`telemetry.track(model, { classes })`, or the manifest version's
//   `labels`); a row whose string is not listed is not recorded.
// - Float output with one value per row (`[n]` or `[n, 1]`): the value (regression).
// - Float output with several values per row (`[n, k]`, scores or probabilities): the index of the row's largest
//   value (classification; the first one on ties).
// `track(model, { kind })` forces classification or regression when the rule guesses wrong.

import { float16ToNumber } from '../dtypes.js';

/** @typedef {'classification' | 'regression'} TaskKind */
/** @typedef {{ readonly type: string, readonly dims: readonly number[], readonly data: unknown }} TensorLike */

const INTEGER_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']);
const FLOAT_TYPES = new Set(['float16', 'float32', 'float64']);

/**
 * The output the prediction is read from: `wanted` if given and returned, else the first of `outputNames` that
 * was returned, else the first returned.
 * @param {Readonly<Record<string, TensorLike>>} outputs
 * @param {readonly string[]} outputNames
 * @param {string | undefined} wanted
 * @returns {TensorLike | null}
 */
export function predictionOutput(outputs, outputNames, wanted) {
  if (wanted !== undefined) return outputs[wanted] ?? null;
  for (const name of outputNames) if (outputs[name] !== undefined) return outputs[name];
  for (const name in outputs) return outputs[name];
  return null;
}

/**
 * Rows of a prediction: the first dim (1 for a scalar).
 * @param {TensorLike} tensor
 * @returns {number}
 */
export function rowsOf(tensor) {
  return tensor.dims.length === 0 ? 1 : tensor.dims[0];
}

/**
 * One value per row, and the kind it implies; null when the output cannot be read so (unknown type, or
 * `kind` forced to regression on a multi-value output).
 * @param {TensorLike} tensor
 * @param {{ kind?: TaskKind, classes?: readonly string[] }} [track]
 * @returns {{ kind: TaskKind, values: (number | null)[] } | null}
 */
export function predictionValues(tensor, track = {}) {
  const rows = rowsOf(tensor);
  const data = /** @type {ArrayLike<unknown>} */ (tensor.data);
  if (rows === 0) return { kind: track.kind ?? 'classification', values: [] };
  const perRow = data.length / rows;
  if (!Number.isInteger(perRow) || perRow < 1) return null;
  if (tensor.type === 'string') {
    const classes = track.classes ?? [];
    /** @type {(number | null)[]} */
    const values = [];
    for (let r = 0; r < rows; r += 1) {
      const index = classes.indexOf(/** @type {string} */ (data[r * perRow]));
      values.push(index < 0 ? null : index);
    }
    return { kind: 'classification', values };
  }
  const read = tensor.type === 'float16'
    ? (/** @type {number} */ i) => float16ToNumber(/** @type {number} */ (data[i]))
    : (/** @type {number} */ i) => Number(data[i]);
  if (INTEGER_TYPES.has(tensor.type) || (FLOAT_TYPES.has(tensor.type) && perRow === 1)) {
    const kind = track.kind ?? (INTEGER_TYPES.has(tensor.type) ? 'classification' : 'regression');
    /** @type {(number | null)[]} */
    const values = [];
    for (let r = 0; r < rows; r += 1) values.push(read(r * perRow));
    return { kind, values };
  }
  if (FLOAT_TYPES.has(tensor.type)) {
    if (track.kind === 'regression') return null;
    /** @type {(number | null)[]} */
    const values = [];
    for (let r = 0; r < rows; r += 1) {
      let best = 0;
      let bestValue = read(r * perRow);
      for (let c = 1; c < perRow; c += 1) {
        const v = read(r * perRow + c);
        if (v > bestValue) {
          best = c;
          bestValue = v;
        }
      }
      values.push(best);
    }
    return { kind: 'classification', values };
  }
  return null;
}
