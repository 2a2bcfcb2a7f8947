// Following the manifest: `refresh()` reads it again and applies what changed for the model (the stable alias
// moving, weights, a shadow candidate); nothing changed means no switch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { Tensor } from '../tensor.js';
import { MODELS, makeRolloutRegistry, rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();

/** @type {import('./test-support/rollout-registry.js').RolloutRegistry} */
let published;

before(async () => {
  if (skip) return;
  published = await makeRolloutRegistry('iris', [{ version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] }]);
});

after(async () => {
  await published?.remove();
});

const feeds = () => ({ X: new Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]) });

describe('refresh', { skip }, () => {
  test('the stable alias moves, then weights and a shadow appear; an unchanged manifest switches nothing', async () => {
    const deployment = await published.registry().deploy('iris', { rollback: false });
    /** @type {any[]} */
    const switches = [];
    deployment.on('switch', (e) => switches.push(e));
    try {
      await deployment.refresh();
      assert.equal(switches.length, 0, 'nothing changed');

      await published.publish({ version: '1.1.0', model: MODELS.logreg, docString: '1.1.0', aliases: ['stable'] });
      const moved = await deployment.refresh();
      assert.deepEqual([moved.version, moved.variant], ['1.1.0', 'stable']);
      assert.equal(switches.length, 1);
      assert.deepEqual([switches[0].reason, switches[0].from, switches[0].to], ['refresh', '1.0.0', '1.1.0']);
      assert.ok(switches[0].timings.totalMs >= switches[0].timings.loadMs + switches[0].timings.gateMs);

      await published.publish({ version: '1.2.0', model: MODELS.logreg, docString: '1.2.0', aliases: ['canary'] });
      await published.rollout({ '1.1.0': 50, '1.2.0': 50 }, '1.0.0');
      const state = await deployment.refresh();
      assert.deepEqual(state.weights, { '1.1.0': 50, '1.2.0': 50 });
      assert.deepEqual(state.serving, [{ version: '1.1.0', variant: 'stable' }, { version: '1.2.0', variant: 'canary' }]);
      assert.equal(state.shadow, '1.0.0');
      assert.equal(switches.length, 2);
      const variants = new Set();
      for (let i = 0; i < 40; i += 1) variants.add((await deployment.run(feeds(), { userKey: `u${i}` })).variant);
      assert.deepEqual([...variants].sort(), ['canary', 'stable']);
      await deployment.settled();
      assert.equal(deployment.shadowReport()['1.0.0'].runs, 40);
    } finally {
      await deployment.release();
    }
  });

  test('update refuses a spec of another model; run and update after release throw RELEASED', async () => {
    const deployment = await published.registry().deploy('iris');
    await assert.rejects(deployment.update('wine@1.0.0'), { code: ErrorCode.OPTIONS_INVALID });
    await assert.rejects(deployment.update('iris@9.9.9'), { code: ErrorCode.VERSION_NOT_FOUND });
    await deployment.release();
    await assert.rejects(deployment.run(feeds()), { code: ErrorCode.RELEASED });
    await assert.rejects(deployment.update('iris@1.0.0'), { code: ErrorCode.RELEASED });
    await deployment.release();
  });
});
