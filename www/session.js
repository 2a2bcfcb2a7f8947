// InferenceSession: onnxruntime-web's session API over one wasm-side session.

import { argumentError, ErrorCode, OnnxEdgeError } from './errors.js';
import { DTYPES, isDataType, typedArrayName } from './dtypes.js';
import { callWasm, liveEngine, retireEngine } from './init.js';
import {
  checkDeclaredInputs, checkDeclaredOptions, checkWasmMemory, resolveLimits, sessionClosed, sessionOpened, sessionReleased, watchSession,
} from './limits.js';
import { readSource } from './source.js';
import { describe, Tensor } from './tensor.js';
import { telemetryOf } from './telemetry/hooks.js'; // telemetry (issue 14)

/** @typedef {import('./dtypes.js').DataType} DataType */
/** @typedef {import('./init.js').Engine} Engine */
/** @typedef {import('./init.js').WasmSessionHandle} WasmSessionHandle */
/** @typedef {import('./init.js').WasmSessionOptions} WasmSessionOptions */
/** @typedef {import('./init.js').WasmTensor} WasmTensor */
/** @typedef {import('./source.js').Source} ModelSource */

/**
 * @typedef {object} SessionOptions
 * @property {Record<string, readonly (number | string)[]>} [inputShapes] per input name, its dims: numbers, or
 *   symbol names such as `"batch"`
 * @property {Record<string, number>} [freeDimensionOverrides] symbol name to value (onnxruntime-web's option)
 * @property {import('./limits.js').Limits & { maxCachedPlans?: number }} [limits] refuse bigger models, tensors,
 *   declared dims, more live sessions or more wasm memory (LIMIT_EXCEEDED; defaults in limits.js and the README)
 * @property {boolean} [allowInsecureUrls] fetch a model URL over plain http from another machine (default false:
 *   https, loopback and the page's own origin only; FETCH with `details.reason: 'insecureUrl'` otherwise)
 * @property {boolean} [optimize] optimise the plan (default true)
 * @property {ModelIdentity} [model] who this model is, for metrics; kept as `session.model`
 * @property {unknown} [telemetry] a Telemetry to record each run into (latency, predictions, errors by code, drift,
 *   live accuracy: www/telemetry/); OPTIONS_INVALID if it is not one
 * @property {(progress: { loaded: number, total?: number }) => void} [onProgress] download progress of a URL or Response
 * @property {unknown} [executionProviders] accepted for onnxruntime-web compatibility and ignored
 * @property {'disabled' | 'basic' | 'extended' | 'layout' | 'all'} [graphOptimizationLevel] `'disabled'` means
 *   `optimize: false` (when `optimize` is not given); other values are ignored
 */

/** @typedef {{ name: string, version?: string, alias?: string, sha256?: string }} ModelIdentity */

/**
 * An input's or output's description, as onnxruntime-web's `TensorValueMetadata`. A symbolic dim is its name;
 * an unknown dim is `''`. An output whose type the engine cannot tell has `type: null` and `shape: []`.
 * @typedef {{ readonly name: string, readonly isTensor: true, readonly type: DataType | null, readonly shape: readonly (number | string)[] }} ValueMetadata
 */

/**
 * The model file's own description.
 * @typedef {object} ModelMetadata
 * @property {string} producerName
 * @property {string} producerVersion
 * @property {number} irVersion
 * @property {number} modelVersion
 * @property {string} domain
 * @property {string} docString
 * @property {string} graphName
 * @property {Readonly<Record<string, string>>} metadataProps
 * @property {readonly { domain: string, version: number }[]} opsets
 */

/**
 * Anything with a tensor's three fields: our `Tensor`, or another library's (onnxruntime-web's works).
 * @typedef {{ readonly type: string, readonly data: unknown, readonly dims: readonly number[] }} TensorLike
 */

/** @typedef {{ readonly [name: string]: Tensor | TensorLike }} FeedsType */
/** @typedef {readonly string[] | { readonly [name: string]: Tensor | TensorLike | null }} FetchesType */
/**
 * Accepted for onnxruntime-web compatibility. With a Telemetry, `predictionId` (a string, or one per row) and
 * `variant` are read (www/telemetry/run-options.js); nothing else is read yet.
 * @typedef {{ predictionId?: string | readonly string[], variant?: string, [key: string]: unknown }} RunOptions
 */
/** @typedef {{ readonly [name: string]: Tensor }} ReturnType */

const CREATE = Symbol('InferenceSession.create');

/** @returns {void} */
function noop() {}

/**
 * A loaded model. Make one with `await InferenceSession.create(source, options)`; free it with `release()`.
 * `run` calls on one session are answered one after another, in call order.
 */
export class InferenceSession {
  /** @type {Engine | null} */
  #engine;
  /** @type {WasmSessionHandle | null} */
  #wasm;
  /** The model bytes, kept to re-create the wasm side after the engine is replaced. @type {Uint8Array} */
  #bytes;
  /** @type {Readonly<WasmSessionOptions>} */
  #wasmOptions;
  /** @type {Record<string, ValueMetadata>} */
  #inputsByName;
  #released = false;
  /** @type {Promise<void>} */
  #queue = Promise.resolve();
  /** The limits this session was made with (limits.js). @type {Required<import('./limits.js').Limits>} */
  #limits = resolveLimits(undefined);
  /** telemetry (issue 14): where runs are reported (`options.telemetry`). @type {import('./telemetry/hooks.js').TelemetryHooks | null} */
  #telemetry = null;

  /**
   * Not for direct use: call `InferenceSession.create`.
   * @private
   * @param {symbol} token
   * @param {{ engine: Engine, wasm: WasmSessionHandle, bytes: Uint8Array, wasmOptions: WasmSessionOptions, model: ModelIdentity | null }} state
   */
  constructor(token, state) {
    if (token !== CREATE) {
      throw argumentError(ErrorCode.ENGINE, 'use `await InferenceSession.create(source, options)` to make a session');
    }
    this.#engine = state.engine;
    this.#wasm = state.wasm;
    this.#bytes = state.bytes;
    this.#wasmOptions = Object.freeze(state.wasmOptions);
    const meta = callWasm(state.engine, () => state.wasm.metadata);
    const warnings = callWasm(state.engine, () => state.wasm.warnings);
    /** The model's input descriptions, in model order. @readonly @type {readonly ValueMetadata[]} */
    this.inputMetadata = Object.freeze(meta.inputs.map(toValueMetadata));
    /** The model's output descriptions, in model order. @readonly @type {readonly ValueMetadata[]} */
    this.outputMetadata = Object.freeze(meta.outputs.map(toValueMetadata));
    /** @readonly @type {readonly string[]} */
    this.inputNames = Object.freeze(this.inputMetadata.map((m) => m.name));
    /** @readonly @type {readonly string[]} */
    this.outputNames = Object.freeze(this.outputMetadata.map((m) => m.name));
    /** The model file's own description (producer, versions, opsets, metadata_props). @readonly @type {Readonly<ModelMetadata>} */
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
    /** What the engine noticed while loading (ignored attributes, assumed shapes, ...). @readonly @type {readonly string[]} */
    this.warnings = Object.freeze([...warnings]);
    /** Who this model is (from `options.model`, or set by the registry). @type {ModelIdentity | null} */
    this.model = state.model;
    this.#inputsByName = Object.fromEntries(this.inputMetadata.map((m) => [m.name, m]));
  }

  /**
   * Load a model.
   * @param {ModelSource} source the model: bytes, a URL (or string: a path in Node/Bun/Deno), or a Response
   * @param {SessionOptions} [options]
   * @returns {Promise<InferenceSession>}
   */
  static async create(source, options = {}) {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'options must be an object', { reason: describe(options) });
    }
    const limits = resolveLimits(options.limits);
    const wasmOptions = toWasmOptions(options);
    const telemetry = telemetryOf(options.telemetry); // telemetry (issue 14)
    checkDeclaredOptions(wasmOptions, limits.maxTensorElements);
    sessionOpened(limits.maxSessions);
    try {
      const [bytes, engine] = await Promise.all([
        readSource(source, { maxBytes: limits.maxModelBytes, onProgress: options.onProgress, allowInsecureUrls: options.allowInsecureUrls }),
        liveEngine(),
      ]);
      checkWasmMemory(engine.exports.memory.buffer.byteLength, limits.maxWasmMemoryBytes);
      const wasm = callWasm(engine, () => new engine.glue.WasmSession(bytes, wasmOptions));
      try {
        const session = new InferenceSession(CREATE, { engine, wasm, bytes, wasmOptions, model: options.model ?? null });
        checkDeclaredInputs(session.inputMetadata, limits.maxTensorElements);
        session.#limits = limits;
        session.#telemetry = telemetry; // telemetry (issue 14)
        watchSession(session);
        return session;
      } catch (error) {
        freeQuietly(engine, wasm);
        throw error;
      }
    } catch (error) {
      sessionClosed();
      throw error;
    }
  }

  /**
   * Run the model. Feeds are checked here first (names, types, dims), so most mistakes fail without touching wasm.
   * @overload
   * @param {FeedsType} feeds input name to tensor
   * @param {RunOptions} [options]
   * @returns {Promise<ReturnType>}
   */
  /**
   * @overload
   * @param {FeedsType} feeds input name to tensor
   * @param {FetchesType | undefined} fetches the outputs wanted: names, or an object keyed by name (values are
   *   ignored); undefined for all (telemetry, issue 14: `run(feeds, undefined, { predictionId })`)
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
    // telemetry (issue 14): a session made with `{ telemetry }` reports each run to it
    if (this.#telemetry !== null) return this.#telemetry.recordRun(this, feeds, fetches, options, () => this.#run(feeds, fetches));
    return this.#run(feeds, fetches);
  }

  /**
   * @param {FeedsType} feeds
   * @param {FetchesType | RunOptions} [fetches]
   * @returns {Promise<ReturnType>}
   */
  async #run(feeds, fetches) {
    this.#checkLive();
    const wasmFeeds = this.#checkFeeds(feeds);
    const names = this.#checkFetches(fetches);
    const turn = this.#queue.then(() => this.#runNow(wasmFeeds, names));
    this.#queue = turn.then(noop, noop);
    return turn;
  }

  /**
   * Free the model's memory in wasm, after the runs already asked for. Later `run` calls throw `RELEASED`.
   * Calling it again does nothing.
   * @returns {Promise<void>}
   */
  release() {
    if (!this.#released) {
      this.#released = true;
      sessionReleased(this);
      this.#queue = this.#queue.then(() => {
        this.#dropWasm();
        this.#bytes = new Uint8Array(0);
      });
    }
    return this.#queue;
  }

  /**
   * @param {WasmTensor[]} feeds
   * @param {string[] | undefined} fetches
   * @returns {Promise<ReturnType>}
   */
  async #runNow(feeds, fetches) {
    const engine = await liveEngine();
    const wasm = this.#wasmFor(engine);
    const outputs = callWasm(engine, () => wasm.run(feeds, fetches));
    // Wasm memory never shrinks: past the limit, this answer stands and the engine is replaced (sessions reload).
    if (engine.exports.memory.buffer.byteLength > this.#limits.maxWasmMemoryBytes) retireEngine(engine, 'wasmMemory');
    /** @type {Record<string, Tensor>} */
    const result = {};
    for (const out of outputs) {
      try {
        result[out.name] = new Tensor(/** @type {DataType} */ (out.type), /** @type {any} */ (out.data), out.dims);
      } catch (error) {
        throw new OnnxEdgeError(ErrorCode.ENGINE, `the engine returned an unusable tensor for ${out.name}`, {
          details: { output: out.name, type: out.type }, cause: error,
        });
      }
    }
    return result;
  }

  /**
   * This session's wasm side on `engine`, re-created from the kept bytes when the engine was replaced after a trap.
   * @param {Engine} engine
   * @returns {WasmSessionHandle}
   */
  #wasmFor(engine) {
    if (this.#engine === engine && this.#wasm !== null) return this.#wasm;
    this.#dropWasm();
    const wasm = callWasm(engine, () => new engine.glue.WasmSession(this.#bytes, { ...this.#wasmOptions }));
    this.#engine = engine;
    this.#wasm = wasm;
    return wasm;
  }

  #dropWasm() {
    if (this.#wasm !== null && this.#engine !== null) freeQuietly(this.#engine, this.#wasm);
    this.#wasm = null;
    this.#engine = null;
  }

  #checkLive() {
    if (this.#released) {
      throw new OnnxEdgeError(ErrorCode.RELEASED, 'this session was released', { details: { model: this.model?.name } });
    }
  }

  /**
   * Check feeds against the model (names, types, dims, limits) and shape them for wasm.
   * @param {unknown} feeds
   * @returns {WasmTensor[]}
   */
  #checkFeeds(feeds) {
    const expected = this.inputNames;
    if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds) || feeds instanceof Tensor) {
      throw argumentError(ErrorCode.INPUT_MISSING, 'feeds must be an object of input name to tensor', {
        expected: [...expected], actual: describe(feeds),
      });
    }
    const given = /** @type {Record<string, unknown>} */ (feeds);
    for (const name of Object.keys(given)) {
      if (!Object.prototype.hasOwnProperty.call(this.#inputsByName, name)) {
        throw new OnnxEdgeError(ErrorCode.INPUT_UNKNOWN, `the model has no input ${JSON.stringify(name)} (inputs: ${expected.join(', ')})`, {
          details: { kind: 'unknown', input: name, expected: [...expected] },
        });
      }
    }
    const maxElements = this.#limits.maxTensorElements;
    return expected.map((name) => {
      const value = given[name];
      if (value === undefined) {
        throw new OnnxEdgeError(ErrorCode.INPUT_MISSING, `input ${JSON.stringify(name)} was not fed (inputs: ${expected.join(', ')})`, {
          details: { kind: 'missing', input: name, expected: [...expected] },
        });
      }
      const tensor = checkTensorLike(name, value);
      const meta = this.#inputsByName[name];
      if (meta.type !== null && tensor.type !== meta.type) {
        throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, `input ${JSON.stringify(name)} takes ${meta.type}, not ${tensor.type}`, {
          details: { kind: 'dType', input: name, expected: meta.type, actual: tensor.type },
        });
      }
      const shape = this.#wasmOptions.inputShapes?.[name] ?? meta.shape;
      if (!dimsFit(shape, tensor.dims, this.#wasmOptions.freeDimensionOverrides)) {
        throw new OnnxEdgeError(ErrorCode.INPUT_SHAPE, `input ${JSON.stringify(name)} takes dims [${shape.join(', ')}], not [${tensor.dims.join(', ')}]`, {
          details: { kind: 'shape', input: name, expected: `[${shape.map((d) => (d === '' ? '?' : d)).join(',')}]`, actual: [...tensor.dims] },
        });
      }
      if (tensor.data.length > maxElements) {
        throw new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED, `input ${JSON.stringify(name)} has ${tensor.data.length} elements, more than the limit of ${maxElements} (limits.maxTensorElements)`, {
          details: { kind: 'tensorElements', input: name, limit: maxElements, actual: tensor.data.length },
        });
      }
      return tensor;
    });
  }

  /**
   * The output names asked for, or undefined for all of them (onnxruntime-web's rules for the second argument).
   * @param {unknown} fetches
   * @returns {string[] | undefined}
   */
  #checkFetches(fetches) {
    if (fetches === undefined) return undefined;
    if (typeof fetches !== 'object' || fetches === null || fetches instanceof Tensor) {
      throw argumentError(ErrorCode.OUTPUT_UNKNOWN, 'fetches must be an array of output names or an object keyed by output name', {
        expected: [...this.outputNames], actual: describe(fetches),
      });
    }
    /** @type {string[]} */
    let names;
    if (Array.isArray(fetches)) {
      names = fetches;
      if (names.length === 0) {
        throw argumentError(ErrorCode.OUTPUT_UNKNOWN, 'fetches must name at least one output', { expected: [...this.outputNames] });
      }
    } else {
      // As onnxruntime-web: an object with at least one output name as key is fetches; otherwise it is run options.
      names = this.outputNames.filter((name) => Object.prototype.hasOwnProperty.call(fetches, name));
      if (names.length === 0) return undefined;
    }
    for (const name of names) {
      if (typeof name !== 'string' || !this.outputNames.includes(name)) {
        throw new OnnxEdgeError(ErrorCode.OUTPUT_UNKNOWN, `the model has no output ${JSON.stringify(name)} (outputs: ${this.outputNames.join(', ')})`, {
          details: { kind: 'unknownOutput', output: name, expected: [...this.outputNames] },
        });
      }
    }
    return [...new Set(names)];
  }
}

// `using session = await InferenceSession.create(...)` where the runtime has explicit resource management.
/** @this {InferenceSession} */
function dispose() {
  void this.release();
}
/** @this {InferenceSession} */
function asyncDispose() {
  return this.release();
}
for (const [key, value] of /** @type {const} */ ([['dispose', dispose], ['asyncDispose', asyncDispose]])) {
  const symbol = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (Symbol))[key];
  if (typeof symbol === 'symbol') {
    Object.defineProperty(InferenceSession.prototype, symbol, { configurable: true, writable: true, value });
  }
}

/**
 * A feed value checked as a tensor: known type, the typed array for it (for `string`, an array of strings only),
 * dims that match the data.
 * @param {string} input
 * @param {unknown} value
 * @returns {WasmTensor}
 */
function checkTensorLike(input, value) {
  const { type, data, dims } = /** @type {{ type?: unknown, data?: unknown, dims?: unknown }} */ (
    typeof value === 'object' && value !== null ? value : {});
  if (!isDataType(type)) {
    throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, `input ${JSON.stringify(input)} is not a tensor of a known type`, {
      details: { kind: 'unknownType', input, actual: typeof type === 'string' ? type : describe(value) },
    });
  }
  if (DTYPES[type].kind === 'string') {
    // Another library's string tensor (onnxruntime-web's) may hold anything: its constructor does not look.
    const bad = Array.isArray(data) ? data.findIndex((v) => typeof v !== 'string') : -2;
    if (bad !== -1) {
      throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, bad === -2
        ? `input ${JSON.stringify(input)}: a string tensor's data must be an array of strings`
        : `input ${JSON.stringify(input)}: element ${bad} of a string tensor is not a string`, {
        details: {
          kind: 'dType', input, expected: 'string', actual: describe(bad === -2 ? data : /** @type {unknown[]} */ (data)[bad]),
          ...(bad === -2 ? {} : { index: bad }),
        },
      });
    }
  } else if (typedArrayName(data) !== DTYPES[type].array.name) {
    throw new OnnxEdgeError(ErrorCode.INPUT_DTYPE, `input ${JSON.stringify(input)}: a ${type} tensor's data must be a ${DTYPES[type].array.name}`, {
      details: { kind: 'dType', input, expected: DTYPES[type].array.name, actual: describe(data) },
    });
  }
  const array = /** @type {import('./dtypes.js').DataTypeMap[DataType]} */ (data);
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new OnnxEdgeError(ErrorCode.INPUT_SHAPE, `input ${JSON.stringify(input)}: dims must be non-negative integers`, {
      details: { kind: 'shape', input, actual: describe(dims) },
    });
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== array.length) {
    const detached = array.length === 0 && !Array.isArray(array) && isDetached(array.buffer);
    throw new OnnxEdgeError(ErrorCode.INPUT_SHAPE, detached
      ? `input ${JSON.stringify(input)}: its data's ArrayBuffer was detached (transferred or freed)`
      : `input ${JSON.stringify(input)}: dims [${dims.join(', ')}] hold ${size} elements but the data has ${array.length}`, {
      details: { kind: 'dataLength', input, dims: [...dims], expected: size, actual: array.length, ...(detached ? { reason: 'detached' } : {}) },
    });
  }
  return { name: input, type, dims: [...dims], data: array };
}

/**
 * Do the fed dims fit the expected ones? Numbers must match, symbols must match their override if one is given,
 * unknown dims (`''`, negative) match anything.
 * @param {readonly (number | string)[]} expected
 * @param {readonly number[]} actual
 * @param {Record<string, number> | undefined} overrides
 */
function dimsFit(expected, actual, overrides) {
  if (expected.length !== actual.length) return false;
  return expected.every((want, i) => {
    if (typeof want === 'number') return want < 0 || want === actual[i];
    const fixed = overrides?.[want];
    return typeof fixed !== 'number' || fixed === actual[i];
  });
}

/**
 * @param {ArrayBufferLike} buffer
 * @returns {boolean}
 */
function isDetached(buffer) {
  const flag = /** @type {{ detached?: boolean }} */ (buffer).detached;
  return typeof flag === 'boolean' ? flag : buffer.byteLength === 0;
}

/**
 * @param {import('./init.js').WasmMetadata['inputs'][number] | import('./init.js').WasmMetadata['outputs'][number]} value
 * @returns {ValueMetadata}
 */
function toValueMetadata(value) {
  const type = isDataType(value.type) ? value.type : null;
  const shape = value.dims === null ? [] : value.dims.map((d) => (d === null ? '' : d));
  return Object.freeze({ name: value.name, isTensor: /** @type {const} */ (true), type, shape: Object.freeze(shape) });
}

/**
 * The options the wasm side takes, copied so later changes by the caller do not matter.
 * @param {SessionOptions} options
 * @returns {WasmSessionOptions}
 */
function toWasmOptions(options) {
  /** @type {WasmSessionOptions} */
  const out = {};
  if (options.inputShapes !== undefined) {
    out.inputShapes = Object.fromEntries(Object.entries(options.inputShapes).map(([name, dims]) => [name, [...dims]]));
  }
  if (options.freeDimensionOverrides !== undefined) out.freeDimensionOverrides = { ...options.freeDimensionOverrides };
  if (options.limits !== undefined) {
    /** @type {{ maxModelBytes?: number, maxTensorElements?: number, maxCachedPlans?: number }} */
    const limits = {};
    if (options.limits.maxModelBytes !== undefined) limits.maxModelBytes = options.limits.maxModelBytes;
    if (options.limits.maxTensorElements !== undefined) limits.maxTensorElements = options.limits.maxTensorElements;
    if (options.limits.maxCachedPlans !== undefined) limits.maxCachedPlans = options.limits.maxCachedPlans;
    out.limits = limits;
  }
  const optimize = options.optimize ?? (options.graphOptimizationLevel === 'disabled' ? false : undefined);
  if (optimize !== undefined) out.optimize = optimize;
  return out;
}

/**
 * Free a wasm-side session, ignoring failure (its engine may have trapped; the glue's finalizer is unregistered
 * either way, so it will not fire later on a dead instance).
 * @param {Engine} engine
 * @param {WasmSessionHandle} wasm
 */
function freeQuietly(engine, wasm) {
  try {
    callWasm(engine, () => wasm.free());
  } catch {
    // nothing more to do: the memory goes with the instance
  }
}
