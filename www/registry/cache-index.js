// The registry's record of what it put in the store: per model file its size, version and last use, kept in the
// store itself (one JSON entry per manifest), so that eviction and purge also work after a restart.

import { toBytes } from './stores.js';

/**
 * One cached model file.
 * @typedef {object} CacheEntry
 * @property {string} key its key in the store
 * @property {string} sha256
 * @property {number} size bytes
 * @property {string} name
 * @property {string} version
 * @property {number} lastUsed milliseconds since the epoch, strictly increasing within one index
 */

/** @typedef {import('./stores.js').CacheStore} CacheStore */

export class CacheIndex {
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();

  /**
   * @param {CacheStore} store
   * @param {string} key the index's own key in the store
   */
  constructor(store, key) {
    /** @readonly */
    this.store = store;
    /** @readonly */
    this.key = key;
  }

  /**
   * Every entry, as last written.
   * @returns {Promise<CacheEntry[]>}
   */
  async entries() {
    await this.#queue.catch(() => {});
    return this.#read();
  }

  /**
   * Record a use of a file (added if new).
   * @param {Omit<CacheEntry, 'lastUsed'>} entry
   * @returns {Promise<CacheEntry[]>} every entry after the change
   */
  touch(entry) {
    return this.#update((entries) => {
      const latest = entries.reduce((max, e) => Math.max(max, e.lastUsed), 0);
      const lastUsed = Math.max(Date.now(), latest + 1);
      return [...entries.filter((e) => e.key !== entry.key), { ...entry, lastUsed }];
    });
  }

  /**
   * Forget files.
   * @param {readonly string[]} keys
   * @returns {Promise<CacheEntry[]>}
   */
  remove(keys) {
    const gone = new Set(keys);
    return this.#update((entries) => entries.filter((e) => !gone.has(e.key)));
  }

  /**
   * Change the index: one change at a time, each reading what the last wrote.
   * @param {(entries: CacheEntry[]) => CacheEntry[]} change
   * @returns {Promise<CacheEntry[]>}
   */
  #update(change) {
    const next = this.#queue.catch(() => {}).then(async () => {
      const entries = change(await this.#read());
      await this.store.put(this.key, new TextEncoder().encode(JSON.stringify({ entries })));
      return entries;
    });
    this.#queue = next;
    return next;
  }

  /** @returns {Promise<CacheEntry[]>} */
  async #read() {
    try {
      const bytes = await toBytes(await this.store.match(this.key));
      if (bytes === undefined) return [];
      const parsed = JSON.parse(new TextDecoder().decode(bytes));
      const entries = Array.isArray(parsed?.entries) ? parsed.entries : [];
      return entries.filter(isEntry);
    } catch {
      return [];
    }
  }
}

/**
 * @param {unknown} value
 * @returns {value is CacheEntry}
 */
function isEntry(value) {
  if (typeof value !== 'object' || value === null) return false;
  const e = /** @type {Record<string, unknown>} */ (value);
  return typeof e.key === 'string' && typeof e.sha256 === 'string' && typeof e.size === 'number'
    && typeof e.name === 'string' && typeof e.version === 'string' && typeof e.lastUsed === 'number';
}
