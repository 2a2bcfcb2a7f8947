// Sticky A/B assignment: the core's bucketing is what assignment.js documents (a server reproduces it with any
// sha256), and 10,000 keys split within 2% of the weights.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import { assignVariant, bucketOf } from './assignment.js';
import { rolloutMissing } from './test-support/rollout-registry.js';

const skip = await rolloutMissing();

/**
 * The rule as a server would write it (assignment.js): sha256, first 8 bytes big-endian, mod 10,000.
 * @param {string} key
 */
function serverBucket(key) {
  return Number(createHash('sha256').update(key, 'utf8').digest().readBigUInt64BE(0) % 10_000n);
}

/**
 * @param {string} key
 * @param {Record<string, number>} weights
 */
function serverAssign(key, weights) {
  const semver = (/** @type {string} */ v) => v.split('.').map(Number);
  const versions = Object.entries(weights).filter(([, w]) => Number.isFinite(w) && w > 0).sort(([a], [b]) => {
    const [x, y] = [semver(a), semver(b)];
    for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  });
  const total = versions.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) return undefined;
  const bucket = serverBucket(key);
  let upper = 0;
  for (const [version, w] of versions) {
    upper += (w / total) * 10_000;
    if (bucket < upper) return version;
  }
  return versions[versions.length - 1][0];
}

describe('sticky assignment', { skip }, () => {
  test('bucketOf is sha256(key)[0..8] big-endian mod 10000, for ASCII and non-ASCII keys', async () => {
    assert.equal(await bucketOf('abc'), Number(0xba7816bf8f01cfean % 10_000n));
    for (const key of ['', 'user-1', 'user-42', 'ünïcødé-🔑', 'a'.repeat(1000)]) {
      assert.equal(await bucketOf(key), serverBucket(key), key);
    }
  });

  test('assignVariant: same key, same version; a server reproduces all 10,000 assignments', async () => {
    const weights = { '1.10.0': 20, '1.2.0': 30, '1.9.0': 50 }; // semver order 1.2.0 < 1.9.0 < 1.10.0, not string order
    for (let i = 0; i < 10_000; i += 1) {
      const key = `user-${i}`;
      assert.equal(await assignVariant(key, weights), serverAssign(key, weights), key);
    }
    assert.equal(await assignVariant('user-7', weights), await assignVariant('user-7', weights));
    assert.equal(await assignVariant('user-7', {}), undefined);
    assert.equal(await assignVariant('user-7', { '1.0.0': 0 }), undefined);
  });

  test('10,000 keys split within 2% of the weights (90/10 and 50/30/20)', async (t) => {
    /** @type {Record<string, number>[]} */
    const splits = [{ '1.0.0': 90, '1.1.0': 10 }, { '1.0.0': 50, '1.1.0': 30, '2.0.0': 20 }];
    for (const weights of splits) {
      /** @type {Record<string, number>} */
      const counts = {};
      for (let i = 0; i < 10_000; i += 1) {
        const version = /** @type {string} */ (await assignVariant(`key-${i}`, weights));
        counts[version] = (counts[version] ?? 0) + 1;
      }
      const total = Object.values(weights).reduce((a, b) => a + b, 0);
      for (const [version, w] of Object.entries(weights)) {
        const share = (counts[version] ?? 0) / 10_000;
        assert.ok(Math.abs(share - w / total) <= 0.02, `${version}: ${share} vs ${w / total}`);
      }
      t.diagnostic(`${JSON.stringify(weights)} -> ${JSON.stringify(counts)}`);
    }
  });
});
