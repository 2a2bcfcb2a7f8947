import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { argumentError, ErrorCode, isOnnxEdgeError, OnnxEdgeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { compactCopy, decodeError, encodeError, encodeFeeds, encodeOutputs } from './protocol.js';

/** Send `value` through a real structured clone (a MessageChannel), moving `transfer`, and get it back. */
function postAndReceive(/** @type {unknown} */ value, /** @type {Transferable[]} */ transfer) {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.addEventListener('message', (event) => {
      port1.close();
      resolve(event.data);
    }, { once: true });
    port2.start();
    port1.postMessage(value, /** @type {any} */ (transfer));
  });
}

describe('tensors as they cross', () => {
  test('by default the caller keeps its buffer: a copy is what moves', async () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    const transfer = new Set();
    const sent = /** @type {{ X: { data: Float32Array } }} */ (encodeFeeds({ X: new Tensor('float32', data, [1, 4]) }, false, transfer));
    assert.notEqual(sent.X.data.buffer, data.buffer);
    const received = /** @type {any} */ (await postAndReceive(sent, [...transfer]));
    assert.equal(data.length, 4, 'the caller\'s array is intact');
    assert.deepEqual([...received.X.data], [1, 2, 3, 4]);
    assert.deepEqual(received.X.dims, [1, 4]);
    assert.equal(received.X.type, 'float32');
  });

  test('with transfer the caller\'s buffer moves (detached here), once even when two inputs share it', async () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    const transfer = new Set();
    const sent = encodeFeeds({ A: new Tensor('float32', data, [4]), B: new Tensor('float32', data, [2, 2]) }, true, transfer);
    assert.equal(transfer.size, 1);
    const received = /** @type {any} */ (await postAndReceive(sent, [...transfer]));
    assert.equal(data.byteLength, 0, 'the caller\'s buffer is detached');
    assert.deepEqual([...received.B.data], [1, 2, 3, 4]);
  });

  test('a view on part of a bigger buffer is copied even with transfer (the rest of the buffer stays usable)', () => {
    const whole = new Float32Array(16).fill(7);
    const part = whole.subarray(4, 8);
    const transfer = new Set();
    const sent = /** @type {{ X: { data: Float32Array } }} */ (encodeFeeds({ X: new Tensor('float32', part, [4]) }, true, transfer));
    assert.notEqual(sent.X.data.buffer, whole.buffer);
    assert.equal(sent.X.data.buffer.byteLength, 16);
    assert.equal(whole.length, 16);
  });

  test('detached input data is INPUT_SHAPE with reason detached, as the session reports it', async () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    await postAndReceive(null, [data.buffer]);
    assert.throws(() => encodeFeeds({ X: new Tensor('float32', Float32Array.from([0]), [1]), Y: { type: 'float32', data, dims: [4] } }, false, new Set()), (error) => {
      assert.ok(isOnnxEdgeError(error));
      assert.equal(error.code, ErrorCode.INPUT_SHAPE);
      assert.equal(error.details.reason, 'detached');
      assert.equal(error.details.input, 'Y');
      return true;
    });
  });

  test('string tensors and other values pass as they are', () => {
    const sent = /** @type {any} */ (encodeFeeds({ S: new Tensor('string', ['a', 'b'], [2]), N: 3 }, true, new Set()));
    assert.deepEqual(sent.S, { type: 'string', data: ['a', 'b'], dims: [2] });
    assert.equal(sent.N, 3);
    assert.equal(encodeFeeds('nope', true, new Set()), 'nope');
  });

  test('outputs always move', () => {
    const transfer = new Set();
    const out = encodeOutputs({ label: new Tensor('int64', BigInt64Array.from([1n, 2n]), [2]) }, transfer);
    assert.equal(transfer.size, 1);
    assert.ok(transfer.has(/** @type {BigInt64Array} */ (out.label.data).buffer));
  });

  test('compactCopy copies a Node Buffer into a Uint8Array of its own', () => {
    const buffer = Buffer.from([1, 2, 3]);
    const copy = compactCopy(buffer);
    assert.equal(Object.getPrototypeOf(copy), Uint8Array.prototype);
    buffer[0] = 9;
    assert.deepEqual([...copy], [1, 2, 3]);
  });
});

describe('errors as they cross', () => {
  test('an OnnxEdgeError comes back with its class, code, message and details', async () => {
    const original = new OnnxEdgeError(ErrorCode.INPUT_SHAPE, 'input "X" takes dims [?,4]', { details: { input: 'X', actual: [1, 3] } });
    const back = decodeError(/** @type {any} */ (await postAndReceive(encodeError(original), [])));
    assert.ok(back instanceof OnnxEdgeError);
    assert.equal(back.code, original.code);
    assert.equal(back.message, original.message);
    assert.deepEqual(back.details, original.details);
  });

  test('a bad-argument TypeError stays a TypeError with its code', async () => {
    const back = decodeError(/** @type {any} */ (await postAndReceive(encodeError(argumentError(ErrorCode.OPTIONS_INVALID, 'options must be an object', { reason: 'number' })), [])));
    assert.ok(back instanceof TypeError);
    assert.equal(/** @type {any} */ (back).code, ErrorCode.OPTIONS_INVALID);
    assert.deepEqual(/** @type {any} */ (back).details, { reason: 'number' });
  });

  test('an error without a code is ENGINE, keeping its message', () => {
    const back = decodeError(encodeError(new RangeError('boom')));
    assert.ok(back instanceof OnnxEdgeError);
    assert.equal(back.code, ErrorCode.ENGINE);
    assert.match(back.message, /boom/);
    assert.equal(decodeError(encodeError('a string')).code, ErrorCode.ENGINE);
  });

  test('a code this package does not know is ENGINE with details.engineCode', () => {
    const back = decodeError({ name: 'OnnxEdgeError', code: 'FUTURE_CODE', message: 'm', details: { a: 1 } });
    assert.equal(back.code, ErrorCode.ENGINE);
    assert.deepEqual(back.details, { a: 1, engineCode: 'FUTURE_CODE' });
  });

  test('details that structured clone refuses still cross (through JSON)', () => {
    const fields = encodeError(new OnnxEdgeError(ErrorCode.MODEL_RUN, 'm', { details: { reason: 'x', hook: () => 1, big: 2n } }));
    assert.deepEqual(structuredClone(fields).details, { reason: 'x', big: '2' });
  });
});
