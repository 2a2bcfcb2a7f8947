// The staging gate of a manifest version (written by `onnx-edge publish --reference`): reference inputs as JSON
// tensors, the outputs the version must reproduce, and the tolerance. This file turns them into tensors.

import { ErrorCode, OnnxEdgeError } from '../errors.js';
import { isDataType } from '../dtypes.js';
import { Tensor } from '../tensor.js';

/** @typedef {import('../dtypes.js').DataType} DataType */

/**
 * A tensor as JSON in the manifest: row-major `data` (numbers; int64/uint64 as JSON numbers; NaN written as null;
 * strings for `string`).
 * @typedef {{ type: string, dims: number[], data: (number | string | null)[] }} JsonTensor
 */

/**
 * A version's gate: `{ inputs: { NAME: JsonTensor }, outputs: { NAME: JsonTensor }, tolerance: { atol, rtol } }`.
 * @typedef {object} ManifestGate
 * @property {Record<string, JsonTensor>} inputs
 * @property {Record<string, JsonTensor>} outputs
 * @property {{ atol: number, rtol: number }} tolerance
 */

/** What `publish` writes when a gate has no tolerance. */
export const DEFAULT_TOLERANCE = Object.freeze({ atol: 1e-4, rtol: 1e-4 });

/**
 * The gate of a manifest version entry, checked; null when the version has none (published without
 * `--reference`). MANIFEST_INVALID when it is there but malformed.
 * @param {unknown} entry the manifest's version entry
 * @param {string} where `name@version`, for the error
 * @returns {{ inputs: Record<string, Tensor>, outputs: Record<string, Tensor>, tolerance: { atol: number, rtol: number } } | null}
 */
export function gateOf(entry, where) {
  const gate = /** @type {{ gate?: unknown }} */ (entry ?? {}).gate;
  if (gate === undefined || gate === null) return null;
  const { inputs, outputs, tolerance } = /** @type {Partial<ManifestGate>} */ (gate);
  if (!isRecord(inputs) || !isRecord(outputs) || Object.keys(outputs).length === 0) {
    throw invalid(where, 'the gate needs inputs and outputs');
  }
  const atol = tolerance?.atol ?? DEFAULT_TOLERANCE.atol;
  const rtol = tolerance?.rtol ?? DEFAULT_TOLERANCE.rtol;
  if (!(Number.isFinite(atol) && atol >= 0 && Number.isFinite(rtol) && rtol >= 0)) throw invalid(where, 'the gate tolerance must be numbers >= 0');
  return {
    inputs: mapValues(inputs, (t, name) => tensorFromJson(t, where, `inputs.${name}`)),
    outputs: mapValues(outputs, (t, name) => tensorFromJson(t, where, `outputs.${name}`)),
    tolerance: { atol, rtol },
  };
}

/**
 * A JSON tensor as a `Tensor` (its typed array: int64 -> BigInt64Array, null -> NaN for floats).
 * @param {unknown} value
 * @param {string} where
 * @param {string} path
 * @returns {Tensor}
 */
export function tensorFromJson(value, where, path) {
  const { type, dims, data } = /** @type {Partial<JsonTensor>} */ (isRecord(value) ? value : {});
  if (!isDataType(type) || !Array.isArray(dims) || !Array.isArray(data)) throw invalid(where, `gate ${path} is not a { type, dims, data } tensor`);
  const values = type === 'string' ? data : data.map((v) => (v === null ? NaN : v));
  try {
    return new Tensor(type, /** @type {any} */ (values), dims);
  } catch (error) {
    throw invalid(where, `gate ${path}: ${/** @type {Error} */ (error).message}`, error);
  }
}

/**
 * Tensors by name as the bindings take them: `[{ name, type, dims, data }]`.
 * @param {Readonly<Record<string, { type: string, dims: readonly number[], data: unknown }>>} tensors
 * @returns {{ name: string, type: string, dims: number[], data: unknown }[]}
 */
export function toWasmTensors(tensors) {
  return Object.entries(tensors).map(([name, t]) => ({ name, type: t.type, dims: [...t.dims], data: t.data }));
}

/**
 * @param {string} where
 * @param {string} reason
 * @param {unknown} [cause]
 */
function invalid(where, reason, cause) {
  return new OnnxEdgeError(ErrorCode.MANIFEST_INVALID, `${where}: ${reason}`, { details: { model: where, reason: 'gate', problem: reason }, cause });
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @template T
 * @param {Record<string, unknown>} record
 * @param {(value: unknown, key: string) => T} fn
 * @returns {Record<string, T>}
 */
function mapValues(record, fn) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}
