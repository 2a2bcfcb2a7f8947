import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CacheIndex } from './cache-index.js';
import { aliasedSha256s, chooseEvictions } from './eviction.js';
import { MemoryStore } from './memory-store.js';

/**
 * @param {string} sha256
 * @param {number} size
 * @param {number} lastUsed
 * @returns {import('./cache-index.js').CacheEntry}
 */
const entry = (sha256, size, lastUsed) => ({ key: `model-${sha256}`, sha256, size, lastUsed, name: 'iris', version: sha256 });

describe('chooseEvictions', () => {
  test('drops least recently used first, only as many as needed', () => {
    const entries = [entry('c', 30, 3), entry('a', 30, 1), entry('b', 30, 2)];
    assert.deepEqual(chooseEvictions(entries, { maxBytes: 90, keep: new Set() }), []);
    assert.deepEqual(chooseEvictions(entries, { maxBytes: 60, keep: new Set() }).map((e) => e.sha256), ['a']);
    assert.deepEqual(chooseEvictions(entries, { maxBytes: 59, keep: new Set() }).map((e) => e.sha256), ['a', 'b']);
  });

  test('never drops a kept (aliased) version, even if the rest then does not fit', () => {
    const entries = [entry('a', 30, 1), entry('b', 30, 2), entry('c', 30, 3)];
    assert.deepEqual(chooseEvictions(entries, { maxBytes: 30, keep: new Set(['a']) }).map((e) => e.sha256), ['b', 'c']);
    assert.deepEqual(chooseEvictions(entries, { maxBytes: 0, keep: new Set(['a', 'b', 'c']) }), []);
  });
});

test('aliasedSha256s names the files of versions an alias points to, in every model', () => {
  const version = (/** @type {string} */ sha256) => ({ file: `${sha256}.onnx`, size: 1, sha256, publishedAt: '2026-01-01T00:00:00Z' });
  const manifest = {
    schemaVersion: 1,
    models: {
      iris: { versions: { '1.0.0': version('a'), '1.1.0': version('b'), '2.0.0': version('c') }, aliases: { stable: '1.1.0', canary: '2.0.0' } },
      digits: { versions: { '0.1.0': version('d') }, aliases: { stable: '0.1.0', ghost: '9.9.9' } },
      bare: { versions: { '0.1.0': version('e') } },
    },
  };
  assert.deepEqual([...aliasedSha256s(manifest)].sort(), ['b', 'c', 'd']);
});

describe('CacheIndex', () => {
  test('touch orders by last use (strictly increasing), remove forgets, and a new index over the same store reads it', async () => {
    const store = new MemoryStore();
    const index = new CacheIndex(store, 'index-test');
    const base = { name: 'iris', size: 10 };
    await Promise.all(['a', 'b', 'c'].map((s) => index.touch({ ...base, key: `model-${s}`, sha256: s, version: s })));
    await index.touch({ ...base, key: 'model-a', sha256: 'a', version: 'a' });
    const entries = await index.entries();
    assert.deepEqual(entries.sort((x, y) => x.lastUsed - y.lastUsed).map((e) => e.sha256), ['b', 'c', 'a']);
    assert.equal(new Set(entries.map((e) => e.lastUsed)).size, 3, 'no two uses share a time');
    await index.remove(['model-c']);
    const again = new CacheIndex(store, 'index-test');
    assert.deepEqual((await again.entries()).map((e) => e.sha256).sort(), ['a', 'b']);
  });

  test('a damaged index reads as empty', async () => {
    const store = new MemoryStore();
    await store.put('index-x', new TextEncoder().encode('{not json'));
    assert.deepEqual(await new CacheIndex(store, 'index-x').entries(), []);
    await store.put('index-x', new TextEncoder().encode(JSON.stringify({ entries: [{ key: 1 }, null] })));
    assert.deepEqual(await new CacheIndex(store, 'index-x').entries(), []);
  });
});
