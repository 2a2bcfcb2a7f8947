// The one dtype table: tensor type names (onnxruntime-web's) and the array behind each.
// tensor.js, session.js and the tests read this table; nothing else lists dtypes.

/**
 * The array that holds each tensor type's data (as onnxruntime-web's `Tensor.DataTypeMap`): a typed array, except
 * `string`, whose data is a plain array of strings. `float16` holds IEEE half-precision bit patterns; `bool` holds
 * 0 or 1.
 * @typedef {{
 *   float32: Float32Array, float64: Float64Array, float16: Uint16Array,
 *   int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
 *   int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
 *   bool: Uint8Array, string: string[],
 * }} DataTypeMap
 */

/**
 * The plain JavaScript arrays `new Tensor()` also accepts for each type (converted and range-checked).
 * `float16` takes numbers (values, not bits); `int64`/`uint64` take bigints or safe integers.
 * @typedef {{
 *   float32: readonly number[], float64: readonly number[], float16: readonly number[],
 *   int8: readonly number[], uint8: readonly number[], int16: readonly number[], uint16: readonly number[],
 *   int32: readonly number[], uint32: readonly number[],
 *   int64: readonly (number | bigint)[], uint64: readonly (number | bigint)[],
 *   bool: readonly (boolean | number)[], string: readonly string[],
 * }} PlainDataMap
 */

/** @typedef {keyof DataTypeMap} DataType */

/**
 * How values of a dtype are checked when they come from a plain array.
 * `float`: any number; `float16`: any number, stored as bits; `int`: integers in [min, max];
 * `bigint`: bigints or safe integers in [min, max]; `bool`: booleans or 0/1; `string`: strings (the array is the
 * data itself, checked and kept).
 * @typedef {'float' | 'float16' | 'int' | 'bigint' | 'bool' | 'string'} ValueKind
 */

/**
 * @typedef {object} DtypeInfo
 * @property {DataType} name
 * @property {{ new (length: number): DataTypeMap[DataType], readonly name: string }} array the data's class
 *   (`Array` for `string`)
 * @property {ValueKind} kind
 * @property {number | bigint} [min]
 * @property {number | bigint} [max]
 */

/** @type {Readonly<Record<DataType, Readonly<DtypeInfo>>>} */
export const DTYPES = Object.freeze({
  float32: Object.freeze({ name: 'float32', array: Float32Array, kind: 'float' }),
  float64: Object.freeze({ name: 'float64', array: Float64Array, kind: 'float' }),
  float16: Object.freeze({ name: 'float16', array: Uint16Array, kind: 'float16' }),
  int8: Object.freeze({ name: 'int8', array: Int8Array, kind: 'int', min: -128, max: 127 }),
  uint8: Object.freeze({ name: 'uint8', array: Uint8Array, kind: 'int', min: 0, max: 255 }),
  int16: Object.freeze({ name: 'int16', array: Int16Array, kind: 'int', min: -32768, max: 32767 }),
  uint16: Object.freeze({ name: 'uint16', array: Uint16Array, kind: 'int', min: 0, max: 65535 }),
  int32: Object.freeze({ name: 'int32', array: Int32Array, kind: 'int', min: -2147483648, max: 2147483647 }),
  uint32: Object.freeze({ name: 'uint32', array: Uint32Array, kind: 'int', min: 0, max: 4294967295 }),
  int64: Object.freeze({ name: 'int64', array: BigInt64Array, kind: 'bigint', min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  uint64: Object.freeze({ name: 'uint64', array: BigUint64Array, kind: 'bigint', min: 0n, max: 2n ** 64n - 1n }),
  bool: Object.freeze({ name: 'bool', array: Uint8Array, kind: 'bool' }),
  string: Object.freeze({ name: 'string', array: Array, kind: 'string' }),
});

/** Every tensor type name, in table order. */
export const DATA_TYPES = /** @type {readonly DataType[]} */ (Object.freeze(Object.keys(DTYPES)));

/**
 * Is `value` one of the tensor type names?
 * @param {unknown} value
 * @returns {value is DataType}
 */
export function isDataType(value) {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, value);
}

/**
 * The typed array's class name (`'Float32Array'`), also for arrays from another realm; undefined otherwise.
 * @param {unknown} data
 * @returns {string | undefined}
 */
export function typedArrayName(data) {
  if (!ArrayBuffer.isView(data) || data instanceof DataView) return undefined;
  return /** @type {any} */ (data)[Symbol.toStringTag];
}

/** Which type a typed array means when no type is given (onnxruntime-web's choice: Uint8Array is uint8, Uint16Array is uint16). */
const INFERRED = Object.freeze({
  Float32Array: 'float32', Float64Array: 'float64', Int8Array: 'int8', Uint8Array: 'uint8',
  Uint8ClampedArray: 'uint8', Int16Array: 'int16', Uint16Array: 'uint16', Int32Array: 'int32',
  Uint32Array: 'uint32', BigInt64Array: 'int64', BigUint64Array: 'uint64', Float16Array: 'float16',
});

/**
 * The tensor type a typed array stands for, or undefined when it is not one we take.
 * @param {unknown} data
 * @returns {DataType | undefined}
 */
export function inferDataType(data) {
  const name = typedArrayName(data);
  return name === undefined ? undefined : /** @type {Record<string, DataType>} */ (INFERRED)[name];
}

/**
 * Half-precision bits of a number, rounding to nearest, ties to even (as numpy's float16 cast).
 * @param {number} value
 * @returns {number}
 */
export function float16FromNumber(value) {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00; // 65504 is the largest half; from 65520 on it rounds to infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 carries into the smallest normal)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  const mantissa = roundHalfEven((a / 2 ** e - 1) * 1024); // 1024 carries into the exponent
  return sign | (((e + 15) << 10) + mantissa);
}

/**
 * The number that half-precision bits stand for.
 * @param {number} bits
 * @returns {number}
 */
export function float16ToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** @param {number} x */
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
