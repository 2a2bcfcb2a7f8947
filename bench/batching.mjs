// Benchmark: what a batch saves per row. For each model, N rows predicted as N single-row calls against one call
// with all N rows, in alternating blocks (singles, batch, batch, singles, …) so that drift in the machine's speed
// hits both alike. Not a test: `node --test` never runs it. Usage: `node bench/batching.mjs [--quick]`.
// Rows come from the fixture case's first run (repeated to N). Prints a markdown table and writes it to
// bench/results/batching.md.

import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { InferenceSession, Tensor } from '../www/index.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = path.join(HERE, '..');
const RESULTS = path.join(HERE, 'results');
const quick = process.argv.includes('--quick');
const BLOCKS = quick ? 4 : 12;

/** Models (fixture cases with one batched float32 input) and the batch size N each is measured at. */
const MODELS = [
  ['iris_rf', 100],
  ['breast_cancer_gb', 100],
  ['digits_logreg', 100],
  ['ml_svc_rbf_breast_cancer', 100],
  ['ml_linear_regression_diabetes', 100],
  ['cnn_digits', 32],
];

/**
 * The case's first run's float32 input, as N rows.
 * @param {string} name
 * @param {number} n
 */
async function rows(name, n) {
  const c = JSON.parse(await readFile(path.join(REPO, 'tests/fixtures/cases', `${name}.json`), 'utf8'));
  const [[input, spec]] = Object.entries(c.runs[0].inputs);
  const dims = /** @type {number[]} */ (spec.dims);
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  const data = /** @type {number[]} */ (spec.data.flat(Infinity));
  const batch = new Float32Array(n * per).map((_, i) => data[i % data.length]);
  return { model: path.join(REPO, 'tests/fixtures', c.model), input, dims, per, batch };
}

/**
 * Mean ms per call of `fn` over `count` calls.
 * @param {() => Promise<unknown>} fn
 * @param {number} count
 */
async function timed(fn, count) {
  const t = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return (performance.now() - t) / count;
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const table = [];
for (const [name, n] of MODELS) {
  const r = await rows(/** @type {string} */ (name), /** @type {number} */ (n));
  const session = await InferenceSession.create(new Uint8Array(await readFile(r.model)));
  const single = Array.from({ length: /** @type {number} */ (n) }, (_, i) =>
    ({ [r.input]: new Tensor('float32', r.batch.slice(i * r.per, (i + 1) * r.per), [1, ...r.dims.slice(1)]) }));
  const batch = { [r.input]: new Tensor('float32', r.batch, [/** @type {number} */ (n), ...r.dims.slice(1)]) };
  const singles = async () => { for (const feeds of single) await session.run(feeds); };
  const once = () => session.run(batch);
  await timed(singles, quick ? 3 : 10);
  await timed(once, quick ? 3 : 10);
  const calls = quick ? 3 : 10;
  /** @type {number[]} */ const a = [];
  /** @type {number[]} */ const b = [];
  for (let block = 0; block < BLOCKS; block++) {
    if (block % 2 === 0) { a.push(await timed(singles, calls)); b.push(await timed(once, calls)); }
    else { b.push(await timed(once, calls)); a.push(await timed(singles, calls)); }
  }
  const [s, t] = [median(a), median(b)];
  table.push({ name, n, singleRowUs: (1000 * s) / /** @type {number} */ (n), batchRowUs: (1000 * t) / /** @type {number} */ (n), saving: s / t });
  session.release();
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).toString().trim();
const lines = [
  '# Batching: N single-row calls against one N-row call',
  '',
  `- machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores; load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} at the end`,
  `- Node ${process.version}; commit ${commit}; date ${new Date().toISOString()}; ${quick ? 'quick' : 'full'} mode`,
  `- ${BLOCKS} alternating blocks of 10 repetitions each way; medians of the block means; µs per row`,
  '',
  '| model | N | one row per call (µs/row) | N rows in one call (µs/row) | saving |',
  '|---|---:|---:|---:|---:|',
  ...table.map((t) => `| ${t.name} | ${t.n} | ${t.singleRowUs.toFixed(1)} | ${t.batchRowUs.toFixed(2)} | ${t.saving.toFixed(1)}× |`),
  '',
];
const md = lines.join('\n');
console.log(md);
await mkdir(RESULTS, { recursive: true });
await writeFile(path.join(RESULTS, 'batching.md'), md);
