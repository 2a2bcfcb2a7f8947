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
//
// Two builds are packaged (issue 17): dist/onnx_edge_bg.wasm with wasm SIMD, and dist/onnx_edge_baseline_bg.wasm
// without, for runtimes that lack SIMD (detected by validating a tiny SIMD module, wasm-features.js). Both are
// bound under the default's name (scripts/build-wasm.sh), so they import the same names from the same module and
// the one glue instantiates either (we always hand it a compiled Module). `engineInfo()` says which build runs.

import * as firstGlue from './dist/onnx_edge.js';
import { ErrorCode, OnnxEdgeError, argumentError, isWasmTrap, rethrowFromWasm } from './errors.js';
import { openSource, readResponse } from './source.js';
import { WASM_VARIANTS, chooseVariant, wasmSimdSupported } from './wasm-features.js';

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

/**
 * What `init` takes instead of a source: which packaged build to load. `auto` (the default) picks the SIMD build
 * where the runtime has wasm SIMD and the baseline build elsewhere; `simd` or `baseline` forces one (tests, or a
 * host whose SIMD is slow or broken).
 * @typedef {object} InitOptions
 * @property {import('./wasm-features.js').VariantChoice} [variant]
 */

/**
 * Which build the engine runs: `simd` or `baseline` (a packaged file), `custom` (a source given to `init`, whose
 * build we cannot tell), or null before the engine starts.
 * @typedef {object} EngineInfo
 * @property {import('./wasm-features.js').WasmVariant | 'custom' | null} variant
 * @property {boolean} simdSupported whether this runtime validates wasm SIMD
 * @property {number} generation the live engine's generation (0 before the engine starts)
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
/** @type {EngineInfo['variant']} */
let variant = null;

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
 * share the first call's promise (and ignore their argument); after a failure the next call tries again.
 * Without a source (or with `{ variant }`), browsers and Deno fetch `dist/onnx_edge_bg.wasm` (SIMD) or
 * `dist/onnx_edge_baseline_bg.wasm` (no SIMD) next to this file, and Node and Bun read it.
 * @param {WasmSource | InitOptions} [sourceOrOptions]
 * @returns {Promise<void>}
 */
export function init(sourceOrOptions) {
  if (starting === null) {
    const attempt = start(sourceOrOptions);
    starting = attempt;
    attempt.catch(() => {
      if (starting === attempt) starting = null;
    });
  }
  return starting.then(() => undefined);
}

/**
 * Which build runs, and whether this runtime has wasm SIMD.
 * @returns {EngineInfo}
 */
export function engineInfo() {
  return { variant, simdSupported: wasmSimdSupported(), generation: current === null ? 0 : current.generation };
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
 * @param {WasmSource | InitOptions | undefined} sourceOrOptions
 * @returns {Promise<Engine>}
 */
async function start(sourceOrOptions) {
  const options = isInitOptions(sourceOrOptions) ? sourceOrOptions : undefined;
  const choice = options?.variant ?? 'auto';
  if (choice !== 'auto' && !WASM_VARIANTS.includes(choice)) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, `variant must be 'auto', ${WASM_VARIANTS.map((v) => `'${v}'`).join(' or ')}`,
      { option: 'variant', actual: String(choice) });
  }
  const given = options === undefined ? /** @type {WasmSource | undefined} */ (sourceOrOptions) : undefined;
  const chosen = given === undefined ? chooseVariant(choice) : 'custom';
  const module = await compile(given ?? defaultWasmUrl(chosen === 'baseline' ? 'baseline' : 'simd'));
  const engine = await instantiate(/** @type {Glue} */ (/** @type {unknown} */ (firstGlue)), module, 1);
  compiled = module;
  current = engine;
  variant = chosen;
  return engine;
}

/**
 * An `{ variant }` object rather than a source: a plain object (sources are typed arrays, buffers, URLs, strings,
 * Responses or Modules, none of them plain).
 * @param {unknown} value
 * @returns {value is InitOptions}
 */
function isInitOptions(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
 * The compiled module from whatever source was given (streaming compilation for an application/wasm Response,
 * which is what browsers get for the packaged file: compiling while it downloads).
 * @param {WasmSource | URL} source
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  const opened = await openSource(source);
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
 * A packaged wasm file next to this module. Computed only when needed: workerd has no `import.meta.url`. Two
 * literal `new URL(..., import.meta.url)` so that bundlers see and copy both files.
 * @param {import('./wasm-features.js').WasmVariant} build
 * @returns {URL}
 */
function defaultWasmUrl(build) {
  try {
    return build === 'baseline'
      ? new URL('./dist/onnx_edge_baseline_bg.wasm', import.meta.url)
      : new URL('./dist/onnx_edge_bg.wasm', import.meta.url);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.FETCH,
      "cannot locate the wasm file in this runtime: pass it to init(), e.g. `import wasm from 'onnx-edge/wasm'; await init(wasm)`",
      { details: { reason: 'no-import-meta-url' }, cause: error });
  }
}
