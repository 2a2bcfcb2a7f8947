// The batched OTLP reporter: every `intervalMs` (and on `flush()`), a report of the aggregates (an OTLP JSON
// `ExportMetricsServiceRequest`) joins a queue that is kept in IndexedDB (browsers) or a file (Node, `storage: {
// dir }`), then the queue is delivered oldest first. A failed delivery (network error, HTTP 408, 429 or 5xx) is
// retried with exponential backoff and jitter (1 s doubling to 5 min), at once when the browser comes back online;
// any other HTTP error drops the report (counted). When the page is hidden, what is new and what is queued leave
// with `fetch(…, { keepalive: true })` (or `navigator.sendBeacon` when keepalive fetch is refused) if the browser is
// online; offline, the new report is queued for the next visit.
//
// Delivery is exactly once while pages live (a report leaves the queue when the collector answered 2xx, under a
// Web Lock shared by the tabs); at page hide it is at most once (the report leaves the queue as it is handed to the
// browser, whose delivery cannot be confirmed). Every request carries `x-onnx-edge-report-id` so a collector or
// proxy can drop a duplicate. Reports hold aggregates only; sampled raw inputs are sent (to `inputsUrl`, or to
// `send` with `kind: 'inputs'`) only with `includeInputs: true`.

import { argumentError, ErrorCode } from '../errors.js';
import { openQueueStore } from './queue-stores.js';
import { ReportQueue } from './report-queue.js';

/** @typedef {import('./queue-stores.js').StorageOption} StorageOption */
/** @typedef {import('./queue-stores.js').QueuedReport} QueuedReport */
/** @typedef {import('./series.js').Series} Series */
/** @typedef {{ readonly type: string, readonly dims: readonly number[], readonly data: unknown }} TensorLike */

/**
 * A custom transport: deliver one report. Resolve `true` (or nothing, or a 2xx Response) when it was delivered;
 * `false`, a 408/429/5xx Response or a throw means try again later; another Response status drops the report.
 * @typedef {(report: { id: string, kind: 'metrics' | 'inputs', body: string, keepalive: boolean }) => Promise<boolean | void | Response> | boolean | void} SendFunction
 */

/**
 * @typedef {object} ReportOptions
 * @property {string | URL} [url] the collector's OTLP/HTTP metrics endpoint (`https://collector.example/v1/metrics`);
 *   or give `send`
 * @property {Record<string, string>} [headers] extra request headers, e.g. `{ authorization: 'Bearer …' }`
 * @property {number} [intervalMs] how often a report is made and delivered (default 60,000; 0: only on `flush()`,
 *   page hide and coming back online, e.g. in an edge function that flushes in `ctx.waitUntil`)
 * @property {SendFunction} [send] a custom transport instead of `url`
 * @property {number} [maxQueue] reports kept while they cannot be delivered (default 100); beyond, the oldest are
 *   dropped and counted (`dropped` event, `onnx_edge_telemetry_dropped_total`)
 * @property {number} [maxQueueBytes] bytes of reports kept (default 1 MiB), the same way
 * @property {StorageOption} [storage] where the queue is kept (default `'auto'`: IndexedDB in browsers, memory
 *   elsewhere; `{ dir }` for a file in Node, Deno and Bun)
 * @property {boolean} [includeInputs] also send sampled raw inputs (default false: inputs never leave the device)
 * @property {string | URL} [inputsUrl] where raw inputs are posted (needed with `url` and `includeInputs`)
 * @property {number} [maxInputRows] sampled runs kept per inputs report (default 100)
 * @property {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>} [fetch] default `globalThis.fetch`
 * @property {{ initialMs?: number, maxMs?: number }} [retry] backoff bounds (default 1 s and 5 min)
 * @property {boolean} [pageLifecycle] deliver on page hide and when back online (default true where there is a
 *   `document`)
 */

/**
 * What the reporter needs from its Telemetry.
 * @typedef {object} ReporterHost
 * @property {() => object} otlp
 * @property {() => number} changes
 * @property {() => boolean} enabled
 * @property {(count: number, reason: 'cap' | 'rejected', total: number) => void} dropped
 * @property {(sink: (series: Series, feeds: Readonly<Record<string, TensorLike>>) => void) => () => void} captureInputs
 * @property {() => void} stopped
 */

/** @typedef {{ sent: number, failed: number, dropped: number, queued: number }} FlushResult */

/** Browsers cap the body of keepalive requests and beacons at 64 KiB in flight. */
const KEEPALIVE_BYTES = 60 * 1024;

export class Reporter {
  /** @type {ReporterHost} */
  #host;
  /** @type {Required<Pick<ReportOptions, 'intervalMs' | 'maxQueue' | 'maxQueueBytes' | 'maxInputRows' | 'includeInputs'>> & ReportOptions} */
  #options;
  /** @type {(report: QueuedReport, keepalive: boolean) => Promise<'ok' | 'retry' | 'drop'>} */
  #deliver;
  /** @type {ReportQueue | null} */
  #queue = null;
  #lastChanges = -1;
  #failures = 0;
  /** @type {ReturnType<typeof setTimeout> | null} */
  #retryTimer = null;
  /** @type {ReturnType<typeof setInterval> | null} */
  #interval = null;
  #stopped = false;
  #sequence = 0;
  #idPrefix;
  /** localStorage key prefix of reports stashed at page hide. */
  #stashPrefix = '';
  /** @type {{ model: string, version: string, variant: string, inputs: Record<string, { type: string, dims: number[], data: (number | string)[] }> }[]} */
  #inputs = [];
  /** @type {(() => void)[]} */
  #cleanups = [];
  /** Ids being delivered now, or handed to the browser at page hide: never handed twice. @type {Set<string>} */
  #inFlight = new Set();
  /** @type {Promise<void>} */
  ready;

  /**
   * Not for direct use: call `telemetry.report(options)`.
   * @param {ReporterHost} host
   * @param {ReportOptions} options
   */
  constructor(host, options) {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'report(options): options must be an object', { reason: 'options' });
    }
    const { url, send, headers = {} } = options;
    if ((url === undefined) === (send === undefined)) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'report: give either url or send', { reason: 'url' });
    }
    if (send !== undefined && typeof send !== 'function') throw argumentError(ErrorCode.OPTIONS_INVALID, 'report: send must be a function', { reason: 'send' });
    if (typeof headers !== 'object' || headers === null || !Object.values(headers).every((v) => typeof v === 'string')) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'report: headers must be an object of strings', { reason: 'headers' });
    }
    const positive = /** @type {const} */ ([['intervalMs', 60_000, 0], ['maxQueue', 100, 1], ['maxQueueBytes', 1 << 20, 1], ['maxInputRows', 100, 1]]);
    /** @type {Record<string, number>} */
    const sizes = {};
    for (const [name, fallback, least] of positive) {
      const value = options[name] ?? fallback;
      if (typeof value !== 'number' || !(value >= least) || !Number.isFinite(value)) {
        throw argumentError(ErrorCode.OPTIONS_INVALID, `report: ${name} must be a number >= ${least}`, { reason: name });
      }
      sizes[name] = value;
    }
    const includeInputs = options.includeInputs === true;
    if (includeInputs && url !== undefined && options.inputsUrl === undefined) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'report: includeInputs with url needs inputsUrl (raw inputs are not OTLP metrics)', { reason: 'inputsUrl' });
    }
    this.#host = host;
    this.#options = {
      ...options,
      intervalMs: sizes.intervalMs, maxQueue: sizes.maxQueue, maxQueueBytes: sizes.maxQueueBytes, maxInputRows: sizes.maxInputRows, includeInputs,
    };
    this.#idPrefix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const metricsUrl = url === undefined ? null : new URL(url, globalThis.location?.href);
    const inputsUrl = options.inputsUrl === undefined ? null : new URL(options.inputsUrl, globalThis.location?.href);
    this.#deliver = send !== undefined ? viaSend(send) : viaHttp(/** @type {URL} */ (metricsUrl), inputsUrl, headers, options.fetch);
    const queueName = shortHash(metricsUrl?.href ?? 'send');
    this.#stashPrefix = `onnx-edge-telemetry:${queueName}:`;
    this.ready = openQueueStore(options.storage, queueName).then(async (store) => {
      const queue = new ReportQueue(store, { name: queueName, maxItems: this.#options.maxQueue, maxBytes: this.#options.maxQueueBytes });
      this.#queue = queue;
      await this.#adoptStashed().catch(() => {});
      await queue.update(() => ({ state: null, result: undefined }));
    });
    if (includeInputs) this.#cleanups.push(host.captureInputs((series, feeds) => this.#keepInputs(series, feeds)));
    if (this.#options.intervalMs > 0) {
      this.#interval = setInterval(() => { void this.flush().catch(() => {}); }, this.#options.intervalMs);
      unref(this.#interval);
    }
    if (options.pageLifecycle ?? typeof document !== 'undefined') this.#watchPage();
    // Reports queued by an earlier page or process go out as soon as the queue is open.
    void this.ready.then(() => ((this.#queue?.mirror.items.length ?? 0) > 0 ? this.#deliverQueued() : undefined), () => {});
  }

  /**
   * Make a report if anything changed since the last one, queue it, and deliver the queue.
   * @returns {Promise<FlushResult>}
   */
  async flush() {
    await this.ready;
    if (this.#stopped || !this.#host.enabled()) return { sent: 0, failed: 0, dropped: 0, queued: this.#queue?.mirror.items.length ?? 0 };
    const fresh = this.#takeReports();
    let dropped = 0;
    for (const report of fresh) dropped += await this.#enqueue(report);
    const result = await this.#deliverQueued();
    return { ...result, dropped: result.dropped + dropped };
  }

  /**
   * Reports waiting in the queue.
   * @returns {Promise<number>}
   */
  async queued() {
    return (await this.status()).queued;
  }

  /**
   * The queue now: reports waiting, their bytes, and how many were ever dropped from it (kept with the queue, so
   * across reloads and restarts; `onnx_edge_telemetry_dropped_total` counts this Telemetry's drops only).
   * @returns {Promise<{ queued: number, bytes: number, dropped: number }>}
   */
  async status() {
    await this.ready;
    const queue = /** @type {ReportQueue} */ (this.#queue);
    return queue.update((state) => ({
      state: null,
      result: { queued: state.items.length, bytes: state.items.reduce((sum, item) => sum + item.body.length, 0), dropped: state.dropped },
    }));
  }

  /**
   * Stop: a last flush (unless `flush: false`; what is queued stays queued for the next reporter on the same
   * storage), then no timers or listeners.
   * @param {{ flush?: boolean }} [options]
   * @returns {Promise<void>}
   */
  async stop(options = {}) {
    if (this.#stopped) return;
    if (options.flush !== false) await this.flush().catch(() => {});
    await this.ready.catch(() => {});
    this.#halt();
  }

  /**
   * Stop without sending and delete the queue (telemetry.disable()).
   * @returns {Promise<void>}
   */
  async discard() {
    this.#halt();
    await this.ready.catch(() => {});
    await this.#queue?.clear().catch(() => {});
  }

  #halt() {
    this.#stopped = true;
    if (this.#interval !== null) clearInterval(this.#interval);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#interval = null;
    this.#retryTimer = null;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#host.stopped();
  }

  /**
   * The reports to queue now: the metrics if anything changed since the last report, and the raw inputs kept.
   * @returns {QueuedReport[]}
   */
  #takeReports() {
    /** @type {QueuedReport[]} */
    const reports = [];
    const changes = this.#host.changes();
    if (changes !== this.#lastChanges) {
      this.#lastChanges = changes;
      reports.push(this.#report('metrics', JSON.stringify(this.#host.otlp())));
    }
    if (this.#inputs.length > 0) {
      const inputs = this.#inputs.splice(0);
      reports.push(this.#report('inputs', JSON.stringify({ inputs })));
    }
    return reports;
  }

  /**
   * @param {'metrics' | 'inputs'} kind
   * @param {string} body
   * @returns {QueuedReport}
   */
  #report(kind, body) {
    this.#sequence += 1;
    return { id: `${this.#idPrefix}-${this.#sequence}`, kind, body, createdAt: Date.now() };
  }

  /**
   * @param {QueuedReport} report
   * @returns {Promise<number>} reports dropped by the cap
   */
  async #enqueue(report) {
    const queue = /** @type {ReportQueue} */ (this.#queue);
    const { dropped, total } = await queue.add(report);
    if (dropped > 0) this.#host.dropped(dropped, 'cap', total);
    return dropped;
  }

  /**
   * Deliver the queue oldest first, under the queue's lock; stop at the first failure and retry later.
   * @returns {Promise<FlushResult>}
   */
  async #deliverQueued() {
    if (this.#queue !== null && !this.#stopped) await this.#adoptStashed().catch(() => {});
    const queue = this.#queue;
    if (queue === null || this.#stopped || !this.#host.enabled()) return { sent: 0, failed: 0, dropped: 0, queued: queue?.mirror.items.length ?? 0 };
    if (isOffline()) return { sent: 0, failed: 0, dropped: 0, queued: queue.mirror.items.length };
    const outcome = await queue.update(async (state) => {
      let sent = 0;
      let dropped = 0;
      let failed = 0;
      const left = [...state.items];
      while (left.length > 0 && !this.#stopped) {
        const report = left[0];
        if (this.#inFlight.has(report.id)) {
          left.shift(); // handed to the browser at page hide: it leaves the queue
          continue;
        }
        this.#inFlight.add(report.id);
        const verdict = await this.#deliver(report, false).catch(() => /** @type {const} */ ('retry'));
        this.#inFlight.delete(report.id);
        if (verdict === 'retry') {
          failed = 1;
          break;
        }
        left.shift();
        if (verdict === 'ok') sent += 1;
        else dropped += 1;
      }
      const changed = left.length !== state.items.length;
      return {
        state: changed ? { items: left, dropped: state.dropped + dropped } : null,
        result: { sent, failed, dropped, queued: left.length, total: state.dropped + dropped },
      };
    });
    if (outcome.dropped > 0) this.#host.dropped(outcome.dropped, 'rejected', outcome.total);
    if (outcome.failed > 0) this.#scheduleRetry();
    else this.#failures = 0;
    return { sent: outcome.sent, failed: outcome.failed, dropped: outcome.dropped, queued: outcome.queued };
  }

  #scheduleRetry() {
    this.#failures += 1;
    if (this.#retryTimer !== null || this.#stopped) return;
    const initial = this.#options.retry?.initialMs ?? 1000;
    const max = this.#options.retry?.maxMs ?? 300_000;
    const delay = Math.min(max, initial * 2 ** Math.min(this.#failures - 1, 30)) * (0.5 + Math.random() / 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#deliverQueued().catch(() => {});
    }, delay);
    unref(this.#retryTimer);
  }

  /**
   * Page hide: hand what is new and what is queued to the browser (online), or queue what is new (offline).
   */
  #onHide() {
    const queue = this.#queue;
    if (queue === null || this.#stopped || !this.#host.enabled()) return;
    const fresh = this.#takeReports();
    if (isOffline()) {
      // IndexedDB writes started while the page unloads may never commit; localStorage writes are synchronous.
      for (const report of fresh) if (!this.#stash(report)) void this.#enqueue(report).catch(() => {});
      return;
    }
    /** @type {QueuedReport[]} */
    const handed = [];
    let bytes = 0;
    for (const report of [...queue.mirror.items, ...fresh]) {
      if (this.#inFlight.has(report.id)) continue;
      if (bytes + report.body.length > KEEPALIVE_BYTES) {
        if (fresh.includes(report) && !this.#stash(report)) void this.#enqueue(report).catch(() => {});
        continue;
      }
      bytes += report.body.length;
      handed.push(report);
      this.#inFlight.add(report.id);
      void this.#deliver(report, true).catch(() => 'retry');
    }
    const queuedIds = handed.filter((r) => !fresh.includes(r)).map((r) => r.id);
    if (queuedIds.length > 0) void queue.remove(queuedIds).catch(() => {});
  }

  /**
   * Keep a report made at page hide in localStorage (synchronous, so it survives the unload); the next delivery
   * moves it into the queue. False where there is no localStorage or it is full.
   * @param {QueuedReport} report
   * @returns {boolean}
   */
  #stash(report) {
    try {
      const storage = pageStorage();
      if (storage === undefined) return false;
      storage.setItem(`${this.#stashPrefix}${report.id}`, JSON.stringify(report));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Move reports stashed at page hide (by this page or an earlier one) into the queue, oldest first.
   * @returns {Promise<void>}
   */
  async #adoptStashed() {
    const storage = pageStorage();
    if (storage === undefined) return;
    /** @type {{ key: string, createdAt: number }[]} */
    const keys = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(this.#stashPrefix)) keys.push({ key, createdAt: parseStashed(storage.getItem(key))?.createdAt ?? 0 });
    }
    keys.sort((a, b) => a.createdAt - b.createdAt);
    const queue = /** @type {ReportQueue} */ (this.#queue);
    for (const { key } of keys) {
      const store = storage;
      const { dropped, total } = await queue.add(() => {
        const report = parseStashed(store.getItem(key));
        store.removeItem(key);
        return report;
      });
      if (dropped > 0) this.#host.dropped(dropped, 'cap', total);
    }
  }

  #watchPage() {
    const g = /** @type {any} */ (globalThis);
    const onVisibility = () => {
      if (g.document?.visibilityState === 'hidden') this.#onHide();
    };
    const onPageHide = () => this.#onHide();
    const onOnline = () => {
      if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#failures = 0;
      void this.#deliverQueued().catch(() => {});
    };
    g.document?.addEventListener?.('visibilitychange', onVisibility);
    g.addEventListener?.('pagehide', onPageHide);
    g.addEventListener?.('online', onOnline);
    this.#cleanups.push(() => {
      g.document?.removeEventListener?.('visibilitychange', onVisibility);
      g.removeEventListener?.('pagehide', onPageHide);
      g.removeEventListener?.('online', onOnline);
    });
  }

  /**
   * Keep one sampled run's inputs (only with includeInputs), at most `maxInputRows` runs per report.
   * @param {Series} series
   * @param {Readonly<Record<string, TensorLike>>} feeds
   */
  #keepInputs(series, feeds) {
    if (this.#inputs.length >= this.#options.maxInputRows) return;
    /** @type {Record<string, { type: string, dims: number[], data: (number | string)[] }>} */
    const inputs = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      const data = Array.from(/** @type {ArrayLike<unknown>} */ (tensor.data), (v) => (typeof v === 'string' ? v : Number(v)));
      inputs[name] = { type: tensor.type, dims: [...tensor.dims], data };
    }
    this.#inputs.push({ model: series.model, version: series.version, variant: series.variant, inputs });
  }
}

/**
 * A page's localStorage (undefined in workers, Node and pages where it is switched off).
 * @returns {Storage | undefined}
 */
function pageStorage() {
  try {
    return typeof document === 'undefined' ? undefined : /** @type {Storage | undefined} */ (/** @type {any} */ (globalThis).localStorage ?? undefined);
  } catch {
    return undefined;
  }
}

/**
 * A report stashed in localStorage, or null (gone, or damaged).
 * @param {string | null} text
 * @returns {QueuedReport | null}
 */
function parseStashed(text) {
  try {
    const report = JSON.parse(text ?? 'null');
    const ok = typeof report?.id === 'string' && typeof report.body === 'string' && (report.kind === 'metrics' || report.kind === 'inputs');
    return ok ? report : null;
  } catch {
    return null;
  }
}

/**
 * Delivery over HTTP: POST the JSON with the given headers and `x-onnx-edge-report-id`.
 * @param {URL} metricsUrl
 * @param {URL | null} inputsUrl
 * @param {Record<string, string>} headers
 * @param {ReportOptions['fetch']} fetchFunction
 * @returns {(report: QueuedReport, keepalive: boolean) => Promise<'ok' | 'retry' | 'drop'>}
 */
function viaHttp(metricsUrl, inputsUrl, headers, fetchFunction) {
  const doFetch = fetchFunction ?? ((input, init) => globalThis.fetch(input, init));
  return async (report, keepalive) => {
    const url = report.kind === 'inputs' ? inputsUrl : metricsUrl;
    if (url === null) return 'drop';
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-onnx-edge-report-id': report.id, ...headers },
      body: report.body,
      keepalive,
    };
    if (keepalive) {
      try {
        return verdictOf(await doFetch(url, init));
      } catch (error) {
        // A keepalive fetch can be refused outright (over the in-flight budget); a beacon may still go (no headers).
        const beacon = /** @type {any} */ (globalThis).navigator?.sendBeacon;
        if (typeof beacon === 'function' && Object.keys(headers).length === 0) {
          return beacon.call(globalThis.navigator, url.href, new Blob([report.body], { type: 'application/json' })) ? 'ok' : 'retry';
        }
        throw error;
      }
    }
    return verdictOf(await doFetch(url, init));
  };
}

/**
 * Delivery through the user's `send`.
 * @param {SendFunction} send
 * @returns {(report: QueuedReport, keepalive: boolean) => Promise<'ok' | 'retry' | 'drop'>}
 */
function viaSend(send) {
  return async (report, keepalive) => {
    const answer = await send({ id: report.id, kind: report.kind, body: report.body, keepalive });
    if (answer === false) return 'retry';
    if (typeof Response === 'function' && answer instanceof Response) return verdictOf(answer);
    return 'ok';
  };
}

/**
 * @param {Response} response
 * @returns {'ok' | 'retry' | 'drop'}
 */
function verdictOf(response) {
  if (response.ok) return 'ok';
  const status = response.status;
  return status === 408 || status === 429 || status >= 500 ? 'retry' : 'drop';
}

/** @returns {boolean} true when a browser says it is offline */
function isOffline() {
  return /** @type {any} */ (globalThis).navigator?.onLine === false;
}

/**
 * Let Node exit while a timer is pending.
 * @param {unknown} timer
 */
function unref(timer) {
  const t = /** @type {{ unref?: () => void }} */ (timer);
  if (typeof t?.unref === 'function') t.unref();
}

/**
 * A short, file-name-safe name for a string (FNV-1a, 32 bits, hex).
 * @param {string} text
 * @returns {string}
 */
function shortHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
