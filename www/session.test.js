import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { InferenceSession, Tensor, isOnnxEdgeError } from './index.js';
import {
  buildFeeds, compareOutputs, loadCase, loadIndex, loadIrisCase, loadModel, runCase,
} from './test-support/fixtures.js';

/** Tags whose cases must match their references. */
const MUST_PASS = ['issue2', 'silero', 'dtype'];

/** @param {Record<string, number>} maxAbs */
function formatMaxAbs(maxAbs) {
  return Object.entries(maxAbs).map(([name, value]) => `${name} ${value.toExponential(2)}`).join(', ');
}

describe('fixture cases match their references', async () => {
  const index = await loadIndex();
  for (const entry of index) {
    const fixture = await loadCase(entry.name);
    const required = fixture.tags.some((tag) => MUST_PASS.includes(tag));
    const issue2 = fixture.tags.includes('issue2');
    if (fixture.expect_error !== undefined) {
      test(`${entry.name} is refused with ${fixture.expect_error}`, async (t) => {
        const model = await loadModel(fixture);
        if (model.skip !== undefined) return t.skip(model.skip);
        await assert.rejects(InferenceSession.create(model.bytes, fixture.options ?? {}), (error) => {
          assert.ok(isOnnxEdgeError(error), `not an OnnxEdgeError: ${String(error)}`);
          assert.equal(error.code, fixture.expect_error);
          return true;
        });
      });
      continue;
    }
    if (fixture.runs.length === 0) continue;
    test(`${entry.name} [${fixture.tags.join(' ')}]${required ? '' : ' (optional tags)'}`, async (t) => {
      const model = await loadModel(fixture);
      if (model.skip !== undefined) return t.skip(model.skip);
      let result;
      try {
        result = await runCase(InferenceSession, Tensor, fixture, model.bytes);
      } catch (error) {
        if (isOnnxEdgeError(error) && error.code === 'MODEL_UNSUPPORTED_OP' && !issue2) {
          t.todo(`unsupported op ${JSON.stringify(error.details)}`);
        }
        throw error;
      }
      t.diagnostic(`max abs error: ${formatMaxAbs(result.maxAbs)}`);
      assert.deepEqual(result.failures, [], result.failures.join('\n'));
    });
  }
});

describe('InferenceSession on iris', () => {
  /** @type {import('./test-support/fixtures.js').FixtureCase} */
  let iris;
  /** @type {Uint8Array} */
  let bytes;
  /** @type {InferenceSession} */
  let session;

  before(async () => {
    iris = await loadIrisCase();
    const model = await loadModel(iris);
    assert.ok(model.bytes, model.skip);
    bytes = model.bytes;
    session = await InferenceSession.create(bytes);
  });

  test('names and metadata as onnxruntime-web gives them', () => {
    const run = iris.runs[0];
    assert.deepEqual([...session.inputNames], Object.keys(run.inputs));
    assert.deepEqual([...session.outputNames].sort(), Object.keys(run.outputs).sort());
    for (const meta of [...session.inputMetadata, ...session.outputMetadata]) {
      assert.equal(typeof meta.name, 'string');
      assert.equal(meta.isTensor, true);
      assert.ok(Array.isArray(meta.shape));
    }
    const input = session.inputMetadata[0];
    assert.equal(input.type, run.inputs[input.name].type);
    assert.equal(input.shape.length, run.inputs[input.name].dims.length);
    assert.equal(typeof session.metadata.producerName, 'string');
    assert.equal(typeof session.metadata.irVersion, 'number');
    assert.ok(session.metadata.opsets.length > 0);
    assert.ok(Array.isArray(session.warnings));
    assert.ok(Object.isFrozen(session.inputNames));
  });

  test('every run matches, and outputs do not change when the session runs again', async () => {
    /** @type {{ outputs: Record<string, any>, expected: Record<string, any> }[]} */
    const results = [];
    for (const run of iris.runs) {
      results.push({ outputs: await session.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs))), expected: run.outputs });
    }
    for (const { outputs, expected } of results) {
      const { failures, maxAbs } = compareOutputs(outputs, expected, iris.tolerance, iris.exact);
      assert.deepEqual(failures, [], `max abs ${formatMaxAbs(maxAbs)}`);
      for (const tensor of Object.values(outputs)) assert.ok(tensor instanceof Tensor);
    }
  });

  test('fetches: an array of names, an object keyed by name, or none', async () => {
    const run = iris.runs[0];
    const feeds = /** @type {any} */ (buildFeeds(Tensor, run.inputs));
    const [first, ...rest] = session.outputNames;
    assert.deepEqual(Object.keys(await session.run(feeds, [first])), [first]);
    assert.deepEqual(Object.keys(await session.run(feeds, { [first]: null })), [first]);
    assert.deepEqual(Object.keys(await session.run(feeds, { logSeverityLevel: 2 })).sort(), [first, ...rest].sort());
  });

  test('concurrent runs are all answered, in order, correctly', async () => {
    const runs = Array.from({ length: 24 }, (_, i) => iris.runs[i % iris.runs.length]);
    const answers = await Promise.all(runs.map((run) => session.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)))));
    answers.forEach((outputs, i) => {
      const { failures } = compareOutputs(outputs, runs[i].outputs, iris.tolerance, iris.exact);
      assert.deepEqual(failures, []);
    });
  });

  test('several sessions on the same model live side by side', async () => {
    const others = await Promise.all([InferenceSession.create(bytes), InferenceSession.create(bytes.buffer.slice(0))]);
    try {
      for (const other of others) {
        const run = iris.runs[0];
        const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
        assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
      }
    } finally {
      await Promise.all(others.map((other) => other.release()));
    }
  });

  test('the model bytes are copied: changing the caller\'s array later changes nothing', async () => {
    const mine = bytes.slice();
    const other = await InferenceSession.create(mine);
    mine.fill(0);
    const run = iris.runs[0];
    const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
    assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
    await other.release();
  });

  test('onnxruntime-web tensors are accepted as feeds', async () => {
    const { Tensor: OrtTensor } = await import('onnxruntime-common');
    const run = iris.runs[0];
    const feeds = buildFeeds(/** @type {any} */ (OrtTensor), run.inputs);
    const outputs = await session.run(/** @type {any} */ (feeds));
    assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
  });

  test('a session loads from a file path, a file URL and a Response', async () => {
    const { modelLocation } = await import('./test-support/fixtures.js');
    const { pathToFileURL } = await import('node:url');
    const file = /** @type {string} */ (modelLocation(iris.model).path);
    const sources = [file, pathToFileURL(file), new Response(bytes.slice())];
    for (const source of sources) {
      const other = await InferenceSession.create(source);
      const run = iris.runs[0];
      const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
      assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
      await other.release();
    }
  });

  test('release frees once; Symbol.dispose and Symbol.asyncDispose release where the runtime has them', async () => {
    const other = await InferenceSession.create(bytes);
    await other.release();
    await other.release();
    const anySymbol = /** @type {any} */ (Symbol);
    for (const key of ['dispose', 'asyncDispose']) {
      if (typeof anySymbol[key] !== 'symbol') continue;
      const disposable = /** @type {any} */ (await InferenceSession.create(bytes));
      await disposable[anySymbol[key]]();
      await assert.rejects(disposable.run({}), { code: 'RELEASED' });
    }
  });

  test('new InferenceSession() is refused', () => {
    assert.throws(() => new /** @type {any} */ (InferenceSession)(), TypeError);
  });
});
