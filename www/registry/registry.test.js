// ModelRegistry end to end in Node: a registry made by the native CLI (keygen, publish of three versions, alias),
// served by `onnx-edge serve` on 127.0.0.1, each test with its own cache folder.

import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Tensor } from '../tensor.js';
import { buildFeeds, compareOutputs, loadIrisCase } from '../test-support/fixtures.js';
import { ModelRegistry } from './registry.js';
import { FolderStore } from './folder-store.js';
import { VERSIONS, cliMissing, docStringOf, makeRegistry, serve, wasmMissing } from './test-support/registry-fixture.js';

const skip = cliMissing() || (await wasmMissing());

/** @type {import('./test-support/registry-fixture.js').TestRegistry} */
let published;
/** @type {import('./test-support/registry-fixture.js').Served} */
let server;
/** @type {string} */
let caches;

before(async () => {
  if (skip) return;
  published = await makeRegistry();
  server = await serve(published.dir);
  caches = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-registry-caches-'));
});

after(async () => {
  await server?.stop();
  await published?.remove();
  if (caches) await rm(caches, { recursive: true, force: true });
});

/** A fresh cache folder. */
async function cacheDir() {
  return mkdtemp(path.join(caches, 'cache-'));
}

/**
 * A fetch that records what it asked and what it got.
 * @returns {{ fetch: import('./download.js').FetchFunction, log: { url: string, status: number, ifNoneMatch: string | null }[] }}
 */
function recordingFetch() {
  /** @type {{ url: string, status: number, ifNoneMatch: string | null }[]} */
  const log = [];
  return {
    log,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(init?.headers);
      log.push({ url: String(input), status: response.status, ifNoneMatch: headers.get('if-none-match') });
      return response;
    },
  };
}

/**
 * @param {Partial<import('./registry.js').RegistryOptions>} [options]
 */
async function registryFor(options = {}) {
  return new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir: await cacheDir() }, ...options });
}

/**
 * Model files in a cache folder.
 * @param {string} dir
 */
async function cachedModelKeys(dir) {
  return (await new FolderStore(dir).keys()).filter((key) => key.startsWith('model-')).sort();
}

describe('ModelRegistry against onnx-edge publish + serve', { skip }, () => {
  test('resolve: exact version, range, alias, bare name; VERSION_NOT_FOUND lists what exists', async () => {
    const registry = await registryFor();
    const exact = await registry.resolve('iris@1.2.0');
    assert.deepEqual({ ...exact, url: undefined }, {
      name: 'iris', version: '1.2.0', alias: null, sha256: published.files['1.2.0'].sha256, size: published.files['1.2.0'].size,
      url: undefined, aliases: ['stable'],
    });
    assert.ok(exact.url.startsWith(`${server.url}/`) && exact.url.includes(exact.sha256), exact.url);
    assert.equal((await registry.resolve('iris@^1.2')).version, '1.3.0');
    assert.equal((await registry.resolve('iris@~1.2')).version, '1.2.0');
    const stable = await registry.resolve('iris@stable');
    assert.equal(stable.version, '1.2.0');
    assert.equal(stable.alias, 'stable');
    const canary = await registry.resolve('iris@canary');
    assert.deepEqual([canary.version, canary.alias, canary.aliases], ['1.3.0', 'canary', ['canary']]);
    assert.deepEqual([(await registry.resolve('iris')).version, (await registry.resolve('iris')).alias], ['1.2.0', 'stable']);
    await assert.rejects(registry.resolve('iris@^3'), (/** @type {any} */ error) => {
      assert.equal(error.code, 'VERSION_NOT_FOUND');
      assert.equal(error.details.name, 'iris');
      assert.equal(error.details.spec, '^3');
      assert.deepEqual(error.details.available, [...VERSIONS]);
      assert.deepEqual(error.details.aliases, ['canary', 'stable']);
      return true;
    });
    await assert.rejects(registry.resolve('digits@1.0.0'), { code: 'VERSION_NOT_FOUND' });
    assert.equal(registry.manifestStatus?.signed, true);
  });

  test('versions(): every version with publishedAt, lowest first; aliases and their history', async () => {
    const history = await (await registryFor()).versions('iris');
    assert.deepEqual(history.versions.map((v) => v.version), [...VERSIONS]);
    for (const v of history.versions) {
      assert.ok(!Number.isNaN(Date.parse(v.publishedAt)), v.publishedAt);
      assert.equal(v.sha256, published.files[v.version].sha256);
      assert.ok(v.url.startsWith(`${server.url}/`));
    }
    const times = history.versions.map((v) => Date.parse(v.publishedAt));
    assert.deepEqual([...times].sort((a, b) => a - b), times, 'published in version order');
    assert.deepEqual(history.aliases, { stable: '1.2.0', canary: '1.3.0' });
    assert.deepEqual(history.aliasHistory.map(({ alias, version, previous }) => ({ alias, version, previous })), [
      { alias: 'stable', version: '1.0.0', previous: null },
      { alias: 'canary', version: '1.3.0', previous: null },
      { alias: 'stable', version: '1.2.0', previous: '1.0.0' },
    ]);
    await assert.rejects((await registryFor()).versions('digits'), { code: 'VERSION_NOT_FOUND' });
  });

  test('load: streams with monotonic progress ending at the total, checks, caches, and runs like the fixture', async () => {
    const registry = await registryFor();
    /** @type {{ loaded: number, total: number }[]} */
    const events = [];
    const session = await registry.load('iris@stable', { onProgress: (p) => events.push(p) });
    try {
      assert.deepEqual(session.model, { name: 'iris', version: '1.2.0', alias: 'stable', sha256: published.files['1.2.0'].sha256 });
      assert.equal(session.metadata.docString, docStringOf('1.2.0'), 'the bytes of 1.2.0 were loaded');
      assert.ok(events.length >= 1);
      for (let i = 1; i < events.length; i += 1) assert.ok(events[i].loaded > events[i - 1].loaded, 'monotonic');
      assert.ok(events.every((e) => e.total === published.files['1.2.0'].size));
      assert.equal(events.at(-1)?.loaded, events.at(-1)?.total);
      const iris = await loadIrisCase();
      for (const run of iris.runs) {
        const outputs = await session.run(buildFeeds(Tensor, run.inputs));
        const actual = Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, { type: t.type, dims: [...t.dims], data: Array.from(/** @type {ArrayLike<number>} */ (t.data), Number) }]));
        assert.deepEqual(compareOutputs(actual, run.outputs, { atol: 1e-4, rtol: 0 }, iris.exact).failures, []);
      }
    } finally {
      await session.release();
    }
    const cached = await registry.cached();
    assert.deepEqual(cached.map((e) => [e.version, e.sha256]), [['1.2.0', published.files['1.2.0'].sha256]]);
    const exact = await registry.load('iris@1.0.0');
    assert.deepEqual(exact.model, { name: 'iris', version: '1.0.0', alias: undefined, sha256: published.files['1.0.0'].sha256 });
    assert.equal(exact.metadata.docString, docStringOf('1.0.0'));
    await exact.release();
  });

  test('a second load is served from the cache with the server stopped (offline), by the same and a new registry', async () => {
    const own = await serve(published.dir);
    const dir = await cacheDir();
    try {
      const first = new ModelRegistry({ manifest: own.manifestUrl, publicKey: published.publicKey, cache: { dir } });
      const fetched = await first.fetchModel('iris@^1.2');
      assert.equal(fetched.fromCache, false);
      await own.stop();

      /** @type {{ loaded: number, total: number }[]} */
      const events = [];
      const again = await first.load('iris@^1.2', { onProgress: (p) => events.push(p) });
      assert.equal(again.model?.version, '1.3.0');
      assert.deepEqual(events, [{ loaded: published.files['1.3.0'].size, total: published.files['1.3.0'].size }]);
      assert.equal(first.manifestStatus?.source, 'offline');
      await again.release();

      const fresh = new ModelRegistry({ manifest: own.manifestUrl, publicKey: published.publicKey, cache: { dir } });
      const offline = await fresh.load('iris@^1.2');
      assert.equal(offline.model?.sha256, published.files['1.3.0'].sha256);
      assert.equal(fresh.manifestStatus?.source, 'offline');
      await offline.release();
      await assert.rejects(fresh.load('iris@1.0.0'), { code: 'FETCH' }, 'a version never cached needs the network');
    } finally {
      await own.stop();
    }
  });

  test('the manifest is revalidated with If-None-Match and a 304 reuses the verified copy', async () => {
    const dir = await cacheDir();
    const a = recordingFetch();
    await new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir }, fetch: a.fetch }).fetchModel('iris@stable');
    assert.deepEqual(a.log.map((r) => [r.status, r.ifNoneMatch === null]), [[200, true], [200, true]], 'manifest, then the model');

    const b = recordingFetch();
    const registry = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir }, fetch: b.fetch });
    const { fromCache } = await registry.fetchModel('iris@stable');
    assert.equal(fromCache, true);
    assert.equal(b.log.length, 1, 'only the manifest is asked for');
    assert.equal(b.log[0].status, 304);
    assert.ok(b.log[0].ifNoneMatch);
    assert.equal(registry.manifestStatus?.source, 'notModified');
    await registry.resolve('iris@canary');
    assert.deepEqual(b.log.map((r) => r.status), [304, 304], 'each call revalidates (manifestMaxAgeMs 0)');

    const lazy = recordingFetch();
    const cached = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir }, fetch: lazy.fetch, manifestMaxAgeMs: 60_000 });
    await cached.resolve('iris');
    await cached.resolve('iris@canary');
    assert.equal(lazy.log.length, 1, 'within manifestMaxAgeMs the manifest is not asked for again');
  });

  test('a corrupted byte in the served file is INTEGRITY, and nothing is cached', async () => {
    const copy = path.join(published.root, 'corrupt');
    await cp(published.dir, copy, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(copy, 'manifest.json'), 'utf8'));
    const file = path.join(copy, manifest.models.iris.versions['1.2.0'].file);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] ^= 0x01;
    await writeFile(file, bytes);
    const bad = await serve(copy);
    const dir = await cacheDir();
    try {
      const registry = new ModelRegistry({ manifest: bad.manifestUrl, publicKey: published.publicKey, cache: { dir } });
      await assert.rejects(registry.load('iris@stable'), (/** @type {any} */ error) => {
        assert.equal(error.code, 'INTEGRITY');
        assert.equal(error.details.expected, published.files['1.2.0'].sha256);
        assert.notEqual(error.details.actual, published.files['1.2.0'].sha256);
        return true;
      });
      assert.deepEqual(await cachedModelKeys(dir), []);
      assert.deepEqual(await registry.cached(), []);
      const fine = await registry.load('iris@1.0.0');
      await fine.release();
      assert.deepEqual(await cachedModelKeys(dir), [`model-${published.files['1.0.0'].sha256}`]);
    } finally {
      await bad.stop();
    }
  });

  test('a damaged copy in the cache is not used: the file is downloaded again', async () => {
    const dir = await cacheDir();
    const registry = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir } });
    await registry.fetchModel('iris@1.0.0');
    const store = new FolderStore(dir);
    const key = `model-${published.files['1.0.0'].sha256}`;
    const damaged = /** @type {Uint8Array} */ (await store.match(key));
    damaged[10] ^= 0xff;
    await store.put(key, damaged);
    const again = await registry.fetchModel('iris@1.0.0');
    assert.equal(again.fromCache, false);
    assert.deepEqual(again.bytes, published.files['1.0.0'].bytes);
    assert.deepEqual(await store.match(key), published.files['1.0.0'].bytes);
  });

  test('a wrong key or a tampered manifest is SIGNATURE, and nothing is kept', async () => {
    const dir = await cacheDir();
    const stranger = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.otherPublicKey, cache: { dir } });
    await assert.rejects(stranger.resolve('iris@stable'), { code: 'SIGNATURE' });
    await assert.rejects(stranger.load('iris@stable'), { code: 'SIGNATURE' });
    assert.deepEqual(await new FolderStore(dir).keys(), []);

    const copy = path.join(published.root, 'tampered');
    await cp(published.dir, copy, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(copy, 'manifest.json'), 'utf8'));
    manifest.models.iris.aliases.stable = '1.0.0';
    await writeFile(path.join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const tampered = await serve(copy);
    try {
      const registry = new ModelRegistry({ manifest: tampered.manifestUrl, publicKey: published.publicKey, cache: { dir } });
      await assert.rejects(registry.resolve('iris@stable'), { code: 'SIGNATURE' });
      const unsigned = JSON.parse(await readFile(path.join(published.dir, 'manifest.json'), 'utf8'));
      delete unsigned.signature;
      await writeFile(path.join(copy, 'manifest.json'), JSON.stringify(unsigned));
      await assert.rejects(new ModelRegistry({ manifest: tampered.manifestUrl, publicKey: published.publicKey, cache: 'memory' }).resolve('iris'), { code: 'SIGNATURE' });
      await writeFile(path.join(copy, 'manifest.json'), '{ "schemaVersion": 1, ');
      await assert.rejects(new ModelRegistry({ manifest: tampered.manifestUrl, publicKey: published.publicKey, cache: 'memory' }).resolve('iris'), { code: 'MANIFEST_INVALID' });
      assert.deepEqual(await new FolderStore(dir).keys(), []);
    } finally {
      await tampered.stop();
    }
  });

  test('without a publicKey an unsigned (or unverified) manifest is accepted from loopback only', async () => {
    const registry = new ModelRegistry({ manifest: server.manifestUrl, cache: 'memory' });
    assert.equal((await registry.resolve('iris@stable')).version, '1.2.0');
    assert.equal(registry.manifestStatus?.signed, false);
    const remote = new ModelRegistry({
      manifest: 'https://models.example/manifest.json', cache: 'memory',
      fetch: async () => new Response(await readFile(path.join(published.dir, 'manifest.json'))),
    });
    await assert.rejects(remote.resolve('iris'), { code: 'SIGNATURE' });
  });

  test('a manifest object must carry a valid signature when a publicKey is given', async () => {
    const manifest = JSON.parse(await readFile(path.join(published.dir, 'manifest.json'), 'utf8'));
    const registry = new ModelRegistry({ manifest, publicKey: published.publicKey, baseUrl: `${server.url}/`, cache: { dir: await cacheDir() } });
    const session = await registry.load('iris@canary');
    assert.equal(session.model?.version, '1.3.0');
    assert.equal(registry.manifestStatus?.source, 'object');
    await session.release();
    manifest.models.iris.aliases.canary = '1.0.0';
    await assert.rejects(new ModelRegistry({ manifest, publicKey: published.publicKey, cache: 'memory' }).resolve('iris@canary'), { code: 'SIGNATURE' });
    assert.equal((await new ModelRegistry({ manifest, cache: 'memory', baseUrl: `${server.url}/` }).resolve('iris@canary')).version, '1.0.0',
      'no key: the object is taken as it is');
  });

  test('abort through signal: FETCH with details.aborted, nothing cached', async () => {
    const dir = await cacheDir();
    const registry = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir } });
    const controller = new AbortController();
    await assert.rejects(registry.load('iris@1.3.0', { signal: controller.signal, onProgress: () => controller.abort() }), (/** @type {any} */ error) => {
      assert.equal(error.code, 'FETCH');
      assert.equal(error.details.aborted, true);
      return true;
    });
    await assert.rejects(registry.load('iris@1.3.0', { signal: AbortSignal.abort() }),
      (/** @type {any} */ error) => error.code === 'FETCH' && error.details.aborted === true);
    assert.deepEqual(await cachedModelKeys(dir), []);
    assert.deepEqual(await registry.cached(), []);
  });

  test('sessionOptions.limits.maxModelBytes is checked against the manifest before downloading', async () => {
    const log = recordingFetch();
    const registry = await registryFor({ fetch: log.fetch });
    await assert.rejects(registry.load('iris@stable', { sessionOptions: { limits: { maxModelBytes: 1000 } } }), {
      code: 'LIMIT_EXCEEDED', details: { kind: 'modelBytes', limit: 1000, actual: published.files['1.2.0'].size },
    });
    assert.equal(log.log.length, 1, 'the manifest only');
  });

  test('purge deletes what the registry cached', async () => {
    const own = await serve(published.dir);
    const dir = await cacheDir();
    try {
      const registry = new ModelRegistry({ manifest: own.manifestUrl, publicKey: published.publicKey, cache: { dir } });
      await registry.fetchModel('iris@1.0.0');
      await registry.fetchModel('iris@stable');
      assert.equal((await registry.cached()).length, 2);
      const purged = await registry.purge();
      assert.deepEqual(purged, { files: 2, bytes: published.files['1.0.0'].size + published.files['1.2.0'].size });
      assert.deepEqual(await registry.cached(), []);
      assert.deepEqual(await readdir(dir), []);
      await own.stop();
      await assert.rejects(registry.load('iris@stable'), { code: 'FETCH' }, 'offline after a purge: nothing to fall back on');
    } finally {
      await own.stop();
    }
  });

  test('eviction beyond maxCacheBytes drops least recently used versions, never the aliased ones', async () => {
    const dir = await cacheDir();
    const size = Math.max(...Object.values(published.files).map((f) => f.size));
    const registry = new ModelRegistry({ manifest: server.manifestUrl, publicKey: published.publicKey, cache: { dir }, maxCacheBytes: size });
    const sha = (/** @type {string} */ v) => published.files[v].sha256;
    await registry.fetchModel('iris@1.0.0');
    assert.deepEqual(await cachedModelKeys(dir), [`model-${sha('1.0.0')}`]);
    await registry.fetchModel('iris@stable'); // 1.2.0: over the cap, 1.0.0 (no alias) goes
    assert.deepEqual(await cachedModelKeys(dir), [`model-${sha('1.2.0')}`]);
    await registry.fetchModel('iris@canary'); // 1.3.0: over the cap, but both are aliased
    assert.deepEqual(await cachedModelKeys(dir), [`model-${sha('1.2.0')}`, `model-${sha('1.3.0')}`].sort());
    await registry.fetchModel('iris@1.0.0'); // kept as the file just loaded
    assert.deepEqual(await cachedModelKeys(dir), [`model-${sha('1.0.0')}`, `model-${sha('1.2.0')}`, `model-${sha('1.3.0')}`].sort());
    assert.deepEqual((await registry.cached()).map((e) => e.version), ['1.2.0', '1.3.0', '1.0.0'], 'least recently used first');
  });
});

describe('onnx-edge serve', { skip }, () => {
  test('MIME types, CORS, ETag with 304, immutable caching for content-addressed files only', async () => {
    const manifestResponse = await fetch(server.manifestUrl);
    await manifestResponse.arrayBuffer();
    assert.equal(manifestResponse.status, 200);
    assert.match(manifestResponse.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(manifestResponse.headers.get('access-control-allow-origin'), '*');
    assert.match(manifestResponse.headers.get('cache-control') ?? '', /no-cache/);
    const etag = manifestResponse.headers.get('etag');
    assert.ok(etag, 'an ETag');
    const revalidated = await fetch(server.manifestUrl, { headers: { 'if-none-match': etag } });
    assert.equal(revalidated.status, 304);

    const registry = await registryFor();
    const model = await registry.resolve('iris@stable');
    const file = await fetch(model.url);
    assert.equal((await file.arrayBuffer()).byteLength, model.size);
    assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(file.headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${server.url}/no-such-file`)).status, 404);
  });

  test('a .wasm file is served as application/wasm', async () => {
    const copy = await mkdtemp(path.join(published.root, 'wasm-'));
    await writeFile(path.join(copy, 'tiny.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const own = await serve(copy);
    try {
      const response = await fetch(`${own.url}/tiny.wasm`);
      await response.arrayBuffer();
      assert.equal(response.headers.get('content-type'), 'application/wasm');
    } finally {
      await own.stop();
    }
  });
});
