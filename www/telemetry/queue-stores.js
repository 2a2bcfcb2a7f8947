// Where the reporter's offline queue is kept: IndexedDB in browsers (survives reloads), a JSON file under a folder
// in Node, Deno and Bun, or memory. Each store reads and writes the whole queue state at once (it is capped, so
// small), which keeps every change atomic: one IndexedDB put, or a file written to a temporary name and renamed.

import { argumentError, ErrorCode } from '../errors.js';

/**
 * One queued report: an OTLP JSON request (`metrics`), or sampled raw inputs (`inputs`, only with
 * `includeInputs: true`).
 * @typedef {{ id: string, kind: 'metrics' | 'inputs', body: string, createdAt: number }} QueuedReport
 */

/**
 * The queue as it is stored: reports oldest first, and how many were ever dropped from it.
 * @typedef {{ items: QueuedReport[], dropped: number }} QueueState
 */

/**
 * @typedef {object} QueueStore
 * @property {() => Promise<QueueState>} read
 * @property {(state: QueueState) => Promise<void>} write
 * @property {string} kind `indexeddb`, `file`, `memory` or `custom`
 */

/**
 * What `report({ storage })` takes: `'auto'` (default: IndexedDB where there is one, else memory), `'memory'`,
 * `'indexeddb'`, `{ dir }` (a file in that folder; Node, Deno, Bun), or a QueueStore.
 * @typedef {'auto' | 'memory' | 'indexeddb' | { dir: string } | QueueStore} StorageOption
 */

/**
 * What the file store uses from node:fs/promises and node:path (typed here: the package's types do not depend on
 * @types/node).
 * @typedef {object} FileSystem
 * @property {(path: string, encoding: 'utf8') => Promise<string>} readFile
 * @property {(path: string, data: string) => Promise<void>} writeFile
 * @property {(from: string, to: string) => Promise<void>} rename
 * @property {(path: string, options: { recursive: true }) => Promise<unknown>} mkdir
 * @typedef {{ join: (...parts: string[]) => string }} PathModule
 */

/** @returns {QueueState} */
export function emptyState() {
  return { items: [], dropped: 0 };
}

/**
 * @param {StorageOption | undefined} storage
 * @param {string} name the queue's name (from the collector URL), so that two reporters do not share a queue
 * @returns {Promise<QueueStore>}
 */
export async function openQueueStore(storage, name) {
  const option = storage ?? 'auto';
  if (option === 'memory') return memoryStore();
  if (option === 'indexeddb' || (option === 'auto' && typeof indexedDB !== 'undefined')) {
    if (typeof indexedDB === 'undefined') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'storage: IndexedDB is not available here', { reason: 'storage' });
    }
    return indexedDbStore(name);
  }
  if (option === 'auto') return memoryStore();
  if (typeof option === 'object' && option !== null && 'dir' in option && typeof option.dir === 'string') return fileStore(option.dir, name);
  if (typeof option === 'object' && option !== null && 'read' in option && typeof option.read === 'function' && typeof option.write === 'function') {
    return option;
  }
  throw argumentError(ErrorCode.OPTIONS_INVALID, "storage is 'auto', 'memory', 'indexeddb', { dir } or an object with read and write", { reason: 'storage' });
}

/** @returns {QueueStore} */
export function memoryStore() {
  /** @type {QueueState} */
  let state = emptyState();
  return {
    kind: 'memory',
    read: async () => structuredClone(state),
    write: async (next) => { state = structuredClone(next); },
  };
}

const DB_NAME = 'onnx-edge-telemetry';
const DB_STORE = 'queues';

/**
 * @param {string} name
 * @returns {QueueStore}
 */
function indexedDbStore(name) {
  /** @type {Promise<IDBDatabase> | null} */
  let opening = null;
  const open = () => {
    opening ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => { request.result.createObjectStore(DB_STORE); };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opening = null; reject(request.error); };
    });
    return opening;
  };
  /**
   * @template T
   * @param {IDBTransactionMode} mode
   * @param {(store: IDBObjectStore) => IDBRequest} action
   * @returns {Promise<T>}
   */
  const run = async (mode, action) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(DB_STORE, mode);
      const request = action(tx.objectStore(DB_STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  return {
    kind: 'indexeddb',
    read: async () => checkState(await run('readonly', (s) => s.get(name))),
    write: async (state) => { await run('readwrite', (s) => s.put(state, name)); },
  };
}

/**
 * @param {string} dir
 * @param {string} name
 * @returns {Promise<QueueStore>}
 */
async function fileStore(dir, name) {
  const fsName = 'node:fs/promises'; // variables, so bundlers for the browser leave them alone
  const pathName = 'node:path';
  /** @type {[FileSystem, PathModule]} */
  let modules;
  try {
    modules = await Promise.all([import(fsName), import(pathName)]);
  } catch (error) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, 'storage: { dir } needs a file system (Node, Deno, Bun)', { reason: 'storage' });
  }
  const [fs, path] = modules;
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `telemetry-queue-${name}.json`);
  let writes = 0;
  const unique = Math.random().toString(36).slice(2, 10);
  return {
    kind: 'file',
    read: async () => {
      try {
        return checkState(JSON.parse(await fs.readFile(file, 'utf8')));
      } catch {
        return emptyState();
      }
    },
    write: async (state) => {
      writes += 1;
      const temporary = `${file}.tmp-${unique}-${writes}`;
      await fs.writeFile(temporary, JSON.stringify(state));
      await fs.rename(temporary, file);
    },
  };
}

/**
 * A stored state as it should be; anything else (missing, damaged) is an empty queue.
 * @param {unknown} value
 * @returns {QueueState}
 */
function checkState(value) {
  const state = /** @type {Partial<QueueState> | undefined} */ (value);
  if (typeof state !== 'object' || state === null || !Array.isArray(state.items)) return emptyState();
  const items = state.items.filter((item) => typeof item === 'object' && item !== null
    && typeof item.id === 'string' && typeof item.body === 'string' && (item.kind === 'metrics' || item.kind === 'inputs'));
  return { items, dropped: typeof state.dropped === 'number' && state.dropped >= 0 ? state.dropped : 0 };
}
