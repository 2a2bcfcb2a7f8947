// inspectModel(): what a model needs, without loading it for inference: its metadata, the op
// histogram, parameter bytes and every operator this build cannot run (empty when all run).

import { callWasm, liveEngine } from './init.js';
import { readSource } from './source.js';

/**
 * @typedef {object} UnsupportedOp
 * @property {string} opType
 * @property {string} domain  '' for ai.onnx
 * @property {string} node
 * @property {number} opset
 * @property {string | null} hint
 */

/**
 * @typedef {object} ModelReport
 * @property {import('./session.js').ModelMetadata} metadata
 * @property {number} nodeCount
 * @property {Record<string, number>} opHistogram  `domain:opType` -> nodes
 * @property {number} initializers
 * @property {number} parameterBytes
 * @property {UnsupportedOp[]} unsupported
 */

/**
 * Reads a model (bytes, ArrayBuffer, URL, path or Response) and reports on it.
 * @param {import('./source.js').Source} source
 * @returns {Promise<ModelReport>}
 */
export async function inspectModel(source) {
  const bytes = await readSource(source);
  const engine = await liveEngine();
  return callWasm(engine, () => /** @type {any} */ (engine.glue).inspectModel(bytes));
}
