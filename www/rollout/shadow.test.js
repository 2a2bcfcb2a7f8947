// Shadow runs: iris RandomForest serves, iris LogisticRegression runs in its shadow (`onnx-edge rollout --shadow`)
// on the same inputs after each answer; the agreement the core measures equals the offline comparison by
// onnxruntime in tests/fixtures/gen/rollout_models.py (top-1 rows exactly, mean/max abs difference to float
// precision). The served answers are never affected.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Tensor } from '../tensor.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { decodeData } from '../test-support/fixtures.js';
import { MODELS, expectedFigures, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;
/** @type {any} */
let expected;

before(async () => {
  if (skip) return;
  expected = (await expectedFigures()).shadow;
  published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.rf, aliases: ['stable'] },
    { version: '1.1.0', model: MODELS.logreg },
  ]);
  await published.rollout({}, '1.1.0');
});

after(async () => {
  await published?.remove();
});

/** The offline input set, one row at a time. */
function rows() {
  const data = /** @type {Float32Array} */ (decodeData('float32', expected.inputs.data));
  const width = expected.inputs.dims[1];
  return Array.from({ length: expected.rows }, (_, i) => ({ X: new Tensor('float32', data.slice(i * width, (i + 1) * width), [1, width]) }));
}

/** A Telemetry that also keeps the shadow agreements it is given (and exports them as metrics). */
class ShadowTelemetry extends Telemetry {
  /** @type {{ model: { name: string, version: string }, agreement: any }[]} */
  shadowCalls = [];

  /**
   * @override
   * @param {{ name: string, version: string }} model
   * @param {any} agreement
   */
  recordShadow(model, agreement) {
    this.shadowCalls.push({ model, agreement });
    super.recordShadow(model, agreement);
  }
}

describe('shadow', { skip }, () => {
  test('agreement of RandomForest and LogisticRegression equals the offline comparison', async (t) => {
    const telemetry = new ShadowTelemetry();
    const deployment = await published.registry({ telemetry }).deploy('iris', { shadowMaxPending: 1024 });
    /** @type {any[]} */
    const reports = [];
    deployment.on('shadow-report', (e) => reports.push(e));
    try {
      assert.equal(deployment.current.shadow, '1.1.0');
      for (const feeds of rows()) {
        const result = await deployment.run(feeds);
        assert.deepEqual([result.version, result.variant], ['1.0.0', 'stable']);
      }
      await deployment.settled();
      const total = deployment.shadowReport()['1.1.0'];
      assert.equal(total.runs, expected.rows);
      assert.equal(total.errors, 0);
      assert.equal(total.dropped, 0);
      assert.equal(total.output, 'probabilities');
      assert.equal(total.kind, 'classifier');
      assert.equal(total.rows, expected.rows);
      assert.equal(total.outputs.probabilities.top1Agree, expected.top1Agree);
      assert.equal(total.top1, expected.top1);
      assert.equal(total.outputs.label.top1Agree, expected.labelAgree);
      assert.ok(Math.abs(total.meanAbs - expected.probabilities.meanAbs) < 1e-6, `meanAbs ${total.meanAbs} vs ${expected.probabilities.meanAbs}`);
      assert.ok(Math.abs(total.maxAbs - expected.probabilities.maxAbs) < 1e-5, `maxAbs ${total.maxAbs} vs ${expected.probabilities.maxAbs}`);
      t.diagnostic(`top-1 ${total.outputs.probabilities.top1Agree}/${total.rows} = ${total.top1}; mean abs ${total.meanAbs}, max abs ${total.maxAbs}`);

      assert.equal(reports.length, expected.rows);
      const last = reports[reports.length - 1];
      assert.equal(last.version, '1.1.0');
      assert.equal(last.against.version, '1.0.0');
      assert.equal(last.against.variant, 'stable');
      assert.deepEqual(last.total, total);

      const call = telemetry.shadowCalls[telemetry.shadowCalls.length - 1];
      assert.deepEqual(call.model, { name: 'iris', version: '1.1.0' });
      assert.equal(call.agreement.variant, 'shadow');
      assert.equal(call.agreement.top1, expected.top1);
      const exposed = telemetry.prometheus().split('\n')
        .find((line) => line.startsWith('onnx_edge_shadow_agreement{') && line.includes('version="1.1.0"'));
      assert.ok(exposed, 'the agreement is exported as onnx_edge_shadow_agreement');
      assert.equal(Number(exposed.split(' ').pop()), expected.top1);
      const shadowSeries = telemetry.snapshot().models.find((m) => m.version === '1.1.0' && m.variant === 'shadow');
      assert.equal(shadowSeries?.runs, expected.rows, 'shadow runs are labelled variant="shadow"');
    } finally {
      await deployment.release();
    }
  });

  test('shadow runs beyond shadowMaxPending are dropped and counted; the answers do not wait for them', async () => {
    const deployment = await published.registry().deploy('iris', { shadowMaxPending: 4 });
    try {
      const inputs = rows().slice(0, 20);
      for (const feeds of inputs) await deployment.run(feeds); // no macrotask between runs: the shadow runs queue up
      await deployment.settled();
      const total = deployment.shadowReport()['1.1.0'];
      assert.equal(total.runs, 4);
      assert.equal(total.dropped, 16);
    } finally {
      await deployment.release();
    }
  });

  test('shadow: false turns the manifest\'s shadow off', async () => {
    const off = await published.registry().deploy('iris', { shadow: false });
    try {
      assert.equal(off.current.shadow, null);
      await off.run(rows()[0]);
      await off.settled();
      assert.deepEqual(off.shadowReport(), {});
    } finally {
      await off.release();
    }
  });
});
