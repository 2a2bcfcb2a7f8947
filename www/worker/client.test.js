// The worker session end to end in Node: the page side (client.js) and the worker side (host.js, with the real
// engine) talk over a MessageChannel, which clones and transfers as postMessage to a Worker does. The real module
// Worker runs in Chromium: tests/e2e/worker.test.js.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ErrorCode, InferenceSession, isOnnxEdgeError, OnnxEdgeError, Telemetry, Tensor } from '../index.js';
import { buildFeeds, compareOutputs, loadIrisCase, loadModel } from '../test-support/fixtures.js';
import { connectSession, createWorkerSession } from './client.js';
import { serveSession } from './host.js';

/** @typedef {import('../test-support/fixtures.js').FixtureCase} FixtureCase */

/**
 * A worker session whose "worker" is a host on the other end of a MessageChannel.
 * @param {import('../session.js').ModelSource} source
 * @param {import('./client.js').WorkerSessionOptions} [options]
 */
function connect(source, options) {
  const { port1, port2 } = new MessageChannel();
  serveSession(/** @type {any} */ (port2));
  const closed = { count: 0 };
  const session = connectSession(/** @type {any} */ (port1), () => {
    closed.count += 1;
    port1.close();
  }, source, options);
  return { session, closed };
}

/**
 * What a call settles with: the outputs, or the error's class and fields.
 * @param {Promise<unknown>} promise
 */
async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const e = /** @type {any} */ (error);
    return { ok: false, isOnnxEdgeError: e instanceof OnnxEdgeError, isTypeError: e instanceof TypeError, code: e.code, message: e.message, details: e.details };
  }
}

/** @type {FixtureCase} */
let iris;
/** @type {Uint8Array} */
let bytes;
/** The same model on this thread, for the errors the worker must reproduce. @type {InferenceSession} */
let direct;

before(async () => {
  iris = await loadIrisCase();
  const model = await loadModel(iris);
  assert.ok(model.bytes, model.skip);
  bytes = model.bytes;
  direct = await InferenceSession.create(bytes);
});

after(async () => {
  await direct?.release();
});

describe('a worker session on iris', () => {
  test('predicts as the onnxruntime reference, with the names and metadata of the model', async () => {
    const { session: pending, closed } = connect(bytes);
    const session = await pending;
    assert.deepEqual([...session.inputNames], Object.keys(iris.runs[0].inputs));
    assert.deepEqual([...session.outputNames].sort(), Object.keys(iris.runs[0].outputs).sort());
    assert.deepEqual(session.metadata, direct.metadata);
    assert.deepEqual(session.inputMetadata, direct.inputMetadata);
    assert.deepEqual(session.warnings, direct.warnings);
    for (const [i, run] of iris.runs.entries()) {
      const outputs = await session.run(buildFeeds(Tensor, run.inputs));
      assert.ok(Object.values(outputs).every((t) => t instanceof Tensor), 'outputs are Tensors');
      const { failures } = compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact);
      assert.deepEqual(failures, [], `run ${i}`);
    }
    const label = await session.run(buildFeeds(Tensor, iris.runs[0].inputs), ['label']);
    assert.deepEqual(Object.keys(label), ['label']);
    const byObject = await session.run(buildFeeds(Tensor, iris.runs[0].inputs), { label: null });
    assert.deepEqual(Object.keys(byObject), ['label']);
    await session.release();
    assert.equal(closed.count, 1, 'release ends the worker');
  });

  test('errors come back as the session throws them (class, code, message, details), and the session still works', async () => {
    const session = await connect(bytes).session;
    const good = buildFeeds(Tensor, iris.runs[0].inputs);
    const [input] = session.inputNames;
    const bad = [
      { [input]: new Tensor('float32', new Float32Array(3), [1, 3]) }, // INPUT_SHAPE
      { [input]: { type: 'float32', data: new Int32Array(4), dims: [1, 4] } }, // INPUT_DTYPE
      { ...good, extra: good[input] }, // INPUT_UNKNOWN
      {}, // INPUT_MISSING
      /** @type {any} */ ('not feeds'), // INPUT_MISSING as a TypeError
    ];
    for (const feeds of bad) {
      const viaWorker = await outcome(session.run(feeds));
      const here = await outcome(direct.run(feeds));
      assert.equal(here.ok, false);
      assert.deepEqual(viaWorker, here);
    }
    const wrongFetch = await outcome(session.run(good, ['nope']));
    assert.deepEqual(wrongFetch, await outcome(direct.run(good, ['nope'])));
    assert.equal(wrongFetch.code, ErrorCode.OUTPUT_UNKNOWN);
    const { failures } = compareOutputs(await session.run(good), iris.runs[0].outputs, iris.tolerance, iris.exact);
    assert.deepEqual(failures, []);
    await session.release();
  });

  test('calls made together are answered in call order, a failing one in its place', async () => {
    const session = await connect(bytes).session;
    const good = () => buildFeeds(Tensor, iris.runs[0].inputs);
    /** @type {string[]} */
    const settled = [];
    const calls = [
      session.run(good()).then(() => settled.push('a')),
      session.run({}).catch(() => settled.push('b (failed)')),
      session.run(good()).then(() => settled.push('c')),
      session.release().then(() => settled.push('release')),
    ];
    const late = await outcome(session.run(good()));
    await Promise.all(calls);
    assert.deepEqual(settled, ['a', 'b (failed)', 'c', 'release']);
    assert.equal(late.code, ErrorCode.RELEASED, 'a run after release is RELEASED');
    assert.equal((await outcome(session.run(good()))).code, ErrorCode.RELEASED);
    await session.release(); // again: nothing
  });

  test('by default the caller keeps its model bytes and input buffers', async () => {
    const mine = new Uint8Array(bytes);
    const session = await connect(mine).session;
    assert.equal(mine.byteLength, bytes.byteLength);
    const feeds = buildFeeds(Tensor, iris.runs[0].inputs);
    const data = /** @type {Float32Array} */ (feeds[session.inputNames[0]].data);
    const before = [...data];
    await session.run(feeds);
    assert.deepEqual([...data], before);
    await session.run(feeds); // the same tensors again
    await session.release();
  });

  test('with transfer: true the model bytes and input buffers move (detached here); reusing them is INPUT_SHAPE detached', async () => {
    const mine = new Uint8Array(bytes);
    const session = await connect(mine, { transfer: true }).session;
    assert.equal(mine.byteLength, 0, 'the model bytes moved');
    const run = iris.runs[0];
    const feeds = buildFeeds(Tensor, run.inputs);
    const data = /** @type {Float32Array} */ (feeds[session.inputNames[0]].data);
    const outputs = await session.run(feeds);
    assert.equal(data.byteLength, 0, 'the input buffer moved');
    assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
    const again = await outcome(session.run(feeds));
    assert.equal(again.code, ErrorCode.INPUT_SHAPE);
    assert.equal(again.details.reason, 'detached');
    await session.release();
  });

  test('telemetry stays on this thread and records the worker\'s runs (rows predicted)', async () => {
    const telemetry = new Telemetry();
    const session = await connect(new Uint8Array(bytes), { telemetry, model: { name: 'iris', version: '1.0.0' }, transfer: true }).session;
    assert.deepEqual(session.model, { name: 'iris', version: '1.0.0' });
    const feeds = buildFeeds(Tensor, iris.runs[0].inputs);
    const data = /** @type {Float32Array} */ (feeds[session.inputNames[0]].data);
    await session.run(feeds);
    assert.ok(data.byteLength > 0, 'with telemetry the inputs are copied (telemetry reads them after the run)');
    await outcome(session.run({}));
    const series = telemetry.snapshot().models.find((m) => m.model === 'iris');
    assert.ok(series, JSON.stringify(telemetry.snapshot().models));
    assert.equal(series.runs, 1);
    assert.equal(series.predictions, iris.runs[0].inputs[session.inputNames[0]].dims[0]);
    assert.deepEqual(series.errors, { [ErrorCode.INPUT_MISSING]: 1 });
    await session.release();
    await telemetry.close();
  });
});

describe('making a worker session', () => {
  test('a model that does not parse is MODEL_PARSE, and the worker is ended', async () => {
    const { session, closed } = connect(new Uint8Array([1, 2, 3]));
    const result = await outcome(session);
    assert.equal(result.code, ErrorCode.MODEL_PARSE);
    assert.equal(result.isOnnxEdgeError, true);
    assert.equal(closed.count, 1);
  });

  test('options: not an object, a telemetry that is not one, or not structured-cloneable are OPTIONS_INVALID TypeErrors', async () => {
    for (const options of [/** @type {any} */ (5), { telemetry: {} }, { inputShapes: { X: [() => 1] } }]) {
      const { session, closed } = connect(bytes, /** @type {any} */ (options));
      const result = await outcome(session);
      assert.equal(result.isTypeError, true, JSON.stringify(result));
      assert.equal(result.code, ErrorCode.OPTIONS_INVALID);
      assert.equal(closed.count, 1);
    }
  });

  test('a source that is no source is FETCH, as for InferenceSession', async () => {
    const viaWorker = await outcome(connect(/** @type {any} */ (42)).session);
    assert.deepEqual(viaWorker, await outcome(InferenceSession.create(/** @type {any} */ (42))));
    assert.equal(viaWorker.code, ErrorCode.FETCH);
  });

  test('a Response is read on this thread (with progress) and its bytes sent', async () => {
    /** @type {{ loaded: number, total?: number }[]} */
    const progress = [];
    const response = new Response(/** @type {Uint8Array<ArrayBuffer>} */ (new Uint8Array(bytes)), { headers: { 'content-length': String(bytes.byteLength) } });
    const session = await connect(response, { onProgress: (p) => progress.push(p) }).session;
    assert.equal(progress.at(-1)?.loaded, bytes.byteLength);
    assert.equal(progress.at(-1)?.total, bytes.byteLength);
    const { failures } = compareOutputs(await session.run(buildFeeds(Tensor, iris.runs[1].inputs)), iris.runs[1].outputs, iris.tolerance, iris.exact);
    assert.deepEqual(failures, []);
    await session.release();
  });

  test('without a global Worker (Node), createWorkerSession is ENGINE naming what is missing', { skip: typeof Worker === 'function' && 'this runtime has Worker' }, async () => {
    await assert.rejects(createWorkerSession(bytes), (error) => {
      assert.ok(isOnnxEdgeError(error));
      assert.equal(error.code, ErrorCode.ENGINE);
      assert.deepEqual(error.details, { reason: 'no-worker', missing: 'Worker' });
      assert.match(error.message, /Worker/);
      return true;
    });
  });
});
