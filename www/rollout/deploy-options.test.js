// registry.deploy's options: defaults, and OPTIONS_INVALID (a TypeError with a code) for what is wrong; the
// deployment's events.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { ROLLBACK_DEFAULTS, checkSpec, deploySettings } from './deploy-options.js';
import { DEPLOYMENT_EVENTS, DeploymentEvents } from './deployment-events.js';

describe('deploy options', () => {
  test('defaults: follow the name, rollback on with its defaults, shadow from the manifest, telemetry from the registry', () => {
    const telemetry = {};
    const s = deploySettings('iris', {}, telemetry);
    assert.equal(s.spec, 'iris');
    assert.equal(s.telemetry, telemetry);
    assert.deepEqual(s.rollback, { ...ROLLBACK_DEFAULTS, minRuns: 20 });
    assert.equal(s.shadow, undefined);
    assert.equal(s.requireGate, false);
    assert.equal(s.shadowMaxPending, 64);
    assert.equal(deploySettings('iris', { rollback: false }, undefined).rollback, null);
    assert.equal(deploySettings('iris', { rollback: { window: 5 } }, undefined).rollback?.minRuns, 5);
  });

  test('OPTIONS_INVALID for each wrong option', () => {
    /** @type {[string, unknown, unknown][]} */
    const cases = [
      ['name', 'iris/1', {}],
      ['options', 'iris', null],
      ['userKey', 'iris', { userKey: 42 }],
      ['spec', 'iris', { spec: 'wine@1.0.0' }],
      ['spec', 'iris', { spec: 'iris@' }],
      ['shadow', 'iris', { shadow: 1 }],
      ['check', 'iris', { check: 'yes' }],
      ['assign', 'iris', { assign: {} }],
      ['requireGate', 'iris', { requireGate: 'true' }],
      ['shadowMaxPending', 'iris', { shadowMaxPending: -1 }],
      ['rollback', 'iris', { rollback: 'on' }],
      ['rollback.window', 'iris', { rollback: { window: 0 } }],
      ['rollback.minRuns', 'iris', { rollback: { window: 10, minRuns: 11 } }],
      ['rollback.maxErrorRate', 'iris', { rollback: { maxErrorRate: -0.1 } }],
      ['rollback.maxP95Ratio', 'iris', { rollback: { maxP95Ratio: Number.NaN } }],
    ];
    for (const [reason, name, options] of cases) {
      assert.throws(() => deploySettings(/** @type {string} */ (name), options, undefined), (error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(/** @type {any} */ (error).code, ErrorCode.OPTIONS_INVALID);
        assert.equal(/** @type {any} */ (error).details.reason, reason);
        return true;
      }, reason);
    }
    assert.doesNotThrow(() => checkSpec('iris', 'iris@^1.2', 'spec'));
    assert.doesNotThrow(() => checkSpec('iris', 'iris@stable', 'spec'));
  });

  test('events: listeners in order, a throwing listener skipped, unsubscribe, unknown events refused', () => {
    const events = new DeploymentEvents();
    /** @type {string[]} */
    const seen = [];
    events.on('switch', () => { throw new Error('listener bug'); });
    const off = events.on('switch', (/** @type {any} */ e) => seen.push(`a:${e.type}:${e.to}`));
    events.on('switch', (/** @type {any} */ e) => seen.push(`b:${e.to}`));
    events.emit('switch', { to: '1.1.0' });
    off();
    events.emit('switch', { to: '1.2.0' });
    assert.deepEqual(seen, ['a:switch:1.1.0', 'b:1.1.0', 'b:1.2.0']);
    assert.deepEqual([...DEPLOYMENT_EVENTS].slice(0, 4), ['switch', 'rollback', 'gate-failed', 'shadow-report']);
    assert.throws(() => events.on(/** @type {any} */ ('swap'), () => {}), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => events.on('switch', /** @type {any} */ (null)), { code: ErrorCode.OPTIONS_INVALID });
  });
});
