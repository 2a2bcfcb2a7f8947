// The wasm builds side by side in headless Chromium (issue 17): where relaxed SIMD ships by default, unlike Node 20
// (flag only). Per round and build a fresh browser context (no shared code cache) loads the package, starts the
// engine on that build's file (init(url): compiled while streaming), and times cnn_digits, silero (legacy, 16 kHz)
// and mobilenet_v2 (if target/bench-models has it); the builds take turns. Outputs are checked against the
// references as in bench/variants.mjs. Prints a markdown table; nothing is written.
//
//   node bench/variants-browser.mjs [--rounds N] [--builds simd,relaxed]

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { compareOutputs, loadCase } from '../www/test-support/fixtures.js';
import { ARGS, CHROMIUM } from '../tests/e2e/chromium.js';
import { startStaticServer } from '../tests/e2e/static-server.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BUILDS = { simd: 'onnx_edge_bg.wasm', baseline: 'onnx_edge_baseline_bg.wasm', relaxed: 'onnx_edge_relaxed_bg.wasm' };
const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rounds = Number(arg('--rounds', '5'));
const asked = arg('--builds', Object.keys(BUILDS).join(',')).split(',');
const builds = Object.entries(BUILDS).filter(([b, f]) => asked.includes(b) && existsSync(path.join(REPO, 'www', 'dist', f)));

/** @typedef {{ name: string, model: string, inputs: Record<string, { type: string, dims: number[], data: any[] }>, outputs: Record<string, any>, tolerance: any, exact?: string[] }} Case */

/** @returns {Promise<Case[]>} the models as URLs under the repo, with one run's inputs and references */
async function cases() {
  /** @type {Case[]} */
  const list = [];
  for (const [name, model] of [['cnn_digits', null], ['silero_npm_legacy_16k', 'node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx']]) {
    const fixture = await loadCase(/** @type {string} */ (name));
    list.push({ name: /** @type {string} */ (name), model: model ?? `tests/fixtures/${fixture.model}`, inputs: fixture.runs[0].inputs,
      outputs: fixture.runs[0].outputs, tolerance: fixture.tolerance, exact: fixture.exact });
  }
  const ref = path.join(REPO, 'target', 'bench-models', 'mobilenet_v2.reference.json');
  if (existsSync(ref)) {
    const r = JSON.parse(readFileSync(ref, 'utf8'));
    const scale = Math.max(...r.output.data.map(Math.abs)); // random weights: logits near 1e-9 (bench/variants.mjs)
    list.push({ name: 'mobilenet_v2', model: 'target/bench-models/mobilenet_v2.onnx',
      inputs: { [r.input.name]: { type: 'float32', dims: r.input.dims, data: r.input.data } },
      outputs: { [r.output.name]: { type: 'float32', dims: r.output.dims, data: r.output.data } }, tolerance: { atol: 1e-4 * scale, rtol: 1e-3 } });
  }
  return list;
}

/**
 * In the page: start the engine on `wasm`, then per case create a session, run once (outputs kept), warm up, and
 * time runs for `runMs` (at least 20).
 * @param {{ wasm: string, cases: { name: string, model: string, inputs: Record<string, { type: string, dims: number[], data: any[] }> }[], runMs: number }} args
 */
async function inPage({ wasm, cases: list, runMs }) {
  const ort = await import(/** @type {string} */ ('/www/index.js'));
  const t0 = performance.now();
  await ort.init(new URL(wasm, location.href));
  const startMs = performance.now() - t0;
  /** @type {Record<string, any>} */
  const out = {};
  for (const c of list) {
    const session = await ort.InferenceSession.create(new URL(`/${c.model}`, location.href));
    /** @type {Record<string, any>} */
    const feeds = {};
    for (const [k, s] of Object.entries(c.inputs)) {
      const data = s.type === 'int64' ? BigInt64Array.from(s.data, (v) => BigInt(v)) : Float32Array.from(s.data, Number);
      feeds[k] = new ort.Tensor(s.type, data, s.dims);
    }
    const first = await session.run(feeds);
    const outputs = Object.fromEntries(Object.entries(first).map(([k, t]) => [k, { type: t.type, dims: [...t.dims], data: Array.from(t.data, Number) }]));
    for (const end = performance.now() + runMs / 4; performance.now() < end;) await session.run(feeds);
    const samples = [];
    for (const end = performance.now() + runMs; performance.now() < end || samples.length < 20;) {
      const s = performance.now();
      await session.run(feeds);
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    out[c.name] = { p50: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)], outputs };
    await session.release();
  }
  return { startMs, out };
}

/** @param {number[]} v */
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const { chromium } = await import('playwright-core');
const list = await cases();
const server = await startStaticServer({ root: REPO, lifetimeMs: 30 * 60_000, maxRequests: 100_000 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const version = browser.version();
/** @type {Map<string, any[]>} */
const results = new Map(builds.map(([b]) => [b, []]));
/** @type {string[]} */
const failures = [];
try {
  for (let i = 0; i < rounds; i += 1) {
    for (const [build, file] of builds) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/bench/results/variants.md`); // any same-origin page: the module is imported from it
      const r = await page.evaluate(inPage, { wasm: `/www/dist/${file}`, cases: list.map(({ name, model, inputs }) => ({ name, model, inputs })), runMs: 2000 });
      await context.close();
      for (const c of list) {
        const f = compareOutputs(r.out[c.name].outputs, /** @type {any} */ (c.outputs), c.tolerance, c.exact).failures;
        failures.push(...f.map((x) => `${build} ${c.name}: ${x}`));
      }
      results.get(build)?.push(r);
      console.error(`${build}: round ${i + 1}/${rounds} done`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const lines = [
  `Chromium ${version} (${CHROMIUM}), ${os.cpus()[0]?.model ?? ''} x${os.cpus().length}; ${rounds} fresh contexts per build, taking turns; medians of p50 / p95 ms`,
  '',
  `| build | start ms | ${list.map((c) => `${c.name} p50 / p95 ms`).join(' | ')} |`,
  `| --- | ---: | ${list.map(() => '---:').join(' | ')} |`,
  ...builds.map(([b]) => {
    const rs = results.get(b) ?? [];
    const f = (/** @type {number} */ n) => n.toFixed(n < 10 ? 3 : 0);
    return `| ${b} | ${f(median(rs.map((r) => r.startMs)))} | ${list.map((c) => `${f(median(rs.map((r) => r.out[c.name].p50)))} / ${f(median(rs.map((r) => r.out[c.name].p95)))}`).join(' | ')} |`;
  }),
  '',
  failures.length === 0 ? '- every build matched the references' : `- MISMATCHES: ${failures.join('; ')}`,
  `- load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`,
];
console.log(lines.join('\n'));
if (failures.length > 0) process.exitCode = 1;
