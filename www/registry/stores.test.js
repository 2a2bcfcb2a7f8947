import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { CacheStorageStore } from './cache-storage-store.js';
import { FolderStore, fileNameOf, keyOf } from './folder-store.js';
import { MemoryStore } from './memory-store.js';
import { NoStore, checkCacheOption, openStore, toBytes } from './stores.js';

/** A stand-in for the browser's CacheStorage (Node has none): request URL -> stored Response. */
class FakeCacheStorage {
  /** @type {Map<string, Map<string, Response>>} */
  caches = new Map();

  /** @param {string} name */
  async open(name) {
    const entries = this.caches.get(name) ?? new Map();
    this.caches.set(name, entries);
    /** @param {RequestInfo | URL} r */
    const urlOf = (r) => (typeof r === 'string' ? r : r instanceof URL ? r.href : r.url);
    return /** @type {Cache} */ (/** @type {unknown} */ ({
      match: async (/** @type {RequestInfo} */ r) => entries.get(urlOf(r))?.clone(),
      put: async (/** @type {RequestInfo} */ r, /** @type {Response} */ response) => {
        const url = urlOf(r);
        if (!/^https?:/.test(url)) throw new TypeError('Request scheme must be http or https');
        entries.set(url, new Response(await response.arrayBuffer(), { headers: response.headers }));
      },
      delete: async (/** @type {RequestInfo} */ r) => entries.delete(urlOf(r)),
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
    }));
  }
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-stores-'));
after(() => rm(tmp, { recursive: true, force: true }));

const KEYS = ['model-' + 'ab'.repeat(32), 'manifest-0123456789abcdef', 'odd key/with:ünïcode*..'];

/** @type {[string, () => import('./stores.js').CacheStore][]} */
const STORES = [
  ['MemoryStore', () => new MemoryStore()],
  ['FolderStore', () => new FolderStore(path.join(tmp, `folder-${Math.random().toString(36).slice(2)}`))],
  ['CacheStorageStore', () => new CacheStorageStore(/** @type {CacheStorage} */ (/** @type {unknown} */ (new FakeCacheStorage())))],
];

for (const [name, make] of STORES) {
  describe(name, () => {
    test('put, match, keys and delete round-trip bytes under any key', async () => {
      const store = make();
      assert.equal(await toBytes(await store.match(KEYS[0])), undefined, 'a miss before anything is put');
      for (const [i, key] of KEYS.entries()) await store.put(key, new Uint8Array([i, 1, 2, 3]));
      for (const [i, key] of KEYS.entries()) assert.deepEqual(await toBytes(await store.match(key)), new Uint8Array([i, 1, 2, 3]));
      assert.deepEqual((await /** @type {() => Promise<string[]>} */ (store.keys)()).sort(), [...KEYS].sort());
      await store.put(KEYS[0], new Uint8Array([9]));
      assert.deepEqual(await toBytes(await store.match(KEYS[0])), new Uint8Array([9]), 'put replaces');
      await store.delete?.(KEYS[0]);
      assert.equal(await toBytes(await store.match(KEYS[0])), undefined);
      assert.deepEqual((await /** @type {() => Promise<string[]>} */ (store.keys)()).sort(), KEYS.slice(1).sort());
    });

    test('the stored bytes do not change when the caller changes its array', async () => {
      const store = make();
      const bytes = new Uint8Array([1, 2, 3]);
      await store.put('k', bytes);
      bytes[0] = 42;
      assert.deepEqual(await toBytes(await store.match('k')), new Uint8Array([1, 2, 3]));
    });
  });
}

describe('FolderStore files', () => {
  test('file names are safe on every file system and map back to their keys', () => {
    for (const key of [...KEYS, '..', '.', 'a\\b', 'CON']) {
      const name = fileNameOf(key);
      assert.match(name, /^([A-Za-z0-9_-]|%[0-9A-F]{2})+$/);
      assert.equal(keyOf(name), key);
    }
  });

  test('keys() skips files being written and files it did not make; a missing folder has no keys', async () => {
    const dir = path.join(tmp, 'listing');
    const store = new FolderStore(dir);
    assert.deepEqual(await store.keys(), []);
    await store.put('a', new Uint8Array([1]));
    await writeFile(path.join(dir, '.tmp-half'), 'x');
    await writeFile(path.join(dir, 'not a key.txt'), 'x');
    assert.deepEqual(await store.keys(), ['a']);
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('.tmp-')), ['.tmp-half'], 'put leaves no temporary file');
  });
});

describe('the cache option', () => {
  test('accepts the documented forms and refuses others with OPTIONS_INVALID', () => {
    assert.equal(checkCacheOption(undefined), 'auto');
    for (const ok of ['auto', 'memory', 'none']) assert.equal(checkCacheOption(ok), ok);
    const dir = { dir: tmp };
    assert.equal(checkCacheOption(dir), dir);
    const own = { match: async () => undefined, put: async () => {} };
    assert.equal(checkCacheOption(own), own);
    for (const bad of ['disk', 42, null, {}, { dir: '' }, { match: () => {} }]) {
      assert.throws(() => checkCacheOption(bad), (error) => error instanceof TypeError && /** @type {any} */ (error).code === 'OPTIONS_INVALID');
    }
  });

  test("'auto' is a folder under the temp dir in Node; 'none' keeps nothing", async () => {
    const auto = await openStore('auto');
    assert.ok(auto instanceof FolderStore);
    assert.equal(auto.dir, path.join(os.tmpdir(), 'onnx-edge-cache'));
    assert.ok((await openStore('memory')) instanceof MemoryStore);
    assert.ok((await openStore({ dir: tmp })) instanceof FolderStore);
    const none = await openStore('none');
    assert.ok(none instanceof NoStore);
    await none.put('k', new Uint8Array([1]));
    assert.equal(await none.match('k'), undefined);
  });

  test('toBytes takes what a store may answer', async () => {
    assert.deepEqual(await toBytes(new Uint8Array([1])), new Uint8Array([1]));
    assert.deepEqual(await toBytes(new Uint8Array([1, 2]).buffer), new Uint8Array([1, 2]));
    assert.deepEqual(await toBytes(new Response(new Uint8Array([3]))), new Uint8Array([3]));
    assert.equal(await toBytes(new Response('gone', { status: 404 })), undefined);
    assert.equal(await toBytes(undefined), undefined);
    assert.equal(await toBytes(null), undefined);
  });
});
