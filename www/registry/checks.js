// The registry's checks, done once in Rust and called through the wasm engine: the manifest's Ed25519 signature,
// `name@version|range|alias` resolution, and sha256 of model files. JS never re-implements them.

import { ErrorCode, OnnxEdgeError } from '../errors.js';
import { callWasm, liveEngine } from '../init.js';

/**
 * A spec resolved by the core: the file URL is still relative to the manifest.
 * @typedef {object} WasmResolved
 * @property {string} name
 * @property {string} version
 * @property {string | null} alias the alias the spec named, if it named one
 * @property {string} sha256
 * @property {number} size
 * @property {string} url
 * @property {string[]} aliases every alias that names this version now
 */

/**
 * The registry functions of the bindings (src/wasm/mod.rs).
 * @typedef {object} RegistryGlue
 * @property {(text: string, publicKey: string) => unknown} verifyManifest
 * @property {(manifestText: string, spec: string) => WasmResolved} resolveModel
 * @property {(url: string, bytes: Uint8Array, expected: string) => void} checkSha256
 * @property {(bytes: Uint8Array) => string} sha256Hex
 */

/**
 * The live engine and its registry functions; ENGINE (`details.missing`) when the wasm build predates them.
 * @template {keyof RegistryGlue} K
 * @param {K} name
 * @returns {Promise<{ engine: import('../init.js').Engine, fn: RegistryGlue[K] }>}
 */
async function glueFunction(name) {
  const engine = await liveEngine();
  const glue = /** @type {Partial<RegistryGlue>} */ (/** @type {unknown} */ (engine.glue));
  const fn = glue[name];
  if (typeof fn !== 'function') {
    throw new OnnxEdgeError(ErrorCode.ENGINE, `this wasm build has no ${name}(): rebuild www/dist`, { details: { missing: name } });
  }
  return { engine, fn: /** @type {RegistryGlue[K]} */ (fn) };
}

/**
 * Parse `text` and verify its signature with `publicKey` (base64 Ed25519). Returns the manifest object only when it
 * verifies; throws SIGNATURE or MANIFEST_INVALID.
 * @param {string} text
 * @param {string} publicKey
 * @returns {Promise<unknown>}
 */
export async function verifyManifest(text, publicKey) {
  const { engine, fn } = await glueFunction('verifyManifest');
  return callWasm(engine, () => fn(text, publicKey));
}

/**
 * Which version `spec` names in the manifest `text`; throws VERSION_NOT_FOUND (`details`: `{ name, spec, available,
 * aliases }`) or MANIFEST_INVALID.
 * @param {string} text
 * @param {string} spec
 * @returns {Promise<WasmResolved>}
 */
export async function resolveModel(text, spec) {
  const { engine, fn } = await glueFunction('resolveModel');
  return callWasm(engine, () => fn(text, spec));
}

/**
 * Throws INTEGRITY (`details`: `{ url, expected, actual }`) unless `bytes` hash to `expected`.
 * @param {string} url
 * @param {Uint8Array} bytes
 * @param {string} expected
 * @returns {Promise<void>}
 */
export async function checkSha256(url, bytes, expected) {
  const { engine, fn } = await glueFunction('checkSha256');
  callWasm(engine, () => fn(url, bytes, expected));
}

/**
 * Lower-case hex sha256 of `bytes`.
 * @param {Uint8Array} bytes
 * @returns {Promise<string>}
 */
export async function sha256Hex(bytes) {
  const { engine, fn } = await glueFunction('sha256Hex');
  return callWasm(engine, () => fn(bytes));
}
