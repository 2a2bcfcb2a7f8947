// createWorkerSession: an InferenceSession that runs in a module worker, so the page's thread stays free while
// the model loads and runs. Same face as InferenceSession (async run and release, names, metadata, warnings).

import { argumentError, ErrorCode, OnnxEdgeError } from '../errors.js';
import { openSource, readResponse } from '../source.js';
import { describe, Tensor } from '../tensor.js';
import { telemetryOf } from '../telemetry/hooks.js';
import { compactCopy, decodeError, encodeFeeds, transferList } from './protocol.js';

/** @typedef {import('../session.js').ModelSource} ModelSource */
/** @typedef {import('../session.js').ModelIdentity} ModelIdentity */
/** @typedef {import('../session.js').ModelMetadata} ModelMetadata */
/** @typedef {import('../session.js').ValueMetadata} ValueMetadata */
/** @typedef {import('../session.js').FeedsType} FeedsType */
/** @typedef {import('../session.js').FetchesType} FetchesType */
/** @typedef {import('../session.js').RunOptions} RunOptions */
/** @typedef {import('../session.js').ReturnType} ReturnType */
/** @typedef {import('./protocol.js').Call} Call */
/** @typedef {import('./protocol.js').Reply} Reply */
/** @typedef {import('./protocol.js').TensorFields} TensorFields */
/** @typedef {import('./host.js').SessionDescription} SessionDescription */

/**
 * InferenceSession's options, plus `transfer`. All but `telemetry`, `onProgress` and `transfer` are sent to the
 * worker (structured clone: OPTIONS_INVALID if one cannot be cloned); `telemetry` stays on this thread and records each
 * run as it would for an InferenceSession (latency then includes the trip to the worker); `onProgress` is called
 * on this thread.
 * @typedef {import('../session.js').SessionOptions & { transfer?: boolean }} WorkerSessionOptions
 * `transfer: true` moves the caller's model bytes and input tensors' buffers to the worker instead of copying
 * them: after the call, those buffers are detached (length 0) in the caller. Only a typed array that spans its
 * whole ArrayBuffer is moved; others are copied. Default false: the caller's buffers stay usable. Outputs are
 * always moved back (they belong to the caller). With `telemetry`, inputs are copied (telemetry reads them after
 * the run).
 */

/**
 * The part of a worker this file uses: a Worker, or for tests a MessagePort.
 * @typedef {object} WorkerEndpoint
 * @property {(message: Call, transfer: Transferable[]) => void} postMessage
 * @property {(type: string, listener: (event: any) => void) => void} addEventListener
 */

const CONNECT = Symbol('WorkerSession.connect');

/** Options that act on this thread and are not sent to the worker. */
const ON_THIS_THREAD = new Set(['telemetry', 'onProgress', 'transfer']);

/** @returns {void} */
function noop() {}

/**
 * Load a model in a new module worker and answer for it from this thread. Needs `Worker` (browsers, Deno, Bun);
 * elsewhere (Node, Cloudflare Workers) it throws ENGINE with `details.reason: 'no-worker'`: use
 * `InferenceSession.create` there. The worker file is `worker/worker.js` beside this one, started as a module
 * worker from its own URL (no blob: URL), so a strict CSP needs only `worker-src 'self'`.
 * @param {ModelSource} source bytes, a URL (a relative string is resolved against this page), or a Response
 *   (read on this thread, then its bytes moved)
 * @param {WorkerSessionOptions} [options]
 * @returns {Promise<WorkerSession>}
 */
export async function createWorkerSession(source, options = {}) {
  if (typeof Worker !== 'function') {
    throw new OnnxEdgeError(ErrorCode.ENGINE,
      'createWorkerSession needs Web Workers and this runtime has no global Worker: use InferenceSession.create here', {
        details: { reason: 'no-worker', missing: 'Worker' },
      });
  }
  /** @type {Worker} */
  let worker;
  try {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.ENGINE, 'the session worker could not be started (module workers from the package folder)', {
      details: { reason: 'worker-start' }, cause: error,
    });
  }
  return connectSession(/** @type {WorkerEndpoint} */ (/** @type {unknown} */ (worker)), () => worker.terminate(), source, options);
}

/**
 * Open a session on the worker at the other end of `endpoint` (host.js serves it); `close` ends that worker.
 * createWorkerSession's body, apart so that Node can test it over a MessageChannel.
 * @param {WorkerEndpoint} endpoint
 * @param {() => void} close
 * @param {ModelSource} source
 * @param {WorkerSessionOptions} [options]
 * @returns {Promise<WorkerSession>}
 */
export async function connectSession(endpoint, close, source, options = {}) {
  try {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'options must be an object', { reason: describe(options) });
    }
    const telemetry = telemetryOf(options.telemetry);
    const onProgress = typeof options.onProgress === 'function' ? options.onProgress : undefined;
    const channel = new Channel(endpoint, close);
    /** @type {Set<Transferable>} */
    const transfer = new Set();
    const model = await modelForWorker(source, options, transfer);
    const description = /** @type {SessionDescription} */ (await channel.call({
      id: 0, op: 'create', source: model, options: optionsForWorker(options), progress: onProgress !== undefined,
    }, transfer, onProgress, 'options'));
    return new WorkerSession(CONNECT, {
      channel, description, model: options.model ?? null, transfer: options.transfer === true, telemetry,
    });
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * A model loaded in a worker. Make one with `await createWorkerSession(source, options)`; `release()` frees it
 * and ends the worker. Calls are answered in call order.
 */
export class WorkerSession {
  /** @type {Channel} */
  #channel;
  #transfer = false;
  #released = false;
  /** @type {Promise<void> | null} */
  #releasing = null;
  /** @type {import('../telemetry/hooks.js').TelemetryHooks | null} */
  #telemetry;

  /**
   * Not for direct use (it throws): call `createWorkerSession`.
   * @param {symbol} token
   * @param {{ channel: Channel, description: SessionDescription, model: ModelIdentity | null, transfer: boolean, telemetry: import('../telemetry/hooks.js').TelemetryHooks | null }} state
   */
  constructor(token, state) {
    if (token !== CONNECT) {
      throw argumentError(ErrorCode.ENGINE, 'use `await createWorkerSession(source, options)` to make a worker session');
    }
    this.#channel = state.channel;
    this.#transfer = state.transfer;
    this.#telemetry = state.telemetry;
    const d = state.description;
    /** The model's input descriptions, in model order. @readonly @type {readonly ValueMetadata[]} */
    this.inputMetadata = Object.freeze(d.inputMetadata.map((m) => Object.freeze({ ...m, shape: Object.freeze([...m.shape]) })));
    /** The model's output descriptions, in model order. @readonly @type {readonly ValueMetadata[]} */
    this.outputMetadata = Object.freeze(d.outputMetadata.map((m) => Object.freeze({ ...m, shape: Object.freeze([...m.shape]) })));
    /** @readonly @type {readonly string[]} */
    this.inputNames = Object.freeze([...d.inputNames]);
    /** @readonly @type {readonly string[]} */
    this.outputNames = Object.freeze([...d.outputNames]);
    /** The model file's own description. @readonly @type {Readonly<ModelMetadata>} */
    this.metadata = Object.freeze({
      ...d.metadata,
      metadataProps: Object.freeze({ ...d.metadata.metadataProps }),
      opsets: Object.freeze(d.metadata.opsets.map((o) => Object.freeze({ ...o }))),
    });
    /** What the engine noticed while loading. @readonly @type {readonly string[]} */
    this.warnings = Object.freeze([...d.warnings]);
    /** Who this model is (from `options.model`). @type {ModelIdentity | null} */
    this.model = state.model;
  }

  /**
   * Run the model in the worker. Inputs are copied to the worker, or moved with `transfer: true` (see
   * WorkerSessionOptions); outputs come back moved, as Tensors. Errors are the session's: OnnxEdgeError, or a
   * TypeError with `code` for a bad argument.
   * @overload
   * @param {FeedsType} feeds
   * @param {RunOptions} [options]
   * @returns {Promise<ReturnType>}
   */
  /**
   * @overload
   * @param {FeedsType} feeds
   * @param {FetchesType | undefined} fetches
   * @param {RunOptions} [options]
   * @returns {Promise<ReturnType>}
   */
  /**
   * @param {FeedsType} feeds
   * @param {FetchesType | RunOptions} [fetches]
   * @param {RunOptions} [options]
   * @returns {Promise<ReturnType>}
   */
  async run(feeds, fetches, options) {
    if (this.#telemetry !== null) {
      return this.#telemetry.recordRun(this, feeds, fetches, options, () => this.#run(feeds, fetches, options, false));
    }
    return this.#run(feeds, fetches, options, this.#transfer);
  }

  /**
   * Free the model after the calls already made, and end the worker. Later `run` calls throw `RELEASED`.
   * Calling it again does nothing.
   * @returns {Promise<void>}
   */
  release() {
    if (this.#releasing === null) {
      this.#released = true;
      const channel = this.#channel;
      this.#releasing = channel.call({ id: 0, op: 'release' }, new Set(), undefined, 'options')
        .then(noop, noop)
        .finally(() => channel.close());
    }
    return this.#releasing;
  }

  /**
   * @param {FeedsType} feeds
   * @param {FetchesType | RunOptions | undefined} fetches
   * @param {RunOptions | undefined} options
   * @param {boolean} mayTransfer
   * @returns {Promise<ReturnType>}
   */
  async #run(feeds, fetches, options, mayTransfer) {
    if (this.#released) {
      throw new OnnxEdgeError(ErrorCode.RELEASED, 'this session was released', { details: { model: this.model?.name } });
    }
    /** @type {Set<Transferable>} */
    const transfer = new Set();
    const sent = encodeFeeds(feeds, mayTransfer, transfer);
    const outputs = /** @type {Record<string, TensorFields>} */ (await this.#channel.call({
      id: 0, op: 'run', feeds: sent, fetches: this.#fetchesForWorker(fetches), options,
    }, transfer, undefined, 'feeds'));
    /** @type {Record<string, Tensor>} */
    const result = {};
    for (const [name, t] of Object.entries(outputs)) {
      result[name] = new Tensor(/** @type {any} */ (t.type), /** @type {any} */ (t.data), t.dims);
    }
    return result;
  }

  /**
   * Fetches as an object keyed by output name (onnxruntime-web's form) carry tensors or nulls the session ignores:
   * only the names go. Run options and name lists go as they are.
   * @param {unknown} fetches
   * @returns {unknown}
   */
  #fetchesForWorker(fetches) {
    if (typeof fetches !== 'object' || fetches === null || Array.isArray(fetches)) return fetches;
    const names = this.outputNames.filter((name) => Object.prototype.hasOwnProperty.call(fetches, name));
    return names.length === 0 ? fetches : Object.fromEntries(names.map((name) => [name, null]));
  }
}

// `using session = await createWorkerSession(...)` where the runtime has explicit resource management.
/** @this {WorkerSession} */
function dispose() {
  void this.release();
}
/** @this {WorkerSession} */
function asyncDispose() {
  return this.release();
}
for (const [key, value] of /** @type {const} */ ([['dispose', dispose], ['asyncDispose', asyncDispose]])) {
  const symbol = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (Symbol))[key];
  if (typeof symbol === 'symbol') {
    Object.defineProperty(WorkerSession.prototype, symbol, { configurable: true, writable: true, value });
  }
}

/**
 * The calls in flight to one worker, paired with its replies by id. A worker that fails (its script does not
 * load, it throws at top level, a reply cannot be read) fails every call in flight and every later one with ENGINE.
 */
class Channel {
  /** @type {WorkerEndpoint} */
  #endpoint;
  /** @type {() => void} */
  #close;
  #nextId = 1;
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: unknown) => void, onProgress?: (p: { loaded: number, total?: number }) => void }>} */
  #pending = new Map();
  /** @type {OnnxEdgeError | null} */
  #failure = null;
  #closed = false;

  /**
   * @param {WorkerEndpoint} endpoint
   * @param {() => void} close
   */
  constructor(endpoint, close) {
    this.#endpoint = endpoint;
    this.#close = close;
    endpoint.addEventListener('message', (/** @type {{ data: Reply }} */ event) => this.#receive(event.data));
    endpoint.addEventListener('error', (/** @type {Event & { message?: string }} */ event) => {
      event.preventDefault?.();
      this.#fail(typeof event.message === 'string' && event.message !== '' ? event.message : 'the worker script failed to load or threw');
    });
    endpoint.addEventListener('messageerror', () => this.#fail('a reply from the worker could not be read'));
    /** @type {{ start?: () => void }} */ (endpoint).start?.();
  }

  /**
   * Send a call and wait for its reply. A call that structured clone refuses is a TypeError: OPTIONS_INVALID for
   * options, INPUT_DTYPE for feeds (`blame`).
   * @param {Call} call its `id` is set here
   * @param {Set<Transferable>} transfer
   * @param {((p: { loaded: number, total?: number }) => void) | undefined} onProgress
   * @param {'options' | 'feeds'} blame
   * @returns {Promise<unknown>}
   */
  call(call, transfer, onProgress, blame) {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new OnnxEdgeError(ErrorCode.RELEASED, 'this session was released', { details: {} }));
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise((resolve, reject) => {
      try {
        this.#endpoint.postMessage({ ...call, id }, transferList(transfer));
      } catch (error) {
        reject(blame === 'feeds'
          ? argumentError(ErrorCode.INPUT_DTYPE, 'the feeds or run options could not be sent to the worker (not structured-cloneable)', { reason: 'not-cloneable' })
          : argumentError(ErrorCode.OPTIONS_INVALID, 'the model source or options could not be sent to the worker (not structured-cloneable)', { reason: 'not-cloneable' }));
        return;
      }
      this.#pending.set(id, { resolve, reject, onProgress });
    });
  }

  /** End the worker; calls still in flight fail with RELEASED. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#close();
    const released = new OnnxEdgeError(ErrorCode.RELEASED, 'this session was released', { details: {} });
    for (const { reject } of this.#pending.values()) reject(released);
    this.#pending.clear();
  }

  /** @param {Reply} reply */
  #receive(reply) {
    const waiting = this.#pending.get(reply.id);
    if (waiting === undefined) return;
    if ('progress' in reply) {
      waiting.onProgress?.(reply.progress);
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(decodeError(reply.error));
  }

  /** @param {string} message */
  #fail(message) {
    if (this.#failure !== null || this.#closed) return;
    this.#failure = new OnnxEdgeError(ErrorCode.ENGINE, `the session worker failed: ${message}`, { details: { reason: 'worker-failed' } });
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
    this.#closed = true;
    this.#close();
  }
}

/**
 * The model as the worker gets it: a URL string (resolved against this page, since the worker's own base is
 * its script), or bytes moved to it (the caller's with `transfer: true`, else a copy; a Response is read here).
 * @param {ModelSource} source
 * @param {WorkerSessionOptions} options
 * @param {Set<Transferable>} transfer
 * @returns {Promise<string | Uint8Array>}
 */
async function modelForWorker(source, options, transfer) {
  if (source instanceof URL) return source.href;
  if (typeof source === 'string') {
    const base = /** @type {{ location?: { href?: string } }} */ (globalThis).location?.href;
    return base === undefined ? source : new URL(source, base).href;
  }
  const opened = await openSource(source);
  if (opened instanceof Uint8Array) {
    const movable = options.transfer === true && opened.buffer instanceof ArrayBuffer && opened.byteOffset === 0
      && opened.byteLength === opened.buffer.byteLength;
    const bytes = movable ? opened : compactCopy(opened);
    transfer.add(bytes.buffer);
    return bytes;
  }
  const bytes = await readResponse(opened, { maxBytes: options.limits?.maxModelBytes, onProgress: options.onProgress });
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) transfer.add(bytes.buffer);
  return bytes;
}

/**
 * The options for the worker's InferenceSession: all but those that act on this thread (`telemetry`,
 * `onProgress`, `transfer`), so options the session learns later pass through as they are.
 * @param {WorkerSessionOptions} options
 * @returns {Record<string, unknown>}
 */
function optionsForWorker(options) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !ON_THIS_THREAD.has(key)) out[key] = value;
  }
  return out;
}
