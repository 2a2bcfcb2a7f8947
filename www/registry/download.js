// Downloading a model file: progress events against the size the manifest promises, abort through a signal, and
// a stop as soon as more bytes arrive than promised. Checking the sha256 is the caller's next step.

import { ErrorCode, OnnxEdgeError, isOnnxEdgeError } from '../errors.js';
import { readResponse, readSource } from '../source.js';
import { checkTransport } from './url-policy.js';

/** @typedef {{ loaded: number, total: number }} DownloadProgress */
/** @typedef {(input: string | URL | Request, init?: RequestInit) => Promise<Response>} FetchFunction */

/**
 * @typedef {object} DownloadOptions
 * @property {number} size the size the manifest promises: the `total` of progress events, and the most bytes read
 * @property {FetchFunction} fetch
 * @property {AbortSignal} [signal] aborting rejects with FETCH (`details.aborted: true`)
 * @property {(progress: DownloadProgress) => void} [onProgress] monotonic `loaded`; the last event of a complete
 *   download has `loaded === total`
 */

/**
 * The bytes at `url`. FETCH (`details`: `{ url, status }`) when they cannot be had, INTEGRITY (`details.kind:
 * 'sizeMismatch'`) when more arrive than `size`.
 * @param {URL} url
 * @param {DownloadOptions} options
 * @returns {Promise<Uint8Array>}
 */
export async function download(url, options) {
  const { size, signal } = options;
  checkTransport(url);
  throwIfAborted(signal, url);
  let last = -1;
  /** @param {number} loaded */
  const report = (loaded) => {
    if (loaded <= last) return;
    last = loaded;
    options.onProgress?.({ loaded, total: size });
  };
  /** @type {Uint8Array} */
  let bytes;
  if (url.protocol === 'file:') {
    bytes = await readSource(url, { maxBytes: size, limitKind: 'registryFile' }).catch((error) => {
      throw sizeError(fetchError(error, url, signal), url, size);
    });
    throwIfAborted(signal, url);
  } else {
    /** @type {Response} */
    let response;
    try {
      response = await options.fetch(url.href, { signal });
    } catch (error) {
      throw fetchError(error, url, signal);
    }
    try {
      bytes = await readResponse(response, {
        maxBytes: size,
        limitKind: 'registryFile',
        // Content-Length is not the total: it may count compressed bytes. The manifest's size is.
        onProgress: ({ loaded }) => report(Math.min(loaded, size)),
      });
    } catch (error) {
      throw sizeError(fetchError(error, url, signal), url, size);
    }
    throwIfAborted(signal, url);
  }
  report(bytes.byteLength);
  return bytes;
}

/**
 * FETCH with `details.aborted: true` when `signal` is aborted.
 * @param {AbortSignal | undefined} signal
 * @param {URL} url
 */
export function throwIfAborted(signal, url) {
  if (signal?.aborted) throw abortError(url, signal);
}

/**
 * @param {URL} url
 * @param {AbortSignal} signal
 * @returns {OnnxEdgeError}
 */
function abortError(url, signal) {
  return new OnnxEdgeError(ErrorCode.FETCH, `fetching ${url.href} was aborted`, {
    details: { url: url.href, status: undefined, aborted: true }, cause: signal.reason,
  });
}

/**
 * What a failed fetch or read becomes: FETCH (aborted, or `{ url, status }`), other onnx-edge errors unchanged.
 * @param {unknown} error
 * @param {URL} url
 * @param {AbortSignal | undefined} signal
 * @returns {unknown}
 */
function fetchError(error, url, signal) {
  if (signal?.aborted) return abortError(url, signal);
  if (isOnnxEdgeError(error)) {
    if (error.code === ErrorCode.FETCH) error.details = { url: url.href, status: undefined, ...error.details };
    return error;
  }
  return new OnnxEdgeError(ErrorCode.FETCH, `fetching ${url.href} failed`, { details: { url: url.href, status: undefined }, cause: error });
}

/**
 * More bytes than the manifest promises is an integrity failure, not a configured limit.
 * @param {unknown} error
 * @param {URL} url
 * @param {number} size
 * @returns {unknown}
 */
function sizeError(error, url, size) {
  if (!isOnnxEdgeError(error) || error.code !== ErrorCode.LIMIT_EXCEEDED || error.details.kind !== 'registryFile') return error;
  return new OnnxEdgeError(ErrorCode.INTEGRITY, `${url.href} has ${String(error.details.actual)} bytes or more, the manifest promises ${size}`, {
    details: { url: url.href, kind: 'sizeMismatch', expected: size, actual: error.details.actual },
  });
}
