// Fixture cases for the JS tests (Node only): load tests/fixtures/cases, build tensors, compare with the references.
// Used by www/*.test.js, the pack test (through its file URL) and the browser test. Takes the Tensor class as an
// argument, so the pack test can build tensors with the installed package's own class.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { float16FromNumber, float16ToNumber } from '../dtypes.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** tests/fixtures, where `model` paths and `cases/` live. */
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');
/** Where `pypi:<pkg>/<path>` models are found. */
export const SITE_PACKAGES = path.join(REPO, '.venv', 'lib', 'python3.11', 'site-packages');

/** @typedef {import('../dtypes.js').DataType} DataType */
/** @typedef {{ type: DataType, dims: number[], data: (number | string)[] }} TensorSpec */
/**
 * @typedef {object} FixtureCase
 * @property {string} name
 * @property {string} model
 * @property {string[]} tags
 * @property {Record<string, unknown>} [options]
 * @property {Tolerance} tolerance
 * @property {string[]} [exact]
 * @property {{ inputs: Record<string, TensorSpec>, outputs: Record<string, TensorSpec> }[]} runs
 * @property {string} [expect_error]
 */
/** @typedef {{ name: string, tags: string[], model: string, file: string }} IndexEntry */
/**
 * Per element |a - b| <= atol + rtol * |b|; or, with `mode: 'mean_max'` (quantized models), the mean and the max
 * of |a - b| over each output must stay within `mean_abs` and `max_abs`.
 * @typedef {{ atol: number, rtol: number, mode?: 'mean_max', mean_abs?: number, max_abs?: number }} Tolerance
 */
/** @typedef {{ type: string, dims: readonly number[], data: ArrayLike<number | bigint | string> }} TensorOut */
/**
 * @typedef {new (type: any, data: any, dims?: readonly number[]) => TensorOut} TensorClass
 */

/**
 * Cases that do not pass yet, with the error code each must fail with
 * (tests/fixtures/expected-failures.txt; the native suite reads the same file).
 * @returns {Promise<Map<string, string>>}
 */
export async function loadExpectedFailures() {
  const text = await readFile(path.join(FIXTURES, 'expected-failures.txt'), 'utf8');
  /** @type {Map<string, string>} */
  const map = new Map();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [name, code] = trimmed.split(/\s+/);
    map.set(name, code);
  }
  return map;
}

/**
 * Every case listed in tests/fixtures/cases/index.json.
 * @returns {Promise<IndexEntry[]>}
 */
export async function loadIndex() {
  const index = JSON.parse(await readFile(path.join(FIXTURES, 'cases', 'index.json'), 'utf8'));
  return index.cases;
}

/**
 * One case by name.
 * @param {string} name
 * @returns {Promise<FixtureCase>}
 */
export async function loadCase(name) {
  return JSON.parse(await readFile(path.join(FIXTURES, 'cases', `${name}.json`), 'utf8'));
}

/**
 * The model file of a case, or why it is not here.
 * @param {string} model the case's `model` field
 * @returns {{ path: string, skip?: undefined } | { path?: undefined, skip: string }}
 */
export function modelLocation(model) {
  let file;
  if (model.startsWith('npm:')) file = path.join(REPO, 'node_modules', model.slice(4));
  else if (model.startsWith('pypi:')) file = path.join(SITE_PACKAGES, model.slice(5));
  else file = path.join(FIXTURES, model);
  if (!existsSync(file)) return { skip: `model file ${model} is not installed (${file})` };
  return { path: file };
}

/**
 * The model bytes of a case, or why it is skipped.
 * @param {FixtureCase} fixture
 * @returns {Promise<{ bytes: Uint8Array, skip?: undefined } | { bytes?: undefined, skip: string }>}
 */
export async function loadModel(fixture) {
  const where = modelLocation(fixture.model);
  if (where.skip !== undefined) return { skip: where.skip };
  return { bytes: new Uint8Array(await readFile(where.path)) };
}

/**
 * The iris case every "does it still work" check runs: `iris` if there is one, else `iris_rf`.
 * @returns {Promise<FixtureCase>}
 */
export async function loadIrisCase() {
  const names = (await loadIndex()).map((entry) => entry.name);
  return loadCase(names.includes('iris') ? 'iris' : 'iris_rf');
}

/**
 * The typed array a fixture's flat data stands for: "NaN"/"Infinity" strings, int64 as numbers, bool as 0/1,
 * float16 as values (stored as half-precision bits).
 * @param {DataType} type
 * @param {readonly (number | string)[]} data
 */
export function decodeData(type, data) {
  const numbers = data.map((v) => (typeof v === 'string' ? Number(v) : v));
  switch (type) {
    case 'float32': return Float32Array.from(numbers);
    case 'float64': return Float64Array.from(numbers);
    case 'float16': return Uint16Array.from(numbers, float16FromNumber);
    case 'int8': return Int8Array.from(numbers);
    case 'uint8': return Uint8Array.from(numbers);
    case 'int16': return Int16Array.from(numbers);
    case 'uint16': return Uint16Array.from(numbers);
    case 'int32': return Int32Array.from(numbers);
    case 'uint32': return Uint32Array.from(numbers);
    case 'int64': return BigInt64Array.from(data, (v) => BigInt(v));
    case 'uint64': return BigUint64Array.from(data, (v) => BigInt(v));
    case 'bool': return Uint8Array.from(numbers);
    default: throw new Error(`fixture has an unknown type ${type}`);
  }
}

/**
 * Feeds for one run, built with the given Tensor class.
 * @param {TensorClass} Tensor
 * @param {Record<string, TensorSpec>} inputs
 * @returns {Record<string, TensorOut>}
 */
export function buildFeeds(Tensor, inputs) {
  /** @type {Record<string, TensorOut>} */
  const feeds = {};
  for (const [name, spec] of Object.entries(inputs)) feeds[name] = new Tensor(spec.type, decodeData(spec.type, spec.data), spec.dims);
  return feeds;
}

/**
 * The session options a case asks for (its `options` object, passed as is).
 * @param {FixtureCase} fixture
 * @returns {Record<string, unknown>}
 */
export function caseOptions(fixture) {
  return { ...(fixture.options ?? {}) };
}

/**
 * Compare outputs with a run's references: dims and type exactly; integer and bool types and the case's `exact`
 * outputs exactly; floats by the tolerance (NaN equals NaN, infinities must match).
 * @param {Record<string, TensorOut>} actual
 * @param {Record<string, TensorSpec>} expected
 * @param {Tolerance} tolerance
 * @param {readonly string[]} [exact]
 * @returns {{ failures: string[], maxAbs: Record<string, number> }}
 */
export function compareOutputs(actual, expected, tolerance, exact = []) {
  /** @type {string[]} */
  const failures = [];
  /** @type {Record<string, number>} */
  const maxAbs = {};
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (got === undefined) {
      failures.push(`${name}: missing from the outputs (got ${Object.keys(actual).join(', ')})`);
      continue;
    }
    if (got.type !== want.type) failures.push(`${name}: type ${got.type}, expected ${want.type}`);
    if (got.dims.length !== want.dims.length || got.dims.some((d, i) => d !== want.dims[i])) {
      failures.push(`${name}: dims [${got.dims.join(', ')}], expected [${want.dims.join(', ')}]`);
      continue;
    }
    const isFloat = want.type === 'float32' || want.type === 'float64' || want.type === 'float16';
    const strict = !isFloat || exact.includes(name);
    const meanMax = tolerance.mode === 'mean_max' && !strict;
    let worst = 0;
    let sum = 0;
    let bad = 0;
    let firstBad = '';
    for (let i = 0; i < want.data.length; i += 1) {
      const b = toNumber(want.type, want.data[i], false);
      const a = toNumber(want.type, got.data[i], got.type === 'float16');
      const finite = typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b);
      const ok = strict ? same(a, b) : meanMax ? finite || same(a, b) : close(a, b, tolerance);
      if (finite) {
        const diff = Math.abs(/** @type {number} */ (a) - /** @type {number} */ (b));
        worst = Math.max(worst, diff);
        sum += diff;
      }
      if (!ok) {
        bad += 1;
        if (firstBad === '') firstBad = `[${i}] got ${String(a)}, expected ${String(b)}`;
      }
    }
    maxAbs[name] = worst;
    if (bad > 0) failures.push(`${name}: ${bad} of ${want.data.length} elements off, first ${firstBad} (max abs error ${worst})`);
    if (meanMax) {
      const mean = want.data.length === 0 ? 0 : sum / want.data.length;
      if (mean > (tolerance.mean_abs ?? Infinity) || worst > (tolerance.max_abs ?? Infinity)) {
        failures.push(`${name}: mean abs error ${mean} (limit ${tolerance.mean_abs}), max ${worst} (limit ${tolerance.max_abs})`);
      }
    }
  }
  return { failures, maxAbs };
}

/**
 * Load a case's model, run every run, compare; what a fixture test needs in one call.
 * @param {{ create: (bytes: Uint8Array, options?: any) => Promise<{ run: (feeds: any) => Promise<Record<string, TensorOut>>, release: () => Promise<void> }> }} InferenceSession
 * @param {TensorClass} Tensor
 * @param {FixtureCase} fixture
 * @param {Uint8Array} bytes
 * @returns {Promise<{ failures: string[], maxAbs: Record<string, number> }>}
 */
export async function runCase(InferenceSession, Tensor, fixture, bytes) {
  const session = await InferenceSession.create(bytes, caseOptions(fixture));
  try {
    /** @type {string[]} */
    const failures = [];
    /** @type {Record<string, number>} */
    const maxAbs = {};
    for (const [index, run] of fixture.runs.entries()) {
      const outputs = await session.run(buildFeeds(Tensor, run.inputs));
      const result = compareOutputs(outputs, run.outputs, fixture.tolerance, fixture.exact);
      failures.push(...result.failures.map((f) => `run ${index}: ${f}`));
      for (const [name, value] of Object.entries(result.maxAbs)) maxAbs[name] = Math.max(maxAbs[name] ?? 0, value);
    }
    return { failures, maxAbs };
  } finally {
    await session.release();
  }
}

/**
 * @param {string} type
 * @param {number | string | bigint} value
 * @param {boolean} halfBits the value is float16 bits to decode
 * @returns {number | bigint}
 */
function toNumber(type, value, halfBits) {
  if (type === 'int64' || type === 'uint64') return BigInt(value);
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'bigint') return value;
  return halfBits ? float16ToNumber(value) : value;
}

/**
 * @param {number | bigint} a
 * @param {number | bigint} b
 */
function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a)) return Number.isNaN(b);
  return a === b;
}

/**
 * @param {number | bigint} a
 * @param {number | bigint} b
 * @param {Tolerance} tolerance
 */
function close(a, b, tolerance) {
  if (typeof a !== 'number' || typeof b !== 'number') return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tolerance.atol + tolerance.rtol * Math.abs(b);
}
