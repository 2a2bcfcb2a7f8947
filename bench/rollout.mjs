// Benchmark: how long a blue-green switch takes (load + staging gate + swap) for the iris and CNN fixtures.
// Not a test: `node --test` never runs it. Usage: `node bench/rollout.mjs [--switches N]` (default 12).
// Prints a markdown table and writes it to bench/results/rollout.md.
//
// For each model, a registry is made with the CLI (target/debug/onnx-edge: keygen, publish --reference with the
// gate's reference inputs from tests/fixtures/rollout/) holding N+1 versions (the same model, told apart by their
// ONNX doc_string, so each is a distinct file); a deployment (rollback off, so the old session is released at once)
// switches through them. The `switch` event carries the deployment's own timings: load (resolve, read the file,
// sha256, parse, optimise), gate (run the reference rows and compare with the manifest's outputs in the core, which
// also warms the session), swap (replacing the routing table) and total (from `update()` to the swap). The peer,
// measured in the same process: `InferenceSession.create(bytes)` plus one run, the cost of a cold load with no gate.
// Each model is measured with the registry revalidating the manifest on every call (the default) and with a
// `manifestMaxAgeMs` of 60 s.

import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { InferenceSession, Tensor } from '../www/index.js';
import { REPO } from '../www/test-support/fixtures.js';
import { MODELS, ROLLOUT_FIXTURES, makeRolloutRegistry, rolloutMissing } from '../www/rollout/test-support/rollout-registry.js';

const RESULTS = path.join(fileURLToPath(new URL('.', import.meta.url)), 'results');

/** @param {string[]} argv */
function parseArgs(argv) {
  let switches = 12;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--switches') switches = Number(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: node bench/rollout.mjs [--switches N]');
      process.exit(0);
    } else {
      console.error(`unknown argument ${argv[i]} (try --help)`);
      process.exit(2);
    }
  }
  if (!Number.isSafeInteger(switches) || switches < 2) {
    console.error('--switches needs an integer >= 2');
    process.exit(2);
  }
  return { switches };
}

/**
 * @param {number[]} values
 * @param {number} q
 */
function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const p = (s.length - 1) * q;
  const lo = Math.floor(p);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (p - lo);
}

/**
 * The inputs of a .npy file written by numpy (little-endian float32, C order), as a Tensor.
 * @param {string} file
 */
async function npyTensor(file) {
  const bytes = await readFile(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True")) throw new Error(`${file}: expected C-order float32`);
  const dims = (/\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '').map(Number);
  const body = bytes.subarray(10 + headerLength);
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return new Tensor('float32', data, dims);
}

/**
 * @param {{ label: string, model: string, reference: string }} target
 * @param {number} switches
 * @param {number} manifestMaxAgeMs the registry's: 0 revalidates the manifest on every call (the default)
 */
async function measure(target, switches, manifestMaxAgeMs) {
  const versions = Array.from({ length: switches + 1 }, (_, i) => `1.${i}.0`);
  const published = await makeRolloutRegistry('bench', versions.map((version, i) => ({
    version, model: target.model, reference: target.reference, docString: `bench ${version}`, aliases: i === 0 ? ['stable'] : [],
  })));
  try {
    const input = await npyTensor(target.reference);
    const probe = await InferenceSession.create(new Uint8Array(await readFile(target.model)));
    const inputName = probe.inputNames[0];
    await probe.release();
    const deployment = await published.registry({ manifestMaxAgeMs }).deploy('bench', { rollback: false });
    /** @type {{ loadMs: number, gateMs: number, swapMs: number, totalMs: number }[]} */
    const timings = [];
    /** @type {number[]} */
    const updates = [];
    deployment.on('switch', (e) => timings.push(e.timings));
    for (const version of versions.slice(1)) {
      const started = performance.now();
      await deployment.update(`bench@${version}`);
      updates.push(performance.now() - started);
      await deployment.run({ [inputName]: input });
    }
    await deployment.release();
    /** @type {number[]} */
    const peer = [];
    const bytes = new Uint8Array(await readFile(target.model));
    for (let i = 0; i < switches; i += 1) {
      const started = performance.now();
      const session = await InferenceSession.create(bytes);
      await session.run({ [inputName]: input });
      peer.push(performance.now() - started);
      await session.release();
    }
    const size = (await readFile(target.model)).length;
    const pick = (/** @type {'loadMs' | 'gateMs' | 'swapMs' | 'totalMs'} */ key) => timings.map((t) => t[key]);
    return {
      label: target.label,
      maxAge: manifestMaxAgeMs,
      bytes: size,
      gateRows: input.dims[0],
      switches: timings.length,
      load: quantile(pick('loadMs'), 0.5),
      gate: quantile(pick('gateMs'), 0.5),
      swapUs: quantile(pick('swapMs'), 0.5) * 1000,
      total: quantile(pick('totalMs'), 0.5),
      totalP90: quantile(pick('totalMs'), 0.9),
      update: quantile(updates, 0.5),
      peer: quantile(peer, 0.5),
    };
  } finally {
    await published.remove();
  }
}

async function main() {
  const { switches } = parseArgs(process.argv.slice(2));
  const missing = await rolloutMissing();
  if (missing) {
    console.error(`cannot run: ${missing}`);
    process.exit(1);
  }
  const targets = [
    { label: 'iris (iris_rf.onnx)', model: MODELS.rf, reference: path.join(ROLLOUT_FIXTURES, 'iris_reference.npy') },
    { label: 'CNN (cnn_digits.onnx)', model: MODELS.cnn, reference: path.join(ROLLOUT_FIXTURES, 'cnn_reference.npy') },
  ];
  const rows = [];
  for (const target of targets) {
    for (const maxAge of [0, 60_000]) rows.push(await measure(target, switches, maxAge));
  }

  const git = (/** @type {string[]} */ args) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = (await readFile('/proc/cpuinfo', 'utf8')).split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) cpu = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux
  }
  const f = (/** @type {number} */ x) => x.toFixed(2);
  const lines = [
    '# Blue-green switch time (load + gate + swap)',
    '',
    `- machine: ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()} ${os.arch()}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    `- commit ${git(['rev-parse', '--short', 'HEAD'])}; wasm www/dist/onnx_edge_bg.wasm; ${new Date().toISOString()}`,
    `- ${switches} switches per model (medians; total also at p90); registry read from a local folder (no network), rollback off`,
    '',
    '| model | manifestMaxAgeMs | file bytes | gate rows | load ms | gate ms | swap µs | switch total ms | total p90 ms | update() ms (incl. release) | peer: create + 1 run ms | switch / peer |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.maxAge} | ${r.bytes} | ${r.gateRows} | ${f(r.load)} | ${f(r.gate)} | ${f(r.swapUs)} | ${f(r.total)} | ${f(r.totalP90)} | ${f(r.update)} | ${f(r.peer)} | ${(r.total / r.peer).toFixed(2)} |`),
    '',
    'load: resolve + read + sha256 + parse + optimise (`registry.load`); gate: the reference rows run and compared with',
    'the manifest\'s expected outputs by the core (also the warm-up); swap: replacing the routing table; switch total:',
    'from `update()` to the swap (manifest read, resolve, load, gate, swap); update(): until the old session is released.',
    'manifestMaxAgeMs 0 (the registry default) verifies the manifest (signature, ~120 KB here: 13 versions with their',
    'gates and drift references) again on every registry call, twice per switch (the deployment\'s read, then',
    '`registry.load`); with 60,000 a switch reads it at most once a minute (`refresh()` always reads it).',
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'rollout.md'), text);
}

await main();
