// Which URLs the registry may fetch from: HTTPS, loopback, file:, and the page's own origin (relative URLs on an
// http page). Which manifests may go unsigned: loopback and file: ones (and objects handed over in code).

import { ErrorCode, OnnxEdgeError } from '../errors.js';

/**
 * Is `url` on this machine (localhost, *.localhost, 127.0.0.0/8, [::1])?
 * @param {URL} url
 * @returns {boolean}
 */
export function isLoopback(url) {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The origin of the page (or worker) this code runs in, if it has one served over http(s).
 * @returns {string | undefined}
 */
export function pageOrigin() {
  const location = /** @type {{ location?: { origin?: unknown, protocol?: unknown } }} */ (globalThis).location;
  if (location === undefined || typeof location.origin !== 'string') return undefined;
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : undefined;
}

/**
 * Is fetching `url` allowed? HTTPS always; http only on loopback or from the page's own origin (a relative URL on
 * an http page); `file:` (read from disk in Node, Deno and Bun).
 * @param {URL} url
 * @returns {boolean}
 */
export function isAllowedTransport(url) {
  if (url.protocol === 'https:' || url.protocol === 'file:') return true;
  if (url.protocol !== 'http:') return false;
  return isLoopback(url) || url.origin === pageOrigin();
}

/**
 * Throw FETCH (`details`: `{ url, reason: 'insecureUrl' }`) unless `url` may be fetched.
 * @param {URL} url
 */
export function checkTransport(url) {
  if (isAllowedTransport(url)) return;
  throw new OnnxEdgeError(ErrorCode.FETCH,
    `${url.href}: the registry fetches over HTTPS only (http is allowed on loopback and from the page's own origin)`,
    { details: { url: url.href, status: undefined, reason: 'insecureUrl' } });
}

/**
 * May a manifest from `url` be used without a signature (no `publicKey` given)? Only from this machine:
 * loopback http(s) and `file:`.
 * @param {URL} url
 * @returns {boolean}
 */
export function allowsUnsigned(url) {
  return url.protocol === 'file:' || ((url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url));
}

/**
 * Does this URL point to the page's own origin (so custom request headers need no CORS preflight)?
 * True outside pages, where there is no CORS.
 * @param {URL} url
 * @returns {boolean}
 */
export function isSameOriginOrNoPage(url) {
  const origin = pageOrigin();
  return origin === undefined || url.origin === origin;
}

/**
 * The absolute URL of a manifest given as a URL or string. A string without a scheme is relative to the page, or
 * a file path in Node, Deno and Bun (resolved against the working directory).
 * @param {string | URL} manifest
 * @returns {Promise<URL>}
 */
export async function toAbsoluteUrl(manifest) {
  if (manifest instanceof URL) return new URL(manifest.href);
  if (/^[a-z][a-z0-9+.-]+:/i.test(manifest)) return new URL(manifest); // a scheme of 2+ letters: not a Windows drive
  const location = /** @type {{ location?: { href?: unknown } }} */ (globalThis).location;
  if (location !== undefined && typeof location.href === 'string' && pageOrigin() !== undefined) return new URL(manifest, location.href);
  return fileUrl(manifest);
}

/**
 * The URL relative paths are resolved against when there is no manifest URL: the page, or the working directory.
 * @returns {Promise<URL>}
 */
export async function defaultBaseUrl() {
  const location = /** @type {{ location?: { href?: unknown } }} */ (globalThis).location;
  if (location !== undefined && typeof location.href === 'string' && pageOrigin() !== undefined) return new URL(location.href);
  const url = await fileUrl('.');
  return new URL(url.href.endsWith('/') ? url.href : `${url.href}/`);
}

/**
 * @param {string} path
 * @returns {Promise<URL>}
 */
async function fileUrl(path) {
  const urlModule = 'node:url'; // a variable, so bundlers for the browser leave it alone
  try {
    /** @type {{ pathToFileURL: (path: string) => URL }} */
    const { pathToFileURL } = await import(urlModule);
    return pathToFileURL(path);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.FETCH, `${path} is not a URL, and this runtime has no file system to read it from`, {
      details: { url: path, status: undefined, reason: 'relativeUrl' }, cause: error,
    });
  }
}
