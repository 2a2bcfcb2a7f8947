// Sticky, deterministic A/B and canary assignment of a user key to a model version. The hash and the bucketing live
// in the Rust core (src/core/rollout/assign.rs); this file only calls them and says how they work, so that a server
// (or another runtime) can reproduce every assignment:
//
//   bucket(key)  = (first 8 bytes of sha256(UTF-8 bytes of key), read as a big-endian unsigned 64-bit integer) mod 10000
//   versions     = the versions with a finite weight > 0, in ascending semver order (plain string order for a
//                  version that is not semver)
//   share(v)     = weight(v) / (sum of those weights) * 10000
//   assigned(key)= the first version v whose cumulative share (share of the versions before it plus its own) is
//                  > bucket(key); the last version if rounding leaves the bucket past every bound
//
// e.g. weights { '1.0.0': 90, '1.1.0': 10 }: buckets 0..8999 get 1.0.0 and 9000..9999 get 1.1.0. sha256('abc')
// starts ba7816bf8f01cfea, so bucket('abc') = 0xba7816bf8f01cfea mod 10000.
//
// The bucket in Python: `int(hashlib.sha256(key.encode()).hexdigest()[:16], 16) % 10000`.

import { callWasm, liveEngine } from '../init.js';

/** @typedef {import('../init.js').Engine} Engine */

/** Buckets in the key space. */
export const BUCKETS = 10_000;

/**
 * The rollout functions of the glue (src/wasm/rollout.rs), and the statistics this folder uses.
 * @typedef {object} RolloutGlue
 * @property {(key: string) => number} bucketOf
 * @property {(key: string, weights: Record<string, number>) => string | undefined} assignVariant
 * @property {(expected: WasmTensorLike[], got: WasmTensorLike[], atol: number, rtol: number) => OutputComparison} compareOutputs
 * @property {(a: WasmTensorLike, b: WasmTensorLike) => Agreement} agreement
 * @property {(predicted: Float64Array, actual: Float64Array) => ClassificationFigures} classificationMetrics
 * @property {new (capacity: number) => { push: (value: number) => void, quantiles: (qs: Float64Array) => Float64Array, free: () => void }} SlidingQuantiles
 */

/** @typedef {{ name: string, type: string, dims: number[], data: unknown }} WasmTensorLike a tensor as the bindings take it */
/**
 * How outputs compare with the expected ones: every element within `atol + rtol * |expected|` (integers and strings
 * exactly); `maxAbs` over float outputs; `failures` names the first few elements out of tolerance.
 * @typedef {{ ok: boolean, maxAbs: number, mismatches: number, compared: number, failures: string[] }} OutputComparison
 */
/**
 * Agreement of two versions' values of one output: `top1` is the share of rows with the same argmax along the last
 * axis (or equal values, for integer labels), null for a float output with one value per row (a regressor).
 * @typedef {{ rows: number, top1: number | null, maxAbs: number, meanAbs: number }} Agreement
 */
/** @typedef {{ count: number, accuracy: number, precision: number, recall: number, f1: number }} ClassificationFigures */

/**
 * The glue's rollout functions.
 * @param {Engine} engine
 * @returns {RolloutGlue}
 */
export function rolloutGlue(engine) {
  return /** @type {RolloutGlue} */ (/** @type {unknown} */ (engine.glue));
}

/**
 * The bucket (0..9999) of a user key: the first 8 bytes of sha256(key), big-endian, mod 10,000 (see the top of
 * www/rollout/assignment.js for the whole rule).
 * @param {string} key
 * @returns {Promise<number>}
 */
export async function bucketOf(key) {
  const engine = await liveEngine();
  return callWasm(engine, () => rolloutGlue(engine).bucketOf(key));
}

/**
 * The version a user key is assigned to under `weights` (version -> relative weight), or undefined when no weight is
 * positive: versions in ascending semver order own consecutive bucket ranges proportional to their weights (see the
 * top of www/rollout/assignment.js). The same key and weights give the same version in every runtime.
 * @param {string} key
 * @param {Readonly<Record<string, number>>} weights
 * @returns {Promise<string | undefined>}
 */
export async function assignVariant(key, weights) {
  return assignNow(await liveEngine(), key, weights);
}

/**
 * `assignVariant` on a live engine, synchronously (the deployment routes a run without yielding).
 * @param {Engine} engine
 * @param {string} key
 * @param {Readonly<Record<string, number>>} weights
 * @returns {string | undefined}
 */
export function assignNow(engine, key, weights) {
  return callWasm(engine, () => rolloutGlue(engine).assignVariant(key, { ...weights })) ?? undefined;
}
