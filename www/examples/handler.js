// The one request handler every edge example shares (Node, Deno, Bun, Cloudflare Workers/workerd): WHATWG
// Request in, Response out, nothing runtime-specific. Each runtime's entry loads a session and serves this.
//
//   POST /predict   {"inputs": {NAME: {"type", "dims", "data"}}, "outputs"?: [NAME...], "predictionId"?: "..."}
//                   -> 200 {"outputs": {NAME: {"type", "dims", "data"}}, "model": {"name", "version"}, "variant"}
//   POST /feedback  {"predictionId": "...", "label": ...} -> 202 {"ok": true, "matched"} (a delayed label, for live
//                   accuracy; `matched` is false for an id the telemetry does not know, or no longer). For a
//                   /predict of n rows, row i's id is `${predictionId}#${i}` (the telemetry's rule).
//   GET  /metrics   -> Prometheus text exposition 0.0.4 (`telemetry.prometheus()`)
//   GET  /healthz   -> 200 {"ok": true, "model", "variant", "inputs", "outputs", "uptimeSeconds", "memory"}
//
// Tensor data in JSON: a flat array in row-major order (nested arrays are flattened; `dims` defaults to their
// shape). Non-finite floats are the strings "NaN", "Infinity", "-Infinity" both ways. int64/uint64 come back as
// numbers when they are safe integers (|v| <= 2^53 - 1) and as decimal strings otherwise; they may be sent either
// way. bool comes back as true/false (0/1 accepted). float16 travels as values, not bits.
//
// Errors are `{"error": {"code", "message", "details"}}` with the OnnxEdgeError / TypeError code of the library
// (INPUT_MISSING, INPUT_UNKNOWN, INPUT_DTYPE, INPUT_SHAPE, OUTPUT_UNKNOWN, LIMIT_EXCEEDED, MODEL_RUN, OPTIONS_INVALID: 400;
// RELEASED: 503; ENGINE: 500) or one of this handler's: REQUEST_JSON (the body is not JSON: 400), REQUEST_INVALID
// (JSON of the wrong shape: 400), REQUEST_TOO_LARGE (413), NOT_FOUND (404), METHOD_NOT_ALLOWED (405, with an
// `Allow` header), FEEDBACK_UNSUPPORTED (501, the telemetry has no `feedback`), INTERNAL (500, a bug). A bad
// request never makes a 500, and the handler never throws. The telemetry counts runs only: a request refused before
// the session runs (not JSON, a tensor `new Tensor` refuses, 413, ...) is answered with its code but not counted.

import { ErrorCode, Tensor } from '../index.js';

/** @typedef {import('../index.js').InferenceSession} InferenceSession */
/** @typedef {{ name: string, version?: string }} ModelName */
/**
 * What the handler needs from a Telemetry: the exposition for /metrics, and `feedback` for /feedback.
 * @typedef {{ prometheus(): string, feedback?: (predictionId: string, label: unknown) => unknown }} TelemetryLike
 */
/**
 * @typedef {object} HandlerOptions
 * @property {Pick<InferenceSession, 'run' | 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>} session
 * @property {ModelName} [model] reported in every answer (default: `session.model`, else `{ name: 'model' }`)
 * @property {TelemetryLike} [telemetry] the one the session reports to; without it /metrics is 404
 * @property {string} [variant] which deployment answered (a runtime, an A/B arm); default `'default'`
 * @property {number} [maxBodyBytes] larger request bodies get 413 (default 10 MiB)
 */
/** @typedef {(request: Request) => Promise<Response>} Handler */

/** Request bodies above this get 413 unless `maxBodyBytes` says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Content type of the Prometheus text format served at /metrics. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The library's codes that a request causes, answered with 400. */
const CLIENT_CODES = new Set([ErrorCode.INPUT_MISSING, ErrorCode.INPUT_UNKNOWN, ErrorCode.INPUT_DTYPE, ErrorCode.INPUT_SHAPE,
  ErrorCode.OUTPUT_UNKNOWN, ErrorCode.LIMIT_EXCEEDED, ErrorCode.MODEL_RUN, ErrorCode.OPTIONS_INVALID]);
/** Every code the library has: other `code`s (a system error's ECONNRESET, ...) are answered as INTERNAL. */
const LIBRARY_CODES = new Set(Object.values(ErrorCode));

/** Routes and the methods each takes (HEAD goes with GET). */
const ROUTES = /** @type {Record<string, string[]>} */ ({
  '/predict': ['POST'],
  '/feedback': ['POST'],
  '/metrics': ['GET', 'HEAD'],
  '/healthz': ['GET', 'HEAD'],
});

/** An error this handler answers with: an HTTP status and a code. */
class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [details]
   */
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * The handler for one session.
 * @param {HandlerOptions} options
 * @returns {Handler}
 */
export function createHandler({ session, model, telemetry, variant = 'default', maxBodyBytes = DEFAULT_MAX_BODY_BYTES }) {
  const identity = model ?? /** @type {{ model?: ModelName | null }} */ (session).model ?? { name: 'model' };
  const modelField = { name: identity.name, version: identity.version ?? null };
  const started = Date.now();

  /** @type {Record<string, (request: Request) => Promise<Response> | Response>} */
  const routes = {
    '/predict': (request) => predict(request),
    '/feedback': (request) => feedback(request),
    '/metrics': (request) => metrics(request),
    '/healthz': (request) => json(200, {
      ok: true,
      model: modelField,
      variant,
      inputs: session.inputMetadata.map(describeValue),
      outputs: session.outputMetadata.map(describeValue),
      uptimeSeconds: Math.max(0, (Date.now() - started) / 1000),
      memory: memoryUsage(),
    }, request.method === 'HEAD'),
  };

  /** @param {Request} request */
  async function predict(request) {
    const body = await readJson(request, maxBodyBytes);
    const { feeds, fetches, predictionId } = toFeeds(body);
    // `variant` and `predictionId` label the run in the session's telemetry (run options, see www/telemetry).
    const options = predictionId === undefined ? { variant } : { variant, predictionId };
    const outputs = await session.run(feeds, fetches ?? session.outputNames, options);
    /** @type {Record<string, unknown>} */
    const encoded = {};
    for (const [name, tensor] of Object.entries(outputs)) encoded[name] = encodeTensor(tensor);
    return json(200, {
      outputs: encoded, model: modelField, variant, ...(predictionId === undefined ? {} : { predictionId }),
    });
  }

  /** @param {Request} request */
  async function feedback(request) {
    if (typeof telemetry?.feedback !== 'function') {
      throw new HttpError(501, 'FEEDBACK_UNSUPPORTED', 'this deployment records no feedback (no telemetry)');
    }
    const body = await readJson(request, maxBodyBytes);
    if (!isPlainObject(body) || typeof body.predictionId !== 'string' || !('label' in body)) {
      throw new HttpError(400, 'REQUEST_INVALID', 'the body must be {"predictionId": string, "label": value}');
    }
    const matched = telemetry.feedback(body.predictionId, body.label);
    return json(202, { ok: true, matched: matched !== false });
  }

  /** @param {Request} request */
  function metrics(request) {
    if (telemetry === undefined) throw new HttpError(404, 'NOT_FOUND', 'this deployment has no telemetry');
    const text = telemetry.prometheus();
    return new Response(request.method === 'HEAD' ? null : text, {
      status: 200,
      headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
    });
  }

  return async function handle(request) {
    try {
      const { pathname } = new URL(request.url);
      const methods = ROUTES[pathname];
      if (methods === undefined || !Object.prototype.hasOwnProperty.call(ROUTES, pathname)) {
        throw new HttpError(404, 'NOT_FOUND', `no route ${pathname} (routes: ${Object.keys(ROUTES).join(', ')})`);
      }
      if (!methods.includes(request.method)) {
        const allowed = methods.join(', ');
        return errorResponse(new HttpError(405, 'METHOD_NOT_ALLOWED', `${pathname} takes ${allowed}, not ${request.method}`,
          { method: request.method, allowed: methods }), { allow: allowed });
      }
      return await routes[pathname](request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * The request body as JSON, refusing more than `limit` bytes (by Content-Length before reading, else as it streams).
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<unknown>}
 */
async function readJson(request, limit) {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    throw new HttpError(413, 'REQUEST_TOO_LARGE', `the body has ${declared} bytes, more than the limit of ${limit}`,
      { limit, actual: declared });
  }
  const bytes = await readBody(request, limit);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'REQUEST_JSON', 'the body is not UTF-8 text');
  }
  if (text.trim() === '') throw new HttpError(400, 'REQUEST_JSON', 'the body is empty: send JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'REQUEST_JSON', `the body is not valid JSON: ${/** @type {Error} */ (error).message}`);
  }
}

/**
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<Uint8Array>}
 */
async function readBody(request, limit) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let total = 0;
  for (;;) {
    /** @type {ReadableStreamReadResult<Uint8Array>} */
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new HttpError(400, 'REQUEST_INVALID', 'the request body could not be read (the client went away?)');
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, 'REQUEST_TOO_LARGE', `the body has more than the limit of ${limit} bytes`, { limit });
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Feeds, wanted outputs and prediction id from a /predict body. Tensor errors are the library's (`new Tensor`).
 * @param {unknown} body
 * @returns {{ feeds: Record<string, Tensor>, fetches: string[] | undefined, predictionId: string | undefined }}
 */
function toFeeds(body) {
  if (!isPlainObject(body)) {
    throw new HttpError(400, 'REQUEST_INVALID', 'the body must be a JSON object {"inputs": {NAME: {"type", "dims", "data"}}}');
  }
  const { inputs, outputs, predictionId } = body;
  if (inputs === undefined) {
    throw withCode(new TypeError('the body has no "inputs": {"inputs": {NAME: {"type", "dims", "data"}}}'), 'INPUT_MISSING', {});
  }
  if (!isPlainObject(inputs)) {
    throw new HttpError(400, 'REQUEST_INVALID', '"inputs" must be an object of input name to {"type", "dims", "data"}');
  }
  if (outputs !== undefined && !(Array.isArray(outputs) && outputs.every((o) => typeof o === 'string'))) {
    throw new HttpError(400, 'REQUEST_INVALID', '"outputs", when given, must be an array of output names');
  }
  if (predictionId !== undefined && (typeof predictionId !== 'string' || predictionId === '' || predictionId.length > 256)) {
    throw new HttpError(400, 'REQUEST_INVALID', '"predictionId", when given, must be a string of 1 to 256 characters');
  }
  /** @type {Record<string, Tensor>} */
  const feeds = {};
  for (const [name, spec] of Object.entries(inputs)) feeds[name] = decodeTensor(name, spec);
  return { feeds, fetches: outputs, predictionId };
}

/**
 * One input tensor from its JSON form.
 * @param {string} name
 * @param {unknown} spec
 * @returns {Tensor}
 */
function decodeTensor(name, spec) {
  if (!isPlainObject(spec)) {
    throw withCode(new TypeError(`input ${JSON.stringify(name)} must be {"type", "dims", "data"}`), 'INPUT_DTYPE',
      { input: name, actual: spec === null ? 'null' : Array.isArray(spec) ? 'array' : typeof spec });
  }
  const { type, data, dims } = spec;
  if (typeof type !== 'string') {
    throw withCode(new TypeError(`input ${JSON.stringify(name)} has no "type" (float32, int64, ...)`), 'INPUT_DTYPE', { input: name });
  }
  if (!Array.isArray(data)) {
    throw withCode(new TypeError(`input ${JSON.stringify(name)}: "data" must be an array`), 'INPUT_DTYPE',
      { input: name, actual: data === null ? 'null' : typeof data });
  }
  const { flat, shape } = flatten(name, data);
  try {
    return new Tensor(/** @type {any} */ (type), /** @type {any} */ (flat.map((v) => decodeValue(type, v))),
      dims === undefined ? shape : /** @type {any} */ (dims));
  } catch (error) {
    const e = /** @type {{ details?: Record<string, unknown> }} */ (error);
    if (e && typeof e === 'object' && e.details && typeof e.details === 'object') e.details = { input: name, ...e.details };
    throw error;
  }
}

/**
 * Flatten nested arrays (row-major) and note their shape; ragged nesting is an INPUT_SHAPE error.
 * @param {string} name
 * @param {unknown[]} data
 * @returns {{ flat: unknown[], shape: number[] }}
 */
function flatten(name, data) {
  if (!data.some(Array.isArray)) return { flat: data, shape: [data.length] };
  /** @type {number[]} */
  const shape = [];
  /** @type {unknown} */
  let level = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flat = data.flat(shape.length - 1);
  if (flat.length !== shape.reduce((a, b) => a * b, 1) || flat.some(Array.isArray)) {
    throw withCode(new TypeError(`input ${JSON.stringify(name)}: nested "data" is ragged`), 'INPUT_SHAPE', { input: name });
  }
  return { flat, shape };
}

/** @type {Record<string, number>} */
const NON_FINITE = { NaN, Infinity, '-Infinity': -Infinity };

/**
 * A JSON value as `new Tensor` takes it: int64/uint64 decimal strings as bigint, non-finite float names as numbers.
 * Anything else is left for the Tensor constructor to check (and refuse with its code).
 * @param {string} type
 * @param {unknown} value
 * @returns {unknown}
 */
function decodeValue(type, value) {
  if (typeof value !== 'string') return value;
  if ((type === 'int64' || type === 'uint64') && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  if ((type === 'float32' || type === 'float64' || type === 'float16') && Object.prototype.hasOwnProperty.call(NON_FINITE, value)) {
    return NON_FINITE[value];
  }
  return value;
}

/**
 * An output tensor in its JSON form.
 * @param {{ type: string, dims: readonly number[], data: ArrayLike<unknown> }} tensor
 */
export function encodeTensor(tensor) {
  const { type, dims, data } = tensor;
  /** @type {(v: any) => unknown} */
  let encode;
  switch (type) {
    case 'int64':
    case 'uint64':
      encode = (v) => (v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : String(v));
      break;
    case 'bool':
      encode = (v) => v !== 0;
      break;
    case 'float16':
      encode = (v) => encodeFloat(halfToNumber(v));
      break;
    case 'float32':
    case 'float64':
      encode = encodeFloat;
      break;
    default:
      encode = (v) => v;
  }
  return { type, dims: [...dims], data: Array.from(data, encode) };
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** @param {number} v */
function encodeFloat(v) {
  return Number.isFinite(v) ? v : String(v);
}

/**
 * The value of IEEE half-precision bits.
 * @param {number} bits
 */
function halfToNumber(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {TypeError} error
 * @param {string} code
 * @param {Record<string, unknown>} details
 */
function withCode(error, code, details) {
  return Object.assign(error, { code, details });
}

/**
 * The answer for any error: a known code keeps its meaning, anything else is a 500 that names no internals.
 * @param {unknown} error
 * @param {Record<string, string>} [headers]
 * @returns {Response}
 */
function errorResponse(error, headers = {}) {
  const e = /** @type {{ code?: unknown, message?: unknown, details?: unknown }} */ (
    typeof error === 'object' && error !== null ? error : {});
  const known = error instanceof HttpError || (typeof e.code === 'string' && LIBRARY_CODES.has(/** @type {any} */ (e.code)));
  const code = known ? /** @type {string} */ (e.code) : 'INTERNAL';
  let status;
  if (error instanceof HttpError) status = error.status;
  else if (CLIENT_CODES.has(/** @type {any} */ (code))) status = 400;
  else if (code === ErrorCode.RELEASED) status = 503;
  else status = 500;
  if (status === 500) console.error('onnx-edge example:', error);
  const message = typeof e.message === 'string' && code !== 'INTERNAL' ? e.message : 'internal error';
  const details = typeof e.details === 'object' && e.details !== null && code !== 'INTERNAL' ? e.details : {};
  return json(status, { error: { code, message, details } }, false, headers);
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {boolean} [head] no body (a HEAD request)
 * @param {Record<string, string>} [headers]
 * @returns {Response}
 */
function json(status, body, head = false, headers = {}) {
  const text = JSON.stringify(body, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  return new Response(head ? null : text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * An input's or output's description for /healthz: unknown dims as null, symbolic ones by name.
 * @param {{ name: string, type: string | null, shape: readonly (number | string)[] }} meta
 */
function describeValue(meta) {
  return { name: meta.name, type: meta.type, dims: meta.shape.map((d) => (d === '' ? null : d)) };
}

/**
 * The process's memory in bytes where the runtime tells it (Node, Bun and Deno have `process.memoryUsage()`;
 * workerd has not: null).
 * @returns {{ rss: number, heapUsed: number, heapTotal: number, external: number } | null}
 */
function memoryUsage() {
  const usage = /** @type {any} */ (globalThis).process?.memoryUsage?.();
  if (typeof usage !== 'object' || usage === null) return null;
  const { rss, heapUsed, heapTotal, external } = usage;
  return { rss, heapUsed, heapTotal, external };
}
