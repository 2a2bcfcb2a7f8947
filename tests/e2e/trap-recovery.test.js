// Trap recovery end to end (issue 18), in Node against www/dist: real traps of the wasm instance (a tract panic on
// a OneHot index past its depth, at run time and while loading: tract-core 0.23.9 one_hot.rs:89) are answered with
// ENGINE; the instance is
// replaced at once, announced on `engineEvents` and counted in telemetry; every other live session keeps
// predicting what onnxruntime predicted, including runs that were queued when the trap happened. Also the planned
// replacement when a run leaves wasm memory past limits.maxWasmMemoryBytes.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { InferenceSession, Telemetry, Tensor, isOnnxEdgeError } from '../../www/index.js';
import { engineEvents, engineResetCount, liveEngine } from '../../www/init.js';
import { FIXTURES, REPO, buildFeeds, compareOutputs, loadIrisCase, loadModel } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

const BAD = path.join(FIXTURES, 'bad');

/** @typedef {{ inputs: Record<string, any>, outputs: Record<string, any> }} Run */

/**
 * @param {InferenceSession} session
 * @param {Run[]} runs
 */
async function predicts(session, runs) {
  for (const [i, run] of runs.entries()) {
    const out = await session.run(buildFeeds(Tensor, run.inputs));
    assert.deepEqual(compareOutputs(out, run.outputs, { atol: 1e-4, rtol: 1e-4 }).failures, [], `run ${i}`);
  }
}

/**
 * The next `reset` event, or a failure after `ms`.
 * @param {number} [ms]
 * @returns {Promise<{ generation: number, reason: string, resets: number }>}
 */
function nextReset(ms = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      engineEvents.removeEventListener('reset', listener);
      reject(new Error(`no reset event in ${ms} ms`));
    }, ms);
    /** @param {Event} event */
    const listener = (event) => {
      clearTimeout(timer);
      engineEvents.removeEventListener('reset', listener);
      resolve(/** @type {any} */ (event));
    };
    engineEvents.addEventListener('reset', listener);
  });
}

/**
 * @param {Promise<unknown>} promise
 * @returns {Promise<any>}
 */
async function engineError(promise) {
  let caught;
  await assert.rejects(promise, (error) => {
    caught = error;
    return true;
  });
  assert.ok(isOnnxEdgeError(caught), `not an OnnxEdgeError: ${String(caught)}`);
  return caught;
}

describe('trap recovery', () => {
  /** @type {import('../../www/test-support/fixtures.js').FixtureCase} */
  let iris;
  /** @type {Uint8Array} */
  let irisBytes;
  /** @type {Record<string, { runs: Run[] }>} */
  let references;
  /** @type {InferenceSession} */
  let irisSession;
  /** @type {InferenceSession} */
  let nested;
  /** @type {InferenceSession} */
  let onehot;
  const telemetry = new Telemetry();

  before(async () => {
    iris = await loadIrisCase();
    irisBytes = /** @type {Uint8Array} */ ((await loadModel(iris)).bytes);
    references = JSON.parse(await readFile(path.join(BAD, 'references.json'), 'utf8'));
    const bad = async (/** @type {string} */ name) => new Uint8Array(await readFile(path.join(BAD, `${name}.onnx`)));
    irisSession = await InferenceSession.create(irisBytes, { telemetry, model: { name: 'iris', version: '1' } });
    nested = await InferenceSession.create(await bad('nested_if_8'));
    onehot = await InferenceSession.create(await bad('onehot_input_index'));
  });

  after(async () => {
    await Promise.all([irisSession?.release(), nested?.release(), onehot?.release()]);
  });

  test('a panic at run time: ENGINE for that call, a reset event, and every live session (the trapping one too) predicts', async () => {
    await predicts(onehot, references.onehot_input_index.runs);
    const before = await liveEngine();
    const resetsBefore = engineResetCount();
    const reset = nextReset();
    // Runs queued on other sessions around the trapping call must all be answered, and answered right.
    const queued = Array.from({ length: 8 }, () => predicts(irisSession, iris.runs));
    const trap = engineError(onehot.run({ x: new Tensor('float32', [1], []), i: new Tensor('int64', [9n], [1]) }));
    queued.push(predicts(nested, references.nested_if_8.runs));
    const error = await trap;
    assert.equal(error.code, 'ENGINE');
    assert.equal(error.details.trap, true);
    assert.ok(error.cause instanceof WebAssembly.RuntimeError);
    const event = await reset;
    assert.equal(event.reason, 'trap');
    assert.equal(event.generation, before.generation + 1);
    assert.equal(event.resets, resetsBefore + 1);
    assert.equal(before.dead, true);
    await Promise.all(queued);
    const after = await liveEngine();
    assert.equal(after.generation, before.generation + 1);
    assert.notEqual(after, before);
    await predicts(irisSession, iris.runs);
    await predicts(nested, references.nested_if_8.runs);
    await predicts(onehot, references.onehot_input_index.runs);
    assert.match(telemetry.prometheus(), new RegExp(`^onnx_edge_engine_resets_total ${engineResetCount()}$`, 'm'));
  });

  test('a panic while loading: ENGINE for create, the live sessions keep predicting', async () => {
    const before = engineResetCount();
    const reset = nextReset();
    const error = await engineError(InferenceSession.create(new Uint8Array(await readFile(path.join(BAD, 'onehot_out_of_range.onnx')))));
    // A tract panic while the load folds the constant. When the core answers it with a typed error (ONNX wants a row
    // of off_value), this test's trap must come from elsewhere.
    assert.equal(error.code, 'ENGINE', `the load no longer traps (${error.code}): pick another trap for this test`);
    assert.equal((await reset).reason, 'trap');
    assert.equal(engineResetCount(), before + 1);
    await predicts(irisSession, iris.runs);
    await predicts(nested, references.nested_if_8.runs);
  });

  test('traps in a row: each one is answered, each replacement announced, and sessions still predict', async () => {
    for (let i = 0; i < 3; i += 1) {
      const reset = nextReset();
      const error = await engineError(onehot.run({ x: new Tensor('float32', [1], []), i: new Tensor('int64', [-9n], [1]) }));
      assert.equal(error.code, 'ENGINE');
      await reset;
      await predicts(irisSession, iris.runs);
    }
    await predicts(onehot, references.onehot_input_index.runs);
    await predicts(nested, references.nested_if_8.runs);
  });

  test('a run that leaves wasm memory past limits.maxWasmMemoryBytes is answered, then the engine is replaced', async () => {
    const engine = await liveEngine();
    const memory = engine.exports.memory.buffer.byteLength;
    const capped = await InferenceSession.create(irisBytes, { limits: { maxWasmMemoryBytes: memory + (1 << 20) } });
    try {
      // The reference rows repeated 40,000 times: a batch whose input and outputs need more than 1 MiB of memory.
      const [run] = iris.runs;
      const reps = 40_000;
      const x = /** @type {Float32Array} */ (buildFeeds(Tensor, run.inputs).X.data);
      const big = new Float32Array(x.length * reps);
      for (let r = 0; r < reps; r += 1) big.set(x, r * x.length);
      const rows = x.length / 4;
      const reset = nextReset();
      const out = await capped.run({ X: new Tensor('float32', big, [rows * reps, 4]) });
      const event = await reset;
      assert.equal(event.reason, 'wasmMemory');
      const label = /** @type {BigInt64Array} */ (out.label.data);
      const want = run.outputs.label.data.map(BigInt);
      for (let r = 0; r < reps; r += 97) assert.deepEqual([...label.subarray(r * rows, (r + 1) * rows)], want, `rows of repetition ${r}`);
      const fresh = await liveEngine();
      assert.ok(fresh.exports.memory.buffer.byteLength <= memory + (1 << 20), 'the new engine starts small');
      await predicts(capped, iris.runs);
      await predicts(irisSession, iris.runs);
      await predicts(nested, references.nested_if_8.runs);
    } finally {
      await capped.release();
    }
  });
});

// In Chromium the replacement engine comes from a dynamic import of the glue under another query string, which
// only a real browser module loader can confirm.
test('trap recovery in headless Chromium: ENGINE, a reset event, both sessions predict as onnxruntime', { skip: chromiumMissing, timeout: 180_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const iris = await loadIrisCase();
  /** @type {Record<string, { runs: Run[] }>} */
  const references = JSON.parse(await readFile(path.join(BAD, 'references.json'), 'utf8'));
  const server = await startStaticServer({ root: REPO });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    await page.goto(`${server.url}/tests/e2e/pages/trap-recovery.html`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 150_000 });
    const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
    assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);
    assert.deepEqual(result.trap, { code: 'ENGINE', trap: true });
    assert.deepEqual(result.event, { generation: 2, reason: 'trap' });
    iris.runs.forEach((run, i) => assert.deepEqual(compareOutputs(result.irisRuns[i], run.outputs, { atol: 1e-4, rtol: 1e-4 }).failures, [], `iris run ${i}`));
    references.onehot_input_index.runs.forEach((run, i) => assert.deepEqual(compareOutputs(result.onehotRuns[i], run.outputs, { atol: 1e-4, rtol: 1e-4 }).failures, [], `onehot run ${i}`));
    const glue = server.log.filter((entry) => entry.path.includes('onnx_edge.js'));
    assert.ok(glue.some((entry) => entry.path.includes('generation=2')), 'the glue was imported again for the new engine');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
