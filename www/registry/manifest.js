// The manifest: fetched (revalidated with If-None-Match against the last verified copy), verified (Ed25519
// signature through the core, or the unsigned-on-this-machine rule), and kept in the store so that it can be used
// when the network fails.

import { ErrorCode, OnnxEdgeError, isOnnxEdgeError } from '../errors.js';
import { readSource } from '../source.js';
import { verifyManifest } from './checks.js';
import { toBytes } from './stores.js';
import { allowsUnsigned, checkTransport, isSameOriginOrNoPage } from './url-policy.js';

/** @typedef {import('./stores.js').CacheStore} CacheStore */
/** @typedef {import('./download.js').FetchFunction} FetchFunction */

/**
 * One published version (schemas/manifest.schema.json, `src/core/registry/manifest.rs`).
 * @typedef {object} ManifestVersion
 * @property {string} file the model file, relative to the manifest (content-addressed: its sha256 is in the name)
 * @property {number} size bytes
 * @property {string} sha256 lower-case hex
 * @property {'onnx' | 'nnef'} [format] the file's format: `nnef` for the slim build (`onnx-edge/slim`); absent means onnx
 * @property {string} publishedAt RFC 3339, UTC
 * @property {unknown[]} [inputs] `[{ name, type, dims }]`
 * @property {unknown[]} [outputs]
 * @property {string[]} [labels]
 * @property {Record<string, unknown>} [metadata] ONNX metadata: producer, opsets, metadata_props
 * @property {unknown} [reference] per-feature reference statistics for drift
 * @property {unknown} [gate] reference inputs with the outputs this version must reproduce
 */

/** @typedef {{ alias: string, version: string, previous: string | null, at: string }} AliasChange */
/** @typedef {{ weights?: Record<string, number>, shadow?: string }} Rollout */

/**
 * One model name.
 * @typedef {object} ManifestModel
 * @property {Record<string, ManifestVersion>} versions by semver string
 * @property {Record<string, string>} [aliases] alias name -> version
 * @property {AliasChange[]} [aliasHistory] every alias move, oldest first
 * @property {Rollout} [rollout]
 */

/**
 * `manifest.json`, as written by `onnx-edge publish`.
 * @typedef {object} Manifest
 * @property {number} schemaVersion
 * @property {Record<string, ManifestModel>} models
 * @property {{ algorithm: 'ed25519', publicKey: string, value: string }} [signature]
 */

/**
 * A manifest that passed its checks, and where it came from: `network` (a fresh copy), `notModified` (the server
 * answered 304 to If-None-Match), `offline` (the network failed: the last verified copy from the store), `object`.
 * @typedef {object} ManifestState
 * @property {string} text the JSON that was verified
 * @property {Manifest} manifest
 * @property {string | null} etag
 * @property {'network' | 'notModified' | 'offline' | 'object'} source
 * @property {boolean} signed verified against the trusted public key
 * @property {number} verifiedAt milliseconds since the epoch
 */

/**
 * What the store keeps: the last verified manifest text and its ETag.
 * @typedef {{ url: string, etag: string | null, text: string, verifiedAt: number }} StoredManifest
 */

/**
 * Check a manifest's text: its signature with `publicKey` when given; without one, only a manifest from this
 * machine (`url` on loopback or `file:`, or no URL: an object handed over in code) is accepted (SIGNATURE
 * otherwise). Then its shape (MANIFEST_INVALID).
 * @param {string} text
 * @param {{ publicKey?: string, url?: URL }} options
 * @returns {Promise<{ manifest: Manifest, signed: boolean }>}
 */
export async function verifyManifestText(text, options) {
  /** @type {unknown} */
  let value;
  if (options.publicKey !== undefined) {
    value = await verifyManifest(text, options.publicKey);
  } else {
    if (options.url !== undefined && !allowsUnsigned(options.url)) {
      throw new OnnxEdgeError(ErrorCode.SIGNATURE,
        `${options.url.href}: a manifest from another machine needs a publicKey to verify it with`, {
          details: { url: options.url.href, reason: 'noPublicKey' },
        });
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new OnnxEdgeError(ErrorCode.MANIFEST_INVALID, 'the manifest is not valid JSON', {
        details: { url: options.url?.href, reason: 'json' }, cause: error,
      });
    }
  }
  checkManifestShape(value, options.url);
  return { manifest: /** @type {Manifest} */ (value), signed: options.publicKey !== undefined };
}

/**
 * Check the parts of a manifest the registry reads (MANIFEST_INVALID with `details`: `{ reason, path }`). The core
 * checks the full format again when it resolves a spec.
 * @param {unknown} value
 * @param {URL} [url]
 */
export function checkManifestShape(value, url) {
  /**
   * @param {string} path
   * @param {string} reason
   * @returns {never}
   */
  const fail = (path, reason) => {
    throw new OnnxEdgeError(ErrorCode.MANIFEST_INVALID, `manifest ${path}: ${reason}`, {
      details: { url: url?.href, path, reason },
    });
  };
  if (!isObject(value)) fail('$', 'not an object');
  if (!Number.isInteger(value.schemaVersion)) fail('$.schemaVersion', 'not an integer');
  if (!isObject(value.models)) fail('$.models', 'not an object');
  for (const [name, model] of Object.entries(value.models)) {
    const at = `$.models[${JSON.stringify(name)}]`;
    if (!isObject(model)) fail(at, 'not an object');
    if (model.versions !== undefined && !isObject(model.versions)) fail(`${at}.versions`, 'not an object');
    for (const [version, entry] of Object.entries(model.versions ?? {})) {
      const where = `${at}.versions[${JSON.stringify(version)}]`;
      if (!isObject(entry)) fail(where, 'not an object');
      if (typeof entry.file !== 'string' || entry.file === '') fail(`${where}.file`, 'not a file name');
      if (!Number.isSafeInteger(entry.size) || /** @type {number} */ (entry.size) < 0) fail(`${where}.size`, 'not a size');
      if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) fail(`${where}.sha256`, 'not 64 lower-case hex digits');
    }
    if (model.aliases !== undefined && !(isObject(model.aliases) && Object.values(model.aliases).every((v) => typeof v === 'string'))) {
      fail(`${at}.aliases`, 'not an object of version strings');
    }
    if (model.aliasHistory !== undefined && !Array.isArray(model.aliasHistory)) fail(`${at}.aliasHistory`, 'not an array');
  }
}

/**
 * A manifest handed over as an object: verified like fetched text (its signature when `publicKey` is given).
 * @param {object} object
 * @param {{ publicKey?: string }} options
 * @returns {Promise<ManifestState>}
 */
export async function manifestFromObject(object, options) {
  /** @type {string} */
  let text;
  try {
    text = JSON.stringify(object);
  } catch (error) {
    throw new OnnxEdgeError(ErrorCode.MANIFEST_INVALID, 'the manifest object cannot be written as JSON', {
      details: { reason: 'json' }, cause: error,
    });
  }
  const { manifest, signed } = await verifyManifestText(text, { publicKey: options.publicKey });
  return { text, manifest, etag: null, source: 'object', signed, verifiedAt: Date.now() };
}

/**
 * @typedef {object} FetchManifestOptions
 * @property {URL} url
 * @property {string} [publicKey]
 * @property {FetchFunction} fetch
 * @property {CacheStore} store where the last verified copy is kept
 * @property {string} key its key in the store
 * @property {ManifestState | null} [known] the copy in memory, if any (else the store's is read)
 * @property {AbortSignal} [signal]
 */

/**
 * The current manifest at `url`: revalidated with If-None-Match when a verified copy is known (a 304 reuses it),
 * fetched otherwise, and the last verified copy when the network fails (no answer, or HTTP 5xx). Any other HTTP
 * error is FETCH (`details`: `{ url, status }`); a copy that fails its checks is never kept.
 * @param {FetchManifestOptions} options
 * @returns {Promise<ManifestState>}
 */
export async function fetchManifest(options) {
  const { url, store, key } = options;
  checkTransport(url);
  const stored = options.known ?? await readStored(store, key, url);

  /** @type {{ text: string, etag: string | null } | { notModified: true } | { failed: OnnxEdgeError }} */
  const answer = await request(options, stored?.etag ?? null);
  if ('notModified' in answer && stored !== null) {
    try {
      const checked = await verifyManifestText(stored.text, { publicKey: options.publicKey, url });
      return { ...checked, text: stored.text, etag: stored.etag, source: 'notModified', verifiedAt: Date.now() };
    } catch {
      // The kept copy no longer passes (another key, a damaged store): forget it and fetch afresh.
      if (store.delete !== undefined) await Promise.resolve().then(() => store.delete?.(key)).catch(() => {});
      return fetchManifest({ ...options, known: null, store: forgetting(store, key) });
    }
  }
  if ('failed' in answer || 'notModified' in answer) {
    const failure = 'failed' in answer ? answer.failed : new OnnxEdgeError(ErrorCode.FETCH, `${url.href} answered 304 to a request without a validator`, {
      details: { url: url.href, status: 304 },
    });
    const status = /** @type {number | undefined} */ (failure.details.status);
    const networkFailed = !failure.details.aborted && (status === undefined || status >= 500);
    if (!networkFailed || stored === null) throw failure;
    const checked = await verifyManifestText(stored.text, { publicKey: options.publicKey, url });
    return { ...checked, text: stored.text, etag: stored.etag, source: 'offline', verifiedAt: stored.verifiedAt };
  }
  const checked = await verifyManifestText(answer.text, { publicKey: options.publicKey, url });
  const state = /** @type {ManifestState} */ ({ ...checked, text: answer.text, etag: answer.etag, source: 'network', verifiedAt: Date.now() });
  /** @type {StoredManifest} */
  const record = { url: url.href, etag: state.etag, text: state.text, verifiedAt: state.verifiedAt };
  await store.put(key, new TextEncoder().encode(JSON.stringify(record))).catch(() => {});
  return state;
}

/**
 * The last verified copy in the store, or null (also for a record that is not one: it is checked again anyway).
 * @param {CacheStore} store
 * @param {string} key
 * @param {URL} url
 * @returns {Promise<StoredManifest | null>}
 */
export async function readStored(store, key, url) {
  try {
    const bytes = await toBytes(await store.match(key));
    if (bytes === undefined) return null;
    const record = JSON.parse(new TextDecoder().decode(bytes));
    if (!isObject(record) || record.url !== url.href || typeof record.text !== 'string') return null;
    return {
      url: url.href,
      text: record.text,
      etag: typeof record.etag === 'string' ? record.etag : null,
      verifiedAt: typeof record.verifiedAt === 'number' ? record.verifiedAt : 0,
    };
  } catch {
    return null;
  }
}

/**
 * One request for the manifest. In a page, a cross-origin manifest is revalidated by the browser's HTTP cache
 * (`cache: 'no-cache'`) rather than with our own If-None-Match, which would need a CORS preflight.
 * @param {FetchManifestOptions} options
 * @param {string | null} etag
 * @returns {Promise<{ text: string, etag: string | null } | { notModified: true } | { failed: OnnxEdgeError }>}
 */
async function request(options, etag) {
  const { url, signal } = options;
  if (url.protocol === 'file:') {
    try {
      return { text: new TextDecoder().decode(await readSource(url)), etag: null };
    } catch (error) {
      return { failed: /** @type {OnnxEdgeError} */ (isOnnxEdgeError(error) ? error : fetchFailure(url, undefined, error)) };
    }
  }
  /** @type {RequestInit} */
  const init = { signal };
  if (!isSameOriginOrNoPage(url)) init.cache = 'no-cache';
  else if (etag !== null) init.headers = { 'if-none-match': etag };
  /** @type {Response} */
  let response;
  try {
    response = await options.fetch(url.href, init);
  } catch (error) {
    if (signal?.aborted) {
      return { failed: new OnnxEdgeError(ErrorCode.FETCH, `fetching ${url.href} was aborted`, { details: { url: url.href, status: undefined, aborted: true }, cause: error }) };
    }
    return { failed: fetchFailure(url, undefined, error) };
  }
  if (response.status === 304) {
    await response.body?.cancel().catch(() => {});
    return { notModified: true };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return { failed: fetchFailure(url, response.status) };
  }
  try {
    return { text: await response.text(), etag: response.headers.get('etag') };
  } catch (error) {
    return { failed: fetchFailure(url, undefined, error) };
  }
}

/**
 * @param {URL} url
 * @param {number | undefined} status
 * @param {unknown} [cause]
 * @returns {OnnxEdgeError}
 */
function fetchFailure(url, status, cause) {
  const message = status === undefined ? `fetching ${url.href} failed` : `fetching ${url.href} answered HTTP ${status}`;
  return new OnnxEdgeError(ErrorCode.FETCH, message, { details: { url: url.href, status }, cause });
}

/**
 * `store` with `key` reading as missing (for the retry after a kept copy failed its checks).
 * @param {CacheStore} store
 * @param {string} key
 * @returns {CacheStore}
 */
function forgetting(store, key) {
  return {
    match: (k) => (k === key ? Promise.resolve(undefined) : store.match(k)),
    put: (k, bytes) => store.put(k, bytes),
    delete: store.delete?.bind(store),
    keys: store.keys?.bind(store),
  };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
