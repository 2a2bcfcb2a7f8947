// The signature contract from the other side: a manifest signed here with node:crypto over sorted, compact JSON
// (what any server can reproduce) verifies through the core, and the registry loads from it. Needs the wasm build,
// not the CLI.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO } from '../test-support/fixtures.js';
import { ModelRegistry } from './registry.js';
import { startLoopbackServer } from './test-support/loopback-server.js';
import { wasmMissing } from './test-support/registry-fixture.js';

const skip = await wasmMissing();

/**
 * Sorted keys, no whitespace: the bytes the signature covers.
 * @param {unknown} value
 * @returns {string}
 */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = /** @type {Record<string, unknown>} */ (value);
    return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A fresh Ed25519 key pair: the public key as base64 of its 32 bytes. */
function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64') };
}

const keys = keyPair();
const bytes = new Uint8Array(await readFile(path.join(REPO, 'tests', 'fixtures', 'models', 'iris_rf.onnx')));
const sha256 = createHash('sha256').update(bytes).digest('hex');
/** @type {any} */
const manifest = {
  schemaVersion: 1,
  models: {
    iris: {
      versions: { '1.0.0': { file: `iris/${sha256}.onnx`, size: bytes.length, sha256, publishedAt: '2026-11-26T12:00:00Z', inputs: [], outputs: [], metadata: { note: 'ünïcode / "quoted"' } } },
      aliases: { stable: '1.0.0' },
      aliasHistory: [{ alias: 'stable', version: '1.0.0', previous: null, at: '2026-11-26T12:00:00Z' }],
    },
  },
};
manifest.signature = { algorithm: 'ed25519', publicKey: keys.publicKey, value: sign(null, Buffer.from(canonical(manifest)), keys.privateKey).toString('base64') };

/** @type {import('./test-support/loopback-server.js').LoopbackServer} */
let server;
before(async () => {
  server = await startLoopbackServer((request, response) => {
    if (request.url === '/models/manifest.json') {
      response.writeHead(200, { 'content-type': 'application/json', etag: '"m1"' });
      response.end(JSON.stringify(manifest, null, 2)); // formatting and key order of the file do not matter
    } else if (request.url === `/models/iris/${sha256}.onnx`) {
      response.writeHead(200, { 'content-length': String(bytes.length) });
      response.end(bytes);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
});
after(() => server.close());

describe('a manifest signed outside the CLI', { skip }, () => {
  test('verifies through the core and loads', async () => {
    const registry = new ModelRegistry({ manifest: `${server.url}/models/manifest.json`, publicKey: keys.publicKey, cache: 'memory' });
    const session = await registry.load('iris');
    assert.deepEqual(session.model, { name: 'iris', version: '1.0.0', alias: 'stable', sha256 });
    assert.equal((await registry.resolve('iris@1.0.0')).url, `${server.url}/models/iris/${sha256}.onnx`);
    assert.equal(registry.manifestStatus?.signed, true);
    await session.release();
  });

  test('another key, or one changed byte of content, is SIGNATURE', async () => {
    await assert.rejects(new ModelRegistry({ manifest: `${server.url}/models/manifest.json`, publicKey: keyPair().publicKey, cache: 'memory' }).resolve('iris'),
      { code: 'SIGNATURE' });
    const changed = structuredClone(manifest);
    changed.models.iris.versions['1.0.0'].size += 1;
    await assert.rejects(new ModelRegistry({ manifest: changed, publicKey: keys.publicKey, cache: 'memory' }).resolve('iris'), { code: 'SIGNATURE' });
    await assert.rejects(new ModelRegistry({ manifest: changed, publicKey: 'not base64!', cache: 'memory' }).resolve('iris'), { code: 'SIGNATURE' });
  });

  test('a manifest the core cannot read is MANIFEST_INVALID', async () => {
    const incomplete = { schemaVersion: 1, models: { iris: { versions: { '1.0.0': { file: 'x.onnx', size: 1, sha256 } } } } };
    await assert.rejects(new ModelRegistry({ manifest: incomplete, cache: 'memory' }).resolve('iris'), { code: 'MANIFEST_INVALID' });
  });
});
