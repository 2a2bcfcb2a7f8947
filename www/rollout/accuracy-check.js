// A staging check for classifiers: accuracy (and macro precision, recall, F1, computed by the core) on a labelled
// validation set shipped with the model.
//
//   const check = accuracyCheck({ feeds: { X: validationX }, labels: validationY, minAccuracy: 0.9 });
//   const deployment = await registry.deploy('iris', { check });

import { argumentError, ErrorCode } from '../errors.js';
import { callWasm, liveEngine } from '../init.js';
import { rolloutGlue } from './assignment.js';
import { GATE_VARIANT } from './staging-gate.js';

/** @typedef {import('../session.js').FeedsType} FeedsType */
/** @typedef {import('./deploy-options.js').StagingCheck} StagingCheck */
/** @typedef {import('./assignment.js').ClassificationFigures} ClassificationFigures */

/**
 * @typedef {object} AccuracyCheckOptions
 * @property {FeedsType} feeds the validation inputs (one batch)
 * @property {ArrayLike<number | bigint>} labels the true class of each row (class indices, as the model's labels)
 * @property {string} [output] the output holding the predicted class: an integer label per row, or scores per class
 *   (argmax taken); default the first output
 * @property {number} [minAccuracy] pass at or above this accuracy (default 0)
 * @property {number} [minF1] and, if given, at or above this macro F1
 */

/**
 * A check that predicts the validation set and passes when accuracy (and F1) reach the minimums. Its figures are
 * `{ count, accuracy, precision, recall, f1, minAccuracy, minF1 }`.
 * @param {AccuracyCheckOptions} options
 * @returns {StagingCheck}
 */
export function accuracyCheck(options) {
  if (typeof options !== 'object' || options === null || typeof options.feeds !== 'object' || options.feeds === null
    || options.labels === undefined || typeof options.labels.length !== 'number') {
    throw argumentError(ErrorCode.OPTIONS_INVALID, 'accuracyCheck({ feeds, labels, minAccuracy })', { reason: 'accuracyCheck' });
  }
  const actual = Float64Array.from(Array.from(options.labels, Number));
  const minAccuracy = options.minAccuracy ?? 0;
  return async (session) => {
    const outputs = await session.run(options.feeds, undefined, { variant: GATE_VARIANT });
    const name = options.output ?? session.outputNames[0];
    const out = outputs[name];
    if (out === undefined) {
      throw argumentError(ErrorCode.OUTPUT_UNKNOWN, `accuracyCheck: the model has no output ${JSON.stringify(name)}`, { output: name, expected: [...session.outputNames] });
    }
    const predicted = predictedClasses(out);
    const engine = await liveEngine();
    /** @type {ClassificationFigures} */
    const figures = callWasm(engine, () => rolloutGlue(engine).classificationMetrics(predicted, actual));
    const ok = predicted.length === actual.length && figures.accuracy >= minAccuracy
      && (options.minF1 === undefined || figures.f1 >= options.minF1);
    return { ok, figures: { ...figures, minAccuracy, minF1: options.minF1 ?? null } };
  };
}

/**
 * The class of each row: the value of an integer (or one-per-row) output, else the argmax along the last axis.
 * @param {{ type: string, dims: readonly number[], data: ArrayLike<number | bigint | string> }} out
 * @returns {Float64Array}
 */
function predictedClasses(out) {
  const values = Array.from(out.data, Number);
  const width = out.dims.length >= 2 ? out.dims[out.dims.length - 1] : 1;
  if (width <= 1) return Float64Array.from(values);
  const rows = Math.floor(values.length / width);
  const classes = new Float64Array(rows);
  for (let r = 0; r < rows; r += 1) {
    let best = 0;
    for (let c = 1; c < width; c += 1) if (values[r * width + c] > values[r * width + best]) best = c;
    classes[r] = best;
  }
  return classes;
}
