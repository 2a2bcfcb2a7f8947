// The staging gate: a version whose outputs do not reproduce the manifest's expected outputs (a model with a
// perturbed coefficient), or that fails the user's accuracy check, never serves; the figures are the ones
// onnxruntime gave offline (tests/fixtures/rollout/expected.json).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { Tensor } from '../tensor.js';
import { accuracyCheck } from './accuracy-check.js';
import { decodeData } from '../test-support/fixtures.js';
import { MODELS, expectedFigures, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;
/** @type {any} */
let expected;

const ROW = { X: new Tensor('float32', Float32Array.from([6.1, 2.8, 4.7, 1.2]), [1, 4]) };

before(async () => {
  if (skip) return;
  expected = await expectedFigures();
  published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] },
    // The perturbed model under the original's gate: the gate its publisher meant, not the one its file gives.
    { version: '1.1.0', model: MODELS.perturbed },
    // The perturbed model with its own gate: it reproduces its outputs, but its accuracy drops.
    { version: '1.2.0', model: MODELS.perturbed, docString: 'perturbed, own gate' },
    { version: '1.3.0', model: MODELS.logreg, docString: 'logreg again' },
  ]);
  await published.editManifest((manifest) => {
    const versions = manifest.models.iris.versions;
    versions['1.1.0'].gate = structuredClone(versions['1.0.0'].gate);
  });
});

after(async () => {
  await published?.remove();
});

/** The validation set for the accuracy check: all of iris, labelled. */
function validation() {
  const v = expected.validation;
  return {
    feeds: { X: new Tensor('float32', /** @type {Float32Array} */ (decodeData('float32', v.inputs.data)), v.inputs.dims) },
    labels: v.labels,
  };
}

describe('staging gate', { skip }, () => {
  test('perturbed weights against the original outputs: GATE_FAILED, the old version keeps serving, figures as offline', async () => {
    const deployment = await published.registry().deploy('iris');
    /** @type {any[]} */
    const failed = [];
    /** @type {any[]} */
    const switched = [];
    deployment.on('gate-failed', (e) => failed.push(e));
    deployment.on('switch', (e) => switched.push(e));
    try {
      await assert.rejects(deployment.update('iris@1.1.0'), (error) => {
        const e = /** @type {import('../errors.js').OnnxEdgeError} */ (error);
        assert.equal(e.code, ErrorCode.GATE_FAILED);
        assert.equal(e.details.version, '1.1.0');
        assert.equal(e.details.reason, 'outputs');
        assert.equal(e.details.applied, false);
        return true;
      });
      assert.equal(failed.length, 1);
      assert.equal(switched.length, 0);
      const want = expected.gate.perturbedVsOriginal;
      const got = failed[0].figures.outputs;
      assert.equal(failed[0].version, '1.1.0');
      assert.equal(failed[0].reason, 'outputs');
      assert.equal(got.ok, false);
      assert.equal(got.compared, want.compared);
      assert.equal(got.mismatches, want.mismatches);
      assert.ok(Math.abs(got.maxAbs - want.maxAbs) < 1e-5, `maxAbs ${got.maxAbs} vs ${want.maxAbs}`);
      assert.deepEqual(got.tolerance, expected.gate.tolerance);
      assert.equal(got.rows, 16);
      assert.ok(got.failures.length > 0);
      assert.equal(deployment.current.version, '1.0.0');
      const result = await deployment.run(ROW);
      assert.equal(result.version, '1.0.0');
      assert.equal(result.variant, 'stable');
    } finally {
      await deployment.release();
    }
  });

  test('deploying a failing version: deploy itself rejects with GATE_FAILED', async () => {
    const registry = published.registry();
    await assert.rejects(registry.deploy('iris', { spec: 'iris@1.1.0' }), { code: ErrorCode.GATE_FAILED });
  });

  test('the user check: accuracy on the labelled set by the core; the perturbed version fails it with its figures', async () => {
    const { feeds, labels } = validation();
    const check = accuracyCheck({ feeds, labels, output: 'label', minAccuracy: 0.9 });
    /** @type {any[]} */
    const failed = [];
    /** @type {any[]} */
    const switched = [];
    const deployment = await published.registry().deploy('iris', { check });
    deployment.on('gate-failed', (e) => failed.push(e));
    deployment.on('switch', (e) => switched.push(e));
    try {
      await assert.rejects(deployment.update('iris@1.2.0'), { code: ErrorCode.GATE_FAILED });
      assert.equal(failed.length, 1);
      assert.equal(failed[0].reason, 'check');
      assert.equal(failed[0].figures.outputs.ok, true, 'its own gate passes');
      const figures = failed[0].figures.check.figures;
      assert.equal(figures.count, 150);
      assert.equal(figures.accuracy, expected.validation.accuracy.perturbed);
      assert.equal(figures.minAccuracy, 0.9);
      assert.equal(deployment.current.version, '1.0.0');

      const state = await deployment.update('iris@1.3.0');
      assert.equal(state.version, '1.3.0');
      assert.equal(switched.length, 1);
      assert.equal(switched[0].from, '1.0.0');
      assert.equal(switched[0].to, '1.3.0');
      assert.equal((await deployment.run(ROW)).version, '1.3.0');
    } finally {
      await deployment.release();
    }
  });

  test('accuracyCheck passes the original with the offline accuracy', async () => {
    const { feeds, labels } = validation();
    /** @type {unknown} */
    let seen;
    const check = accuracyCheck({ feeds, labels, minAccuracy: 0.9 });
    const deployment = await published.registry().deploy('iris', {
      check: async (session, model) => {
        const result = await check(session, model);
        seen = result.figures;
        return result;
      },
    });
    try {
      assert.equal(/** @type {any} */ (seen).accuracy, expected.validation.accuracy.logreg);
    } finally {
      await deployment.release();
    }
  });

  test('requireGate refuses a version published without reference inputs; without it the version is warmed and serves', async () => {
    await published.publish({ version: '2.0.0', model: MODELS.logreg, docString: 'no gate', reference: null });
    const strict = await published.registry().deploy('iris', { requireGate: true });
    try {
      await assert.rejects(strict.update('iris@2.0.0'), (error) => {
        assert.equal(/** @type {any} */ (error).code, ErrorCode.GATE_FAILED);
        assert.equal(/** @type {any} */ (error).details.reason, 'noGate');
        return true;
      });
    } finally {
      await strict.release();
    }
    const lenient = await published.registry().deploy('iris');
    try {
      await lenient.update('iris@2.0.0');
      assert.equal((await lenient.run(ROW)).version, '2.0.0');
    } finally {
      await lenient.release();
    }
  });
});
