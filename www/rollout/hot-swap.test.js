// Blue-green under load: predictions run from 8 concurrent loops while the version changes four times; every
// prediction succeeds and its outputs are exactly those of the one version it names; each old session is released
// once; wasm memory comes back to its level before the swaps.
//
// Memory: a WebAssembly memory never shrinks, so "its level" is measured after one warm-up switch there and back
// (the memory has then held two sessions at once, as every blue-green switch does). Four more switches must not grow
// it by more than SLACK: two 64 KiB pages, room for the allocator placing a model's arena differently. A leaked
// session would add about 100 KiB per switch (iris_rf holds ~98 KiB in wasm), 400 KiB over the four.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { wasmMemoryBytes } from '../init.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { MODELS, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();
const SLACK = 2 * 64 * 1024;
const LOOPS = 8;
const MIN_PER_LOOP = 150;
const MAX_PER_LOOP = 5_000;
const RUNS_BETWEEN_SWITCHES = 200;

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;

/** Which model each version is. */
const MODEL_OF = /** @type {Record<string, 'logreg' | 'rf'>} */ ({ '1.0.0': 'logreg', '1.1.0': 'rf', '1.2.0': 'logreg', '1.3.0': 'rf' });
const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.1, 2.8, 4.7, 1.2], [6.3, 3.3, 6.0, 2.5], [5.9, 3.0, 5.1, 1.8], [6.0, 2.2, 5.0, 1.5]];

before(async () => {
  if (skip) return;
  published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] },
    { version: '1.1.0', model: MODELS.rf },
    { version: '1.2.0', model: MODELS.logreg, docString: 'logreg 1.2.0' },
    { version: '1.3.0', model: MODELS.rf, docString: 'rf 1.3.0' },
  ]);
});

after(async () => {
  await published?.remove();
});

/** @param {number} i */
const feeds = (i) => ({ X: new Tensor('float32', Float32Array.from(ROWS[i % ROWS.length]), [1, 4]) });

/**
 * Each model's probabilities for each row, from plain sessions.
 * @returns {Promise<Record<'logreg' | 'rf', number[][]>>}
 */
async function referenceOutputs() {
  /** @type {Record<string, number[][]>} */
  const out = {};
  for (const [kind, file] of /** @type {const} */ ([['logreg', MODELS.logreg], ['rf', MODELS.rf]])) {
    const session = await InferenceSession.create(new Uint8Array(await readFile(file)));
    out[kind] = [];
    for (let i = 0; i < ROWS.length; i += 1) out[kind].push(Array.from(/** @type {Float32Array} */ ((await session.run(feeds(i))).probabilities.data)));
    await session.release();
  }
  return /** @type {Record<'logreg' | 'rf', number[][]>} */ (out);
}

describe('blue-green hot swap', { skip }, () => {
  test(`${LOOPS} concurrent loops of predictions while the version changes 4 times: all succeed, each from one version`, async (t) => {
    const reference = await referenceOutputs();
    for (let i = 0; i < ROWS.length; i += 1) {
      const gap = Math.max(...reference.logreg[i].map((p, c) => Math.abs(p - reference.rf[i][c])));
      assert.ok(gap > 1e-3, `row ${i}: the two models must answer differently for the attribution to mean something`);
    }
    const deployment = await published.registry().deploy('iris', { rollback: false });
    /** @type {string[]} */
    const released = [];
    /** @type {any[]} */
    const switches = [];
    deployment.on('release', (e) => released.push(e.version));
    deployment.on('switch', (e) => switches.push(e));
    try {
      await deployment.update('iris@1.1.0');
      await deployment.update('iris@1.0.0');
      assert.deepEqual(released, ['1.0.0', '1.1.0']);
      for (let i = 0; i < 20; i += 1) await deployment.run(feeds(i));
      const memoryBefore = wasmMemoryBytes();
      released.length = 0;
      switches.length = 0;

      /** @type {{ version: string, row: number, probabilities: number[], call: number }[]} */
      const results = [];
      /** @type {unknown[]} */
      const failures = [];
      let calls = 0;
      let swapping = true;
      const loops = Array.from({ length: LOOPS }, async (_, loop) => {
        // Bounded: at least MIN_PER_LOOP runs, more while the switches go on, never more than MAX_PER_LOOP.
        for (let k = 0; k < MAX_PER_LOOP && (swapping || k < MIN_PER_LOOP); k += 1) {
          const row = (loop + k) % ROWS.length;
          const call = calls;
          calls += 1;
          try {
            const result = await deployment.run(feeds(row));
            results.push({ version: result.version, row, call, probabilities: Array.from(/** @type {Float32Array} */ (result.outputs.probabilities.data)) });
          } catch (error) {
            failures.push(error);
          }
          await new Promise((resolve) => setImmediate(resolve)); // requests arrive as I/O events do: one per turn
        }
      });
      const swaps = (async () => {
        try {
          for (const version of ['1.1.0', '1.2.0', '1.3.0', '1.0.0']) {
            const from = calls;
            for (let wait = 0; wait < 10_000 && calls < from + RUNS_BETWEEN_SWITCHES; wait += 1) await new Promise((resolve) => setImmediate(resolve));
            await deployment.update(`iris@${version}`);
          }
        } finally {
          swapping = false;
        }
      })();
      await Promise.all([...loops, swaps]);

      assert.deepEqual(failures, [], 'no prediction failed');
      assert.equal(results.length, calls, 'none was dropped');
      assert.ok(calls >= LOOPS * MIN_PER_LOOP);
      /** @type {Record<string, number>} */
      const perVersion = {};
      for (const r of results) {
        const expected = reference[MODEL_OF[r.version]][r.row];
        assert.deepEqual(r.probabilities, expected, `call ${r.call}: the outputs are those of ${r.version}`);
        perVersion[r.version] = (perVersion[r.version] ?? 0) + 1;
      }
      for (const version of ['1.1.0', '1.2.0', '1.3.0']) assert.ok((perVersion[version] ?? 0) > 0, `${version} served: ${JSON.stringify(perVersion)}`);
      assert.deepEqual(switches.map((s) => `${s.from}->${s.to}`), ['1.0.0->1.1.0', '1.1.0->1.2.0', '1.2.0->1.3.0', '1.3.0->1.0.0']);
      assert.deepEqual(released, ['1.0.0', '1.1.0', '1.2.0', '1.3.0'], 'each old session released once');
      assert.deepEqual(deployment.current.standby, []);
      const memoryAfter = wasmMemoryBytes();
      assert.ok(memoryAfter <= memoryBefore + SLACK, `wasm memory ${memoryBefore} -> ${memoryAfter} bytes`);
      const timings = switches.map((s) => `${s.to}: load ${s.timings.loadMs.toFixed(1)} + gate ${s.timings.gateMs.toFixed(1)} ms, total ${s.timings.totalMs.toFixed(1)} ms`);
      t.diagnostic(`${calls} predictions, per version ${JSON.stringify(perVersion)}; memory ${memoryBefore} -> ${memoryAfter}; ${timings.join('; ')}`);
    } finally {
      await deployment.release();
    }
    await assert.rejects(deployment.run(feeds(0)), { code: ErrorCode.RELEASED });
  });

  test('runs accepted before a switch are answered by the old version, then it is released', async () => {
    const deployment = await published.registry().deploy('iris', { rollback: false });
    /** @type {string[]} */
    const released = [];
    deployment.on('release', (e) => released.push(e.version));
    try {
      const accepted = Array.from({ length: 50 }, (_, i) => deployment.run(feeds(i)));
      const switching = deployment.update('iris@1.1.0');
      const after = Array.from({ length: 50 }, (_, i) => deployment.run(feeds(i)));
      const early = await Promise.all(accepted);
      await switching;
      const late = await Promise.all(after);
      assert.ok(early.every((r) => r.version === '1.0.0'));
      assert.ok(late.every((r) => r.version === '1.0.0' || r.version === '1.1.0'));
      assert.deepEqual(released, ['1.0.0']);
      assert.equal((await deployment.run(feeds(0))).version, '1.1.0');
    } finally {
      await deployment.release();
    }
  });
});
