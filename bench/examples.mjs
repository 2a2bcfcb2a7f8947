// Benchmark of the edge examples (www/examples/): cold start of each runtime (spawn to the answer of the first
// /predict, median of several starts) and requests per second for iris on loopback, 1 and 8 requests in flight,
// one-row and five-row bodies. Not a test: `node --test` never runs it.
// Usage: `npm run bench:examples -- [--quick] [--runtimes node,deno,bun,workerd] [--seconds 5]`.
// Prints a markdown table and writes it to bench/results/examples.md, the raw numbers to examples.json.
// The load client is node:http with keep-alive agents in this process, on the same machine as the server: on a
// 2-core machine client and server share the cores, so the numbers are a floor for the server alone.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { findRuntime, measureColdStart, REPO, RUNTIMES, startExample } from '../www/examples/dev/launch.js';
import { loadCase } from '../www/test-support/fixtures.js';

/** @typedef {import('../www/examples/dev/launch.js').Runtime} Runtime */

const RESULTS = path.join(fileURLToPath(new URL('.', import.meta.url)), 'results');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const runtimes = /** @type {Runtime[]} */ (option('--runtimes', RUNTIMES.join(',')).split(',').filter((r) => RUNTIMES.includes(/** @type {Runtime} */ (r))));
const seconds = Number(option('--seconds', quick ? '2' : '5'));
const starts = quick ? 1 : 3;

const iris = await loadCase('iris_rf');
const oneRow = iris.runs.find((run) => run.inputs.X.dims[0] === 1) ?? iris.runs[0];
const fiveRows = iris.runs.find((run) => run.inputs.X.dims[0] === 5) ?? iris.runs[0];

/**
 * Requests per second for `body` with `concurrency` in flight for about `seconds` (bounded also by count).
 * @param {string} url
 * @param {string} body
 * @param {number} concurrency
 * @returns {Promise<{ perSecond: number, requests: number, errors: number, p50Ms: number, p99Ms: number }>}
 */
async function throughput(url, body, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = () => new Promise((resolve, reject) => {
    const request = http.request(`${url}/predict`, {
      method: 'POST', agent, timeout: 30_000,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
  // Warm-up: a second's worth, at most 2,000 requests.
  const warmEnd = performance.now() + 1000;
  for (let i = 0; i < 2000 && performance.now() < warmEnd; i += 1) await post();
  /** @type {number[]} */
  const latencies = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < end && latencies.length < 1_000_000) {
      const t0 = performance.now();
      const status = await post().catch(() => 0);
      latencies.push(performance.now() - t0);
      if (status !== 200) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / elapsed, requests: latencies.length, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * CPU time (user + system, all threads) a process used so far, in ms; NaN where /proc is missing.
 * @param {number} pid
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** @type {Record<string, any>} */
const results = {};
for (const runtime of runtimes) {
  const found = findRuntime(runtime);
  if (found.skip !== undefined) {
    results[runtime] = { skipped: found.skip };
    console.error(`${runtime}: skipped (${found.skip})`);
    continue;
  }
  /** @type {number[]} */
  const colds = [];
  for (let i = 0; i < starts; i += 1) colds.push((await measureColdStart(runtime, { inputs: oneRow.inputs })).coldStartMs);
  const example = await startExample(runtime);
  /** @type {Record<string, any>} */
  const load = {};
  try {
    for (const [name, run] of /** @type {const} */ ([['1 row', oneRow], ['5 rows', fiveRows]])) {
      for (const concurrency of [1, 8]) {
        const cpuBefore = cpuMs(example.pid);
        const cell = await throughput(example.url, JSON.stringify({ inputs: run.inputs }), concurrency);
        // The server's own CPU per request: robust to other load on the machine, unlike requests per second.
        const cpuAfter = cpuMs(example.pid);
        load[`${name}, ${concurrency} in flight`] = { ...cell, serverCpuMsPerRequest: (cpuAfter - cpuBefore) / cell.requests };
      }
    }
  } finally {
    await example.stop();
  }
  results[runtime] = { version: found.version, coldStartMs: colds, coldStartMedianMs: median(colds), load };
  console.error(`${runtime}: cold start ${median(colds).toFixed(0)} ms; ${Object.entries(load).map(([k, v]) => `${k}: ${v.perSecond.toFixed(0)}/s`).join('; ')}`);
}

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
const machine = `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
const columns = ['1 row, 1 in flight', '1 row, 8 in flight', '5 rows, 1 in flight', '5 rows, 8 in flight'];
const lines = [
  `# Edge examples: cold start and requests per second (iris, loopback)`,
  '',
  `commit ${commit}; ${machine}; ${seconds} s per cell after a 1 s warm-up; cold start = spawn to the first /predict answer, median of ${starts}`,
  '',
  `| runtime | cold start (ms) | ${columns.map((c) => `req/s ${c}`).join(' | ')} | p50 / p99 ms (1 row, 1 in flight) | server CPU ms/request (1 row, 8 in flight) | errors |`,
  `| --- | ---: | ${columns.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
];
for (const [runtime, r] of Object.entries(results)) {
  if (r.skipped) {
    lines.push(`| ${runtime} | skipped: ${r.skipped} |`);
    continue;
  }
  const cells = columns.map((c) => r.load[c].perSecond.toFixed(0));
  const single = r.load['1 row, 1 in flight'];
  const errors = Object.values(r.load).reduce((sum, v) => sum + v.errors, 0);
  const cpu = r.load['1 row, 8 in flight'].serverCpuMsPerRequest;
  lines.push(`| ${runtime} (${r.version}) | ${r.coldStartMedianMs.toFixed(0)} | ${cells.join(' | ')} | ${single.p50Ms.toFixed(2)} / ${single.p99Ms.toFixed(2)} | ${cpu.toFixed(3)} | ${errors} |`);
}
lines.push('', `load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (on ${os.cpus().length} cores: above that, other processes competed)`);
const table = `${lines.join('\n')}\n`;
console.log(table);
await mkdir(RESULTS, { recursive: true });
await writeFile(path.join(RESULTS, 'examples.md'), table);
await writeFile(path.join(RESULTS, 'examples.json'), `${JSON.stringify({ commit, machine, seconds, results }, null, 2)}\n`);
