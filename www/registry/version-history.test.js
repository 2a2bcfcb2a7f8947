import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compareSemver, versionHistory } from './version-history.js';

test('compareSemver follows semver precedence', () => {
  const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11',
    '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.1', '2.0.0', '10.0.0', 'not-a-version'];
  const shuffled = [...sorted].reverse();
  assert.deepEqual(shuffled.sort(compareSemver), sorted);
  assert.equal(compareSemver('1.0.0+build.1', '1.0.0'), 0);
});

test('versionHistory lists versions lowest first with publishedAt, absolute URLs and aliases; an unknown model is VERSION_NOT_FOUND', () => {
  const version = (/** @type {string} */ v, /** @type {string} */ at) => ({ file: `iris/${v}.onnx`, size: 3, sha256: 'a'.repeat(64), publishedAt: at });
  const manifest = {
    schemaVersion: 1,
    models: {
      iris: {
        versions: { '1.10.0': version('1.10.0', '2026-03-01T00:00:00Z'), '1.2.0': version('1.2.0', '2026-02-01T00:00:00Z'), '1.0.0': version('1.0.0', '2026-01-01T00:00:00Z') },
        aliases: { stable: '1.2.0', prod: '1.2.0', canary: '1.10.0' },
        aliasHistory: [
          { alias: 'stable', version: '1.0.0', previous: null, at: '2026-01-01T00:00:00Z' },
          { alias: 'stable', version: '1.2.0', previous: '1.0.0', at: '2026-02-01T00:00:00Z' },
        ],
      },
    },
  };
  const history = versionHistory(manifest, 'iris', new URL('https://cdn.example/models/manifest.json'));
  assert.deepEqual(history.versions.map((v) => v.version), ['1.0.0', '1.2.0', '1.10.0']);
  assert.deepEqual(history.versions.map((v) => v.publishedAt), ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']);
  assert.equal(history.versions[1].url, 'https://cdn.example/models/iris/1.2.0.onnx');
  assert.deepEqual(history.versions.map((v) => v.aliases), [[], ['prod', 'stable'], ['canary']]);
  assert.deepEqual(history.aliases, { stable: '1.2.0', prod: '1.2.0', canary: '1.10.0' });
  assert.equal(history.aliasHistory.length, 2);
  assert.throws(() => versionHistory(manifest, 'digits', new URL('https://x.example/')), (/** @type {any} */ error) => {
    assert.equal(error.code, 'VERSION_NOT_FOUND');
    assert.deepEqual(error.details.available, ['iris']);
    return true;
  });
  assert.throws(() => versionHistory(manifest, 'toString', new URL('https://x.example/')), { code: 'VERSION_NOT_FOUND' });
});
