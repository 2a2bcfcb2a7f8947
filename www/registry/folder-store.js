// A cache store in a folder (Node, Deno, Bun): one file per key, written to a temporary name and renamed, so a
// reader never sees half a file.

/** @typedef {import('./stores.js').CacheStore} CacheStore */

/**
 * What this file uses from node:fs/promises.
 * @typedef {object} Fs
 * @property {(path: string) => Promise<Uint8Array>} readFile
 * @property {(path: string, data: Uint8Array) => Promise<void>} writeFile
 * @property {(from: string, to: string) => Promise<void>} rename
 * @property {(path: string, options?: { force?: boolean, recursive?: boolean }) => Promise<void>} rm
 * @property {(path: string) => Promise<string[]>} readdir
 * @property {(path: string, options: { recursive: true }) => Promise<unknown>} mkdir
 */

/** Prefix of files being written. */
const TEMPORARY = '.tmp-';

/**
 * The file name of a key: letters, digits, `-` and `_` stay; every other byte becomes `%XX`.
 * @param {string} key
 * @returns {string}
 */
export function fileNameOf(key) {
  let name = '';
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte);
    name += /[A-Za-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}

/**
 * The key of a file name made by `fileNameOf`, or undefined for a file that is not one.
 * @param {string} name
 * @returns {string | undefined}
 */
export function keyOf(name) {
  if (name.startsWith(TEMPORARY) || !/^([A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(name)) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

/**
 * Keeps bytes as files in `dir` (created on the first `put`).
 * @implements {CacheStore}
 */
export class FolderStore {
  /** @type {Promise<{ fs: Fs, join: (...parts: string[]) => string }> | null} */
  #modules = null;

  /** @param {string} dir */
  constructor(dir) {
    /** The folder. @readonly */
    this.dir = dir;
  }

  /** @returns {Promise<{ fs: Fs, join: (...parts: string[]) => string }>} */
  #load() {
    if (this.#modules === null) {
      const fsName = 'node:fs/promises'; // variables, so bundlers for the browser leave them alone
      const pathName = 'node:path';
      this.#modules = Promise.all([import(fsName), import(pathName)]).then(([fs, path]) => ({ fs, join: path.join }));
    }
    return this.#modules;
  }

  /**
   * @param {string} key
   * @returns {Promise<Uint8Array | undefined>}
   */
  async match(key) {
    const { fs, join } = await this.#load();
    try {
      const buffer = await fs.readFile(join(this.dir, fileNameOf(key)));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * @param {string} key
   * @param {Uint8Array} bytes
   * @returns {Promise<void>}
   */
  async put(key, bytes) {
    const { fs, join } = await this.#load();
    await fs.mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `${TEMPORARY}${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
    try {
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, join(this.dir, fileNameOf(key)));
    } catch (error) {
      await fs.rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
  }

  /**
   * @param {string} key
   * @returns {Promise<void>}
   */
  async delete(key) {
    const { fs, join } = await this.#load();
    await fs.rm(join(this.dir, fileNameOf(key)), { force: true });
  }

  /** @returns {Promise<string[]>} */
  async keys() {
    const { fs } = await this.#load();
    try {
      const names = await fs.readdir(this.dir);
      return names.map(keyOf).filter(/** @returns {key is string} */ (key) => key !== undefined);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }
}

/**
 * @param {unknown} error
 * @returns {unknown}
 */
function errorCode(error) {
  return /** @type {{ code?: unknown }} */ (error)?.code;
}
