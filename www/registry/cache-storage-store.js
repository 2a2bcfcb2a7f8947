// A cache store in the browser's Cache Storage (`caches`): survives reloads and works offline. Keys become
// requests for URLs under a reserved host that is never fetched.

/** @typedef {import('./stores.js').CacheStore} CacheStore */

/** The URL prefix of keys in the cache. `.invalid` is reserved (RFC 2606): these requests never hit the network. */
const KEY_PREFIX = 'https://onnx-edge.invalid/registry/';

/**
 * Keeps bytes in the Cache Storage cache `cacheName`.
 * @implements {CacheStore}
 */
export class CacheStorageStore {
  /** @type {Promise<Cache> | null} */
  #cache = null;

  /**
   * @param {CacheStorage} storage usually `globalThis.caches`
   * @param {string} [cacheName]
   */
  constructor(storage, cacheName = 'onnx-edge-registry') {
    /** @readonly */
    this.storage = storage;
    /** @readonly */
    this.cacheName = cacheName;
  }

  /** @returns {Promise<Cache>} */
  #open() {
    if (this.#cache === null) {
      const opening = this.storage.open(this.cacheName);
      this.#cache = opening;
      opening.catch(() => {
        if (this.#cache === opening) this.#cache = null;
      });
    }
    return this.#cache;
  }

  /**
   * @param {string} key
   * @returns {Promise<Response | undefined>}
   */
  async match(key) {
    const cache = await this.#open();
    return cache.match(KEY_PREFIX + encodeURIComponent(key));
  }

  /**
   * @param {string} key
   * @param {Uint8Array} bytes
   * @returns {Promise<void>}
   */
  async put(key, bytes) {
    const cache = await this.#open();
    const body = /** @type {BodyInit} */ (/** @type {unknown} */ (bytes));
    await cache.put(KEY_PREFIX + encodeURIComponent(key), new Response(body, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
    }));
  }

  /**
   * @param {string} key
   * @returns {Promise<boolean>}
   */
  async delete(key) {
    const cache = await this.#open();
    return cache.delete(KEY_PREFIX + encodeURIComponent(key));
  }

  /** @returns {Promise<string[]>} */
  async keys() {
    const cache = await this.#open();
    const requests = await cache.keys();
    return requests
      .map((request) => request.url)
      .filter((url) => url.startsWith(KEY_PREFIX))
      .map((url) => decodeURIComponent(url.slice(KEY_PREFIX.length)));
  }
}
