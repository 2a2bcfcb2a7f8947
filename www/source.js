// Bytes from whatever a caller hands us: Uint8Array, ArrayBuffer, a view, a URL, a string, or a Response.
// Files (file: URLs, and plain paths in Node, Bun and Deno) are read with node:fs; everything else is fetched.
// URLs are fetched over HTTPS only, except on this machine (loopback) and from the page's own origin: bytes that
// become code paths in the engine must not be swappable by anyone on the network (`allowInsecureUrls` opts out).

import { argumentError, ErrorCode, OnnxEdgeError } from './errors.js';
import { isLoopback, pageOrigin } from './registry/url-policy.js';

/**
 * Where bytes can come from. A string is an absolute URL, or else a file path in Node/Bun/Deno and a URL relative
 * to the page elsewhere.
 * @typedef {Uint8Array | ArrayBufferLike | ArrayBufferView | URL | string | Response} Source
 */

/** @typedef {{ loaded: number, total?: number }} Progress */

/**
 * @typedef {object} ReadOptions
 * @property {number} [maxBytes] refuse more bytes than this (LIMIT_EXCEEDED), checked before reading when the size is known
 * @property {string} [limitKind] `details.kind` of the LIMIT_EXCEEDED error (default `modelBytes`, as the core's)
 * @property {(progress: Progress) => void} [onProgress] called as bytes arrive from a Response
 * @property {boolean} [allowInsecureUrls] fetch plain http from other machines too (default false)
 */

/**
 * The bytes of `source` as a Uint8Array that belongs to the caller (a copy when the source was the caller's memory).
 * @param {Source} source
 * @param {ReadOptions} [options]
 * @returns {Promise<Uint8Array>}
 */
export async function readSource(source, options = {}) {
  const opened = await openSource(source, options);
  if (opened instanceof Uint8Array) {
    checkSize(opened.byteLength, options);
    // A copy (not `slice()`, which on a Node Buffer is a view) when the bytes are the caller's memory.
    return opened === source || opened.buffer === bufferOf(source) ? new Uint8Array(opened) : opened;
  }
  return readResponse(opened, options);
}

/**
 * The source as bytes (not copied: they may be the caller's own memory) or as a Response still to be read.
 * Files are read here, with a size check first when `maxBytes` is given.
 * @param {Source} source
 * @param {ReadOptions} [options]
 * @returns {Promise<Uint8Array | Response>}
 */
export async function openSource(source, options = {}) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer || isSharedArrayBuffer(source)) return new Uint8Array(/** @type {ArrayBuffer} */ (source));
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Response === 'function' && source instanceof Response) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const location = locate(source);
    if (location.file !== undefined) return readFile(location.file, options);
    const url = /** @type {string | URL} */ (location.url);
    if (options.allowInsecureUrls !== true) checkSecureUrl(url);
    return fetchUrl(url);
  }
  throw argumentError(ErrorCode.FETCH, 'a source must be a Uint8Array, ArrayBuffer, URL, string or Response', {
    actual: source === null ? 'null' : typeof source,
  });
}

/**
 * Read a Response body, refusing more than `maxBytes` (from Content-Length when present, else as it streams).
 * @param {Response} response
 * @param {ReadOptions} [options]
 * @returns {Promise<Uint8Array>}
 */
export async function readResponse(response, options = {}) {
  const url = response.url || undefined;
  if (!response.ok) {
    throw new OnnxEdgeError(ErrorCode.FETCH, `fetching ${url ?? 'the source'} answered HTTP ${response.status}`, {
      details: { url, status: response.status },
    });
  }
  if (response.bodyUsed) {
    throw new OnnxEdgeError(ErrorCode.FETCH, 'the Response body was already read', { details: { url } });
  }
  const header = response.headers.get('content-length');
  const total = header === null || !/^\d+$/.test(header) ? undefined : Number(header);
  if (total !== undefined && options.maxBytes !== undefined && total > options.maxBytes) {
    await response.body?.cancel().catch(() => {});
    checkSize(total, options);
  }
  try {
    // The stream is read only when it must be: for progress, or to enforce the limit without a Content-Length
    // (Content-Length was checked above). Chromium with a disk cache reports a body read through a stream reader as
    // an aborted request.
    const mustStream = options.onProgress !== undefined || (options.maxBytes !== undefined && total === undefined);
    if (!response.body || !mustStream) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      checkSize(bytes.byteLength, options);
      options.onProgress?.({ loaded: bytes.byteLength, total });
      return bytes;
    }
    const reader = response.body.getReader();
    /** @type {Uint8Array[]} */
    const chunks = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (options.maxBytes !== undefined && loaded > options.maxBytes) {
        await reader.cancel().catch(() => {});
        checkSize(loaded, options);
      }
      chunks.push(value);
      options.onProgress?.({ loaded, total });
    }
    if (chunks.length === 1) return chunks[0];
    const bytes = new Uint8Array(loaded);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  } catch (error) {
    if (error instanceof OnnxEdgeError) throw error;
    throw new OnnxEdgeError(ErrorCode.FETCH, `reading ${url ?? 'the response'} failed`, { details: { url }, cause: error });
  }
}

/**
 * Can this runtime read files with node:fs (Node, Bun, Deno)?
 * @returns {boolean}
 */
export function canReadFiles() {
  const g = /** @type {any} */ (globalThis);
  return Boolean(g.process?.versions?.node) || typeof g.Deno === 'object';
}

/**
 * Decide whether a string or URL is a file to read or a URL to fetch.
 * @param {string | URL} source
 * @returns {{ file?: string | URL, url?: string | URL }}
 */
function locate(source) {
  /** @type {URL | undefined} */
  let url;
  if (source instanceof URL) url = source;
  else if (/^[a-z][a-z0-9+.-]+:/i.test(source)) url = new URL(source); // a scheme of 2+ letters: not a Windows drive
  if (url === undefined) return canReadFiles() ? { file: /** @type {string} */ (source) } : { url: source };
  if (url.protocol === 'file:' && canReadFiles()) return { file: url };
  return { url };
}

/**
 * @param {string | URL} path
 * @param {ReadOptions} options
 * @returns {Promise<Uint8Array>}
 */
async function readFile(path, options) {
  const fsName = 'node:fs/promises'; // a variable, so bundlers for the browser leave it alone
  /** @type {any} */
  const fs = await import(fsName);
  let handle;
  try {
    handle = await fs.open(path, 'r');
    const { size } = await handle.stat();
    checkSize(size, options);
    const buffer = await handle.readFile();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (error instanceof OnnxEdgeError) throw error;
    const code = /** @type {{ code?: unknown }} */ (error)?.code;
    throw new OnnxEdgeError(ErrorCode.FETCH, `reading ${String(path)} failed`, {
      details: { path: String(path), reason: typeof code === 'string' ? code : undefined },
      cause: error,
    });
  } finally {
    await handle?.close();
  }
}

/**
 * May bytes be fetched from `url` without `allowInsecureUrls`? https: and data: (no network in between); anything
 * on the page's own origin (a relative URL is resolved against the page; a blob: URL the page made); http: on
 * loopback (127.0.0.0/8, [::1], localhost). Anything else (http to another machine, ftp:, ws:) is refused.
 * @param {string | URL} url
 * @returns {boolean}
 */
export function isSecureUrl(url) {
  /** @type {URL} */
  let parsed;
  try {
    parsed = url instanceof URL ? url : new URL(url, pageHref());
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'data:') return true;
  // The page's own origin: relative URLs, and blob: URLs the page made (their origin is the page's).
  if (pageOrigin() !== undefined && parsed.origin === pageOrigin()) return true;
  return parsed.protocol === 'http:' && isLoopback(parsed);
}

/**
 * Throw FETCH (`details`: `{ url, reason: 'insecureUrl' }`) unless `url` is secure (see `isSecureUrl`).
 * @param {string | URL} url
 */
export function checkSecureUrl(url) {
  if (isSecureUrl(url)) return;
  throw new OnnxEdgeError(ErrorCode.FETCH,
    `${String(url)}: models are fetched over HTTPS only (http is allowed on loopback and from the page's own origin; ` +
    'pass allowInsecureUrls: true to fetch it anyway)', { details: { url: String(url), reason: 'insecureUrl' } });
}

/** The page's URL, which relative URLs resolve against (undefined outside pages). @returns {string | undefined} */
function pageHref() {
  const location = /** @type {{ location?: { href?: unknown } }} */ (globalThis).location;
  return pageOrigin() !== undefined && typeof location?.href === 'string' ? location.href : undefined;
}

/**
 * @param {string | URL} url
 * @returns {Promise<Response>}
 */
async function fetchUrl(url) {
  try {
    return await fetch(url);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.FETCH, `fetching ${String(url)} failed`, { details: { url: String(url) }, cause: error });
  }
}

/**
 * @param {number} size
 * @param {ReadOptions} options
 */
function checkSize(size, options) {
  if (options.maxBytes === undefined || size <= options.maxBytes) return;
  const kind = options.limitKind ?? 'modelBytes';
  throw new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED, `${size} bytes is more than the limit of ${options.maxBytes}`, {
    details: { kind, limit: options.maxBytes, actual: size },
  });
}

/** @param {unknown} value */
function isSharedArrayBuffer(value) {
  return typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer;
}

/**
 * The buffer under a caller's bytes, to tell whether `openSource` handed back the caller's own memory.
 * @param {unknown} source
 * @returns {ArrayBufferLike | undefined}
 */
function bufferOf(source) {
  if (ArrayBuffer.isView(source)) return source.buffer;
  if (source instanceof ArrayBuffer || isSharedArrayBuffer(source)) return /** @type {ArrayBuffer} */ (source);
  return undefined;
}
