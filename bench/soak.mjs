// Soak benchmark (issue 18): 100,000 iris predictions in one Node process, the session released and made again
// every 1,000. Samples wasm memory, the JS heap after a full GC and the time per run every 10,000 runs; every
// 1,000th answer is compared with onnxruntime's. Not a test (`node --test` never runs it; www/soak.test.js is the
// bounded version in the suite). Usage: `node --expose-gc bench/soak.mjs [--runs N]`.
// Prints a markdown table and writes it to bench/results/soak.md.

import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

import { InferenceSession, Tensor } from '../www/index.js';
import { engineResetCount, liveEngine } from '../www/init.js';
import { buildFeeds, compareOutputs, loadIrisCase, loadModel } from '../www/test-support/fixtures.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = path.join(HERE, '..');
const RESULTS = path.join(HERE, 'results');
const flag = process.argv.indexOf('--runs');
const RUNS = flag > 0 ? Number(process.argv[flag + 1]) : 100_000;
const CYCLE = 1_000;
const SAMPLE = 10_000;

const gc = /** @type {(() => void) | undefined} */ (/** @type {any} */ (globalThis).gc);
if (gc === undefined) throw new Error('run with node --expose-gc');

const iris = await loadIrisCase();
const bytes = /** @type {Uint8Array} */ ((await loadModel(iris)).bytes);
const [reference] = iris.runs;
const feeds = buildFeeds(Tensor, reference.inputs);
const engine = await liveEngine();

/** @typedef {{ runs: number, wasm: number, heap: number, usPerRun: number }} Sample */
/** @type {Sample[]} */
const samples = [];
let blockStart = performance.now();
const started = blockStart;
let mismatches = 0;
for (let done = 0; done < RUNS; done += CYCLE) {
  const session = await InferenceSession.create(bytes);
  for (let i = 0; i < CYCLE; i += 1) {
    const out = await session.run(feeds);
    if (i === CYCLE - 1 && compareOutputs(out, reference.outputs, iris.tolerance, iris.exact).failures.length > 0) mismatches += 1;
  }
  await session.release();
  const runs = done + CYCLE;
  if (runs % SAMPLE === 0 || runs === CYCLE) {
    const usPerRun = ((performance.now() - blockStart) * 1000) / (runs - (samples.at(-1)?.runs ?? 0));
    gc();
    gc();
    samples.push({ runs, wasm: engine.exports.memory.buffer.byteLength, heap: v8.getHeapStatistics().used_heap_size, usPerRun });
    blockStart = performance.now();
  }
}
const seconds = (performance.now() - started) / 1000;

/** @param {number} n */
const mib = (n) => (n / 2 ** 20).toFixed(2);
const warm = samples[1] ?? samples[0];
const last = /** @type {Sample} */ (samples.at(-1));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Soak: iris, release and re-create every 1,000 runs',
  '',
  `Machine: ${cpu} (${os.cpus().length} logical CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), ${os.platform()} ${os.release()}; Node ${process.version}; commit ${commit}; ${new Date().toISOString().slice(0, 10)}.`,
  `Command: \`node --expose-gc bench/soak.mjs\`. ${RUNS.toLocaleString('en')} runs of iris_rf's first reference run (${feeds.X.dims[0]} rows) in ${seconds.toFixed(0)} s; ${RUNS / CYCLE} sessions made and released;`,
  `${mismatches} of ${RUNS / CYCLE} checked answers differ from onnxruntime's; engine replacements: ${engineResetCount()}. Times per run are`,
  'end to end through `await session.run` and move with the machine\'s load; memory is the point of this table.',
  '',
  '| runs | wasm memory (MiB) | JS heap after GC (MiB) | µs per run (since last row) |',
  '|---:|---:|---:|---:|',
  ...samples.map((s) => `| ${s.runs.toLocaleString('en')} | ${mib(s.wasm)} | ${mib(s.heap)} | ${s.usPerRun.toFixed(0)} |`),
  '',
  `After warm-up (${warm.runs.toLocaleString('en')} runs) to the end: wasm memory ${last.wasm - warm.wasm >= 0 ? '+' : ''}${last.wasm - warm.wasm} bytes, ` +
    `JS heap ${last.heap - warm.heap >= 0 ? '+' : ''}${((last.heap - warm.heap) / 1024).toFixed(0)} KiB.`,
  '',
];
const table = lines.join('\n');
console.log(table);
await mkdir(RESULTS, { recursive: true });
await writeFile(path.join(RESULTS, 'soak.md'), table);
if (mismatches > 0 || last.wasm !== warm.wasm) process.exitCode = 1;
