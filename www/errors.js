// OnnxEdgeError, the stable error codes, and the one place that turns what wasm throws into OnnxEdgeError.

/**
 * Every code an onnx-edge error can carry. Codes are never renamed or reused; a retired code stays listed.
 * The codes the Rust core raises are its `ERROR_CODES` (`src/core/error.rs`); the others arise in this package
 * (fetching, registry, rollouts, lifecycle). errors.test.js keeps this list, DESIGN.md's and the core's in step.
 * `details` carries the core's fields: `kind` (the variant, camelCase) and the values a caller acts on.
 */
export const ErrorCode = Object.freeze(/** @type {const} */ ({
  /** The bytes are not a readable ONNX model (corrupt, truncated, not protobuf). */
  MODEL_PARSE: 'MODEL_PARSE',
  /** The model uses an operator the engine does not implement; `details`: `{ opType, domain, node, opset, hint }`. */
  MODEL_UNSUPPORTED_OP: 'MODEL_UNSUPPORTED_OP',
  /** Shapes or types in the model cannot be worked out (give `inputShapes` / `freeDimensionOverrides`). */
  MODEL_SHAPE: 'MODEL_SHAPE',
  /** The graph failed while computing (an op refused the values it got); `details`: `{ reason }`. */
  MODEL_RUN: 'MODEL_RUN',
  /** A model input was not fed; `details`: `{ input, expected }`. */
  INPUT_MISSING: 'INPUT_MISSING',
  /** A feed names no input of the model; `details`: `{ input, expected }`. */
  INPUT_UNKNOWN: 'INPUT_UNKNOWN',
  /** Wrong tensor type, or data that does not fit the type; `details`: `{ input, expected, actual }`. */
  INPUT_DTYPE: 'INPUT_DTYPE',
  /**
   * Wrong rank or dims, dims that do not match the data, or a detached buffer; `details`: `{ input, expected, actual }`
   * (`kind: 'dataLength'` with `reason: 'detached'` for a detached buffer).
   */
  INPUT_SHAPE: 'INPUT_SHAPE',
  /** A fetch names no output of the model; `details`: `{ output, expected }`. */
  OUTPUT_UNKNOWN: 'OUTPUT_UNKNOWN',
  /** A configured limit was passed; `details`: `{ kind: 'modelBytes' | 'tensorElements' | ..., limit, actual }`. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** Session options the engine cannot take (unknown key, wrong value type); `details`: `{ reason }`. */
  OPTIONS_INVALID: 'OPTIONS_INVALID',
  /** Downloaded bytes do not match the sha256 the manifest promises. */
  INTEGRITY: 'INTEGRITY',
  /** The manifest's signature does not verify. */
  SIGNATURE: 'SIGNATURE',
  /** The manifest is not valid JSON of the manifest's shape (schemas/manifest.schema.json); `details`: `{ reason }`. */
  MANIFEST_INVALID: 'MANIFEST_INVALID',
  /** Bytes could not be obtained (network, HTTP status, file system, unusable source). */
  FETCH: 'FETCH',
  /** No model version matches the requested name, range or alias. */
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  /** A candidate version failed its staging gate. */
  GATE_FAILED: 'GATE_FAILED',
  /** The session was released. */
  RELEASED: 'RELEASED',
  /** The engine failed: a wasm trap (the instance is replaced on the next call) or an unexpected engine error. */
  ENGINE: 'ENGINE',
}));

/** @typedef {typeof ErrorCode[keyof typeof ErrorCode]} ErrorCodeName */

/**
 * An error a user of onnx-edge can act on: `code` is stable, `details` carries the fields (op type, input name,
 * expected and actual dims, ...) and `cause` the underlying error, if any.
 */
export class OnnxEdgeError extends Error {
  /**
   * @param {ErrorCodeName} code
   * @param {string} message
   * @param {{ details?: Record<string, unknown>, cause?: unknown }} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    /** @type {'OnnxEdgeError'} */
    this.name = 'OnnxEdgeError';
    /** @type {ErrorCodeName} */
    this.code = code;
    /** @type {Record<string, unknown>} */
    this.details = extra.details ?? {};
  }

  /** Plain fields, so the error survives JSON and `postMessage` (structured clone drops `code` and `details`). */
  toJSON() {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Is `error` an onnx-edge error? Checks `name` and `code`, not the class, so it also holds for an error from
 * another realm (an iframe, a worker's copy of this package) or one rebuilt from `toJSON()`.
 * @param {unknown} error
 * @returns {error is OnnxEdgeError}
 */
export function isOnnxEdgeError(error) {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = /** @type {{ name?: unknown, code?: unknown }} */ (error);
  return name === 'OnnxEdgeError' && typeof code === 'string';
}

/**
 * A `TypeError` for a bad argument (as onnxruntime-web throws, so existing `catch` code works) that also carries
 * a `code` and `details`.
 * @param {ErrorCodeName} code
 * @param {string} message
 * @param {Record<string, unknown>} [details]
 * @returns {TypeError & { code: ErrorCodeName, details: Record<string, unknown> }}
 */
export function argumentError(code, message, details = {}) {
  const error = /** @type {TypeError & { code: ErrorCodeName, details: Record<string, unknown> }} */ (new TypeError(message));
  error.code = code;
  error.details = details;
  return error;
}

/**
 * Is `error` a wasm trap? After one, the instance that trapped must not be used again.
 * @param {unknown} error
 * @returns {boolean}
 */
export function isWasmTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

/**
 * The one rethrow for errors coming out of wasm. The bindings throw a plain `Error` named `OnnxEdgeError` with
 * `code` and `details`: it comes back as an `OnnxEdgeError` (so `instanceof` works). A trap becomes code `ENGINE`
 * with `details.trap = true`; anything else unexpected becomes `ENGINE` with the original as `cause`.
 * @param {unknown} error
 * @returns {never}
 */
export function rethrowFromWasm(error) {
  if (error instanceof OnnxEdgeError) throw error;
  if (isWasmTrap(error)) {
    const message = /** @type {Error} */ (error).message;
    throw new OnnxEdgeError(ErrorCode.ENGINE, `the engine trapped (${message}); it is restarted on the next call`, {
      details: { trap: true },
      cause: error,
    });
  }
  if (isOnnxEdgeError(error)) {
    const source = /** @type {Error & { code: string, details?: unknown }} */ (error);
    const known = Object.prototype.hasOwnProperty.call(ErrorCode, source.code);
    const details = typeof source.details === 'object' && source.details !== null
      ? /** @type {Record<string, unknown>} */ ({ ...source.details })
      : {};
    if (!known) details.engineCode = source.code;
    throw new OnnxEdgeError(known ? /** @type {ErrorCodeName} */ (source.code) : ErrorCode.ENGINE, source.message, {
      details,
      cause: source.cause,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  throw new OnnxEdgeError(ErrorCode.ENGINE, `unexpected engine error: ${message}`, { details: {}, cause: error });
}
