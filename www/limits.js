// Bounds on what one caller can make the engine hold, checked in JS before anything reaches wasm: model bytes
// (before reading, from the size when it is known), elements per input, declared dims, live sessions and the
// engine's wasm memory. The Rust core checks model bytes and input elements again (src/core/model/limits.rs);
// the defaults here are the same numbers.

import { ErrorCode, OnnxEdgeError } from './errors.js';

/**
 * @typedef {object} Limits
 * @property {number} [maxModelBytes] largest model accepted, in bytes (default 1 GiB)
 * @property {number} [maxTensorElements] most elements in one input tensor, largest dim a model or the options may
 *   declare for an input, and most elements in an initializer or a tensor the model builds from a constant shape
 *   (checked in the core) (default 2^28)
 * @property {number} [maxSessions] most sessions alive at once in this JS realm; `create` past it is refused
 *   (default 64)
 * @property {number} [maxWasmMemoryBytes] `create` is refused while the engine's wasm memory is larger, and a run
 *   that leaves it larger gets its answer, then the engine is replaced (wasm memory never shrinks) (default 2 GiB)
 */

/** The defaults, for a browser tab on a phone as much as for an edge function. */
export const DEFAULT_LIMITS = Object.freeze({
  maxModelBytes: 2 ** 30,
  maxTensorElements: 2 ** 28,
  maxSessions: 64,
  maxWasmMemoryBytes: 2 ** 31,
});

/** The keys of `limits` this package reads; the first two also go to the core. */
const KEYS = /** @type {const} */ (['maxModelBytes', 'maxTensorElements', 'maxSessions', 'maxWasmMemoryBytes']);

/**
 * The caller's limits over the defaults. Each must be a positive safe integer: anything else is OPTIONS_INVALID.
 * @param {unknown} limits `options.limits`
 * @returns {Required<Limits>}
 */
export function resolveLimits(limits) {
  if (limits === undefined) return { ...DEFAULT_LIMITS };
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new OnnxEdgeError(ErrorCode.OPTIONS_INVALID, 'options.limits must be an object', { details: { reason: 'limits' } });
  }
  const given = /** @type {Record<string, unknown>} */ (limits);
  /** @type {Record<string, number>} */
  const out = { ...DEFAULT_LIMITS };
  for (const key of KEYS) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new OnnxEdgeError(ErrorCode.OPTIONS_INVALID, `options.limits.${key} must be a positive integer`, {
        details: { reason: 'limits', limit: key, actual: typeof value === 'number' ? value : typeof value },
      });
    }
    out[key] = value;
  }
  return /** @type {Required<Limits>} */ (out);
}

/**
 * LIMIT_EXCEEDED for a dim the model or the options declare that no input within `maxTensorElements` can have
 * (an allocation bomb: the dim is refused before anything is sized from it). Same fields as the core's
 * `LimitError::DeclaredDim`.
 * @param {string} name the input (or symbol)
 * @param {number} value
 * @param {number} limit
 * @returns {OnnxEdgeError}
 */
export function declaredDimError(name, value, limit) {
  return new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED,
    `dimension ${value} of '${name}' is larger than the limit of ${limit} elements (limits.maxTensorElements)`, {
      details: { kind: 'declaredDim', name, value, limit },
    });
}

/**
 * Refuse numeric dims in `inputShapes` and `freeDimensionOverrides` larger than `limit`, and inputs whose fixed
 * dims multiply past it.
 * @param {{ inputShapes?: Record<string, (number | string)[]>, freeDimensionOverrides?: Record<string, number> }} options
 * @param {number} limit
 */
export function checkDeclaredOptions(options, limit) {
  for (const [name, dims] of Object.entries(options.inputShapes ?? {})) checkDims(name, dims, limit);
  for (const [symbol, value] of Object.entries(options.freeDimensionOverrides ?? {})) {
    if (typeof value === 'number' && value > limit) throw declaredDimError(symbol, value, limit);
  }
}

/**
 * Refuse a model whose inputs declare dims no feed within `limit` elements can have.
 * @param {readonly { name: string, shape: readonly (number | string)[] }[]} inputs the session's input metadata
 * @param {number} limit
 */
export function checkDeclaredInputs(inputs, limit) {
  for (const input of inputs) checkDims(input.name, input.shape, limit);
}

/**
 * @param {string} name
 * @param {readonly (number | string)[]} dims
 * @param {number} limit
 */
function checkDims(name, dims, limit) {
  let product = 1;
  for (const dim of dims) {
    if (typeof dim !== 'number' || dim < 0) continue;
    if (dim > limit) throw declaredDimError(name, dim, limit);
    product *= dim;
    if (product > limit) throw declaredDimError(name, product, limit);
  }
}

/** Sessions alive now (created, not released), in this realm. */
let liveSessions = 0;

/**
 * Count a new session in, or refuse it (LIMIT_EXCEEDED `kind: 'sessions'`). Pair with `sessionClosed`.
 * @param {number} limit
 */
export function sessionOpened(limit) {
  if (liveSessions >= limit) {
    throw new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED,
      `${liveSessions} sessions are alive, the limit is ${limit} (limits.maxSessions): release one first`, {
        details: { kind: 'sessions', limit, actual: liveSessions + 1 },
      });
  }
  liveSessions += 1;
}

/** A session was released (or its creation failed after `sessionOpened`). */
export function sessionClosed() {
  liveSessions = Math.max(0, liveSessions - 1);
}

// A session dropped without release() stops counting when it is garbage collected (as the glue frees its wasm side).
const collected = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(sessionClosed) : null;

/**
 * Count `session` out when it is collected unreleased. Pair with `sessionReleased`.
 * @param {object} session
 */
export function watchSession(session) {
  collected?.register(session, undefined, session);
}

/**
 * `session` was released: it stops counting now, not when collected.
 * @param {object} session
 */
export function sessionReleased(session) {
  collected?.unregister(session);
  sessionClosed();
}

/** @returns {number} sessions alive now */
export function liveSessionCount() {
  return liveSessions;
}

/**
 * Refuse a new session while the engine holds more wasm memory than `limit` (LIMIT_EXCEEDED `kind: 'wasmMemory'`).
 * @param {number} bytes the engine's memory now
 * @param {number} limit
 */
export function checkWasmMemory(bytes, limit) {
  if (bytes <= limit) return;
  throw new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED,
    `the engine holds ${bytes} bytes of wasm memory, more than the limit of ${limit} (limits.maxWasmMemoryBytes)`, {
      details: { kind: 'wasmMemory', limit, actual: bytes },
    });
}
