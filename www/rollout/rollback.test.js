// Automatic rollback: after a switch, a candidate that fails on some inputs, or one made slower, is switched back
// once its probation window is complete; the figures in the event are the ones the runs themselves show.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { Tensor } from '../tensor.js';
import { MODELS, linearQuantile, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;

before(async () => {
  if (skip) return;
  published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] },
    { version: '1.1.0', model: MODELS.erroring },
    { version: '1.2.0', model: MODELS.slow },
  ]);
});

after(async () => {
  await published?.remove();
});

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.1, 2.8, 4.7, 1.2], [6.3, 3.3, 6.0, 2.5], [5.7, 2.8, 4.1, 1.3], [4.9, 3.0, 1.4, 0.2]];

/**
 * Row i of the traffic; with `negativeEvery`, every such row has a negative feature (the erroring model fails).
 * @param {number} i
 * @param {number} [negativeEvery]
 */
function feeds(i, negativeEvery = 0) {
  const row = [...ROWS[i % ROWS.length]];
  if (negativeEvery > 0 && i % negativeEvery === negativeEvery - 1) row[1] = -1;
  return { X: new Tensor('float32', Float32Array.from(row), [1, 4]) };
}

/**
 * The next event of a type, or a rejection after `ms`.
 * @param {import('./deployment.js').Deployment} deployment
 * @param {import('./deployment-events.js').DeploymentEvent} type
 * @param {number} [ms]
 * @returns {Promise<any>}
 */
function nextEvent(deployment, type, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${type} event in ${ms} ms`)); }, ms);
    const off = deployment.on(type, (event) => { clearTimeout(timer); off(); resolve(event); });
  });
}

describe('automatic rollback', { skip }, () => {
  test('a candidate failing on 1 row in 5 is rolled back after its window; figures, then not retried until the manifest changes', async () => {
    const window = 40;
    const deployment = await published.registry().deploy('iris', { rollback: { window, minRuns: 20, maxErrorRate: 0.05, maxP95Ratio: 1e9 } });
    try {
      for (let i = 0; i < 60; i += 1) assert.equal((await deployment.run(feeds(i))).version, '1.0.0');
      const rolledBack = nextEvent(deployment, 'rollback');
      const released = nextEvent(deployment, 'release');
      const state = await deployment.update('iris@1.1.0');
      assert.equal(state.version, '1.1.0', 'its gate passes: the reference rows have no negative feature');
      assert.deepEqual(state.standby, ['1.0.0']);
      assert.deepEqual(state.probation.map((p) => p.version), ['1.1.0']);

      /** @type {any[]} */
      const failures = [];
      let answered = 0;
      for (let i = 0; i < window; i += 1) {
        try {
          const result = await deployment.run(feeds(i, 5));
          assert.equal(result.version, '1.1.0');
          answered += 1;
        } catch (error) {
          failures.push(error);
        }
      }
      assert.equal(failures.length, 8);
      assert.equal(answered, 32);
      for (const error of failures) {
        assert.equal(error.code, ErrorCode.MODEL_SHAPE);
        assert.equal(error.details.deployment.version, '1.1.0');
      }
      const event = await rolledBack;
      assert.equal(event.from, '1.1.0');
      assert.equal(event.to, '1.0.0');
      const f = event.figures;
      assert.deepEqual(f.reasons, ['errorRate']);
      assert.equal(f.version, '1.1.0');
      assert.equal(f.previous, '1.0.0');
      assert.equal(f.window.count, window);
      assert.equal(f.window.errors, 8);
      assert.equal(f.window.errorRate, 0.2);
      assert.equal(f.baseline.count, window, 'the previous version\'s last `window` runs');
      assert.equal(f.baseline.errors, 0);
      assert.equal(f.baseline.errorRate, 0);
      assert.equal(f.errorRateIncrease, 0.2);
      assert.equal(f.thresholds.maxErrorRate, 0.05);
      assert.equal((await released).version, '1.1.0');

      assert.equal(deployment.current.version, '1.0.0');
      assert.deepEqual(deployment.current.rolledBack, ['1.1.0']);
      assert.deepEqual(deployment.current.standby, []);
      assert.equal((await deployment.run(feeds(0, 1))).version, '1.0.0', 'the old version answers again, negative features too');

      await assert.rejects(deployment.update('iris@1.1.0'), (error) => {
        assert.equal(/** @type {any} */ (error).code, ErrorCode.GATE_FAILED);
        assert.equal(/** @type {any} */ (error).details.reason, 'rolledBack');
        return true;
      });
      await published.alias('canary', '1.1.0'); // the manifest changes
      await deployment.refresh();
      assert.deepEqual(deployment.current.rolledBack, []);
      const again = await deployment.update('iris@1.1.0');
      assert.equal(again.version, '1.1.0');
      assert.equal(again.variant, 'canary');
    } finally {
      await deployment.release();
    }
  });

  test('a slower candidate is rolled back on p95; the p95 figures are those of the runs\' own durations', async () => {
    const window = 40;
    // Only the ratio is under test: no absolute rise floor, and no early judgement by time on a busy machine.
    const deployment = await published.registry().deploy('iris', { rollback: {
      window, minRuns: 20, maxErrorRate: 0.05, maxP95Ratio: 1.5, windowMs: 600_000, minP95IncreaseMs: 0,
    } });
    try {
      /** @type {number[]} */
      const before = [];
      for (let i = 0; i < 60; i += 1) before.push((await deployment.run(feeds(i))).durationMs);
      const rolledBack = nextEvent(deployment, 'rollback');
      await deployment.update('iris@1.2.0');
      /** @type {number[]} */
      const during = [];
      for (let i = 0; i < window; i += 1) {
        const result = await deployment.run(feeds(i));
        assert.equal(result.version, '1.2.0');
        during.push(result.durationMs);
      }
      const { figures: f } = await rolledBack;
      assert.deepEqual(f.reasons, ['p95']);
      assert.equal(f.window.count, window);
      assert.equal(f.window.errors, 0);
      const p95 = linearQuantile(during, 0.95);
      const base = linearQuantile(before.slice(-window), 0.95);
      assert.ok(Math.abs(f.window.p95Ms - p95) < 1e-9, `window p95 ${f.window.p95Ms} vs ${p95}`);
      assert.ok(Math.abs(f.baseline.p95Ms - base) < 1e-9, `baseline p95 ${f.baseline.p95Ms} vs ${base}`);
      assert.ok(Math.abs(f.p95Ratio - p95 / base) < 1e-9);
      assert.ok(f.p95Ratio > 1.5);
      assert.equal(deployment.current.version, '1.0.0');
      assert.equal((await deployment.run(feeds(1))).version, '1.0.0');
    } finally {
      await deployment.release();
    }
  });

  test('a candidate that behaves passes its probation: the previous version is released then', async () => {
    const window = 30;
    const deployment = await published.registry().deploy('iris', {
      rollback: { window, minRuns: 10, maxErrorRate: 0.05, maxP95Ratio: 1e9 },
    });
    try {
      for (let i = 0; i < window; i += 1) await deployment.run(feeds(i));
      const passed = nextEvent(deployment, 'probation-passed');
      const released = nextEvent(deployment, 'release');
      await deployment.update('iris@1.1.0');
      for (let i = 0; i < window; i += 1) assert.equal((await deployment.run(feeds(i))).version, '1.1.0');
      const event = await passed;
      assert.deepEqual(event.figures.reasons, []);
      assert.equal(event.figures.window.count, window);
      assert.equal((await released).version, '1.0.0');
      assert.deepEqual(deployment.current.standby, []);
      assert.deepEqual(deployment.current.probation, []);
    } finally {
      await deployment.release();
    }
  });
});
