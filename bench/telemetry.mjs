// Benchmark: the overhead of telemetry on iris prediction latency (one row per run) in Node. Not a test: `node --test`
// never runs it. Usage: `node --expose-gc bench/telemetry.mjs [--quick]`.
//
// Two measurements, each in alternating blocks (A B C D, then B C D A, …) so that drift in the machine's speed hits
// every setup alike:
// 1. End to end: sessions of the same model, one without telemetry and one per telemetry setup; each block times
//    back-to-back `await session.run(feeds)` calls. Per setup: the median over blocks of the mean time per run, and
//    the overhead as the median over rounds of (setup - no telemetry) in the same round.
// 2. Telemetry's own cost: `telemetry.recordRun(...)` (what `session.run` calls) around a run that is an already
//    resolved promise of the same outputs, against awaiting that promise alone: the cost per run without the
//    inference's noise.
// Prints a markdown table and writes it to bench/results/telemetry.md.

import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { InferenceSession, Telemetry, Tensor } from '../www/index.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = path.join(HERE, '..');
const RESULTS = path.join(HERE, 'results');
const quick = process.argv.includes('--quick');
const BLOCKS = quick ? 8 : 40;
const RUNS_PER_BLOCK = quick ? 200 : 1000;
const WARM_RUNS = quick ? 500 : 3000;

const bytes = new Uint8Array(await readFile(path.join(REPO, 'tests/fixtures/models/iris_rf.onnx')));
const drift = JSON.parse(await readFile(path.join(REPO, 'tests/fixtures/stats/drift-iris-like.json'), 'utf8'));
const rows = /** @type {number[][]} */ (drift.rows);
const model = { name: 'iris', version: '1.0.0' };

/**
 * @typedef {object} Setup
 * @property {string} label
 * @property {string} what
 * @property {InferenceSession} session
 * @property {boolean} ids pass a predictionId (live accuracy) with each run
 * @property {number[]} blockMeans µs per run, one per block
 */

/** @type {Setup[]} */
const setups = [
  { label: 'no telemetry', what: 'InferenceSession.create(bytes)', session: await InferenceSession.create(bytes, { model }), ids: false, blockMeans: [] },
  {
    label: 'telemetry: counts and latency',
    what: 'new Telemetry(); predictions, errors, duration histogram, latency window in the core',
    session: await InferenceSession.create(bytes, { model, telemetry: new Telemetry() }), ids: false, blockMeans: [],
  },
];
const full = new Telemetry();
full.setReference('iris', drift.reference);
setups.push({
  label: 'telemetry: + drift (every run) + predictionId',
  what: 'setReference (4 features, window 1000), sampleRate 1, a predictionId per run (labels never come: pending stays at its cap)',
  session: await InferenceSession.create(bytes, { model, telemetry: full }), ids: true, blockMeans: [],
});
const sampled = new Telemetry({ sampleRate: 0.1 });
sampled.setReference('iris', drift.reference);
setups.push({
  label: 'telemetry: + drift (sampleRate 0.1) + predictionId',
  what: 'as above, inputs of 1 run in 10 go to drift',
  session: await InferenceSession.create(bytes, { model, telemetry: sampled }), ids: true, blockMeans: [],
});

const feeds = rows.slice(0, 64).map((row) => ({ X: new Tensor('float32', Float32Array.from(row), [1, 4]) }));
let counter = 0;

/**
 * Mean µs per call of `call` over `runs` calls.
 * @param {(i: number) => Promise<unknown>} call
 * @param {number} runs
 */
async function timeBlock(call, runs) {
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) {
    counter += 1;
    await call(counter);
  }
  return ((performance.now() - start) * 1000) / runs;
}

/**
 * Alternating blocks of every setup's `call`; fills each `blockMeans`.
 * @param {{ call: (i: number) => Promise<unknown>, blockMeans: number[] }[]} list
 * @param {number} runs per block
 */
async function alternate(list, runs) {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  for (const item of list) await timeBlock(item.call, WARM_RUNS);
  for (let b = 0; b < BLOCKS; b += 1) {
    // Rotate the order each round, so no setup always runs right after the GC or right after another.
    for (let k = 0; k < list.length; k += 1) {
      const item = list[(b + k) % list.length];
      gc?.();
      item.blockMeans.push(await timeBlock(item.call, runs));
    }
  }
}

const endToEnd = setups.map((setup) => ({
  setup,
  blockMeans: setup.blockMeans,
  call: setup.ids
    ? (/** @type {number} */ i) => setup.session.run(feeds[i % feeds.length], undefined, { predictionId: `p${i}` })
    : (/** @type {number} */ i) => setup.session.run(feeds[i % feeds.length]),
}));
await alternate(endToEnd, RUNS_PER_BLOCK);

// Telemetry's own cost: the hooks InferenceSession.run calls, around an already computed result.
const outputs = await setups[0].session.run(feeds[0]);
const asSession = { model, outputNames: setups[0].session.outputNames };
const resolved = () => Promise.resolve(outputs);
const own = [
  { label: 'no telemetry', call: () => resolved(), blockMeans: /** @type {number[]} */ ([]) },
  ...[new Telemetry(), full, sampled].map((telemetry, k) => ({
    label: setups[k + 1].label,
    call: k === 0
      ? (/** @type {number} */ i) => telemetry.recordRun(asSession, feeds[i % feeds.length], undefined, undefined, resolved)
      : (/** @type {number} */ i) => telemetry.recordRun(asSession, feeds[i % feeds.length], undefined, { predictionId: `q${i}` }, resolved),
    blockMeans: /** @type {number[]} */ ([]),
  })),
];
await alternate(own, RUNS_PER_BLOCK * 20);

/**
 * @param {number[]} values
 * @param {number} q
 */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const base = quantile(setups[0].blockMeans, 0.5);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Telemetry overhead on iris prediction latency',
  '',
  `Machine: ${cpu} (${os.cpus().length} logical CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), ${os.platform()} ${os.release()}; Node ${process.version}; commit ${commit}; ${new Date().toISOString().slice(0, 10)}.`,
  `Model tests/fixtures/models/iris_rf.onnx, one row per run; ${BLOCKS} rounds of ${setups.length} alternating blocks of ${RUNS_PER_BLOCK} runs after ${WARM_RUNS} warm-up runs per setup${quick ? ' (--quick: a smoke run, not numbers to publish)' : ''}.`,
  '',
  '## End to end: `await session.run(feeds)`',
  '',
  'Per setup: the median over blocks of the mean time per run (µs) and its interquartile range; the overhead is the median over rounds of the',
  'difference with the block without telemetry in the same round.',
  '',
  '| setup | median µs/run | IQR µs | overhead µs/run | overhead % |',
  '|---|---:|---:|---:|---:|',
];
for (const setup of setups) {
  const median = quantile(setup.blockMeans, 0.5);
  const iqr = quantile(setup.blockMeans, 0.75) - quantile(setup.blockMeans, 0.25);
  const over = quantile(setup.blockMeans.map((m, b) => m - setups[0].blockMeans[b]), 0.5);
  const first = setup === setups[0];
  lines.push(`| ${setup.label} | ${median.toFixed(2)} | ${iqr.toFixed(2)} | ${first ? '–' : over.toFixed(2)} | ${first ? '–' : `${((over / base) * 100).toFixed(1)}%`} |`);
}
const ownBase = quantile(own[0].blockMeans, 0.5);
lines.push(
  '',
  "## Telemetry's own cost per run (the run replaced by an already resolved promise of its outputs)",
  '',
  `${BLOCKS} rounds of ${own.length} alternating blocks of ${RUNS_PER_BLOCK * 20} calls; µs per call, median over blocks; the cost is the median over rounds of the difference with awaiting the promise alone.`,
  '',
  '| setup | median µs/call | cost µs/run | cost as % of the median iris run above |',
  '|---|---:|---:|---:|',
);
for (const item of own) {
  const first = item === own[0];
  const cost = quantile(item.blockMeans.map((m, b) => m - own[0].blockMeans[b]), 0.5);
  lines.push(`| ${item.label} | ${quantile(item.blockMeans, 0.5).toFixed(3)} | ${first ? '–' : cost.toFixed(3)} | ${first ? '–' : `${((cost / base) * 100).toFixed(2)}%`} |`);
}
void ownBase;
lines.push('', 'Setups:', '');
for (const setup of setups) lines.push(`- ${setup.label}: ${setup.what}`);
lines.push('', 'Goal (issue 14): under 5% or under 2 µs per prediction.', '');
const table = lines.join('\n');
console.log(table);
if (!quick) {
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'telemetry.md'), table);
  console.log(`wrote ${path.relative(REPO, path.join(RESULTS, 'telemetry.md'))}`);
}
for (const setup of setups) await setup.session.release();
