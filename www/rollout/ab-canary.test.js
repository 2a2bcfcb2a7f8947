// A/B and canary by manifest weights (`onnx-edge rollout --weights`): 10,000 user keys split within 2% of the
// weights, each key sticky (the same version after a reload), the variant and version with every result and in the
// telemetry's labels; the `assign` override; a pinned spec ignores the weights.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Tensor } from '../tensor.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { assignVariant } from './assignment.js';
import { MODELS, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();
const WEIGHTS = { '1.0.0': 90, '1.1.0': 10 };
const KEYS = 10_000;

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;

before(async () => {
  if (skip) return;
  published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] },
    { version: '1.1.0', model: MODELS.logreg, aliases: ['canary'], docString: 'canary' },
    { version: '1.2.0', model: MODELS.logreg, docString: 'third' },
  ]);
  await published.rollout(WEIGHTS);
});

after(async () => {
  await published?.remove();
});

const feeds = () => ({ X: new Tensor('float32', Float32Array.from([5.8, 2.7, 5.1, 1.9]), [1, 4]) });

describe('A/B and canary', { skip }, () => {
  test(`${KEYS} keys: split within 2% of 90/10, sticky, variant and version in every result and in telemetry`, async (t) => {
    const telemetry = new Telemetry();
    const deployment = await published.registry({ telemetry }).deploy('iris');
    try {
      assert.deepEqual(deployment.current.weights, WEIGHTS);
      assert.deepEqual(deployment.current.serving, [{ version: '1.0.0', variant: 'stable' }, { version: '1.1.0', variant: 'canary' }]);
      /** @type {Record<string, number>} */
      const counts = {};
      /** @type {Map<string, string>} */
      const first = new Map();
      for (let i = 0; i < KEYS; i += 1) {
        const userKey = `user-${i}`;
        const result = await deployment.run(feeds(), { userKey });
        assert.equal(result.version, await assignVariant(userKey, WEIGHTS), userKey);
        assert.equal(result.variant, result.version === '1.0.0' ? 'stable' : 'canary');
        assert.match(result.predictionId, /^iris-/);
        counts[result.variant] = (counts[result.variant] ?? 0) + 1;
        if (i < 300) first.set(userKey, result.variant);
      }
      assert.ok(Math.abs(counts.canary / KEYS - 0.1) <= 0.02, JSON.stringify(counts));
      assert.ok(Math.abs(counts.stable / KEYS - 0.9) <= 0.02, JSON.stringify(counts));
      t.diagnostic(`split ${JSON.stringify(counts)}`);

      const series = telemetry.snapshot().models.filter((m) => m.model === 'iris' && (m.variant === 'stable' || m.variant === 'canary'));
      const byVariant = Object.fromEntries(series.map((m) => [`${m.version}/${m.variant}`, m.predictions]));
      assert.deepEqual(byVariant, { '1.0.0/stable': counts.stable, '1.1.0/canary': counts.canary });
      assert.match(telemetry.prometheus(), /onnx_edge_predictions_total\{model="iris",version="1\.1\.0",variant="canary"\} \d+/);

      // A reload: a new registry and deployment give every key the same variant.
      const reloaded = await published.registry().deploy('iris');
      try {
        for (const [userKey, variant] of first) assert.equal((await reloaded.run(feeds(), { userKey })).variant, variant, userKey);
      } finally {
        await reloaded.release();
      }
      const unkeyed = await deployment.run(feeds());
      assert.deepEqual([unkeyed.version, unkeyed.variant], ['1.0.0', 'stable'], 'without a key: the primary');
    } finally {
      await deployment.release();
    }
  });

  test('the deployment\'s userKey, the assign override, and a pinned spec', async () => {
    let canaryKey = '';
    for (let i = 0; i < 200 && canaryKey === ''; i += 1) if (await assignVariant(`k${i}`, WEIGHTS) === '1.1.0') canaryKey = `k${i}`;
    assert.notEqual(canaryKey, '');
    const keyed = await published.registry().deploy('iris', { userKey: canaryKey });
    try {
      assert.equal((await keyed.run(feeds())).version, '1.1.0', 'runs without a key use the deployment\'s');
      assert.equal((await keyed.run(feeds(), { userKey: 'someone-else-0' })).version, await assignVariant('someone-else-0', WEIGHTS));
    } finally {
      await keyed.release();
    }

    const forced = await published.registry().deploy('iris', { assign: (key) => (key.startsWith('beta-') ? '1.1.0' : '9.9.9') });
    try {
      assert.equal((await forced.run(feeds(), { userKey: 'beta-1' })).variant, 'canary');
      assert.equal((await forced.run(feeds(), { userKey: 'other' })).variant, 'stable', 'an unknown version: the primary');

      const pinned = await forced.update('iris@1.2.0');
      assert.equal(pinned.weights, null);
      assert.deepEqual(pinned.serving, [{ version: '1.2.0', variant: '1.2.0' }]);
      const r = await forced.run(feeds(), { userKey: 'beta-1' });
      assert.deepEqual([r.version, r.variant], ['1.2.0', '1.2.0']);

      const following = await forced.update('iris@stable');
      assert.deepEqual(following.weights, WEIGHTS);
      assert.equal((await forced.run(feeds(), { userKey: 'beta-1' })).version, '1.1.0');
    } finally {
      await forced.release();
    }
  });
});
