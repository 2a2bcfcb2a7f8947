// `make bench`: onnx-edge (wasm in Node), onnxruntime-web (wasm backend, 1 thread, SIMD) and native tract through
// the core (the bench_native binary), side by side on the same inputs. Not a test. Usage:
//   node --expose-gc bench/compare.mjs [--native PATH] [--filter SUBSTRING] [--quick] [--budget-min MINUTES]
// Models: the scikit-learn fixture cases (their first run, and 1,000 rows for tree/SVM/linear models), bert_tiny,
// silero VAD, and the large models of target/bench-models/manifest.json when bench/make_models.py made them.
// Each model runs in a fresh Node process (bench/compare-one.mjs: instantiate time and peak memory are its own;
// a scikit-learn model's 1,000-row batch shares its process), then natively. Writes bench/results/compare.{json,md}, BENCHMARKS.md and bench/results/benchmarks.svg.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import * as fixtures from '../www/test-support/fixtures.js';
import { maxRelative, readNpy, writeNpy } from './npy.js';
import { renderMarkdown, renderSvg } from './render.js';

const { decodeData, loadCase, loadIndex, modelLocation, loadExpectedFailures, REPO } = fixtures;
const WORK = path.join(REPO, 'target', 'bench-work');
const MODELS = path.join(REPO, 'target', 'bench-models');
const RESULTS = path.join(REPO, 'bench', 'results');
const BATCH_ROWS = 1000;
const SILERO = ['silero_npm_v5_16k', 'silero_npm_legacy_16k', 'silero_pypi_vad_16k'];

function parseArgs(/** @type {string[]} */ argv) {
  const o = { native: path.join(REPO, 'target', 'release', 'bench_native'), filter: /** @type {string | undefined} */ (undefined), quick: false, budgetMin: 15 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--native') o.native = path.resolve(argv[++i]);
    else if (a === '--filter') o.filter = argv[++i];
    else if (a === '--quick') o.quick = true;
    else if (a === '--budget-min') o.budgetMin = Number(argv[++i]);
    else {
      console.error('usage: node bench/compare.mjs [--native PATH] [--filter SUBSTRING] [--quick] [--budget-min MINUTES]');
      process.exit(2);
    }
  }
  return o;
}

/**
 * Timing settings per model size: small models run long enough to have many samples, large ones at least 15 runs.
 * @param {boolean} large
 * @param {boolean} quick
 */
function timing(large, quick) {
  if (quick) return { loads: 1, warmMs: 30, targetMs: 60, minRuns: 3, maxRuns: 100 };
  return large
    ? { loads: 2, warmMs: 0, targetMs: 1500, minRuns: 15, maxRuns: 200 }
    : { loads: 3, warmMs: 400, targetMs: 300, minRuns: 20, maxRuns: 2000 };
}

/** @param {import('../www/test-support/fixtures.js').FixtureCase} fixture */
function batchFamily(fixture) {
  if (fixture.tags.includes('tree')) return 'tree';
  if (/sv[cr]_/.test(fixture.name)) return 'svm';
  if (fixture.tags.includes('linear') || /linear|logistic|ridge/.test(fixture.name)) return 'linear';
  return null;
}

/**
 * Inputs with the first dim repeated (cycling) to `rows`; null when an input does not have the rows as dim 0.
 * @param {Record<string, { type: string, dims: number[], data: any[] }>} inputs
 * @param {number} rows
 */
function batchInputs(inputs, rows) {
  const first = Object.values(inputs)[0];
  if (first === undefined || first.dims.length !== 2) return null;
  const from = first.dims[0];
  /** @type {typeof inputs} */
  const out = {};
  for (const [name, s] of Object.entries(inputs)) {
    if (s.dims[0] !== from) return null;
    const width = s.data.length / from;
    const data = new Array(rows * width);
    for (let r = 0; r < rows; r += 1) for (let j = 0; j < width; j += 1) data[r * width + j] = s.data[(r % from) * width + j];
    out[name] = { type: s.type, dims: [rows, ...s.dims.slice(1)], data };
  }
  return out;
}

/** Seeded pseudo-random floats in [0, 1) (an LCG), the same every run. */
function randomFloats(/** @type {number} */ n, seed = 12345) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i += 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 2 ** 24;
  }
  return out;
}

/**
 * One model file and the input sets it is measured on (one row each), measured in one process.
 * @typedef {{ name: string, group: string, inputs: Record<string, import('./npy.js').NpyTensor> }} RowInput
 * @typedef {{ model: string, large: boolean, rows: RowInput[] }} Job
 * @returns {Promise<{ items: Job[], notes: string[] }>}
 */
async function collect(/** @type {string | undefined} */ filter) {
  /** @type {Job[]} */
  const items = [];
  const notes = [];
  const failing = await loadExpectedFailures();
  const typed = (/** @type {Record<string, any>} */ inputs) => Object.fromEntries(Object.entries(inputs)
    .map(([n, s]) => [n, { type: s.type, dims: s.dims, data: decodeData(s.type, s.data) }]));
  for (const entry of await loadIndex()) {
    const fixture = await loadCase(entry.name);
    const ml = (fixture.tags.includes('ml') || fixture.tags.includes('ai.onnx.ml')) && !fixture.tags.includes('ml-op');
    const group = ml ? 'sklearn' : entry.name === 'bert_tiny' ? 'bert' : SILERO.includes(entry.name) ? 'silero' : null;
    if (group === null || fixture.runs.length === 0 || fixture.expect_error !== undefined) continue;
    if (failing.has(entry.name)) { notes.push(`${entry.name}: left out (expected failure)`); continue; }
    const where = modelLocation(fixture.model);
    if (where.path === undefined) { notes.push(`${entry.name}: left out (${where.skip})`); continue; }
    const run = fixture.runs[0];
    if (Object.values(run.inputs).some((s) => s.type === 'string')) { notes.push(`${entry.name}: left out (string inputs)`); continue; }
    /** @type {Job} */
    const job = { model: where.path, large: false, rows: [{ name: entry.name, group, inputs: typed(run.inputs) }] };
    if (ml && batchFamily(fixture) !== null) {
      const big = batchInputs(/** @type {any} */ (run.inputs), BATCH_ROWS);
      if (big !== null) job.rows.push({ name: `${entry.name} ×${BATCH_ROWS}`, group: `sklearn ×${BATCH_ROWS}`, inputs: typed(big) });
    }
    items.push(job);
  }
  const manifestPath = path.join(MODELS, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    for (const m of manifest.models) {
      const inputs = Object.fromEntries(Object.entries(m.inputs).map(([n, s], k) => [n, {
        type: 'float32', dims: /** @type {any} */ (s).dims, data: randomFloats(/** @type {number[]} */ (/** @type {any} */ (s).dims).reduce((a, b) => a * b, 1), 12345 + k),
      }]));
      items.push({ model: path.join(MODELS, m.file), large: true, rows: [{ name: m.name, group: m.group, inputs }] });
    }
  } else {
    notes.push('large models (torchvision CNNs, PP-OCR) left out: target/bench-models/manifest.json is missing (run `make bench-models`)');
  }
  // The large models first, so a time budget cuts scikit-learn rows rather than them (the tables sort by group).
  items.sort((a, b) => Number(b.large) - Number(a.large));
  return { items: filter === undefined ? items : items.filter((i) => i.rows[0].name.includes(filter)), notes };
}

/** @param {number[]} v */
function stats(v) {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const q = (/** @type {number} */ p) => { const x = (s.length - 1) * p; const lo = Math.floor(x); return s[lo] + (s[Math.ceil(x)] - s[lo]) * (x - lo); };
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

/** Max |a − b| / max |b| per output file present in both directories. */
async function agreement(/** @type {string} */ dirA, /** @type {string} */ dirB) {
  /** @type {Record<string, number>} */
  const out = {};
  if (!existsSync(dirA) || !existsSync(dirB)) return null;
  for (const file of await readdir(dirA)) {
    if (!existsSync(path.join(dirB, file))) continue;
    const a = await readNpy(path.join(dirA, file));
    const b = await readNpy(path.join(dirB, file));
    out[file.replace(/\.npy$/, '')] = maxRelative(a.data, b.data);
  }
  return Object.keys(out).length === 0 ? null : out;
}

function git(/** @type {string[]} */ args) {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function machine() {
  const info = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpu = info.split('\n').find((l) => l.startsWith('model name'))?.split(':').slice(1).join(':').trim() ?? os.cpus()[0]?.model ?? 'unknown';
  let rustc = '';
  try { rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim(); } catch { rustc = 'unknown'; }
  const ortPackage = JSON.parse(await readFile(path.join(REPO, 'node_modules', 'onnxruntime-web', 'package.json'), 'utf8'));
  const wasmPath = path.join(REPO, 'www', 'dist', 'onnx_edge_bg.wasm');
  const wasm = await readFile(wasmPath);
  return {
    wasm: { bytes: wasm.length, sha256: createHash('sha256').update(wasm).digest('hex').slice(0, 16), built: (await stat(wasmPath)).mtime.toISOString() },
    cpu, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version, rustc, ortWeb: ortPackage.version, commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    uncommitted: git(['status', '--porcelain', '--', 'www', 'src', 'wasm', 'cli', 'bench']) !== '',
    date: new Date().toISOString(), loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100), loadAverageAtEnd: /** @type {number[]} */ ([]),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const env = await machine();
  const { items, notes } = await collect(options.filter);
  if (!existsSync(options.native)) notes.push(`native column empty: ${path.relative(REPO, options.native)} is missing (make bench builds it)`);
  await rm(WORK, { recursive: true, force: true });
  const rows = [];
  for (const [index, item] of items.entries()) {
    if (performance.now() - started > options.budgetMin * 60e3) {
      const rest = items.slice(index).flatMap((i) => i.rows.map((r) => r.name));
      notes.push(`time budget of ${options.budgetMin} min reached: skipped ${rest.length} rows (${rest.join(', ')})`);
      break;
    }
    const t = timing(item.large, options.quick);
    const sets = [];
    for (const rowInput of item.rows) {
      const dir = path.join(WORK, rowInput.name.replace(/[^\w.-]+/g, '_'));
      await mkdir(path.join(dir, 'inputs'), { recursive: true });
      /** @type {Record<string, string>} */
      const files = {};
      for (const [name, tensor] of Object.entries(rowInput.inputs)) {
        files[name] = path.join(dir, 'inputs', `${name.replace(/[/:]/g, '_')}.npy`);
        await writeNpy(files[name], tensor);
      }
      sets.push({ dir, files });
    }
    process.stderr.write(`[${index + 1}/${items.length}] ${item.rows.map((r) => r.name).join(', ')} ...\n`);
    const specPath = path.join(sets[0].dir, 'spec.json');
    await writeFile(specPath, JSON.stringify({ model: item.model, runs: sets.map((x) => ({ inputs: x.files, outDir: path.join(x.dir, 'ort-web') })), ...t }));
    const web = spawnSync(process.execPath, ['--expose-gc', path.join(REPO, 'bench', 'compare-one.mjs'), specPath],
      { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 10 * 60e3 });
    /** @type {any} */
    let wasm = null;
    try { wasm = JSON.parse(web.stdout.trim().split('\n').pop() ?? ''); } catch { notes.push(`${item.rows[0].name}: the wasm process failed (${(web.stderr || String(web.error)).trim().split('\n').slice(-1)[0]})`); }
    for (const [k, rowInput] of item.rows.entries()) {
      const { dir, files } = sets[k];
      /** @type {any} */
      let native = { error: 'not run' };
      if (existsSync(options.native)) {
        const args = [item.model, '--loads', String(t.loads), '--warm-ms', String(t.warmMs), '--target-ms', String(t.targetMs),
          '--min-runs', String(t.minRuns), '--max-runs', String(t.maxRuns), '--out', path.join(dir, 'native'),
          ...Object.entries(files).map(([n, f]) => `${n}=${f}`)];
        const nat = spawnSync(options.native, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 10 * 60e3 });
        try { native = JSON.parse(nat.stdout.trim()); } catch { native = { error: (nat.stderr || String(nat.error)).trim().split('\n').slice(-1)[0].slice(0, 160) }; }
      }
      const run = wasm?.runs?.[k];
      const side = (/** @type {any} */ engine, /** @type {any} */ r) => (engine == null ? { error: 'no result' } : {
        error: r?.error ?? engine.error ?? null, instantiateMs: engine.instantiateMs ?? null, startMs: engine.startMs ?? null,
        loadMs: stats(engine.loadMs ?? [])?.median ?? null, firstRunMs: r?.firstRunMs ?? null, runs: stats(r?.samples ?? []),
        peakMemoryBytes: engine.peakMemoryBytes ?? null,
      });
      const row = {
        name: rowInput.name, group: rowInput.group, large: item.large,
        inputs: Object.entries(rowInput.inputs).map(([n, x]) => `${n} ${x.type}[${x.dims.join(',')}]`).join(', '),
        ours: side(wasm?.ours, run?.ours), peer: side(wasm?.peer, run?.peer), native: side(native, native),
        agreement: { oursVsPeer: run?.maxAbsVsPeer ?? null, nativeVsPeer: await agreement(path.join(dir, 'native'), path.join(dir, 'ort-web')) },
        ratioPeer: /** @type {number | null} */ (null), ratioNative: /** @type {number | null} */ (null),
      };
      if (row.ours.runs && row.peer.runs) row.ratioPeer = row.ours.runs.median / row.peer.runs.median;
      if (row.ours.runs && row.native.runs) row.ratioNative = row.ours.runs.median / row.native.runs.median;
      rows.push(row);
      const f = (/** @type {number | null} */ r) => (r === null ? '–' : `${r.toFixed(2)}×`);
      process.stderr.write(`  ${row.name}: vs ORT-web ${f(row.ratioPeer)}, vs native ${f(row.ratioNative)} `
        + `(${row.ours.runs?.median?.toFixed(3) ?? row.ours.error} / ${row.peer.runs?.median?.toFixed(3) ?? row.peer.error} / ${row.native.runs?.median?.toFixed(3) ?? row.native.error} ms)\n`);
    }
  }
  env.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const elapsedS = (performance.now() - started) / 1000;
  notes.push(`total time ${elapsedS.toFixed(0)} s`);
  const result = { environment: env, options: { ...options, native: path.relative(REPO, options.native) }, timing: { small: timing(false, options.quick), large: timing(true, options.quick) }, rows, notes };
  // Only a full run replaces the committed results; a --quick or --filter run writes under target/.
  const full = options.filter === undefined && !options.quick;
  const out = full ? RESULTS : path.join(REPO, 'target', 'bench-partial');
  const mdPath = full ? path.join(REPO, 'BENCHMARKS.md') : path.join(out, 'BENCHMARKS.md');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'compare.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(out, 'benchmarks.svg'), renderSvg(result));
  const md = renderMarkdown(result, path.relative(path.dirname(mdPath), path.join(out, 'benchmarks.svg')));
  await writeFile(mdPath, md);
  process.stdout.write(md);
  process.stderr.write(`wrote ${path.relative(REPO, mdPath)}, compare.json and benchmarks.svg in ${path.relative(REPO, out)} (${elapsedS.toFixed(0)} s)\n`);
}

await main();
