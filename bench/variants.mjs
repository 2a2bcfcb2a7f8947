// The packaged wasm builds side by side (issue 17): size raw and gzipped, engine start (read + compile +
// instantiate), and iris_rf / cnn_digits / silero (legacy, 16 kHz) latency in Node. Each build is measured in fresh
// Node processes (one engine per process, and V8 caches a compiled module within a process), the builds taking
// turns (simd, baseline, relaxed, simd, ...) so that a busy machine weighs on all of them alike. Writes the table
// to bench/results/variants.md, keeping that file's hand-written part (from its "## Notes" heading on).
//
//   node bench/variants.mjs                      # every build found in www/dist/ (5 rounds, 2 s of runs per model)
//   node bench/variants.mjs --quick              # 1 round, 0.5 s per model: a smoke test
//   node bench/variants.mjs --builds simd,relaxed
//   VARIANT_FLAGS=--experimental-wasm-relaxed-simd node bench/variants.mjs   # node flags for every child process

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = path.join(REPO, 'www', 'dist');
/** Build name -> wasm file (wasm-pack.toml's out_name + `_bg.wasm`); `relaxed` only if someone built it. */
const BUILDS = { simd: 'onnx_edge_bg.wasm', baseline: 'onnx_edge_baseline_bg.wasm', relaxed: 'onnx_edge_relaxed_bg.wasm' };
const BENCH_MODELS = path.join(REPO, 'target', 'bench-models');
/**
 * Fixture cases (silero_npm_legacy_16k is node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx), and
 * mobilenet_v2 where target/bench-models has it with a reference (torch's logits for a seeded input).
 */
const MODELS = ['iris_rf', 'cnn_digits', 'silero_npm_legacy_16k',
  ...(existsSync(path.join(BENCH_MODELS, 'mobilenet_v2.reference.json')) ? ['mobilenet_v2'] : [])];

/**
 * A model as a fixture case: the fixture itself, or mobilenet_v2 built from target/bench-models.
 * @param {typeof import('../www/test-support/fixtures.js')} fx
 * @param {string} name
 * @returns {Promise<{ bytes: Uint8Array, fixture: import('../www/test-support/fixtures.js').FixtureCase }>}
 */
async function loadBenchCase(fx, name) {
  if (name === 'mobilenet_v2') {
    const ref = JSON.parse(readFileSync(path.join(BENCH_MODELS, 'mobilenet_v2.reference.json'), 'utf8'));
    const spec = (/** @type {{ name: string, dims: number[], data: number[] }} */ t) => ({ [t.name]: { type: 'float32', dims: t.dims, data: t.data } });
    // Random weights give logits near 1e-9: the tolerance scales with them (1e-4 of the largest), not a fixed atol.
    const scale = Math.max(...ref.output.data.map(Math.abs));
    const fixture = /** @type {any} */ ({ name, runs: [{ inputs: spec(ref.input), outputs: spec(ref.output) }], tolerance: { atol: 1e-4 * scale, rtol: 1e-3 } });
    return { bytes: new Uint8Array(readFileSync(path.join(BENCH_MODELS, 'mobilenet_v2.onnx'))), fixture };
  }
  const fixture = await fx.loadCase(name);
  const model = await fx.loadModel(fixture);
  if (model.bytes === undefined) throw new Error(model.skip);
  return { bytes: model.bytes, fixture };
}

/**
 * Child: start the engine on one wasm file, then time each model's first fixture run.
 * @param {string} file
 * @param {number} runMs
 */
async function child(file, runMs) {
  const { InferenceSession, Tensor, init } = await import('../www/index.js');
  const fx = await import('../www/test-support/fixtures.js');
  const bytes = new Uint8Array(readFileSync(file));
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const compileMs = performance.now() - t0;
  await init(module);
  const startMs = performance.now() - t0;
  /** @type {Record<string, { p50: number, p95: number, runs: number, failures: string[], maxAbs: Record<string, number> }>} */
  const latency = {};
  for (const name of MODELS) {
    const { bytes: modelBytes, fixture } = await loadBenchCase(fx, name);
    const session = await InferenceSession.create(modelBytes, fx.caseOptions(fixture));
    const feeds = fx.buildFeeds(Tensor, fixture.runs[0].inputs);
    const { failures, maxAbs } = fx.compareOutputs(await session.run(feeds), fixture.runs[0].outputs, fixture.tolerance, fixture.exact);
    for (const end = performance.now() + runMs / 4; performance.now() < end;) await session.run(feeds); // warm-up
    const samples = [];
    for (const end = performance.now() + runMs; performance.now() < end || samples.length < 20;) {
      const s = performance.now();
      await session.run(feeds);
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    latency[name] = { p50: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)], runs: samples.length, failures, maxAbs };
    await session.release();
  }
  console.log(JSON.stringify({ compileMs, startMs, latency }));
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** @param {number} n */
const ms = (n) => n.toFixed(n < 10 ? 3 : 0);
/** @param {number} bytes */
const mib = (bytes) => (bytes / 2 ** 20).toFixed(2);

async function main() {
  if (process.argv[2] === '--child') return child(process.argv[3], Number(process.argv[4]));
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : 5;
  const runMs = quick ? 500 : 2000;
  const flags = (process.env.VARIANT_FLAGS ?? '').split(' ').filter(Boolean);
  const asked = process.argv.includes('--builds') ? process.argv[process.argv.indexOf('--builds') + 1].split(',') : Object.keys(BUILDS);
  const unknown = asked.filter((b) => !(b in BUILDS));
  if (unknown.length > 0) throw new Error(`unknown build(s) ${unknown.join(', ')}: known are ${Object.keys(BUILDS).join(', ')}`);
  const builds = Object.entries(BUILDS).filter(([build, name]) => asked.includes(build) && existsSync(path.join(DIST, name)));
  /** @type {Map<string, any[]>} */
  const results = new Map(builds.map(([build]) => [build, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (const [build, name] of builds) {
      const { stdout } = await run(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', path.join(DIST, name), String(runMs)],
        { cwd: REPO, timeout: 300_000, maxBuffer: 16 << 20 });
      results.get(build)?.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null'));
      console.error(`${build}: round ${i + 1}/${rounds} done`);
    }
  }
  const rows = builds.map(([build, name]) => {
    const bytes = readFileSync(path.join(DIST, name));
    const runs = results.get(build) ?? [];
    const last = runs[runs.length - 1];
    return {
      build, name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length,
      compileMs: median(runs.map((r) => r.compileMs)), startMs: median(runs.map((r) => r.startMs)),
      latency: Object.fromEntries(MODELS.map((m) => [m, { p50: median(runs.map((r) => r.latency[m].p50)), p95: median(runs.map((r) => r.latency[m].p95)), runs: last.latency[m].runs }])),
      failures: runs.flatMap((r) => MODELS.flatMap((m) => r.latency[m].failures.map((/** @type {string} */ f) => `${m}: ${f}`))),
      worst: Object.fromEntries(MODELS.map((m) => [m, Math.max(0, ...runs.flatMap((r) => Object.values(r.latency[m].maxAbs)))])),
    };
  });
  const commit = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO })).stdout.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# wasm builds side by side (Node)',
    '',
    `commit ${commit}; ${cpu} x${os.cpus().length}, node ${process.version}${flags.length ? ` ${flags.join(' ')}` : ''}; ${new Date().toISOString()}`,
    `${rounds} fresh process(es) per build, the builds taking turns (medians); per model ${runMs} ms of runs on the fixture's first input after a warm-up;`,
    'start = WebAssembly.compile of the bytes + init (instantiate); gzip level 9.',
    '',
    `| build | file | raw MiB | gzip MiB | compile ms | compile + instantiate ms | ${MODELS.map((m) => `${m} p50 / p95 ms`).join(' | ')} |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ${MODELS.map(() => '---:').join(' | ')} |`,
    ...rows.map((r) => `| ${r.build} | ${r.name} | ${mib(r.raw)} | ${mib(r.gzip)} | ${ms(r.compileMs)} | ${ms(r.startMs)} | ${MODELS.map((m) => `${ms(r.latency[m].p50)} / ${ms(r.latency[m].p95)}`).join(' | ')} |`),
    '',
  ];
  const simd = rows.find((r) => r.build === 'simd');
  for (const r of rows.filter((row) => row !== simd && simd !== undefined)) {
    const s = /** @type {typeof r} */ (simd);
    lines.push(`- ${r.build} / simd: ${MODELS.map((m) => `${m} p50 x${(r.latency[m].p50 / s.latency[m].p50).toFixed(2)}`).join(', ')}; gzip size x${(r.gzip / s.gzip).toFixed(2)}`);
  }
  for (const r of rows) lines.push(`- ${r.build}: largest abs error vs the references ${MODELS.map((m) => `${m} ${r.worst[m].toExponential(1)}`).join(', ')}`);
  const failures = rows.flatMap((r) => r.failures.map((f) => `${r.build} ${f}`));
  lines.push(failures.length === 0 ? '- every build matched the fixtures\' reference outputs' : `- MISMATCHES: ${failures.join('; ')}`);
  lines.push(`- load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (on ${os.cpus().length} cores: above that, other processes competed)`, '');
  const out = path.join(REPO, 'bench', 'results', 'variants.md');
  const before = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const notes = before.includes('\n## Notes') ? before.slice(before.indexOf('\n## Notes') + 1) : '';
  await writeFile(out, lines.join('\n') + (notes === '' ? '' : `\n${notes}`));
  console.log(lines.join('\n'));
  if (failures.length > 0) process.exitCode = 1;
}

await main();
