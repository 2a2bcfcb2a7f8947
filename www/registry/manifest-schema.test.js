// schemas/manifest.schema.json against manifests: one written here from the Rust types, one written by
// `onnx-edge publish` (when the CLI is built), and broken ones.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO } from '../test-support/fixtures.js';
import { schemaErrors } from './test-support/json-schema-check.js';
import { cliMissing, makeRegistry } from './test-support/registry-fixture.js';

const schema = JSON.parse(await readFile(path.join(REPO, 'schemas', 'manifest.schema.json'), 'utf8'));

const SHA = 'c'.repeat(64);
const EXAMPLE = {
  schemaVersion: 1,
  models: {
    iris: {
      versions: {
        '1.0.0': {
          file: `iris/${SHA}.onnx`, size: 79947, sha256: SHA, publishedAt: '2026-11-26T12:00:00Z',
          inputs: [{ name: 'X', type: 'float32', dims: ['N', 4] }],
          outputs: [{ name: 'label', type: 'int64', dims: ['N'] }, { name: 'probabilities', type: 'float32', dims: ['N', 3] }],
          labels: ['setosa', 'versicolor', 'virginica'],
          metadata: { producerName: 'skl2onnx', opsets: [{ domain: '', version: 17 }], metadataProps: {} },
          reference: { features: [] },
          gate: { cases: [] },
        },
        '1.1.0-rc.1': { file: `iris/${SHA}.onnx`, size: 79947, sha256: SHA, publishedAt: '2026-11-26T12:01:00Z', metadata: null },
        '1.2.0': { file: `iris/${SHA}.nnef.tar`, size: 30000, sha256: SHA, format: 'nnef', publishedAt: '2026-11-26T12:02:00Z' },
      },
      aliases: { stable: '1.0.0' },
      aliasHistory: [{ alias: 'stable', version: '1.0.0', previous: null, at: '2026-11-26T12:00:00Z' }],
      rollout: { weights: { '1.0.0': 90, '1.1.0-rc.1': 10 }, shadow: '1.1.0-rc.1' },
    },
  },
  signature: { algorithm: 'ed25519', publicKey: `${'A'.repeat(43)}=`, value: `${'B'.repeat(86)}==` },
};

test('the schema accepts a manifest of every field the Rust types define', () => {
  assert.deepEqual(schemaErrors(schema, EXAMPLE), []);
  assert.deepEqual(schemaErrors(schema, { schemaVersion: 1 }), [], 'models defaults to {}');
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('the schema refuses what the format does not allow', () => {
  /** @type {[string, (m: any) => void][]} */
  const breakages = [
    ['an upper-case sha256', (m) => { m.models.iris.versions['1.0.0'].sha256 = SHA.toUpperCase(); }],
    ['a short sha256', (m) => { m.models.iris.versions['1.0.0'].sha256 = 'c'.repeat(63); }],
    ['a version that is not semver', (m) => { m.models.iris.versions['1.0'] = m.models.iris.versions['1.0.0']; }],
    ['a missing size', (m) => { delete m.models.iris.versions['1.0.0'].size; }],
    ['a negative size', (m) => { m.models.iris.versions['1.0.0'].size = -1; }],
    ['a file format other than onnx or nnef', (m) => { m.models.iris.versions['1.2.0'].format = 'tflite'; }],
    ['another algorithm', (m) => { m.signature.algorithm = 'rsa'; }],
    ['an unknown top-level member', (m) => { m.extra = true; }],
    ['no schemaVersion', (m) => { delete m.schemaVersion; }],
    ['an alias history entry without a time', (m) => { delete m.models.iris.aliasHistory[0].at; }],
  ];
  for (const [what, breakIt] of breakages) {
    const manifest = structuredClone(EXAMPLE);
    breakIt(manifest);
    assert.notDeepEqual(schemaErrors(schema, manifest), [], what);
  }
});

test('a manifest written by onnx-edge publish conforms to the schema', { skip: cliMissing(), timeout: 120_000 }, async () => {
  const registry = await makeRegistry();
  try {
    const manifest = JSON.parse(await readFile(path.join(registry.dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(schemaErrors(schema, manifest), []);
    assert.equal(manifest.signature?.algorithm, 'ed25519');
    assert.equal(manifest.signature?.publicKey, registry.publicKey);
    for (const [version, entry] of Object.entries(manifest.models.iris.versions)) {
      const { sha256, size } = /** @type {{ sha256: string, size: number, file: string }} */ (entry);
      assert.equal(size, registry.files[version].size);
      assert.ok(/** @type {{ file: string }} */ (entry).file.includes(sha256), 'content-addressed file name');
      const onDisk = await readFile(path.join(registry.dir, /** @type {{ file: string }} */ (entry).file));
      assert.equal(onDisk.length, size);
    }
  } finally {
    await registry.remove();
  }
});
