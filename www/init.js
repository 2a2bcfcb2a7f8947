// Starting the wasm engine once, in any runtime, and replacing it after a trap.
//
// The engine is one instance of the wasm-bindgen glue (www/dist/onnx_edge.js) and its wasm. `init()` compiles the
// module once and keeps the WebAssembly.Module. A trap (WebAssembly.RuntimeError) leaves an instance unusable, and
// the glue refuses to instantiate twice, so the next call after a trap imports a fresh copy of the glue (the same
// file under another query string, which module loaders treat as a new module) and instantiates the kept Module
// again. Sessions notice that the engine changed and re-create their wasm side from the bytes they kept.
//
// A trap starts the replacement at once (not at the next call), and every replacement is announced on
// `engineEvents` (a `reset` event) and counted (`engineResetCount()`, telemetry's onnx_edge_engine_resets_total).

import * as firstGlue from './dist/onnx_edge.js';
import { ErrorCode, OnnxEdgeError, isWasmTrap, rethrowFromWasm } from './errors.js';
import { openSource, readResponse } from './source.js';

/**
 * A tensor as the bindings take and give it.
 * @typedef {{ name: string, type: string, dims: number[], data: import('./dtypes.js').DataTypeMap[import('./dtypes.js').DataType] }} WasmTensor
 */

/**
 * The model description the bindings report.
 * @typedef {object} WasmMetadata
 * @property {{ name: string, type: string, dims: (number | string | null)[] }[]} inputs
 * @property {{ name: string, type: string | null, dims: (number | string | null)[] | null }[]} outputs
 * @property {{ domain: string, version: number }[]} opsets
 * @property {string} producerName
 * @property {string} producerVersion
 * @property {number} irVersion
 * @property {number} modelVersion
 * @property {string} domain
 * @property {string} docString
 * @property {string} graphName
 * @property {Record<string, string>} metadataProps
 */

/**
 * The options the bindings' session constructor takes.
 * @typedef {object} WasmSessionOptions
 * @property {Record<string, (number | string)[]>} [inputShapes]
 * @property {Record<string, number>} [freeDimensionOverrides]
 * @property {{ maxModelBytes?: number, maxTensorElements?: number, maxCachedPlans?: number }} [limits]
 * @property {boolean} [optimize]
 */

/**
 * A session on the wasm side (the bindings' `WasmSession`).
 * @typedef {object} WasmSessionHandle
 * @property {WasmMetadata} metadata
 * @property {string[]} warnings
 * @property {(feeds: WasmTensor[], fetches?: string[]) => WasmTensor[]} run
 * @property {() => void} free
 */

/** @typedef {{ domain: string, op: string, status: 'supported' | 'partial' | 'no' }} OpCoverageEntry */

/**
 * What this file uses from the glue.
 * @typedef {object} Glue
 * @property {(input: { module_or_path: WebAssembly.Module }) => Promise<{ memory: WebAssembly.Memory }>} default
 * @property {new (bytes: Uint8Array, options: WasmSessionOptions) => WasmSessionHandle} WasmSession
 * @property {() => OpCoverageEntry[]} opCoverage
 */

/**
 * One live instance of the engine. `dead` turns true after a trap; `liveEngine()` then makes the next one.
 * @typedef {object} Engine
 * @property {Glue} glue
 * @property {{ memory: WebAssembly.Memory } & Record<string, any>} exports
 * @property {number} generation
 * @property {boolean} dead
 */

/**
 * Where the wasm can come from: a URL (or a string), bytes, a Response, or a compiled `WebAssembly.Module`
 * (the only way on Cloudflare Workers: `import wasm from 'onnx-edge/wasm'; await init(wasm);`).
 * @typedef {import('./source.js').Source | WebAssembly.Module} WasmSource
 */

/** @type {Promise<Engine> | null} */
let starting = null;
/** @type {Promise<Engine> | null} */
let restarting = null;
/** @type {Engine | null} */
let current = null;
/** @type {WebAssembly.Module | null} */
let compiled = null;
/** Engines replaced so far in this realm. */
let resets = 0;
/** Why the live engine was retired, for the `reset` event that announces its successor. */
let retiredFor = 'trap';

/**
 * @typedef {object} EngineResetEvent a `reset` event on `engineEvents`
 * @property {'reset'} type
 * @property {number} generation the new engine's generation (the first engine is 1)
 * @property {'trap' | 'wasmMemory'} reason a wasm trap (panic, out of memory), or memory past limits.maxWasmMemoryBytes
 * @property {number} resets engines replaced so far, this one included
 */

/**
 * Announces engine replacements: `engineEvents.addEventListener('reset', (event) => ...)`, where the event carries
 * `generation`, `reason` and `resets` (EngineResetEvent). Live sessions reload from their kept bytes on their
 * next call; the call that trapped was answered with ENGINE.
 */
export const engineEvents = new EventTarget();

/**
 * Engines replaced since this realm started (after traps, or wasm memory past its limit).
 * @returns {number}
 */
export function engineResetCount() {
  return resets;
}

/**
 * Start the engine. Optional: the first `InferenceSession.create` calls it. Idempotent: later and concurrent calls
 * share the first call's promise (and ignore their `source`); after a failure the next call tries again.
 * Without a source, browsers and Deno fetch `dist/onnx_edge_bg.wasm` next to this file, and Node and Bun read it.
 * @param {WasmSource} [source]
 * @returns {Promise<void>}
 */
export function init(source) {
  if (starting === null) {
    const attempt = start(source);
    starting = attempt;
    attempt.catch(() => {
      if (starting === attempt) starting = null;
    });
  }
  return starting.then(() => undefined);
}

/**
 * The engine to call now: started if needed, replaced if the last one trapped.
 * @returns {Promise<Engine>}
 */
export async function liveEngine() {
  if (current === null) await init();
  const engine = /** @type {Engine} */ (current);
  if (!engine.dead) return engine;
  if (restarting === null) {
    const attempt = restart(engine.generation + 1);
    restarting = attempt;
    attempt.then(() => { restarting = null; }, () => { restarting = null; });
  }
  return restarting;
}

/**
 * Call into wasm. The one place that catches what wasm throws: a trap marks `engine` dead, and every error comes
 * out as an OnnxEdgeError (see `rethrowFromWasm`).
 * @template R
 * @param {Engine} engine
 * @param {() => R} call
 * @returns {R}
 */
export function callWasm(engine, call) {
  try {
    return call();
  } catch (error) {
    if (isWasmTrap(error)) retireEngine(engine, 'trap');
    return rethrowFromWasm(error);
  }
}

/**
 * Stop using `engine` and start its replacement now (a trap, or wasm memory that cannot shrink). Idempotent.
 * @param {Engine} engine
 * @param {'trap' | 'wasmMemory'} reason
 */
export function retireEngine(engine, reason) {
  if (engine.dead) return;
  engine.dead = true;
  if (engine !== current) return;
  retiredFor = reason;
  liveEngine().catch(() => {}); // a failed restart is retried, and reported, by the next call
}

/**
 * Every ONNX operator the engine knows about, with its support status.
 * @returns {Promise<OpCoverageEntry[]>}
 */
export async function opCoverage() {
  const engine = await liveEngine();
  return callWasm(engine, () => engine.glue.opCoverage());
}

/**
 * Bytes of wasm memory the live engine holds now (0 before `init`): read at scrape time by telemetry.
 * @returns {number}
 */
export function wasmMemoryBytes() {
  return current === null || current.dead ? 0 : current.exports.memory.buffer.byteLength;
}

/**
 * @param {WasmSource | undefined} source
 * @returns {Promise<Engine>}
 */
async function start(source) {
  const module = await compile(source);
  const engine = await instantiate(/** @type {Glue} */ (/** @type {unknown} */ (firstGlue)), module, 1);
  compiled = module;
  current = engine;
  return engine;
}

/**
 * A fresh copy of the glue around the kept module, replacing a trapped engine.
 * @param {number} generation
 * @returns {Promise<Engine>}
 */
async function restart(generation) {
  /** @type {Glue} */
  let glue;
  try {
    glue = await import(`./dist/onnx_edge.js?generation=${generation}`);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.ENGINE, 'the engine trapped and could not be restarted in this runtime', {
      details: { generation }, cause: error,
    });
  }
  const engine = await instantiate(glue, /** @type {WebAssembly.Module} */ (compiled), generation);
  current = engine;
  resets += 1;
  const event = Object.assign(new Event('reset'), { generation, reason: retiredFor, resets });
  retiredFor = 'trap';
  engineEvents.dispatchEvent(event);
  return engine;
}

/**
 * @param {Glue} glue
 * @param {WebAssembly.Module} module
 * @param {number} generation
 * @returns {Promise<Engine>}
 */
async function instantiate(glue, module, generation) {
  try {
    // Async instantiation: Chromium refuses a synchronous `new WebAssembly.Instance` of a module over 8 MB on the
    // main thread, and workerd allows instantiating a precompiled module either way.
    const exports = await glue.default({ module_or_path: module });
    return { glue, exports, generation, dead: false };
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.ENGINE, 'the wasm module could not be instantiated', { details: { generation }, cause: error });
  }
}

/**
 * The compiled module from whatever source was given (streaming compilation for an application/wasm Response).
 * @param {WasmSource | undefined} source
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  const opened = await openSource(source ?? defaultWasmUrl());
  try {
    if (opened instanceof Uint8Array) return await WebAssembly.compile(/** @type {BufferSource} */ (/** @type {unknown} */ (opened)));
    const type = (opened.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (opened.ok && type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
      return await WebAssembly.compileStreaming(opened);
    }
    const bytes = await readResponse(opened);
    return await WebAssembly.compile(/** @type {BufferSource} */ (/** @type {unknown} */ (bytes)));
  } catch (error) {
    if (error instanceof OnnxEdgeError) throw error;
    throw new OnnxEdgeError(ErrorCode.ENGINE, 'the wasm module did not compile', { cause: error });
  }
}

/**
 * The packaged wasm file next to this module. Computed only when needed: workerd has no `import.meta.url`.
 * @returns {URL}
 */
function defaultWasmUrl() {
  try {
    return new URL('./dist/onnx_edge_bg.wasm', import.meta.url);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.FETCH,
      "cannot locate the wasm file in this runtime: pass it to init(), e.g. `import wasm from 'onnx-edge/wasm'; await init(wasm)`",
      { details: { reason: 'no-import-meta-url' }, cause: error });
  }
}
