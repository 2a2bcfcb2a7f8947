// The slim engine: one instance of the slim build's glue (dist/onnx_edge_slim.js) and its wasm, started once and
// replaced after a trap, as init.js does for the full build (a fresh copy of the glue around the kept Module;
// sessions reload from the bytes they kept).

import * as firstGlue from '../dist/onnx_edge_slim.js';
import { ErrorCode, OnnxEdgeError, isWasmTrap, rethrowFromWasm } from '../errors.js';
import { openSource, readResponse } from '../source.js';

/**
 * A session on the wasm side (the slim bindings' `WasmSession`, the same face as the full build's).
 * @typedef {object} SlimWasmSession
 * @property {import('../init.js').WasmMetadata} metadata
 * @property {string[]} warnings
 * @property {(feeds: import('../init.js').WasmTensor[], fetches?: string[]) => import('../init.js').WasmTensor[]} run
 * @property {() => void} free
 */

/**
 * What this file uses from the glue.
 * @typedef {object} SlimGlue
 * @property {(input: { module_or_path: WebAssembly.Module }) => Promise<{ memory: WebAssembly.Memory }>} default
 * @property {new (bytes: Uint8Array, options: { limits?: { maxModelBytes?: number, maxTensorElements?: number } }) => SlimWasmSession} WasmSession
 */

/**
 * @typedef {object} SlimEngine
 * @property {SlimGlue} glue
 * @property {number} generation
 * @property {boolean} dead
 */

/** @type {Promise<SlimEngine> | null} */
let starting = null;
/** @type {Promise<SlimEngine> | null} */
let restarting = null;
/** @type {SlimEngine | null} */
let current = null;
/** @type {WebAssembly.Module | null} */
let compiled = null;

/**
 * Start the slim engine. Optional: the first `InferenceSession.create` calls it. Later calls share the first
 * call's promise; after a failure the next call tries again. Without a source, browsers and Deno fetch
 * `dist/onnx_edge_slim_bg.wasm` next to this package, Node and Bun read it; on Cloudflare Workers pass the module
 * (`import wasm from 'onnx-edge/slim/wasm'; await init(wasm);`).
 * @param {import('../init.js').WasmSource} [source]
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
 * @returns {Promise<SlimEngine>}
 */
export async function liveEngine() {
  if (current === null) await init();
  const engine = /** @type {SlimEngine} */ (current);
  if (!engine.dead) return engine;
  if (restarting === null) {
    const generation = engine.generation + 1;
    const attempt = (async () => {
      /** @type {SlimGlue} */
      let glue;
      try {
        glue = await import(`../dist/onnx_edge_slim.js?generation=${generation}`);
      } catch (error) {
        throw new OnnxEdgeError(ErrorCode.ENGINE, 'the engine trapped and could not be restarted in this runtime', {
          details: { generation }, cause: error,
        });
      }
      current = await instantiate(glue, /** @type {WebAssembly.Module} */ (compiled), generation);
      return current;
    })();
    restarting = attempt;
    attempt.then(() => { restarting = null; }, () => { restarting = null; });
  }
  return restarting;
}

/**
 * Call into wasm: a trap marks `engine` dead, every error comes out as an OnnxEdgeError.
 * @template R
 * @param {SlimEngine} engine
 * @param {() => R} call
 * @returns {R}
 */
export function callWasm(engine, call) {
  try {
    return call();
  } catch (error) {
    if (isWasmTrap(error)) engine.dead = true;
    return rethrowFromWasm(error);
  }
}

/**
 * @param {import('../init.js').WasmSource | undefined} source
 * @returns {Promise<SlimEngine>}
 */
async function start(source) {
  const module = await compile(source);
  const engine = await instantiate(/** @type {SlimGlue} */ (/** @type {unknown} */ (firstGlue)), module, 1);
  compiled = module;
  current = engine;
  return engine;
}

/**
 * @param {SlimGlue} glue
 * @param {WebAssembly.Module} module
 * @param {number} generation
 * @returns {Promise<SlimEngine>}
 */
async function instantiate(glue, module, generation) {
  try {
    await glue.default({ module_or_path: module });
    return { glue, generation, dead: false };
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.ENGINE, 'the wasm module could not be instantiated', { details: { generation }, cause: error });
  }
}

/**
 * @param {import('../init.js').WasmSource | undefined} source
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

/** @returns {URL} */
function defaultWasmUrl() {
  try {
    return new URL('../dist/onnx_edge_slim_bg.wasm', import.meta.url);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.FETCH,
      "cannot locate the wasm file in this runtime: pass it to init(), e.g. `import wasm from 'onnx-edge/slim/wasm'; await init(wasm)`",
      { details: { reason: 'no-import-meta-url' }, cause: error });
  }
}
