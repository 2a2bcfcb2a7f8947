// InferenceSession of the slim build: onnxruntime-web's session API over an NNEF archive published with
// `onnx-edge publish --format nnef`. The same Tensor, errors and run() contract as the full build's session.js;
// input names, types and dims are checked in the slim core (slim/src/engine.rs) with the same error codes.

import { argumentError, ErrorCode, OnnxEdgeError } from '../errors.js';
import { resolveLimits } from '../limits.js';
import { readSource } from '../source.js';
import { describe, Tensor } from '../tensor.js';
import { callWasm, liveEngine } from './engine.js';

/** @typedef {import('./engine.js').SlimEngine} SlimEngine */
/** @typedef {import('./engine.js').SlimWasmSession} SlimWasmSession */
/** @typedef {import('../session.js').ValueMetadata} ValueMetadata */
/** @typedef {import('../session.js').ModelMetadata} ModelMetadata */
/** @typedef {import('../session.js').FeedsType} FeedsType */
/** @typedef {import('../session.js').ReturnType} ReturnType */
/** @typedef {import('../dtypes.js').DataType} DataType */

/**
 * @typedef {object} SlimSessionOptions
 * @property {{ maxModelBytes?: number, maxTensorElements?: number }} [limits] refuse bigger archives or input tensors
 *   (LIMIT_EXCEEDED; defaults 1 GiB and 2^28)
 * @property {boolean} [allowInsecureUrls] fetch plain http from other machines too (default false)
 * @property {(progress: { loaded: number, total?: number }) => void} [onProgress] download progress
 */

const CREATE = Symbol('InferenceSession.create');

/** @returns {void} */
function noop() {}

/**
 * A loaded NNEF model. Make one with `await InferenceSession.create(source, options)`; free it with `release()`.
 */
export class InferenceSession {
  /** @type {SlimEngine | null} */
  #engine;
  /** @type {SlimWasmSession | null} */
  #wasm;
  /** The archive, kept to reload after the engine is replaced. @type {Uint8Array} */
  #bytes;
  /** @type {{ limits: { maxModelBytes: number, maxTensorElements: number } }} */
  #wasmOptions;
  #released = false;
  /** @type {Promise<void>} */
  #queue = Promise.resolve();

  /**
   * Not for direct use: call `InferenceSession.create`.
   * @private
   * @param {symbol} token
   * @param {{ engine: SlimEngine, wasm: SlimWasmSession, bytes: Uint8Array, wasmOptions: { limits: { maxModelBytes: number, maxTensorElements: number } } }} state
   */
  constructor(token, state) {
    if (token !== CREATE) {
      throw argumentError(ErrorCode.ENGINE, 'use `await InferenceSession.create(source, options)` to make a session');
    }
    this.#engine = state.engine;
    this.#wasm = state.wasm;
    this.#bytes = state.bytes;
    this.#wasmOptions = state.wasmOptions;
    const meta = callWasm(state.engine, () => state.wasm.metadata);
    /** @readonly @type {readonly ValueMetadata[]} */
    this.inputMetadata = Object.freeze(meta.inputs.map(toValueMetadata));
    /** @readonly @type {readonly ValueMetadata[]} */
    this.outputMetadata = Object.freeze(meta.outputs.map(toValueMetadata));
    /** @readonly @type {readonly string[]} */
    this.inputNames = Object.freeze(this.inputMetadata.map((m) => m.name));
    /** @readonly @type {readonly string[]} */
    this.outputNames = Object.freeze(this.outputMetadata.map((m) => m.name));
    /** The ONNX model's own description, as the publisher stored it. @readonly @type {Readonly<ModelMetadata>} */
    this.metadata = Object.freeze({
      producerName: meta.producerName,
      producerVersion: meta.producerVersion,
      irVersion: meta.irVersion,
      modelVersion: meta.modelVersion,
      domain: meta.domain,
      docString: meta.docString,
      graphName: meta.graphName,
      metadataProps: Object.freeze({ ...meta.metadataProps }),
      opsets: Object.freeze(meta.opsets.map((o) => Object.freeze({ domain: o.domain, version: o.version }))),
    });
    /** @readonly @type {readonly string[]} */
    this.warnings = Object.freeze([]);
  }

  /**
   * Load an NNEF archive (bytes, a URL or a Response).
   * @param {import('../source.js').Source} source
   * @param {SlimSessionOptions} [options]
   * @returns {Promise<InferenceSession>}
   */
  static async create(source, options = {}) {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'options must be an object', { reason: describe(options) });
    }
    const limits = resolveLimits(options.limits);
    const wasmOptions = { limits: { maxModelBytes: limits.maxModelBytes, maxTensorElements: limits.maxTensorElements } };
    const [bytes, engine] = await Promise.all([
      readSource(source, { maxBytes: limits.maxModelBytes, onProgress: options.onProgress, allowInsecureUrls: options.allowInsecureUrls }),
      liveEngine(),
    ]);
    const wasm = callWasm(engine, () => new engine.glue.WasmSession(bytes, wasmOptions));
    return new InferenceSession(CREATE, { engine, wasm, bytes, wasmOptions });
  }

  /**
   * Run the model; `fetches` (output names, or an object keyed by them) picks outputs.
   * @param {FeedsType} feeds
   * @param {readonly string[] | Record<string, unknown>} [fetches]
   * @returns {Promise<ReturnType>}
   */
  async run(feeds, fetches) {
    if (this.#released) throw new OnnxEdgeError(ErrorCode.RELEASED, 'this session was released', { details: {} });
    const wasmFeeds = toWasmFeeds(feeds, this.inputNames);
    const names = this.#fetchNames(fetches);
    const turn = this.#queue.then(() => this.#runNow(wasmFeeds, names));
    this.#queue = turn.then(noop, noop);
    return turn;
  }

  /**
   * Free the model's wasm memory after the runs already asked for; later runs throw RELEASED.
   * @returns {Promise<void>}
   */
  release() {
    if (!this.#released) {
      this.#released = true;
      this.#queue = this.#queue.then(() => {
        this.#dropWasm();
        this.#bytes = new Uint8Array(0);
      });
    }
    return this.#queue;
  }

  /**
   * @param {import('../init.js').WasmTensor[]} feeds
   * @param {string[] | undefined} fetches
   * @returns {Promise<ReturnType>}
   */
  async #runNow(feeds, fetches) {
    const engine = await liveEngine();
    if (this.#engine !== engine || this.#wasm === null) {
      this.#dropWasm();
      this.#wasm = callWasm(engine, () => new engine.glue.WasmSession(this.#bytes, this.#wasmOptions));
      this.#engine = engine;
    }
    const wasm = this.#wasm;
    const outputs = callWasm(engine, () => wasm.run(feeds, fetches));
    /** @type {Record<string, Tensor>} */
    const result = {};
    for (const out of outputs) result[out.name] = new Tensor(/** @type {DataType} */ (out.type), /** @type {any} */ (out.data), out.dims);
    return result;
  }

  #dropWasm() {
    const [engine, wasm] = [this.#engine, this.#wasm];
    if (engine !== null && wasm !== null && !engine.dead) {
      try {
        wasm.free();
      } catch {
        // a trapped instance cannot free; it is dropped whole
      }
    }
    this.#wasm = null;
    this.#engine = null;
  }

  /**
   * onnxruntime-web's rules for the second argument: names, or an object keyed by output names.
   * @param {unknown} fetches
   * @returns {string[] | undefined}
   */
  #fetchNames(fetches) {
    if (fetches === undefined) return undefined;
    if (Array.isArray(fetches)) return fetches.map(String);
    if (typeof fetches === 'object' && fetches !== null) {
      const names = this.outputNames.filter((name) => Object.prototype.hasOwnProperty.call(fetches, name));
      return names.length === 0 ? undefined : names;
    }
    throw argumentError(ErrorCode.OUTPUT_UNKNOWN, 'fetches must be an array of output names or an object keyed by output name', {
      expected: [...this.outputNames], actual: describe(fetches),
    });
  }
}

/**
 * Feeds as the bindings take them; names, types and dims are checked in wasm.
 * @param {unknown} feeds
 * @param {readonly string[]} expected
 * @returns {import('../init.js').WasmTensor[]}
 */
function toWasmFeeds(feeds, expected) {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds) || feeds instanceof Tensor) {
    throw argumentError(ErrorCode.INPUT_MISSING, 'feeds must be an object of input name to tensor', {
      expected: [...expected], actual: describe(feeds),
    });
  }
  return Object.entries(/** @type {Record<string, unknown>} */ (feeds)).map(([name, value]) => {
    const { type, data, dims } = /** @type {{ type?: unknown, data?: unknown, dims?: unknown }} */ (
      typeof value === 'object' && value !== null ? value : {});
    if (typeof type !== 'string') {
      throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, `input ${JSON.stringify(name)} is not a tensor of a known type`, {
        details: { kind: 'unknownType', input: name, actual: describe(value) },
      });
    }
    return /** @type {import('../init.js').WasmTensor} */ ({ name, type, dims: Array.isArray(dims) ? [...dims] : dims, data });
  });
}

/**
 * @param {{ name: string, type: string | null, dims: (number | string | null)[] | null }} info
 * @returns {ValueMetadata}
 */
function toValueMetadata(info) {
  const shape = (info.dims ?? []).map((d) => (d === null ? '' : d));
  return Object.freeze({ name: info.name, isTensor: /** @type {const} */ (true), type: /** @type {DataType | null} */ (info.type), shape: Object.freeze(shape) });
}
