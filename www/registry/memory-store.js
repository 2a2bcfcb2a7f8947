// A cache store in memory: for runtimes without Cache Storage or a file system, and for tests.

/** @typedef {import('./stores.js').CacheStore} CacheStore */

/**
 * Keeps bytes in a Map for the life of the object.
 * @implements {CacheStore}
 */
export class MemoryStore {
  /** @type {Map<string, Uint8Array>} */
  #entries = new Map();

  /**
   * @param {string} key
   * @returns {Promise<Uint8Array | undefined>}
   */
  async match(key) {
    const bytes = this.#entries.get(key);
    return bytes === undefined ? undefined : new Uint8Array(bytes);
  }

  /**
   * @param {string} key
   * @param {Uint8Array} bytes
   * @returns {Promise<void>}
   */
  async put(key, bytes) {
    this.#entries.set(key, new Uint8Array(bytes));
  }

  /**
   * @param {string} key
   * @returns {Promise<boolean>}
   */
  async delete(key) {
    return this.#entries.delete(key);
  }

  /** @returns {Promise<string[]>} */
  async keys() {
    return [...this.#entries.keys()];
  }
}
