// Reading the node tests' raw tensors (written by generate.py) and comparing outputs the way
// onnx's backend runner does: same dims and type, then |out - ref| <= atol + rtol * |ref|, NaN equal to NaN.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Tensor } from '../../www/index.js';

/** @typedef {{ name: string, dtype: string, shape: number[], file: string }} TensorEntry */

/** Typed array constructors by dtype name; bool is stored as one byte each. */
const ARRAYS = /** @type {const} */ ({
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
});

/**
 * The tensor a file holds.
 * @param {string} dir the test_data_set folder
 * @param {TensorEntry} entry
 * @returns {Tensor}
 */
export function readTensor(dir, entry) {
  const Ctor = ARRAYS[/** @type {keyof typeof ARRAYS} */ (entry.dtype)];
  if (Ctor === undefined) throw new Error(`dtype ${entry.dtype} has no typed array`);
  const bytes = readFileSync(join(dir, entry.file));
  // Copy into an aligned buffer: a Buffer may start at any offset of its pool.
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  const data = new Ctor(buffer);
  return new Tensor(/** @type {any} */ (entry.dtype), /** @type {any} */ (data), entry.shape);
}

/**
 * IEEE half-precision bits to a number.
 * @param {number} bits
 * @returns {number}
 */
function halfToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Numbers of a tensor's data (int64 through Number, as onnx's float comparison does).
 * @param {string} type
 * @param {ArrayLike<number | bigint>} data
 * @returns {number[]}
 */
function numbers(type, data) {
  const out = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = type === 'float16' ? halfToNumber(Number(v)) : Number(v);
  }
  return out;
}

/**
 * Why `actual` is not close to `expected`, or null when it is (onnx's assert_similar_outputs).
 * @param {{ type: string, dims: readonly number[], data: unknown }} actual
 * @param {Tensor} expected
 * @param {number} rtol
 * @param {number} atol
 * @returns {string | null}
 */
export function mismatch(actual, expected, rtol, atol) {
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return `shape [${actual.dims}], expected [${expected.dims}]`;
  }
  if (actual.type !== expected.type) return `dtype ${actual.type}, expected ${expected.type}`;
  const a = numbers(actual.type, /** @type {ArrayLike<number | bigint>} */ (actual.data));
  const e = numbers(expected.type, /** @type {ArrayLike<number | bigint>} */ (expected.data));
  let bad = 0;
  /** @type {string | null} */
  let first = null;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    let close;
    if (Number.isNaN(x) || Number.isNaN(y)) close = Number.isNaN(x) && Number.isNaN(y);
    else if (!Number.isFinite(x) || !Number.isFinite(y)) close = x === y;
    else close = Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!close) {
      bad++;
      first ??= `first at ${i}: ${x} vs expected ${y}`;
    }
  }
  return bad === 0 ? null : `${bad} of ${a.length} elements differ; ${first}`;
}
