// The messages between a worker session's page side (client.js) and its worker (host.js): tensors as plain
// fields with their buffers in the transfer list, errors as plain fields re-created with their class on arrival.

import { argumentError, ErrorCode, isOnnxEdgeError, OnnxEdgeError } from '../errors.js';

/** @typedef {import('../errors.js').ErrorCodeName} ErrorCodeName */

/**
 * A call to the worker. `id` pairs it with its reply; the worker answers calls one after another, in order.
 * @typedef {{ id: number, op: 'create', source: string | Uint8Array, options: Record<string, unknown>, progress: boolean }
 *   | { id: number, op: 'run', feeds: unknown, fetches: unknown, options: unknown }
 *   | { id: number, op: 'release' }} Call
 */

/**
 * A reply: the result, an error, or (during `create`, when asked for) download progress.
 * @typedef {{ id: number, ok: true, result: unknown }
 *   | { id: number, ok: false, error: ErrorFields }
 *   | { id: number, progress: { loaded: number, total?: number } }} Reply
 */

/**
 * An error as it crosses: `name` says which class to re-create (`TypeError` for a bad argument, as the session
 * throws it, else `OnnxEdgeError`).
 * @typedef {{ name: 'OnnxEdgeError' | 'TypeError', code: string, message: string, details: Record<string, unknown> }} ErrorFields
 */

/** @typedef {{ type: string, dims: number[], data: unknown }} TensorFields */

/**
 * A tensor's three fields, its data ready to move: the caller's typed array when `mayTransfer` and it spans a
 * whole (non-shared) ArrayBuffer, else a compact copy. Either way the buffer sent is added to `transfer`, so the
 * data is copied at most once. Anything that is not a tensor with typed-array data passes as is (the session on
 * the other side reports what is wrong with it). Data whose buffer was detached (moved by an earlier call) while
 * dims say it is not empty is INPUT_SHAPE with `reason: 'detached'`, as the session reports it.
 * @param {string} name the input or output name, for the error
 * @param {unknown} value
 * @param {boolean} mayTransfer
 * @param {Set<Transferable>} transfer
 * @returns {unknown}
 */
export function encodeTensor(name, value, mayTransfer, transfer) {
  if (typeof value !== 'object' || value === null) return value;
  const { type, data, dims } = /** @type {{ type?: unknown, data?: unknown, dims?: unknown }} */ (value);
  if (!ArrayBuffer.isView(data) || data instanceof DataView) {
    return { type, data: Array.isArray(data) ? [...data] : data, dims: Array.isArray(dims) ? [...dims] : dims };
  }
  const view = /** @type {ArrayBufferView} */ (data);
  const size = Array.isArray(dims) ? dims.reduce((a, b) => a * Number(b), 1) : NaN;
  if (view.byteLength === 0 && size !== 0 && isDetached(view.buffer)) {
    throw new OnnxEdgeError(ErrorCode.INPUT_SHAPE, `input ${JSON.stringify(name)}: its data's ArrayBuffer was detached (transferred or freed)`, {
      details: { kind: 'dataLength', input: name, actual: 0, reason: 'detached' },
    });
  }
  const movable = mayTransfer && view.buffer instanceof ArrayBuffer && view.byteOffset === 0
    && view.byteLength === view.buffer.byteLength;
  const sent = movable ? view : compactCopy(view);
  transfer.add(sent.buffer);
  return { type, data: sent, dims: Array.isArray(dims) ? [...dims] : dims };
}

/**
 * Feeds (input name to tensor) ready to send; see `encodeTensor`. A value that is not an object passes as is.
 * @param {unknown} feeds
 * @param {boolean} mayTransfer
 * @param {Set<Transferable>} transfer
 * @returns {unknown}
 */
export function encodeFeeds(feeds, mayTransfer, transfer) {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) return feeds;
  return Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, encodeTensor(name, tensor, mayTransfer, transfer)]));
}

/**
 * Outputs (name to tensor) as plain fields, their buffers moved: the worker's outputs are its own.
 * @param {Record<string, { type: string, dims: readonly number[], data: unknown }>} outputs
 * @param {Set<Transferable>} transfer
 * @returns {Record<string, TensorFields>}
 */
export function encodeOutputs(outputs, transfer) {
  /** @type {Record<string, TensorFields>} */
  const out = {};
  for (const [name, tensor] of Object.entries(outputs)) out[name] = /** @type {TensorFields} */ (encodeTensor(name, tensor, true, transfer));
  return out;
}

/**
 * A copy of a typed array in a fresh ArrayBuffer of its own size, of the intrinsic class (a Node Buffer's copy is
 * a Uint8Array: `Buffer#slice` would not copy).
 * @template {ArrayBufferView} T
 * @param {T} view
 * @returns {T & { buffer: ArrayBuffer }}
 */
export function compactCopy(view) {
  const name = /** @type {string} */ (/** @type {any} */ (view)[Symbol.toStringTag]);
  const Class = /** @type {new (length: number) => any} */ (/** @type {any} */ (globalThis)[name]);
  const copy = new Class(/** @type {any} */ (view).length);
  copy.set(view);
  return copy;
}

/**
 * What `postMessage` needs for a set of buffers.
 * @param {Set<Transferable>} transfer
 * @returns {Transferable[]}
 */
export function transferList(transfer) {
  return [...transfer];
}

/**
 * Any thrown value as fields that survive structured clone. An error without a string `code` (a bug, or a
 * failure outside the engine) becomes `ENGINE`, with its message kept.
 * @param {unknown} error
 * @returns {ErrorFields}
 */
export function encodeError(error) {
  const { name, code, message, details } = /** @type {{ name?: unknown, code?: unknown, message?: unknown, details?: unknown }} */ (
    typeof error === 'object' && error !== null ? error : {});
  if (typeof code === 'string' && (isOnnxEdgeError(error) || error instanceof TypeError)) {
    return {
      name: name === 'TypeError' ? 'TypeError' : 'OnnxEdgeError',
      code,
      message: typeof message === 'string' ? message : String(message),
      details: plainDetails(details),
    };
  }
  const text = typeof message === 'string' ? message : String(error);
  return { name: 'OnnxEdgeError', code: ErrorCode.ENGINE, message: `unexpected error in the worker: ${text}`, details: { reason: 'worker-exception' } };
}

/**
 * The error an `ErrorFields` stands for, with the class the session would have thrown: `OnnxEdgeError`, or for a
 * bad argument a `TypeError` carrying `code` and `details`. A code this package does not know becomes `ENGINE`
 * with `details.engineCode` (as `rethrowFromWasm` does).
 * @param {ErrorFields} fields
 * @returns {OnnxEdgeError | (TypeError & { code: ErrorCodeName, details: Record<string, unknown> })}
 */
export function decodeError(fields) {
  const known = Object.prototype.hasOwnProperty.call(ErrorCode, fields.code);
  const details = plainDetails(fields.details);
  if (!known) details.engineCode = fields.code;
  const code = known ? /** @type {ErrorCodeName} */ (fields.code) : ErrorCode.ENGINE;
  if (fields.name === 'TypeError') return argumentError(code, fields.message, details);
  return new OnnxEdgeError(code, fields.message, { details });
}

/**
 * `details` as a plain object that structured clone takes (what is not cloneable goes through JSON).
 * @param {unknown} details
 * @returns {Record<string, unknown>}
 */
function plainDetails(details) {
  if (typeof details !== 'object' || details === null) return {};
  try {
    return structuredClone({ .../** @type {Record<string, unknown>} */ (details) });
  } catch {
    return JSON.parse(JSON.stringify(details, (_key, value) => (typeof value === 'bigint' ? String(value) : value)));
  }
}

/**
 * Was `buffer` moved away or freed? Where the runtime lacks `ArrayBuffer.prototype.detached`, an empty buffer
 * under data that dims say is not empty counts as detached (as the session tells it).
 * @param {ArrayBufferLike} buffer
 * @returns {boolean}
 */
function isDetached(buffer) {
  const flag = /** @type {{ detached?: boolean }} */ (buffer).detached;
  return typeof flag === 'boolean' ? flag : buffer.byteLength === 0;
}
