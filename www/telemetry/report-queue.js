// The reporter's queue: reports waiting to be delivered, oldest first, capped by count and bytes. What the cap
// pushes out (the oldest first) is counted exactly, in the stored state too, so the count survives reloads.
// Every change is read-modify-write under a lock: the Web Locks API where there is one (two tabs share one
// IndexedDB queue and must not send a report twice), else a lock inside this queue.

/** @typedef {import('./queue-stores.js').QueueStore} QueueStore */
/** @typedef {import('./queue-stores.js').QueueState} QueueState */
/** @typedef {import('./queue-stores.js').QueuedReport} QueuedReport */

export class ReportQueue {
  /** @type {QueueStore} */
  #store;
  #lockName;
  /** @type {Promise<unknown>} */
  #local = Promise.resolve();
  /** The last state this queue read or wrote (for the page-hide path, which cannot wait for a lock). @type {QueueState} */
  mirror = { items: [], dropped: 0 };

  /**
   * @param {QueueStore} store
   * @param {{ name: string, maxItems: number, maxBytes: number }} options
   */
  constructor(store, options) {
    this.#store = store;
    this.#lockName = `onnx-edge-telemetry-${options.name}`;
    /** @readonly */
    this.maxItems = options.maxItems;
    /** @readonly */
    this.maxBytes = options.maxBytes;
  }

  /**
   * Run `fn` on the stored state under the lock; it returns the new state (or null for no change) and a result.
   * @template R
   * @param {(state: QueueState) => Promise<{ state: QueueState | null, result: R }> | { state: QueueState | null, result: R }} fn
   * @returns {Promise<R>}
   */
  update(fn) {
    const body = async () => {
      const state = await this.#store.read();
      this.mirror = state;
      const { state: next, result } = await fn(state);
      if (next !== null) {
        await this.#store.write(next);
        this.mirror = next;
      }
      return result;
    };
    const locks = /** @type {{ locks?: { request: (name: string, fn: () => Promise<R>) => Promise<R> } } | undefined} */ (
      /** @type {any} */ (globalThis).navigator);
    const turn = this.#local.then(() => (locks?.locks !== undefined ? locks.locks.request(this.#lockName, body) : body()));
    this.#local = turn.catch(() => {});
    return turn;
  }

  /**
   * Add a report, then drop the oldest beyond the caps. With `take`, the report is whatever `take()` returns under
   * the lock (null: nothing to add), so that of two tabs only one adopts a report stashed at page hide.
   * @param {QueuedReport | (() => QueuedReport | null)} report
   * @returns {Promise<{ dropped: number, total: number }>} dropped now, and ever
   */
  add(report) {
    return this.update((state) => {
      const adding = typeof report === 'function' ? report() : report;
      if (adding === null) return { state: null, result: { dropped: 0, total: state.dropped } };
      const items = [...state.items, adding];
      let bytes = items.reduce((sum, item) => sum + item.body.length, 0);
      let dropped = 0;
      while (items.length > 0 && (items.length > this.maxItems || bytes > this.maxBytes)) {
        const gone = /** @type {QueuedReport} */ (items.shift());
        bytes -= gone.body.length;
        dropped += 1;
      }
      const next = { items, dropped: state.dropped + dropped };
      return { state: next, result: { dropped, total: next.dropped } };
    });
  }

  /**
   * Remove reports by id (delivered, or refused for good).
   * @param {readonly string[]} ids
   * @param {number} [dropped] how many of them count as dropped
   * @returns {Promise<void>}
   */
  remove(ids, dropped = 0) {
    const gone = new Set(ids);
    return this.update((state) => ({
      state: { items: state.items.filter((item) => !gone.has(item.id)), dropped: state.dropped + dropped },
      result: undefined,
    }));
  }

  /** Delete every queued report (opt-out). */
  clear() {
    return this.update((state) => ({ state: { items: [], dropped: state.dropped }, result: undefined }));
  }
}
