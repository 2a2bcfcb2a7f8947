// Where the registry keeps verified model files and the last verified manifest: the `cache` option, turned into a
// store with `match` and `put` (and, when it can, `delete` and `keys`).

import { argumentError, ErrorCode } from '../errors.js';
import { CacheStorageStore } from './cache-storage-store.js';
import { FolderStore } from './folder-store.js';
import { MemoryStore } from './memory-store.js';

/**
 * A place to keep bytes by string key. `match` may answer with bytes, an ArrayBuffer or a Response (as Cache
 * Storage does), and `undefined` (or `null`) when it has nothing. Without `delete` the registry cannot evict or
 * purge; without `keys` it purges only what it remembers putting.
 * @typedef {object} CacheStore
 * @property {(key: string) => Promise<Uint8Array | ArrayBuffer | Response | undefined | null>} match
 * @property {(key: string, bytes: Uint8Array) => Promise<void>} put
 * @property {(key: string) => Promise<unknown>} [delete]
 * @property {() => Promise<string[]>} [keys]
 */

/**
 * The `cache` option: `'auto'` (default: Cache Storage in browsers, a folder under `os.tmpdir()/onnx-edge-cache`
 * in Node, Deno and Bun, memory elsewhere), `'memory'`, `'none'`, `{ dir }` (a folder of your choice, Node, Deno
 * and Bun), or your own store.
 * @typedef {'auto' | 'memory' | 'none' | { dir: string } | CacheStore} CacheOption
 */

/**
 * A store that keeps nothing (`cache: 'none'`).
 * @implements {CacheStore}
 */
export class NoStore {
  /**
   * @param {string} key
   * @returns {Promise<undefined>}
   */
  async match(key) {
    void key;
    return undefined;
  }

  /**
   * @param {string} key
   * @param {Uint8Array} bytes
   * @returns {Promise<void>}
   */
  async put(key, bytes) {
    void key;
    void bytes;
  }

  /**
   * @param {string} key
   * @returns {Promise<void>}
   */
  async delete(key) {
    void key;
  }

  /** @returns {Promise<string[]>} */
  async keys() {
    return [];
  }
}

/**
 * Check the `cache` option (TypeError with code OPTIONS_INVALID when it is none of the accepted forms).
 * @param {unknown} cache
 * @returns {CacheOption}
 */
export function checkCacheOption(cache) {
  if (cache === undefined) return 'auto';
  if (cache === 'auto' || cache === 'memory' || cache === 'none') return cache;
  if (typeof cache === 'object' && cache !== null) {
    const candidate = /** @type {Record<string, unknown>} */ (cache);
    if (typeof candidate.dir === 'string' && candidate.dir !== '') return /** @type {{ dir: string }} */ (candidate);
    if (typeof candidate.match === 'function' && typeof candidate.put === 'function') return /** @type {CacheStore} */ (candidate);
  }
  throw argumentError(ErrorCode.OPTIONS_INVALID,
    "cache must be 'auto', 'memory', 'none', { dir } or a store with match(key) and put(key, bytes)", {
      reason: 'cache',
    });
}

/**
 * The store for a `cache` option.
 * @param {CacheOption} cache
 * @returns {Promise<CacheStore>}
 */
export async function openStore(cache) {
  if (cache === 'none') return new NoStore();
  if (cache === 'memory') return new MemoryStore();
  if (cache === 'auto') return openDefaultStore();
  if ('dir' in cache && typeof cache.dir === 'string') return new FolderStore(cache.dir);
  return /** @type {CacheStore} */ (cache);
}

/**
 * Bytes from what a store's `match` answered, or undefined for a miss.
 * @param {Uint8Array | ArrayBuffer | Response | undefined | null} found
 * @returns {Promise<Uint8Array | undefined>}
 */
export async function toBytes(found) {
  if (found === undefined || found === null) return undefined;
  if (found instanceof Uint8Array) return found;
  if (found instanceof ArrayBuffer) return new Uint8Array(found);
  if (ArrayBuffer.isView(found)) return new Uint8Array(found.buffer, found.byteOffset, found.byteLength);
  if (typeof Response === 'function' && found instanceof Response) {
    if (!found.ok) return undefined;
    return new Uint8Array(await found.arrayBuffer());
  }
  return undefined;
}

/**
 * Cache Storage in browsers, a folder in Node, Deno and Bun, memory elsewhere (Cloudflare Workers, whose `caches`
 * is a shared HTTP cache, not a place to keep files).
 * @returns {Promise<CacheStore>}
 */
async function openDefaultStore() {
  const g = /** @type {any} */ (globalThis);
  const fileSystem = Boolean(g.process?.versions?.node) || typeof g.Deno === 'object' || typeof g.Bun === 'object';
  if (fileSystem) {
    try {
      const osName = 'node:os'; // variables, so bundlers for the browser leave them alone
      const pathName = 'node:path';
      const [os, path] = await Promise.all([import(osName), import(pathName)]);
      return new FolderStore(path.join(os.tmpdir(), 'onnx-edge-cache'));
    } catch {
      return new MemoryStore();
    }
  }
  const workerd = g.navigator?.userAgent === 'Cloudflare-Workers';
  if (!workerd && typeof g.caches === 'object' && g.caches !== null && typeof g.caches.open === 'function') {
    try {
      // Opening fails where Cache Storage is switched off (opaque origins, some private modes): use memory then.
      const store = new CacheStorageStore(g.caches);
      await store.keys();
      return store;
    } catch {
      return new MemoryStore();
    }
  }
  return new MemoryStore();
}
