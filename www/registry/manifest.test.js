// The manifest's fetching, revalidation and fallback, with unsigned manifests from loopback (no wasm needed);
// signed manifests are covered by registry.test.js against `onnx-edge publish`.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { checkManifestShape, fetchManifest, manifestFromObject, readStored, verifyManifestText } from './manifest.js';
import { MemoryStore } from './memory-store.js';
import { startLoopbackServer } from './test-support/loopback-server.js';

const MANIFEST = {
  schemaVersion: 1,
  models: {
    iris: {
      versions: { '1.0.0': { file: `iris/${'a'.repeat(64)}.onnx`, size: 3, sha256: 'a'.repeat(64), publishedAt: '2026-01-01T00:00:00Z' } },
      aliases: { stable: '1.0.0' },
      aliasHistory: [],
    },
  },
};

/** What the server answers now. */
let body = JSON.stringify(MANIFEST);
let etag = '"v1"';
let status = 200;

/** @type {import('./test-support/loopback-server.js').LoopbackServer} */
let server;
before(async () => {
  server = await startLoopbackServer((request, response) => {
    if (status !== 200) {
      response.writeHead(status);
      response.end();
    } else if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag });
      response.end();
    } else {
      response.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' });
      response.end(body);
    }
  });
});
after(() => server.close());

/**
 * @param {import('./stores.js').CacheStore} store
 * @param {Partial<import('./manifest.js').FetchManifestOptions>} [extra]
 */
const get = (store, extra = {}) => fetchManifest({ url: new URL('/manifest.json', server.url), fetch, store, key: 'manifest-test', ...extra });

describe('fetchManifest', () => {
  test('fetches and keeps a verified copy; then revalidates with If-None-Match and uses the 304', async () => {
    body = JSON.stringify(MANIFEST);
    etag = '"v1"';
    status = 200;
    const store = new MemoryStore();
    const first = await get(store);
    assert.equal(first.source, 'network');
    assert.equal(first.etag, '"v1"');
    assert.equal(first.signed, false);
    assert.deepEqual(first.manifest, MANIFEST);
    const kept = await readStored(store, 'manifest-test', new URL('/manifest.json', server.url));
    assert.equal(kept?.text, body);

    const before = server.requests.length;
    const second = await get(store); // from the store's copy: a new registry, same cache
    assert.equal(second.source, 'notModified');
    assert.deepEqual(second.manifest, MANIFEST);
    assert.equal(server.requests[before].headers['if-none-match'], '"v1"');

    const third = await get(store, { known: second }); // from the copy in memory
    assert.equal(third.source, 'notModified');
  });

  test('a changed manifest replaces the kept copy', async () => {
    const store = new MemoryStore();
    await get(store);
    const changed = structuredClone(MANIFEST);
    changed.models.iris.aliases.stable = '1.0.0';
    /** @type {any} */ (changed.models.iris).aliases.canary = '1.0.0';
    body = JSON.stringify(changed);
    etag = '"v2"';
    try {
      const next = await get(store);
      assert.equal(next.source, 'network');
      assert.equal(next.etag, '"v2"');
      assert.deepEqual(next.manifest, changed);
      const kept = await readStored(store, 'manifest-test', new URL('/manifest.json', server.url));
      assert.equal(kept?.etag, '"v2"');
    } finally {
      body = JSON.stringify(MANIFEST);
      etag = '"v1"';
    }
  });

  test('when the network fails (no answer, HTTP 5xx) the last verified copy is used; other statuses are FETCH', async () => {
    const store = new MemoryStore();
    await get(store);
    // The copy is kept for this URL: a fetch that gets no answer stands for the network going away.
    const offline = await get(store, { fetch: () => Promise.reject(new TypeError('fetch failed')) });
    assert.equal(offline.source, 'offline');
    assert.deepEqual(offline.manifest, MANIFEST);
    status = 503;
    try {
      assert.equal((await get(store)).source, 'offline');
      status = 404;
      await assert.rejects(get(store), { code: 'FETCH', details: { url: new URL('/manifest.json', server.url).href, status: 404 } });
      status = 503;
      await assert.rejects(get(new MemoryStore()), { code: 'FETCH', details: { url: new URL('/manifest.json', server.url).href, status: 503 } },
        'nothing kept: the failure shows');
    } finally {
      status = 200;
    }
  });

  test('an unparseable or misshapen manifest is MANIFEST_INVALID and is not kept', async () => {
    for (const bad of ['{"schemaVersion": 1, "models": ', JSON.stringify({ schemaVersion: 1, models: { iris: { versions: { '1.0.0': { file: 'x', size: 1, sha256: 'XYZ' } } } } })]) {
      body = bad;
      etag = '"bad"';
      const store = new MemoryStore();
      await assert.rejects(get(store), { code: 'MANIFEST_INVALID' });
      assert.deepEqual(await store.keys(), []);
    }
    body = JSON.stringify(MANIFEST);
    etag = '"v1"';
  });

  test('a kept copy that no longer passes is dropped and the manifest fetched afresh', async () => {
    const store = new MemoryStore();
    const url = new URL('/manifest.json', server.url);
    await store.put('manifest-test', new TextEncoder().encode(JSON.stringify({ url: url.href, etag: '"v1"', text: '{"tampered":', verifiedAt: 1 })));
    const state = await get(store);
    assert.equal(state.source, 'network');
    assert.deepEqual(state.manifest, MANIFEST);
  });

  test('an unsigned manifest from another machine is SIGNATURE, without a publicKey', async () => {
    const fake = async () => new Response(JSON.stringify(MANIFEST), { headers: { etag: '"x"' } });
    await assert.rejects(fetchManifest({ url: new URL('https://cdn.example/manifest.json'), fetch: fake, store: new MemoryStore(), key: 'k' }),
      (/** @type {any} */ error) => error.code === 'SIGNATURE' && error.details.reason === 'noPublicKey');
    await assert.rejects(fetchManifest({ url: new URL('http://cdn.example/manifest.json'), fetch: fake, store: new MemoryStore(), key: 'k' }),
      { code: 'FETCH' }, 'plain http elsewhere is refused before that');
  });
});

describe('manifest checks', () => {
  test('an object manifest is accepted unsigned when no key is given', async () => {
    const state = await manifestFromObject(MANIFEST, {});
    assert.equal(state.source, 'object');
    assert.deepEqual(state.manifest, MANIFEST);
    await assert.rejects(verifyManifestText('[]', {}), { code: 'MANIFEST_INVALID' });
  });

  test('checkManifestShape names the first problem', () => {
    /** @type {[unknown, string][]} */
    const cases = [
      [null, '$'],
      [{ models: {} }, '$.schemaVersion'],
      [{ schemaVersion: 1, models: [] }, '$.models'],
      [{ schemaVersion: 1, models: { iris: { versions: { '1.0.0': { file: '', size: 1, sha256: 'a'.repeat(64) } } } } }, '$.models["iris"].versions["1.0.0"].file'],
      [{ schemaVersion: 1, models: { iris: { versions: { '1.0.0': { file: 'f', size: -1, sha256: 'a'.repeat(64) } } } } }, '$.models["iris"].versions["1.0.0"].size'],
      [{ schemaVersion: 1, models: { iris: { aliases: { stable: 1 } } } }, '$.models["iris"].aliases'],
    ];
    for (const [value, path] of cases) {
      assert.throws(() => checkManifestShape(value), (/** @type {any} */ error) => error.code === 'MANIFEST_INVALID' && error.details.path === path, path);
    }
    checkManifestShape(MANIFEST);
  });
});
