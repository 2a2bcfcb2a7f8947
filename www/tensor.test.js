import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DATA_TYPES, DTYPES } from './dtypes.js';
import { ErrorCode } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * A plain array of valid values for each type (4 elements).
 * @type {Record<import('./dtypes.js').DataType, readonly (number | bigint | boolean | string)[]>}
 */
const PLAIN = {
  float32: [0, 1.5, -2, NaN],
  float64: [0, 1.5, -2, Infinity],
  float16: [0, 1.5, -2, 65504],
  int8: [-128, 0, 1, 127],
  uint8: [0, 1, 200, 255],
  int16: [-32768, 0, 1, 32767],
  uint16: [0, 1, 40000, 65535],
  int32: [-2147483648, 0, 1, 2147483647],
  uint32: [0, 1, 3000000000, 4294967295],
  int64: [-(2n ** 63n), 0, Number.MAX_SAFE_INTEGER, 2n ** 63n - 1n],
  uint64: [0, 1n, Number.MAX_SAFE_INTEGER, 2n ** 64n - 1n],
  bool: [true, false, 1, 0],
  string: ['', 'a', 'é😀', 'long '.repeat(100)],
};

/**
 * A value of the wrong kind or out of range for each type.
 * @type {Record<import('./dtypes.js').DataType, unknown>}
 */
const BAD_VALUE = {
  float32: 'x', float64: null, float16: '1',
  int8: 128, uint8: -1, int16: 1.5, uint16: 65536, int32: 2 ** 31, uint32: -1,
  int64: Number.MAX_SAFE_INTEGER + 1, uint64: -1, bool: 2, string: 1,
};

/**
 * Valid data of `length` elements in the type's own array (zeros; empty strings for `string`).
 * @param {import('./dtypes.js').DataType} type
 * @param {number} length
 */
function blank(type, length) {
  return DTYPES[type].kind === 'string' ? new Array(length).fill('') : new DTYPES[type].array(length);
}

/**
 * @param {() => unknown} fn
 * @param {string} code
 */
function throwsTypeError(fn, code) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    assert.equal(/** @type {any} */ (error).code, code);
    return true;
  });
}

describe('Tensor over the dtype table', () => {
  for (const type of DATA_TYPES) {
    const { array } = DTYPES[type];
    /** @param {number} length */
    const fresh = (length) => /** @type {any} */ (blank(type, length));
    describe(type, () => {
      test('type, data, dims as given; typed array kept, not copied', () => {
        const data = fresh(6);
        const t = new Tensor(type, data, [2, 3]);
        assert.equal(t.type, type);
        assert.equal(t.data, data);
        assert.deepEqual(t.dims, [2, 3]);
        assert.equal(t.size, 6);
        assert.ok(Object.isFrozen(t.dims));
      });

      test('dims default to [length]', () => {
        const t = new Tensor(type, fresh(5));
        assert.deepEqual(t.dims, [5]);
        assert.equal(t.size, 5);
      });

      test('scalar and empty tensors', () => {
        assert.equal(new Tensor(type, fresh(1), []).size, 1);
        assert.equal(new Tensor(type, fresh(0), [0, 3]).size, 0);
      });

      test('a plain array is converted to the table\'s typed array (kept as is for string)', () => {
        const plain = PLAIN[type];
        const t = new Tensor(type, /** @type {any} */ (plain), [2, 2]);
        assert.equal(Object.prototype.toString.call(t.data), `[object ${array.name}]`);
        assert.equal(t.data.length, 4);
        if (DTYPES[type].kind === 'string') assert.equal(t.data, plain);
        else assert.notEqual(/** @type {unknown} */ (t.data), plain);
      });

      test('a value of the wrong kind or out of range is INPUT_DTYPE', () => {
        throwsTypeError(() => new Tensor(type, /** @type {any} */ ([BAD_VALUE[type]]), [1]), ErrorCode.INPUT_DTYPE);
        throwsTypeError(() => new Tensor(type, /** @type {any} */ ([...PLAIN[type], BAD_VALUE[type]]), [5]), ErrorCode.INPUT_DTYPE);
      });

      test('a typed array of another kind is INPUT_DTYPE', () => {
        const other = /** @type {unknown} */ (array) === Float64Array ? Int32Array : Float64Array;
        throwsTypeError(() => new Tensor(type, /** @type {any} */ (new other(2)), [2]), ErrorCode.INPUT_DTYPE);
      });

      test('dims that do not match the data, or are not non-negative integers, are INPUT_SHAPE', () => {
        throwsTypeError(() => new Tensor(type, fresh(6), [4]), ErrorCode.INPUT_SHAPE);
        throwsTypeError(() => new Tensor(type, fresh(6), [2, -3]), ErrorCode.INPUT_SHAPE);
        throwsTypeError(() => new Tensor(type, fresh(6), [2, 1.5]), ErrorCode.INPUT_SHAPE);
        throwsTypeError(() => new Tensor(type, fresh(6), /** @type {any} */ ('6')), ErrorCode.INPUT_SHAPE);
        throwsTypeError(() => new Tensor(type, fresh(6), /** @type {any} */ ([2, '3'])), ErrorCode.INPUT_SHAPE);
      });

      test('reshape shares the data', () => {
        const t = new Tensor(type, fresh(6), [2, 3]);
        const r = t.reshape([3, 2]);
        assert.equal(r.data, t.data);
        assert.deepEqual(r.dims, [3, 2]);
        throwsTypeError(() => t.reshape([4]), ErrorCode.INPUT_SHAPE);
      });
    });
  }
});

describe('type inferred from the data', () => {
  /** @type {[unknown, string][]} */
  const cases = [
    [new Float32Array(2), 'float32'], [new Float64Array(2), 'float64'], [new Int8Array(2), 'int8'],
    [new Uint8Array(2), 'uint8'], [new Int16Array(2), 'int16'], [new Uint16Array(2), 'uint16'],
    [new Int32Array(2), 'int32'], [new Uint32Array(2), 'uint32'], [new BigInt64Array(2), 'int64'],
    [new BigUint64Array(2), 'uint64'], [[1, 2], 'float32'], [[true, false], 'bool'], [[1n, 2n], 'int64'],
    [['a', 'b'], 'string'],
  ];
  for (const [data, type] of cases) {
    test(`${Object.prototype.toString.call(data).slice(8, -1)} of ${type}`, () => {
      const t = new Tensor(/** @type {any} */ (data), [2]);
      assert.equal(t.type, type);
      assert.deepEqual(t.dims, [2]);
    });
  }

  test('something that is not data is INPUT_DTYPE', () => {
    throwsTypeError(() => new Tensor(/** @type {any} */ ({ length: 2 }), [2]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor(/** @type {any} */ (new DataView(new ArrayBuffer(4))), [4]), ErrorCode.INPUT_DTYPE);
  });

  test('an unknown type name is INPUT_DTYPE', () => {
    throwsTypeError(() => new Tensor(/** @type {any} */ ('str'), ['a'], [1]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor(/** @type {any} */ ('String'), ['a'], [1]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor(/** @type {any} */ ('float'), new Float32Array(1), [1]), ErrorCode.INPUT_DTYPE);
  });
});

describe('int64 and uint64 from plain numbers', () => {
  test('safe integers are taken and become bigints', () => {
    const t = new Tensor('int64', [-Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER], [3]);
    assert.deepEqual([...t.data], [-(2n ** 53n - 1n), 0n, 2n ** 53n - 1n]);
  });

  for (const value of [2 ** 53, -(2 ** 53), 1.5, NaN, Infinity]) {
    test(`${value} is not a safe integer: INPUT_DTYPE`, () => {
      throwsTypeError(() => new Tensor('int64', [value], [1]), ErrorCode.INPUT_DTYPE);
      throwsTypeError(() => new Tensor('uint64', [Math.abs(value)], [1]), ErrorCode.INPUT_DTYPE);
    });
  }

  test('bigints outside the type\'s range are INPUT_DTYPE', () => {
    throwsTypeError(() => new Tensor('int64', [2n ** 63n], [1]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor('uint64', [-1n], [1]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor('uint64', [2n ** 64n], [1]), ErrorCode.INPUT_DTYPE);
  });
});

describe('float16 and bool', () => {
  test('float16 numbers are stored as half-precision bits', () => {
    const t = new Tensor('float16', [1, -2, 0.5, 65504], [4]);
    assert.deepEqual([...t.data], [0x3c00, 0xc000, 0x3800, 0x7bff]);
  });

  test('a Float16Array, where the runtime has one, keeps its bits', { skip: typeof (/** @type {any} */ (globalThis).Float16Array) !== 'function' && 'no Float16Array here' }, () => {
    const F16 = /** @type {any} */ (globalThis).Float16Array;
    const t = new Tensor('float16', new F16([1, 2]), [2]);
    assert.deepEqual([...t.data], [0x3c00, 0x4000]);
  });

  test('bool takes booleans or 0/1 and stores 0/1', () => {
    assert.deepEqual([...new Tensor('bool', [true, false, 1, 0], [4]).data], [1, 0, 1, 0]);
  });
});

describe('string', () => {
  test('as onnxruntime-web: new Tensor(\'string\', [...], dims) and new Tensor([...]) keep the array', () => {
    const labels = ['cat', 'dog', '', 'ünïcödé'];
    const t = new Tensor('string', labels, [2, 2]);
    assert.equal(t.type, 'string');
    assert.equal(t.data, labels);
    assert.deepEqual(t.dims, [2, 2]);
    assert.equal(t.size, 4);
    const inferred = new Tensor(['a', 'b', 'c']);
    assert.equal(inferred.type, 'string');
    assert.deepEqual(inferred.dims, [3]);
    assert.equal(t.reshape([4]).data, labels);
  });

  test('every element must be a string: INPUT_DTYPE with the index', () => {
    for (const bad of [1, null, undefined, true, 1n, ['a'], new String('a'), { toString: () => 'a' }]) {
      assert.throws(() => new Tensor('string', /** @type {any} */ (['ok', bad]), [2]), (error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(/** @type {any} */ (error).code, ErrorCode.INPUT_DTYPE);
        assert.equal(/** @type {any} */ (error).details.index, 1);
        return true;
      });
    }
    throwsTypeError(() => new Tensor(/** @type {any} */ (['a', 2]), [2]), ErrorCode.INPUT_DTYPE);
  });

  test('a sparse array (holes are not strings) is INPUT_DTYPE', () => {
    throwsTypeError(() => new Tensor('string', new Array(2), [2]), ErrorCode.INPUT_DTYPE);
    throwsTypeError(() => new Tensor('string', /** @type {any} */ (['a', , 'c']), [3]), ErrorCode.INPUT_DTYPE); // eslint-disable-line no-sparse-arrays
  });

  test('data that is not an array of strings is INPUT_DTYPE', () => {
    for (const bad of ['ab', new Uint8Array(2), { length: 2, 0: 'a', 1: 'b' }, new Set(['a', 'b'])]) {
      throwsTypeError(() => new Tensor('string', /** @type {any} */ (bad), [2]), ErrorCode.INPUT_DTYPE);
    }
  });

  test('a string array is not data for a number type', () => {
    for (const type of /** @type {const} */ (['float32', 'int64', 'bool', 'float16'])) {
      throwsTypeError(() => new Tensor(type, /** @type {any} */ (['1', '2']), [2]), ErrorCode.INPUT_DTYPE);
    }
  });
});
