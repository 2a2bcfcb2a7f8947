// Benchmark: every fixture case, onnx-edge against onnxruntime-web (wasm backend) in one Node process.
// Not a test: `node --test` never runs it. Usage: `npm run bench -- [--filter <substring>] [--quick]`.
// Prints a markdown table and writes it to bench/results/fixtures.md, the raw numbers to fixtures.json.
// See bench/README.md for what each column means.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as ort from 'onnxruntime-web';

import { init, InferenceSession, Tensor } from '../www/index.js';
import * as fixtures from '../www/test-support/fixtures.js';

const { buildFeeds, compareOutputs, loadCase, loadIndex, loadModel, REPO } = fixtures;

/** @typedef {import('../www/test-support/fixtures.js').FixtureCase} FixtureCase */
/** @typedef {import('../www/test-support/fixtures.js').TensorSpec} TensorSpec */

const RESULTS = path.join(fileURLToPath(new URL('.', import.meta.url)), 'results');
/** Batch sizes every tree, SVM and linear case also runs at: one row (per-call cost) and 1,000 rows (per-row cost). */
const BATCH_SIZES = [1, 1000];

// ---- options ---------------------------------------------------------------------------------------------------

/**
 * @typedef {object} Options
 * @property {string | undefined} filter only cases whose name contains this
 * @property {boolean} quick fewer loads and runs (a smoke run, not numbers to publish)
 * @property {number} budgetMs stop starting new measurements after this long
 * @property {number} warmMs untimed warm-up per side and row, at least
 * @property {number} targetMs each side runs at least this long ...
 * @property {number} minRuns ... or at least this many runs
 * @property {number} maxRuns and never more than this many
 * @property {number} loads sessions created per side (the load time is their median)
 */

/**
 * @param {string[]} argv
 * @returns {Options}
 */
function parseArgs(argv) {
  let filter;
  let quick = false;
  let budgetMin = 15;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--filter') filter = argv[++i];
    else if (arg.startsWith('--filter=')) filter = arg.slice('--filter='.length);
    else if (arg === '--quick') quick = true;
    else if (arg === '--budget-min') budgetMin = Number(argv[++i]);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node bench/fixtures.mjs [--filter <substring>] [--quick] [--budget-min <minutes, default 15>]');
      process.exit(0);
    } else {
      console.error(`unknown argument ${arg} (try --help)`);
      process.exit(2);
    }
  }
  if (filter === undefined && argv.includes('--filter')) {
    console.error('--filter needs a substring');
    process.exit(2);
  }
  if (!(budgetMin > 0)) {
    console.error('--budget-min needs a positive number of minutes');
    process.exit(2);
  }
  return quick
    ? { filter, quick, budgetMs: budgetMin * 60e3, warmMs: 50, targetMs: 100, minRuns: 5, maxRuns: 200, loads: 1 }
    : { filter, quick, budgetMs: budgetMin * 60e3, warmMs: 250, targetMs: 500, minRuns: 20, maxRuns: 2000, loads: 3 };
}

// ---- the two runtimes behind one face --------------------------------------------------------------------------

/**
 * @typedef {{ type: string, dims: readonly number[], data: any }} AnyTensor
 * @typedef {{ run: (feeds: Record<string, AnyTensor>) => Promise<Record<string, AnyTensor>>, release: () => Promise<void> }} AnySession
 * @typedef {{ label: string, create: (bytes: Uint8Array) => Promise<AnySession>, feeds: (inputs: Record<string, TensorSpec>) => Record<string, AnyTensor> }} Runtime
 */

/** @type {Runtime} */
const OURS = {
  label: 'onnx-edge',
  create: async (bytes) => /** @type {AnySession} */ (/** @type {unknown} */ (await InferenceSession.create(bytes))),
  feeds: (inputs) => buildFeeds(/** @type {any} */ (Tensor), inputs),
};

/** @type {Runtime} */
const PEER = {
  label: 'ORT-web',
  create: async (bytes) => /** @type {AnySession} */ (/** @type {unknown} */ (
    await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }))),
  feeds: (inputs) => buildFeeds(/** @type {any} */ (ort.Tensor), inputs),
};

function configurePeer() {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
}

// ---- measuring -------------------------------------------------------------------------------------------------

/** @param {readonly number[]} sorted ascending @param {number} q in [0, 1] */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * @param {number[]} samples milliseconds
 * @returns {{ n: number, min: number, median: number, mean: number, p95: number, max: number, totalMs: number }}
 */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    n: samples.length, min: sorted[0], median: quantile(sorted, 0.5), mean: total / samples.length,
    p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1], totalMs: total,
  };
}

/** @param {unknown} error */
function errorText(error) {
  const e = /** @type {{ code?: unknown, message?: unknown }} */ (error);
  const message = String(e?.message ?? error).split('\n')[0].slice(0, 160);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}

/**
 * One side of one row, loaded and ready to time.
 * @typedef {object} Side
 * @property {string} label
 * @property {AnySession | null} session
 * @property {Record<string, AnyTensor> | null} feeds
 * @property {string | null} error why this side has no numbers ("refused (...)" or "run failed (...)")
 * @property {number[]} loadMs
 * @property {number | null} firstRunMs
 * @property {number[]} samples
 * @property {Record<string, number> | null} maxAbs per output, against the stored onnxruntime outputs
 * @property {number} mismatches outputs outside the case's tolerance
 */

/**
 * Load `bytes` `loads` times (keeping the last session), run once, compare with the references.
 * @param {Runtime} runtime
 * @param {Uint8Array} bytes
 * @param {Record<string, TensorSpec>} inputs
 * @param {Record<string, TensorSpec> | null} expected
 * @param {FixtureCase} fixture
 * @param {number} loads
 * @returns {Promise<Side>}
 */
async function prepare(runtime, bytes, inputs, expected, fixture, loads) {
  /** @type {Side} */
  const side = {
    label: runtime.label, session: null, feeds: null, error: null, loadMs: [], firstRunMs: null, samples: [],
    maxAbs: null, mismatches: 0,
  };
  try {
    for (let i = 0; i < loads; i += 1) {
      const t0 = performance.now();
      const session = await runtime.create(bytes);
      side.loadMs.push(performance.now() - t0);
      if (side.session !== null) await side.session.release();
      side.session = session;
    }
  } catch (error) {
    side.error = `refused (${errorText(error)})`;
    return side;
  }
  try {
    side.feeds = runtime.feeds(inputs);
    const t0 = performance.now();
    const outputs = await /** @type {AnySession} */ (side.session).run(side.feeds);
    side.firstRunMs = performance.now() - t0;
    if (expected !== null) {
      const { failures, maxAbs } = compareOutputs(outputs, expected, fixture.tolerance, fixture.exact);
      side.maxAbs = maxAbs;
      side.mismatches = failures.length;
    }
  } catch (error) {
    side.error = `run failed (${errorText(error)})`;
  }
  return side;
}

/**
 * Time `count` runs of a side, appending to its samples.
 * @param {Side} side
 * @param {number} count
 */
async function timeRuns(side, count) {
  const session = /** @type {AnySession} */ (side.session);
  const feeds = /** @type {Record<string, AnyTensor>} */ (side.feeds);
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await session.run(feeds);
    side.samples.push(performance.now() - t0);
  }
}

/**
 * Warm up, pick N per side, then time both sides in alternating blocks (ABBA), so drift hits both.
 * @param {Side[]} sides the sides that loaded and ran
 * @param {Options} options
 */
async function measure(sides, options) {
  const counts = [];
  for (const side of sides) {
    // Untimed warm-up: at least 5 runs and warmMs (V8 tiers hot wasm functions up from its baseline compiler
    // after a while; a fresh engine's first runs can be 10× slower), at most maxRuns. The median of the last 5
    // sets this side's N.
    const warm = [];
    const started = performance.now();
    while (warm.length < options.maxRuns && (warm.length < 5 || performance.now() - started < options.warmMs)) {
      const t0 = performance.now();
      await /** @type {AnySession} */ (side.session).run(/** @type {any} */ (side.feeds));
      warm.push(performance.now() - t0);
    }
    const each = Math.max(quantile(warm.slice(-5).sort((x, y) => x - y), 0.5), 1e-3);
    counts.push(Math.min(options.maxRuns, Math.max(options.minRuns, Math.ceil(options.targetMs / each))));
  }
  const blocks = 10;
  for (let b = 0; b < blocks; b += 1) {
    const order = b % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
    for (const i of order) {
      const n = Math.floor((counts[i] * (b + 1)) / blocks) - Math.floor((counts[i] * b) / blocks);
      await timeRuns(sides[i], n);
    }
  }
}

/**
 * A side's numbers for the JSON file.
 * @param {Side} side
 */
function sideRecord(side) {
  return {
    error: side.error,
    loadMs: side.loadMs.length > 0 ? { median: quantile([...side.loadMs].sort((a, b) => a - b), 0.5), all: side.loadMs } : null,
    firstRunMs: side.firstRunMs,
    runs: side.samples.length > 0 ? summarize(side.samples) : null,
    maxAbs: side.maxAbs,
    maxAbsAll: side.maxAbs === null ? null : Math.max(0, ...Object.values(side.maxAbs)),
    mismatches: side.mismatches,
  };
}

// ---- which rows ------------------------------------------------------------------------------------------------

/**
 * The sklearn family a case belongs to, when 1-row and 1,000-row batches make sense for it.
 * @param {FixtureCase} fixture
 * @returns {'tree' | 'svm' | 'linear' | null}
 */
function batchFamily(fixture) {
  const ml = fixture.tags.includes('ml') || fixture.tags.includes('ai.onnx.ml');
  if (!ml || fixture.tags.includes('ml-op')) return null;
  if (fixture.tags.includes('tree')) return 'tree';
  if (/sv[cr]_/.test(fixture.name)) return 'svm';
  if (fixture.tags.includes('linear') || /linear|logistic|ridge/.test(fixture.name)) return 'linear';
  return null;
}

/**
 * `spec` with its first dim repeated to `rows` rows (rows cycle), or null when its first dim is not `from`.
 * @param {TensorSpec} spec
 * @param {number} from
 * @param {number} rows
 * @returns {TensorSpec | null}
 */
function repeatRows(spec, from, rows) {
  if (spec.dims.length === 0 || spec.dims[0] !== from || from === 0) return null;
  const width = spec.data.length / from;
  const data = new Array(rows * width);
  for (let r = 0; r < rows; r += 1) {
    const src = (r % from) * width;
    for (let j = 0; j < width; j += 1) data[r * width + j] = spec.data[src + j];
  }
  return { type: spec.type, dims: [rows, ...spec.dims.slice(1)], data };
}

/**
 * The batch version of a run: every input and output cut or repeated to `rows` rows; null if any does not batch.
 * @param {{ inputs: Record<string, TensorSpec>, outputs: Record<string, TensorSpec> }} run
 * @param {number} rows
 */
function batchRun(run, rows) {
  const first = Object.values(run.inputs)[0];
  if (first === undefined || first.dims.length !== 2) return null;
  const from = first.dims[0];
  /** @type {Record<string, TensorSpec>} */
  const inputs = {};
  /** @type {Record<string, TensorSpec>} */
  const outputs = {};
  for (const [name, spec] of Object.entries(run.inputs)) {
    const repeated = repeatRows(spec, from, rows);
    if (repeated === null) return null;
    inputs[name] = repeated;
  }
  for (const [name, spec] of Object.entries(run.outputs)) {
    const repeated = repeatRows(spec, from, rows);
    if (repeated === null) return null;
    outputs[name] = repeated;
  }
  return { inputs, outputs };
}

/**
 * The inputs as fed, short: `X float32[8,4]`; past three inputs, the first two and a count.
 * @param {Record<string, TensorSpec>} inputs
 */
function describeInputs(inputs) {
  const all = Object.entries(inputs).map(([name, s]) => `${name} ${s.type}[${s.dims.join(',')}]`);
  return all.length <= 3 ? all.join(', ') : `${all.slice(0, 2).join(', ')} and ${all.length - 2} more`;
}

// ---- the machine and the build ---------------------------------------------------------------------------------

async function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = await readFile('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) cpu = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: os.cpus() has it
  }
  /** @param {string[]} args */
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const wasmPath = path.join(REPO, 'www', 'dist', 'onnx_edge_bg.wasm');
  const wasm = await readFile(wasmPath);
  const wasmStat = await stat(wasmPath);
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    loadAverageAtEnd: /** @type {number[]} */ ([]),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    uncommittedWww: git(['status', '--porcelain', '--', 'www', 'src', 'wasm']) !== '',
    date: new Date().toISOString(),
    ortWeb: ort.env.versions?.web ?? 'unknown',
    wasm: {
      bytes: wasm.length, sha256: createHash('sha256').update(wasm).digest('hex').slice(0, 16),
      built: wasmStat.mtime.toISOString(),
    },
  };
}

// ---- report ----------------------------------------------------------------------------------------------------

/** @param {number | null | undefined} ms */
function fmtMs(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** @param {number | null | undefined} x */
function fmtErr(x) {
  if (x === null || x === undefined) return '–';
  return x === 0 ? '0' : x.toExponential(1);
}

/**
 * Time to the first answer, ours / ORT-web: (load + first run) on each side; null when a side has no numbers.
 * @param {Row} row
 * @returns {number | null}
 */
function startRatio(row) {
  /** @param {ReturnType<typeof sideRecord>} s */
  const start = (s) => (s.loadMs === null || s.firstRunMs === null ? null : s.loadMs.median + s.firstRunMs);
  const ours = start(row.ours);
  const peer = start(row.peer);
  return ours === null || peer === null || peer === 0 ? null : ours / peer;
}

/** @param {number[]} ratios */
function geomean(ratios) {
  return ratios.length === 0 ? NaN : Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
}

/**
 * @typedef {object} Row
 * @property {string} name
 * @property {string} case
 * @property {string[]} tags
 * @property {'tree' | 'svm' | 'linear' | null} family
 * @property {number | null} batch rows of a batch run, null for the case's own first run
 * @property {string} inputs
 * @property {ReturnType<typeof sideRecord>} ours
 * @property {ReturnType<typeof sideRecord>} peer
 * @property {number | null} ratio ours median / ORT-web median
 */

/**
 * The summary groups: [label, rows in it]. Single-input rows (the case's first run) and each batch size apart.
 * @param {Row[]} rows
 * @returns {[string, Row[]][]}
 */
function groups(rows) {
  const single = rows.filter((r) => r.batch === null);
  /** @param {number} size */
  const batch = (size) => rows.filter((r) => r.batch === size);
  const ml = (/** @type {Row} */ r) => r.tags.includes('ml') || r.tags.includes('ai.onnx.ml');
  return [
    ['tree', single.filter((r) => r.tags.includes('tree'))],
    ['svm', single.filter((r) => r.family === 'svm')],
    ['ml (all ai.onnx.ml cases)', single.filter(ml)],
    ['silero', single.filter((r) => r.tags.includes('silero'))],
    ['issue2', single.filter((r) => r.tags.includes('issue2'))],
    ['all models, fixture input', single],
    ...BATCH_SIZES.flatMap((size) => /** @type {const} */ (['tree', 'svm', 'linear']).map((family) => /** @type {[string, Row[]]} */ (
      [`${family}, ${size} row${size === 1 ? '' : 's'}`, batch(size).filter((r) => r.family === family)]))),
  ];
}

/**
 * @param {Awaited<ReturnType<typeof machine>>} env
 * @param {Options} options
 * @param {Row[]} rows
 * @param {string[]} notes
 * @param {{ ours: number | null, peer: number | null }} coldStart
 */
function markdown(env, options, rows, notes, coldStart) {
  const lines = [];
  lines.push('# Fixture benchmark: onnx-edge vs onnxruntime-web', '');
  lines.push(`- machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.platform}; `
    + `load average (1, 5, 15 min) ${env.loadAverageAtStart.join(', ')} at the start, ${env.loadAverageAtEnd.join(', ')} at the end`);
  lines.push(`- Node ${env.node}; onnxruntime-web ${env.ortWeb} (wasm backend, numThreads 1, SIMD, no proxy)`);
  lines.push(`- commit ${env.commit}${env.uncommittedWww ? ' (with uncommitted changes under www/, src/ or wasm/)' : ''}; `
    + `onnx-edge wasm ${(env.wasm.bytes / 2 ** 20).toFixed(2)} MiB, sha256 ${env.wasm.sha256}…, built ${env.wasm.built}`);
  lines.push(`- date ${env.date}; mode ${options.quick ? 'quick (smoke numbers, not for comparison)' : 'full'}`
    + `${options.filter !== undefined ? `; filter "${options.filter}"` : ''}`);
  lines.push(`- runs per side: ${options.warmMs} ms untimed warm-up, then at least ${options.targetMs} ms or ${options.minRuns} runs, at most ${options.maxRuns}; `
    + `load = median of ${options.loads} session creations from bytes`);
  lines.push(`- cold start (engine start + first model, before the table): onnx-edge ${fmtMs(coldStart.ours)} ms, `
    + `ORT-web ${fmtMs(coldStart.peer)} ms`);
  lines.push('', '## Summary (geometric mean of ours/ORT-web median ratios; < 1 means onnx-edge is faster)', '');
  lines.push('| group | models | geomean ratio | onnx-edge faster | geomean ratio of load + first run |', '|---|---:|---:|---:|---:|');
  for (const [label, members] of groups(rows)) {
    const ratios = members.map((r) => r.ratio).filter((r) => r !== null).map(Number);
    if (members.length === 0) continue;
    const faster = ratios.filter((r) => r < 1).length;
    const startRatios = members.map(startRatio).filter((r) => r !== null).map(Number);
    lines.push(`| ${label} | ${ratios.length}${ratios.length < members.length ? ` (+${members.length - ratios.length} without a ratio)` : ''} `
      + `| ${ratios.length > 0 ? `${geomean(ratios).toFixed(2)}×` : '–'} | ${faster} of ${ratios.length} `
      + `| ${startRatios.length > 0 ? `${geomean(startRatios).toFixed(2)}×` : '–'} |`);
  }
  const compared = rows.filter((r) => r.ratio !== null);
  const faster = compared.filter((r) => /** @type {number} */ (r.ratio) < 1);
  lines.push('', `onnx-edge is faster on ${faster.length} of ${compared.length} compared rows `
    + `(${rows.filter((r) => r.batch === null && r.ratio !== null && r.ratio < 1).length} of ${rows.filter((r) => r.batch === null && r.ratio !== null).length} models at the fixture input).`);
  const slowest = [...compared].sort((a, b) => /** @type {number} */ (b.ratio) - /** @type {number} */ (a.ratio)).slice(0, 5);
  if (slowest.length > 0) {
    lines.push('', `Slowest relative to ORT-web: ${slowest.map((r) => `${r.name} ${/** @type {number} */ (r.ratio).toFixed(2)}×`).join(', ')}.`);
  }
  lines.push('', '## Models', '');
  lines.push('Times in ms, each cell "onnx-edge / ORT-web". Ratio = median onnx-edge / median ORT-web. '
    + 'Max abs error = worst |output − stored onnxruntime output| over all outputs ("!" = outside the case\'s tolerance).', '');
  lines.push('| model | inputs | load | first run | median | p95 | runs | ratio | max abs error |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  /** @param {ReturnType<typeof sideRecord>} s @param {(s: ReturnType<typeof sideRecord>) => number | null | undefined} pick */
  const cell = (s, pick) => (s.error !== null && pick(s) == null ? '✗' : fmtMs(pick(s)));
  /** @param {ReturnType<typeof sideRecord>} s */
  const err = (s) => (s.maxAbsAll === null ? '–' : `${fmtErr(s.maxAbsAll)}${s.mismatches > 0 ? '!' : ''}`);
  for (const r of rows) {
    const both = (/** @type {(s: ReturnType<typeof sideRecord>) => number | null | undefined} */ pick) => `${cell(r.ours, pick)} / ${cell(r.peer, pick)}`;
    lines.push(`| ${r.name} | ${r.inputs} | ${both((s) => s.loadMs?.median)} | ${both((s) => s.firstRunMs)} `
      + `| ${both((s) => s.runs?.median)} | ${both((s) => s.runs?.p95)} | ${r.ours.runs?.n ?? 0} / ${r.peer.runs?.n ?? 0} `
      + `| ${r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`} | ${err(r.ours)} / ${err(r.peer)} |`);
    for (const s of [r.ours, r.peer]) {
      if (s.error !== null) lines.push(`| ↳ ${s === r.ours ? 'onnx-edge' : 'ORT-web'}: ${s.error.replace(/\|/g, '\\|')} | | | | | | | | |`);
    }
  }
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

// ---- main ------------------------------------------------------------------------------------------------------

/** Cases that do not pass yet (tests/fixtures/expected-failures.txt), read by the fixture helper when it can. */
async function expectedFailures() {
  const load = /** @type {{ loadExpectedFailures?: () => Promise<Map<string, string>> }} */ (fixtures).loadExpectedFailures;
  if (typeof load === 'function') return load();
  /** @type {Map<string, string>} */
  const map = new Map();
  let text = '';
  try {
    text = await readFile(path.join(fixtures.FIXTURES, 'expected-failures.txt'), 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [name, code] = trimmed.split(/\s+/);
    map.set(name, code);
  }
  return map;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  configurePeer();
  const env = await machine();
  const failing = await expectedFailures();
  /** @type {string[]} */
  const notes = [];

  /** @type {{ fixture: FixtureCase, bytes: Uint8Array }[]} */
  const cases = [];
  for (const entry of await loadIndex()) {
    if (options.filter !== undefined && !entry.name.includes(options.filter)) continue;
    const fixture = await loadCase(entry.name);
    if (fixture.runs.length === 0 || fixture.expect_error !== undefined) continue;
    if (failing.has(entry.name)) {
      notes.push(`${entry.name}: left out (expected failure ${failing.get(entry.name)})`);
      continue;
    }
    const model = await loadModel(fixture);
    if (model.bytes === undefined) {
      notes.push(`${entry.name}: left out (${model.skip})`);
      continue;
    }
    cases.push({ fixture, bytes: model.bytes });
  }
  if (cases.length === 0) {
    console.error('no cases to run (check --filter)');
    process.exit(1);
  }

  // Start both engines before the table, so the load column is the model's own cost.
  /** @type {{ ours: number | null, peer: number | null }} */
  const coldStart = { ours: null, peer: null };
  for (const [key, runtime] of /** @type {const} */ ([['ours', OURS], ['peer', PEER]])) {
    const t0 = performance.now();
    try {
      if (key === 'ours') await init();
      const session = await runtime.create(cases[0].bytes);
      coldStart[key] = performance.now() - t0;
      await session.release();
    } catch (error) {
      notes.push(`${runtime.label} did not start on ${cases[0].fixture.name}: ${errorText(error)}`);
    }
  }

  /** @type {Row[]} */
  const rows = [];
  /** @type {{ fixture: FixtureCase, bytes: Uint8Array, run: { inputs: Record<string, TensorSpec>, outputs: Record<string, TensorSpec> }, batch: number | null }[]} */
  const work = [];
  for (const { fixture, bytes } of cases) {
    work.push({ fixture, bytes, run: fixture.runs[0], batch: null });
    if (batchFamily(fixture) !== null) {
      for (const size of BATCH_SIZES) {
        const run = batchRun(fixture.runs[0], size);
        if (run !== null) work.push({ fixture, bytes, run, batch: size });
        else notes.push(`${fixture.name}: no ${size}-row batch (its inputs or outputs do not all have the rows as dim 0)`);
      }
    }
  }

  for (const [index, item] of work.entries()) {
    const { fixture, bytes, run, batch } = item;
    const name = batch === null ? fixture.name : `${fixture.name} ×${batch}`;
    if (performance.now() - started > options.budgetMs) {
      const rest = work.slice(index).map((w) => (w.batch === null ? w.fixture.name : `${w.fixture.name} ×${w.batch}`));
      notes.push(`time budget of ${options.budgetMs / 60e3} min reached: skipped ${rest.length} rows (${rest.join(', ')})`);
      break;
    }
    process.stderr.write(`[${index + 1}/${work.length}] ${name} ... `);
    const ours = await prepare(OURS, bytes, run.inputs, run.outputs, fixture, options.loads);
    const peer = await prepare(PEER, bytes, run.inputs, run.outputs, fixture, options.loads);
    const live = [ours, peer].filter((s) => s.error === null);
    try {
      if (live.length > 0) await measure(live, options);
    } catch (error) {
      for (const side of live) if (side.samples.length === 0) side.error = `run failed (${errorText(error)})`;
    }
    for (const side of [ours, peer]) {
      if (side.session !== null) await side.session.release().catch(() => {});
      side.session = null;
      side.feeds = null;
    }
    const o = sideRecord(ours);
    const p = sideRecord(peer);
    const ratio = o.runs !== null && p.runs !== null ? o.runs.median / p.runs.median : null;
    rows.push({
      name, case: fixture.name, tags: fixture.tags, family: batchFamily(fixture), batch, inputs: describeInputs(run.inputs),
      ours: o, peer: p, ratio,
    });
    process.stderr.write(`${ratio === null ? (ours.error ?? peer.error) : `${ratio.toFixed(2)}×`} `
      + `(${fmtMs(o.runs?.median)} / ${fmtMs(p.runs?.median)} ms)\n`);
    /** @type {any} */ (globalThis).gc?.();
  }

  const elapsedS = (performance.now() - started) / 1000;
  env.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  notes.push(`total time ${elapsedS.toFixed(0)} s`);
  const md = markdown(env, options, rows, notes, coldStart);
  process.stdout.write(md);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'fixtures.md'), md);
  const summary = groups(rows).map(([label, members]) => {
    const ratios = members.map((r) => r.ratio).filter((r) => r !== null).map(Number);
    const startRatios = members.map(startRatio).filter((r) => r !== null).map(Number);
    return {
      group: label, rows: members.length, compared: ratios.length, geomeanRatio: ratios.length > 0 ? geomean(ratios) : null,
      oursFaster: ratios.filter((r) => r < 1).length,
      geomeanStartRatio: startRatios.length > 0 ? geomean(startRatios) : null,
    };
  });
  await writeFile(path.join(RESULTS, 'fixtures.json'), `${JSON.stringify({
    environment: env, options, coldStartMs: coldStart, summary, rows, notes,
  }, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(REPO, path.join(RESULTS, 'fixtures.md'))} and fixtures.json (${elapsedS.toFixed(0)} s)\n`);
}

await main();
