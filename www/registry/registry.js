// ModelRegistry: models by name from a signed manifest, fetched with progress, checked against their sha256 before
// anything parses them, cached for offline use, evicted when the cache is full.
//
//   const registry = new ModelRegistry({ manifest: 'https://cdn.example/models/manifest.json', publicKey });
//   const session = await registry.load('iris@^1.2', { onProgress: ({ loaded, total }) => {} });
//   session.model; // { name: 'iris', version: '1.2.3', alias: null, sha256: '…' }

import { argumentError, ErrorCode, OnnxEdgeError, isOnnxEdgeError } from '../errors.js';
import { InferenceSession } from '../session.js';
import { checkSha256, resolveModel, sha256Hex } from './checks.js';
import { CacheIndex } from './cache-index.js';
import { download, throwIfAborted } from './download.js';
import { aliasedSha256s, chooseEvictions } from './eviction.js';
import { fetchManifest, manifestFromObject } from './manifest.js';
import { checkCacheOption, openStore, toBytes } from './stores.js';
import { defaultBaseUrl, toAbsoluteUrl } from './url-policy.js';
import { versionHistory } from './version-history.js';
import { Deployment } from '../rollout/deployment.js';
import { telemetryOf } from '../telemetry/hooks.js'; // telemetry (issue 14)

/** @typedef {import('./stores.js').CacheStore} CacheStore */
/** @typedef {import('./stores.js').CacheOption} CacheOption */
/** @typedef {import('./download.js').FetchFunction} FetchFunction */
/** @typedef {import('./download.js').DownloadProgress} DownloadProgress */
/** @typedef {import('./manifest.js').Manifest} Manifest */
/** @typedef {import('./manifest.js').ManifestState} ManifestState */
/** @typedef {import('./cache-index.js').CacheEntry} CacheEntry */
/** @typedef {import('./version-history.js').ModelHistory} ModelHistory */
/** @typedef {import('../session.js').SessionOptions} SessionOptions */

/** The default size cap of cached model files: 512 MiB. */
export const DEFAULT_MAX_CACHE_BYTES = 512 * 1024 * 1024;

/**
 * @typedef {object} RegistryOptions
 * @property {string | URL | object} manifest the manifest's URL (a string without a scheme is relative to the page,
 *   or a file path in Node, Deno and Bun), or the manifest itself as an object
 * @property {string} [publicKey] the publisher's Ed25519 public key (base64, as `onnx-edge keygen` prints it). With
 *   it, every manifest (an object too) must carry a signature that verifies (SIGNATURE otherwise). Without it, an
 *   unsigned manifest is accepted only from loopback (`localhost`, `127.0.0.1`, `[::1]`) and `file:` URLs, or as an
 *   object handed over in code; a manifest from any other URL is refused with SIGNATURE.
 * @property {CacheOption} [cache] where verified files and the last verified manifest are kept (default `'auto'`:
 *   Cache Storage in browsers, a folder under `os.tmpdir()/onnx-edge-cache` in Node, Deno and Bun, memory elsewhere)
 * @property {FetchFunction} [fetch] the fetch to use (default `globalThis.fetch`)
 * @property {number} [maxCacheBytes] size cap of cached model files (default 512 MiB): beyond it the least recently
 *   used files are evicted, except the versions an alias names now and the file just loaded
 * @property {number} [manifestMaxAgeMs] reuse a manifest checked less than this long ago without asking the server
 *   (default 0: revalidate, with If-None-Match, on every call that needs it)
 * @property {string | URL} [baseUrl] what file names in a manifest given as an object are relative to (default: the
 *   page, or the working directory)
 * @property {unknown} [telemetry] a Telemetry that sessions made by `load` record into
 * @property {{ nnef?: (bytes: Uint8Array, options: SessionOptions) => Promise<any> }} [engines] how to open versions
 *   published in another format than ONNX: `{ nnef: InferenceSession.create }` with the `InferenceSession` of
 *   `onnx-edge/slim` (`onnx-edge publish --format nnef`). Without it such a version is refused with OPTIONS_INVALID
 */

/**
 * A spec resolved against the manifest.
 * @typedef {object} ResolvedModel
 * @property {string} name
 * @property {string} version the exact version
 * @property {string | null} alias the alias the spec named (`iris@stable`, or `iris` alone when a `stable` alias
 *   exists), else null
 * @property {string} sha256 what the file must hash to
 * @property {number} size its size in bytes
 * @property {string} url the file's absolute URL (resolved against the manifest's)
 * @property {string[]} aliases every alias that names this version now
 */

/**
 * @typedef {object} FetchModelOptions
 * @property {(progress: DownloadProgress) => void} [onProgress] `{ loaded, total }` in bytes, `loaded` monotonic; the
 *   last event has `loaded === total` (one such event when the file comes from the cache)
 * @property {AbortSignal} [signal] aborting rejects with FETCH (`details.aborted: true`) and caches nothing
 */

/** @typedef {FetchModelOptions & { sessionOptions?: SessionOptions }} LoadOptions */

/**
 * Where the manifest came from and when it was last verified (`source`: `network`, `notModified` after a 304,
 * `offline` when the network failed and the last verified copy was used, or `object`).
 * @typedef {{ source: ManifestState['source'], etag: string | null, signed: boolean, verifiedAt: number }} ManifestStatus
 */

/**
 * @typedef {object} Context
 * @property {URL | null} url the manifest's URL (null for an object)
 * @property {URL} base what file names are relative to
 * @property {CacheStore} store
 * @property {CacheIndex} index
 * @property {string} manifestKey
 */

/**
 * Models by name and version from a manifest written by `onnx-edge publish`.
 *
 * Errors (all `OnnxEdgeError`): FETCH (`details`: `{ url, status }`, or `aborted: true`; also for a URL that is
 * neither HTTPS, loopback, `file:` nor the page's own origin), INTEGRITY (a file does not match its sha256 or
 * size), SIGNATURE, MANIFEST_INVALID, VERSION_NOT_FOUND (`details`: `{ name, spec, available, aliases }`, or
 * `{ kind: 'unknownModel', name, available }` for a name the manifest lacks). What fails a check is never cached or
 * parsed.
 */
export class ModelRegistry {
  /** @type {Required<Pick<RegistryOptions, 'fetch' | 'maxCacheBytes' | 'manifestMaxAgeMs'>> & RegistryOptions} */
  #options;
  /** @type {CacheOption} */
  #cache;
  /** @type {Promise<Context> | null} */
  #context = null;
  /** @type {ManifestState | null} */
  #state = null;
  #stateAt = 0;
  /** @type {Promise<ManifestState> | null} */
  #refreshing = null;

  /** @param {RegistryOptions} options */
  constructor(options) {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'new ModelRegistry({ manifest, publicKey, cache })', { reason: 'options' });
    }
    const { manifest, publicKey, maxCacheBytes, manifestMaxAgeMs } = options;
    if (!(typeof manifest === 'string' || manifest instanceof URL || (typeof manifest === 'object' && manifest !== null))) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'manifest must be a URL, a string or the manifest object', { reason: 'manifest' });
    }
    if (publicKey !== undefined && (typeof publicKey !== 'string' || publicKey.trim() === '')) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'publicKey must be the base64 Ed25519 public key', { reason: 'publicKey' });
    }
    for (const [name, value] of /** @type {const} */ ([['maxCacheBytes', maxCacheBytes], ['manifestMaxAgeMs', manifestMaxAgeMs]])) {
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
        throw argumentError(ErrorCode.OPTIONS_INVALID, `${name} must be a number >= 0`, { reason: name });
      }
    }
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'fetch must be a function', { reason: 'fetch' });
    }
    this.#cache = checkCacheOption(options.cache);
    this.#options = {
      ...options,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxCacheBytes: maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES,
      manifestMaxAgeMs: manifestMaxAgeMs ?? 0,
    };
    /** The Telemetry given in the options, if any. @readonly @type {unknown} */
    this.telemetry = options.telemetry;
  }

  /**
   * Which version `spec` names: `iris` (the `stable` alias, else the highest version), `iris@1.2.0`, `iris@^1.2`,
   * `iris@stable`.
   * @param {string} spec
   * @returns {Promise<ResolvedModel>}
   */
  async resolve(spec) {
    if (typeof spec !== 'string' || spec.trim() === '') {
      throw argumentError(ErrorCode.VERSION_NOT_FOUND, 'a spec is a string such as "iris", "iris@1.2.0", "iris@^1.2" or "iris@stable"', { spec });
    }
    const context = await this.#ensureContext();
    const state = await this.#currentManifest(false);
    const resolved = await resolveModel(state.text, spec);
    return {
      name: resolved.name,
      version: resolved.version,
      alias: resolved.alias ?? null,
      sha256: resolved.sha256,
      size: resolved.size,
      url: new URL(resolved.url, context.base).href,
      aliases: [...resolved.aliases],
    };
  }

  /**
   * A model's versions (lowest first, with when each was published), its aliases now and every alias move.
   * VERSION_NOT_FOUND when the manifest has no model `name`.
   * @param {string} name
   * @returns {Promise<ModelHistory>}
   */
  async versions(name) {
    const context = await this.#ensureContext();
    const state = await this.#currentManifest(false);
    return versionHistory(state.manifest, name, context.base);
  }

  /**
   * The verified manifest (a copy).
   * @returns {Promise<Manifest>}
   */
  async manifest() {
    await this.#ensureContext();
    const state = await this.#currentManifest(false);
    return /** @type {Manifest} */ (JSON.parse(JSON.stringify(state.manifest)));
  }

  /**
   * Ask the server for the manifest now (with If-None-Match), whatever `manifestMaxAgeMs` says.
   * @returns {Promise<ManifestStatus>}
   */
  async refresh() {
    await this.#ensureContext();
    await this.#currentManifest(true);
    return /** @type {ManifestStatus} */ (this.manifestStatus);
  }

  /**
   * Where the manifest in use came from, or null before it was first needed.
   * @returns {ManifestStatus | null}
   */
  get manifestStatus() {
    const state = this.#state;
    return state === null ? null : { source: state.source, etag: state.etag, signed: state.signed, verifiedAt: state.verifiedAt };
  }

  /**
   * The model file's bytes, checked against the manifest's sha256: from the cache when it holds them (no network
   * needed), else downloaded, checked, then cached.
   * @param {string} spec
   * @param {FetchModelOptions} [options]
   * @returns {Promise<{ model: ResolvedModel, bytes: Uint8Array, fromCache: boolean }>}
   */
  async fetchModel(spec, options = {}) {
    const model = await this.resolve(spec);
    const { bytes, fromCache } = await this.#modelBytes(model, options);
    return { model, bytes, fromCache };
  }

  /**
   * Load a model as an `InferenceSession` whose `model` is `{ name, version, alias, sha256 }`. The file is checked
   * against its sha256 before it is parsed; `sessionOptions.limits.maxModelBytes` is checked against the
   * manifest's size before anything is downloaded.
   * @param {string} spec
   * @param {LoadOptions} [options]
   * @returns {Promise<InferenceSession>}
   */
  async load(spec, options = {}) {
    // telemetry (issue 14): load duration, cache hit or miss and the version's drift `reference` go to the telemetry;
    // a failed load is counted by its error code
    const telemetry = telemetryOf(options.sessionOptions?.telemetry ?? this.telemetry);
    if (telemetry === null) return (await this.#load(spec, options)).session;
    const started = performance.now();
    try {
      const { session, model, fromCache } = await this.#load(spec, options);
      const entry = this.#state?.manifest.models[model.name]?.versions[model.version];
      telemetry.recordLoad(session.model ?? model, { seconds: (performance.now() - started) / 1000, fromCache, entry });
      return session;
    } catch (error) {
      telemetry.recordError({ name: typeof spec === 'string' ? spec.split('@')[0] : '' }, error);
      throw error;
    }
  }

  /**
   * @param {string} spec
   * @param {LoadOptions} options
   * @returns {Promise<{ session: InferenceSession, model: ResolvedModel, fromCache: boolean }>}
   */
  async #load(spec, options) {
    const sessionOptions = options.sessionOptions ?? {};
    const model = await this.resolve(spec);
    const limit = sessionOptions.limits?.maxModelBytes;
    if (typeof limit === 'number' && model.size > limit) {
      throw new OnnxEdgeError(ErrorCode.LIMIT_EXCEEDED, `${model.name}@${model.version} has ${model.size} bytes, more than the limit of ${limit}`, {
        details: { kind: 'modelBytes', limit, actual: model.size },
      });
    }
    const format = this.#state?.manifest.models[model.name]?.versions[model.version]?.format ?? 'onnx';
    const create = format === 'onnx' ? InferenceSession.create : this.#options.engines?.[format];
    if (typeof create !== 'function') {
      throw new OnnxEdgeError(ErrorCode.OPTIONS_INVALID,
        `${model.name}@${model.version} is published as ${format}: open it with the slim build, ` +
        `new ModelRegistry({ ..., engines: { ${format}: InferenceSession.create } }) with the InferenceSession of 'onnx-edge/slim'`,
        { details: { reason: 'engines', format } });
    }
    const { bytes, fromCache } = await this.#modelBytes(model, options);
    throwIfAborted(options.signal, new URL(model.url));
    /** @type {SessionOptions} */
    const withIdentity = {
      ...sessionOptions,
      model: { name: model.name, version: model.version, alias: model.alias ?? undefined, sha256: model.sha256 },
    };
    if (withIdentity.telemetry === undefined && this.telemetry !== undefined) withIdentity.telemetry = this.telemetry;
    return { session: await create(bytes, withIdentity), model, fromCache };
  }

  /**
   * Serve model `name` as a deployment that follows the manifest's aliases (`stable` by default) and rollout rules
   * (weights, shadow): a staging gate before any version serves, blue-green switches with automatic rollback, sticky
   * A/B and canary assignment by user key, shadow runs (www/rollout/deployment.js).
   * @param {string} name
   * @param {import('../rollout/deploy-options.js').DeployOptions} [options]
   * @returns {Promise<import('../rollout/deployment.js').Deployment>}
   */
  deploy(name, options = {}) {
    return Deployment.create(this, name, options);
  }

  /**
   * The model files this registry has cached, least recently used first.
   * @returns {Promise<CacheEntry[]>}
   */
  async cached() {
    const context = await this.#ensureContext();
    const entries = await context.index.entries();
    return entries.sort((a, b) => a.lastUsed - b.lastUsed);
  }

  /**
   * Delete everything this registry cached: its model files, its last verified manifest and its index. The next
   * call fetches the manifest again. Needs a store with `delete`.
   * @returns {Promise<{ files: number, bytes: number }>} what was deleted
   */
  async purge() {
    const context = await this.#ensureContext();
    const { store, index } = context;
    const entries = await index.entries();
    if (store.delete !== undefined) {
      for (const entry of entries) await store.delete(entry.key);
      await store.delete(context.manifestKey);
      await store.delete(index.key);
    }
    this.#state = null;
    this.#stateAt = 0;
    return { files: entries.length, bytes: entries.reduce((sum, e) => sum + e.size, 0) };
  }

  /**
   * The manifest's URL, the store and the index, set up on first use.
   * @returns {Promise<Context>}
   */
  #ensureContext() {
    if (this.#context === null) {
      const attempt = this.#makeContext();
      this.#context = attempt;
      attempt.catch(() => {
        if (this.#context === attempt) this.#context = null;
      });
    }
    return this.#context;
  }

  /** @returns {Promise<Context>} */
  async #makeContext() {
    const { manifest } = this.#options;
    const url = typeof manifest === 'string' || manifest instanceof URL ? await toAbsoluteUrl(manifest) : null;
    const base = url ?? (this.#options.baseUrl !== undefined ? await toAbsoluteUrl(this.#options.baseUrl) : await defaultBaseUrl());
    const store = await openStore(this.#cache);
    // Keys name the manifest by a digest of its URL: short, and safe as a file name.
    const namespace = (await sha256Hex(new TextEncoder().encode(url === null ? `object:${base.href}` : url.href))).slice(0, 16);
    return { url, base, store, index: new CacheIndex(store, `index-${namespace}`), manifestKey: `manifest-${namespace}` };
  }

  /**
   * The manifest to use now: the one in memory while younger than `manifestMaxAgeMs` (unless `force`), else
   * revalidated (one request at a time).
   * @param {boolean} force
   * @returns {Promise<ManifestState>}
   */
  async #currentManifest(force) {
    const context = await this.#ensureContext();
    const fresh = this.#state !== null && Date.now() - this.#stateAt < this.#options.manifestMaxAgeMs;
    if (this.#state !== null && (fresh || context.url === null) && !force) return this.#state;
    if (this.#refreshing === null) {
      const attempt = this.#loadManifest(context);
      this.#refreshing = attempt;
      attempt.then(() => { this.#refreshing = null; }, () => { this.#refreshing = null; });
    }
    return this.#refreshing;
  }

  /**
   * @param {Context} context
   * @returns {Promise<ManifestState>}
   */
  async #loadManifest(context) {
    const { publicKey } = this.#options;
    const state = context.url === null
      ? await manifestFromObject(/** @type {object} */ (this.#options.manifest), { publicKey })
      : await fetchManifest({
        url: context.url, publicKey, fetch: this.#options.fetch, store: context.store, key: context.manifestKey, known: this.#state,
      });
    this.#state = state;
    this.#stateAt = Date.now();
    return state;
  }

  /**
   * @param {ResolvedModel} model
   * @param {FetchModelOptions} options
   * @returns {Promise<{ bytes: Uint8Array, fromCache: boolean }>}
   */
  async #modelBytes(model, options) {
    const { store, index } = await this.#ensureContext();
    const url = new URL(model.url);
    const key = `model-${model.sha256}`;
    throwIfAborted(options.signal, url);
    const entry = { key, sha256: model.sha256, size: model.size, name: model.name, version: model.version };

    const cached = await store.match(key).then(toBytes, () => undefined);
    if (cached !== undefined) {
      const verified = await checkSha256(model.url, cached, model.sha256).then(() => true, (error) => {
        if (!isOnnxEdgeError(error) || error.code !== ErrorCode.INTEGRITY) throw error;
        return false;
      });
      if (verified) {
        await index.touch(entry).catch(() => {});
        options.onProgress?.({ loaded: cached.byteLength, total: model.size });
        return { bytes: cached, fromCache: true };
      }
      // A damaged copy: drop it and download again.
      await Promise.resolve().then(() => store.delete?.(key)).catch(() => {});
      await index.remove([key]).catch(() => {});
    }

    const bytes = await download(url, { size: model.size, fetch: this.#options.fetch, signal: options.signal, onProgress: options.onProgress });
    await checkSha256(model.url, bytes, model.sha256);
    throwIfAborted(options.signal, url);
    try {
      await store.put(key, bytes);
      const entries = await index.touch(entry);
      await this.#evict(entries, model.sha256);
    } catch {
      // A full or failing store costs the offline copy, not the load.
    }
    return { bytes, fromCache: false };
  }

  /**
   * Evict least recently used files beyond `maxCacheBytes`, keeping the versions aliases name and `justLoaded`.
   * @param {CacheEntry[]} entries
   * @param {string} justLoaded
   */
  async #evict(entries, justLoaded) {
    const { store, index } = await this.#ensureContext();
    if (store.delete === undefined || this.#state === null) return;
    const keep = aliasedSha256s(this.#state.manifest);
    keep.add(justLoaded);
    const evicted = chooseEvictions(entries, { maxBytes: this.#options.maxCacheBytes, keep });
    if (evicted.length === 0) return;
    for (const entry of evicted) await store.delete(entry.key);
    await index.remove(evicted.map((e) => e.key));
  }
}
