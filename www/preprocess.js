// Preprocessing done by the core, so every page and edge function feeds a model the same way.

import { callWasm, liveEngine } from './init.js';
import { OnnxEdgeError, ErrorCode } from './errors.js';

/**
 * A drawn digit to the 64 features of scikit-learn's digits data set (8x8 cells, 0..16): the ink is
 * cropped to its bounding box, centred in a square and averaged over each cell by exact area.
 * @param {Float32Array} ink  width * height values in 0..1, row-major, 1 = ink
 * @param {number} width
 * @param {number} height
 * @returns {Promise<Float32Array>}
 */
export async function digitFeatures(ink, width, height) {
  if (!(ink instanceof Float32Array)) {
    throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, 'digitFeatures needs the ink as a Float32Array', {
      details: { kind: 'dtype', input: 'ink', expected: 'Float32Array', actual: Object.prototype.toString.call(ink) },
    });
  }
  for (const [name, value] of /** @type {const} */ ([['width', width], ['height', height]])) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new OnnxEdgeError(ErrorCode.INPUT_SHAPE, `digitFeatures needs ${name} as a positive integer`, {
        details: { kind: 'shape', input: 'ink', expected: `${name} a positive integer`, actual: String(value) },
      });
    }
  }
  const engine = await liveEngine();
  return callWasm(engine, () => /** @type {any} */ (engine.glue).digitFeatures(ink, width, height));
}
