// A bounded soak (issue 18): 20,000 predictions on iris, the session released and made again every 1,000. After a
// warm-up of two cycles, wasm memory must not grow at all (it never shrinks, so any leak in the core shows as
// growth) and the JS heap after a full GC must stay within a small bound. Every 1,000th answer is checked against
// onnxruntime's. bench/soak.mjs runs the long version (100,000) and writes bench/results/soak.md.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { InferenceSession, Tensor } from './index.js';
import { liveEngine } from './init.js';
import { liveSessionCount } from './limits.js';
import { buildFeeds, compareOutputs, loadIrisCase, loadModel } from './test-support/fixtures.js';

const RUNS = 20_000;
const CYCLE = 1_000;
const WARMUP_CYCLES = 2;
const HEAP_BOUND = 2 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
/** @type {() => void} */
const gc = vm.runInNewContext('gc');

/** Heap used after two full collections (the second catches what finalizers freed). */
function heapAfterGc() {
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size;
}

test(`soak: ${RUNS} runs, release and re-create every ${CYCLE}: wasm memory flat, JS heap within 2 MiB`, { timeout: 600_000 }, async (t) => {
  const iris = await loadIrisCase();
  const bytes = /** @type {Uint8Array} */ ((await loadModel(iris)).bytes);
  const [run] = iris.runs;
  const feeds = buildFeeds(Tensor, run.inputs);
  const engine = await liveEngine();
  const memory = () => engine.exports.memory.buffer.byteLength;
  let wasmAfterWarmup = 0;
  let heapAfterWarmup = 0;
  const started = performance.now();
  for (let done = 0; done < RUNS; done += CYCLE) {
    const session = await InferenceSession.create(bytes);
    for (let i = 0; i < CYCLE; i += 1) {
      const out = await session.run(feeds);
      if (i === CYCLE - 1) assert.deepEqual(compareOutputs(out, run.outputs, iris.tolerance, iris.exact).failures, [], `run ${done + i}`);
    }
    await session.release();
    if (done / CYCLE + 1 === WARMUP_CYCLES) {
      wasmAfterWarmup = memory();
      heapAfterWarmup = heapAfterGc();
    }
  }
  const wasmGrowth = memory() - wasmAfterWarmup;
  const heapGrowth = heapAfterGc() - heapAfterWarmup;
  assert.equal((await liveEngine()), engine, 'the engine was not replaced during the soak');
  t.diagnostic(`${RUNS} runs in ${((performance.now() - started) / 1000).toFixed(1)} s; wasm memory ${memory()} bytes, growth after warm-up ${wasmGrowth}; JS heap growth ${heapGrowth} bytes`);
  assert.equal(wasmGrowth, 0, 'wasm memory grew after warm-up');
  assert.ok(heapGrowth < HEAP_BOUND, `JS heap grew by ${heapGrowth} bytes after warm-up`);
});

test('sessions dropped without release() stop counting against limits.maxSessions once collected', { timeout: 60_000 }, async () => {
  const iris = await loadIrisCase();
  const bytes = /** @type {Uint8Array} */ ((await loadModel(iris)).bytes);
  const before = liveSessionCount();
  await (async () => {
    for (let i = 0; i < 4; i += 1) await InferenceSession.create(bytes, { limits: { maxSessions: before + 4 } });
  })();
  assert.equal(liveSessionCount(), before + 4);
  await assert.rejects(InferenceSession.create(bytes, { limits: { maxSessions: before + 4 } }), { code: 'LIMIT_EXCEEDED' });
  for (let i = 0; i < 100 && liveSessionCount() > before; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(liveSessionCount(), before);
  const again = await InferenceSession.create(bytes, { limits: { maxSessions: before + 1 } });
  await again.release();
  assert.equal(liveSessionCount(), before);
});
