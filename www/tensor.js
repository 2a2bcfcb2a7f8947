// Tensor: a type name, a typed array (an array of strings for `string`) and dims, checked once at construction
// (onnxruntime-web's shape).

import { argumentError, ErrorCode } from './errors.js';
import { DTYPES, float16FromNumber, inferDataType, isDataType, typedArrayName } from './dtypes.js';

/** @typedef {import('./dtypes.js').DataType} DataType */
/** @typedef {import('./dtypes.js').DataTypeMap} DataTypeMap */
/** @typedef {import('./dtypes.js').PlainDataMap} PlainDataMap */

/**
 * A CPU tensor: a type name, the typed array that holds the elements (row-major), and the dims; a `string`
 * tensor's data is an array of strings.
 * `data` is the caller's typed array (or, for `string`, array of strings) when one was given (not copied); `dims`
 * is frozen; `size` is the product of `dims`; `reshape` gives a tensor with the same data and other dims.
 * @template {DataType} [T=DataType]
 * @typedef {{
 *   readonly type: T,
 *   readonly data: DataTypeMap[T],
 *   readonly dims: readonly number[],
 *   readonly size: number,
 *   reshape(dims: readonly number[]): Tensor<T>,
 * }} Tensor
 */

/**
 * How `new Tensor(...)` may be called (onnxruntime-web's forms):
 * `new Tensor('float32', data, [n, 4])`, or `new Tensor(float32Array, [n, 4])` with the type taken from the typed
 * array (Uint8Array means uint8, Uint16Array uint16, a plain number array float32, an array of strings string).
 * `dims` defaults to `[data.length]`. `data` may be a plain array: converted, integers range-checked, int64/uint64
 * numbers must be safe integers, float16 numbers are values (stored as half-precision bits). A `string` tensor
 * takes an array whose every element is a string (kept, not copied). Bad arguments throw a `TypeError` with a
 * `code`: `INPUT_DTYPE` (type or data) or `INPUT_SHAPE` (dims).
 * @typedef {{
 *   new <T extends DataType>(type: T, data: DataTypeMap[T] | PlainDataMap[T], dims?: readonly number[]): Tensor<T>,
 *   new (data: Float32Array | readonly number[], dims?: readonly number[]): Tensor<'float32'>,
 *   new (data: Float64Array, dims?: readonly number[]): Tensor<'float64'>,
 *   new (data: Int8Array, dims?: readonly number[]): Tensor<'int8'>,
 *   new (data: Uint8Array, dims?: readonly number[]): Tensor<'uint8'>,
 *   new (data: Int16Array, dims?: readonly number[]): Tensor<'int16'>,
 *   new (data: Uint16Array, dims?: readonly number[]): Tensor<'uint16'>,
 *   new (data: Int32Array, dims?: readonly number[]): Tensor<'int32'>,
 *   new (data: Uint32Array, dims?: readonly number[]): Tensor<'uint32'>,
 *   new (data: BigInt64Array | readonly bigint[], dims?: readonly number[]): Tensor<'int64'>,
 *   new (data: BigUint64Array, dims?: readonly number[]): Tensor<'uint64'>,
 *   new (data: readonly boolean[], dims?: readonly number[]): Tensor<'bool'>,
 *   new (data: readonly string[], dims?: readonly number[]): Tensor<'string'>,
 *   readonly prototype: Tensor,
 * }} TensorConstructor
 */

class TensorImpl {
  /**
   * @param {unknown} first
   * @param {unknown} [second]
   * @param {unknown} [third]
   */
  constructor(first, second, third) {
    const explicit = typeof first === 'string';
    const type = explicit ? first : typeOfData(first);
    const rawData = explicit ? second : first;
    const rawDims = explicit ? third : second;
    if (!isDataType(type)) {
      throw argumentError(ErrorCode.INPUT_DTYPE, `unknown tensor type ${JSON.stringify(type)}`, { actual: type });
    }
    const data = toData(type, rawData);
    const dims = toDims(rawDims === undefined ? [data.length] : rawDims);
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw argumentError(ErrorCode.INPUT_SHAPE, `dims [${dims.join(', ')}] hold ${size} elements but the data has ${data.length}`, {
        expected: size, actual: data.length, dims,
      });
    }
    /** @type {DataType} */
    this.type = type;
    /** @type {DataTypeMap[DataType]} */
    this.data = data;
    /** @type {readonly number[]} */
    this.dims = dims;
    /** @type {number} */
    this.size = size;
  }

  /**
   * @param {readonly number[]} dims
   * @returns {TensorImpl}
   */
  reshape(dims) {
    return new TensorImpl(this.type, this.data, dims);
  }
}

/** The tensor class (see `TensorConstructor` for the forms and `Tensor` for the fields). */
export const Tensor = /** @type {TensorConstructor} */ (/** @type {unknown} */ (TensorImpl));

/**
 * The type a data argument stands for when no type name is given.
 * @param {unknown} data
 * @returns {unknown}
 */
function typeOfData(data) {
  const inferred = inferDataType(data);
  if (inferred !== undefined) return inferred;
  if (Array.isArray(data)) {
    const first = data[0];
    if (typeof first === 'boolean') return 'bool';
    if (typeof first === 'bigint') return 'int64';
    if (typeof first === 'string') return 'string';
    return 'float32';
  }
  throw argumentError(ErrorCode.INPUT_DTYPE, 'tensor data must be a typed array or an array', { actual: describe(data) });
}

/**
 * The data for `type`: the given typed array if it is of the right kind, else a checked conversion of a plain
 * array; for `string`, the given array once every element is checked to be a string.
 * @param {DataType} type
 * @param {unknown} data
 * @returns {DataTypeMap[DataType]}
 */
function toData(type, data) {
  const info = DTYPES[type];
  const name = typedArrayName(data);
  const wanted = info.kind === 'string' ? 'an array of strings' : `a ${info.array.name}`;
  if (name !== undefined) {
    const view = /** @type {Exclude<DataTypeMap[DataType], string[]>} */ (data);
    if (name === info.array.name) return view;
    if (type === 'float16' && name === 'Float16Array') {
      return new Uint16Array(view.buffer, view.byteOffset, view.length); // same bits, the table's array type
    }
    throw argumentError(ErrorCode.INPUT_DTYPE, `a ${type} tensor takes ${wanted}, not a ${name}`, {
      expected: info.array.name, actual: name,
    });
  }
  if (!Array.isArray(data)) {
    throw argumentError(ErrorCode.INPUT_DTYPE, `a ${type} tensor takes ${info.kind === 'string' ? wanted : `${wanted} or an array`}`, {
      expected: info.array.name, actual: describe(data),
    });
  }
  if (info.kind === 'string') {
    // As onnxruntime-web, the caller's array is the data; unlike it, every element is checked here (a hole is not
    // a string either).
    for (let i = 0; i < data.length; i += 1) convertValue(type, data[i], i);
    return /** @type {string[]} */ (data);
  }
  const out = new info.array(data.length);
  const target = /** @type {any} */ (out);
  for (let i = 0; i < data.length; i += 1) target[i] = convertValue(type, data[i], i);
  return out;
}

/**
 * One element of a plain array, checked against the type.
 * @param {DataType} type
 * @param {unknown} value
 * @param {number} index
 * @returns {number | bigint | string}
 */
function convertValue(type, value, index) {
  const info = DTYPES[type];
  /** @param {string} what */
  const bad = (what) => argumentError(ErrorCode.INPUT_DTYPE, `element ${index} of a ${type} tensor: ${what}`, {
    expected: type, index, actual: describe(value),
  });
  switch (info.kind) {
    case 'float':
      if (typeof value !== 'number') throw bad('not a number');
      return value;
    case 'float16':
      if (typeof value !== 'number') throw bad('not a number');
      return float16FromNumber(value);
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('not an integer');
      if (value < /** @type {number} */ (info.min) || value > /** @type {number} */ (info.max)) throw bad('out of range');
      return value;
    case 'bigint': {
      let big;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else throw bad('not a bigint or a safe integer');
      if (big < /** @type {bigint} */ (info.min) || big > /** @type {bigint} */ (info.max)) throw bad('out of range');
      return big;
    }
    case 'bool':
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value === 0 || value === 1) return value;
      throw bad('not a boolean or 0/1');
    case 'string':
      if (typeof value !== 'string') throw bad('not a string');
      return value;
  }
}

/**
 * Frozen dims after checking that each is a non-negative safe integer.
 * @param {unknown} dims
 * @returns {readonly number[]}
 */
function toDims(dims) {
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw argumentError(ErrorCode.INPUT_SHAPE, 'dims must be an array of non-negative integers', { actual: describe(dims) });
  }
  return Object.freeze(/** @type {number[]} */ ([...dims]));
}

/**
 * A short, safe description of a value for `details` (never the data itself).
 * @param {unknown} value
 * @returns {string}
 */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `Array(${value.length})`;
  const name = typedArrayName(value);
  if (name !== undefined) return name;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value;
}
