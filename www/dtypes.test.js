import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DATA_TYPES, DTYPES, float16FromNumber, float16ToNumber, inferDataType, isDataType,
} from './dtypes.js';
import { buildFeeds, loadCase, loadIndex, loadModel } from './test-support/fixtures.js';

describe('the dtype table', () => {
  test('has the thirteen onnxruntime-web types, each with its array (typed, or Array for string)', () => {
    assert.deepEqual([...DATA_TYPES], [
      'float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool',
      'string',
    ]);
    const arrays = Object.fromEntries(DATA_TYPES.map((t) => [t, DTYPES[t].array.name]));
    assert.deepEqual(arrays, {
      float32: 'Float32Array', float64: 'Float64Array', float16: 'Uint16Array', int8: 'Int8Array',
      uint8: 'Uint8Array', int16: 'Int16Array', uint16: 'Uint16Array', int32: 'Int32Array',
      uint32: 'Uint32Array', int64: 'BigInt64Array', uint64: 'BigUint64Array', bool: 'Uint8Array', string: 'Array',
    });
    assert.ok(Object.isFrozen(DTYPES));
    for (const type of DATA_TYPES) {
      assert.ok(Object.isFrozen(DTYPES[type]), `${type} entry is frozen`);
      assert.equal(DTYPES[type].name, type);
      assert.equal(DTYPES[type].kind === 'string', type === 'string', `${type}: only string has kind string`);
    }
  });

  test('integer ranges match the typed arrays', () => {
    for (const type of DATA_TYPES) {
      const { array, kind, min, max } = DTYPES[type];
      if (kind !== 'int' && kind !== 'bigint') continue;
      const a = /** @type {any} */ (new array(2));
      a[0] = min;
      a[1] = max;
      assert.equal(a[0], min, `${type} min`);
      assert.equal(a[1], max, `${type} max`);
    }
  });

  test('isDataType and inferDataType', () => {
    for (const type of DATA_TYPES) assert.ok(isDataType(type));
    for (const other of ['String', 'str', 'float', '', 'toString', 'constructor']) assert.equal(isDataType(other), false);
    assert.equal(isDataType('string'), true);
    assert.equal(inferDataType(new Uint8Array(1)), 'uint8');
    assert.equal(inferDataType(new Uint16Array(1)), 'uint16');
    assert.equal(inferDataType(new BigUint64Array(1)), 'uint64');
    assert.equal(inferDataType(new DataView(new ArrayBuffer(1))), undefined);
    assert.equal(inferDataType([1]), undefined);
    assert.equal(inferDataType(['a']), undefined); // arrays are Tensor's business: inferDataType reads typed arrays
  });
});

describe('float16 conversion', () => {
  test('every non-NaN bit pattern round-trips', () => {
    for (let bits = 0; bits < 0x10000; bits += 1) {
      const value = float16ToNumber(bits);
      if (Number.isNaN(value)) continue;
      assert.equal(float16FromNumber(value), bits, `bits 0x${bits.toString(16)}`);
    }
  });

  test('rounds to nearest, ties to even', () => {
    /** @type {[number, number][]} */
    const cases = [
      [0.1, 0x2e66], [1 / 3, 0x3555], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02],
      [65519, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-1e6, 0xfc00], [2 ** -25, 0x0000],
      [2 ** -25 * 1.0001, 0x0001], [3 * 2 ** -25, 0x0002], [-0, 0x8000], [NaN, 0x7e00],
    ];
    for (const [value, bits] of cases) assert.equal(float16FromNumber(value), bits, String(value));
  });
});

describe('every dtype round-trips through the identity_all_dtypes fixture', async () => {
  const names = (await loadIndex()).map((/** @type {{ name: string }} */ entry) => entry.name);
  const present = names.includes('identity_all_dtypes');
  test('the fixture is listed', () => assert.ok(present, 'tests/fixtures/cases/index.json has no identity_all_dtypes case'));
  if (!present) return;
  const fixture = await loadCase('identity_all_dtypes');
  const model = await loadModel(fixture);
  const { InferenceSession, Tensor } = await import('./index.js');

  for (const [index, run] of fixture.runs.entries()) {
    test(`run ${index}`, { skip: model.skip }, async () => {
      const session = await InferenceSession.create(/** @type {Uint8Array} */ (model.bytes), fixture.options ?? {});
      try {
        const outputs = await session.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
        const seen = new Set();
        for (const [name, want] of Object.entries(run.outputs)) {
          const got = outputs[name];
          assert.ok(got, `output ${name} is missing`);
          assert.equal(got.type, want.type, `${name}: type`);
          assert.deepEqual([...got.dims], want.dims, `${name}: dims`);
          const expected = Array.from(buildFeeds(Tensor, { [name]: want })[name].data);
          assert.deepEqual([...got.data], expected, `${name}: values`);
          seen.add(want.type);
        }
        // string: the fixture generator does not emit a string Identity yet; until it does, session.test.js
        // ("string tensors") round-trips strings through its own Identity model.
        const missing = DATA_TYPES.filter((t) => !seen.has(t) && t !== 'string');
        if (index === 0) assert.deepEqual(missing, [], `dtypes the fixture does not cover: ${missing.join(', ')}`);
      } finally {
        await session.release();
      }
    });
  }
});
