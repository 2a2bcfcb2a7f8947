// The demo's model registry, written by the native CLI at demo start (Node only): target/demo-registry/, not
// committed, rebuilt on every start so that it always matches the CLI and the fixtures of this checkout.
//
//   iris 1.0.0  iris_rf.onnx: RandomForest, 100 trees                      alias stable
//   iris 1.1.0  ml_gradient_boosting_iris.onnx: GradientBoosting, 30 trees alias canary
//   iris 1.2.0  rollout_iris_slow.onnx: same answers as a LogisticRegression, much slower (rolls back on p95)
//   rollout     weights 1.0.0=50,1.1.0=50: a sticky A/B split of visitors
//
// Every version gets the 150 iris rows as its reference (drift statistics and the staging gate) and the class names.
// The manifest is signed with a key made for this build; its secret half is deleted once the registry is written,
// and the public half is published beside the manifest as publisher.pub (a real page would embed it in its code).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Where the demo page looks for the registry (see app.js). */
export const DEMO_REGISTRY = path.join(REPO, 'target', 'demo-registry');
/** The CLI (built by `make cli`). */
export const CLI = process.env.ONNX_EDGE_CLI ?? path.join(REPO, 'target', 'debug', 'onnx-edge');

/** The versions published, in order: [version, fixture model, aliases]. */
export const DEMO_VERSIONS = Object.freeze(/** @type {const} */ ([
  ['1.0.0', 'tests/fixtures/models/iris_rf.onnx', ['stable']],
  ['1.1.0', 'tests/fixtures/models/ml_gradient_boosting_iris.onnx', ['canary']],
  ['1.2.0', 'tests/fixtures/models/rollout_iris_slow.onnx', []],
]));

const CLASSES = ['setosa', 'versicolor', 'virginica'];

/**
 * A float32 array as a .npy file (format 1.0, little-endian, C order).
 * @param {Float32Array} data
 * @param {number[]} dims
 * @returns {Uint8Array}
 */
export function npyBytes(data, dims) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  // magic (6) + version (2) + header length (2) + header + newline: a multiple of 64 bytes.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/**
 * The 150 iris rows of the fixtures (sklearn's load_iris, stored by tests/fixtures/gen/rollout_models.py), classes
 * interleaved so that the gate's first rows cover all three.
 * @returns {Promise<Float32Array>}
 */
async function irisReferenceRows() {
  const expected = JSON.parse(await readFile(path.join(REPO, 'tests/fixtures/rollout/expected.json'), 'utf8'));
  /** @type {number[]} */
  const data = expected.validation.inputs.data;
  /** @type {number[]} */
  const labels = expected.validation.labels;
  const byClass = CLASSES.map((_, c) => labels.flatMap((label, i) => (label === c ? [i] : [])));
  /** @type {number[]} */
  const order = [];
  for (let k = 0; order.length < labels.length; k += 1) for (const rows of byClass) if (k < rows.length) order.push(rows[k]);
  return Float32Array.from(order.flatMap((i) => data.slice(i * 4, i * 4 + 4)));
}

/**
 * @param {string[]} args
 * @returns {Promise<string>} stdout
 */
async function cli(args) {
  try {
    const { stdout } = await run(CLI, args, { timeout: 120_000, maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    const e = /** @type {{ stderr?: string, code?: unknown }} */ (error);
    throw new Error(`onnx-edge ${args.join(' ')} failed (exit ${String(e.code)}): ${e.stderr ?? ''}`, { cause: error });
  }
}

/**
 * Build the demo registry into `dir` (default target/demo-registry): built beside it, then swapped in, so a page
 * never sees half a registry.
 * @param {{ dir?: string }} [options]
 * @returns {Promise<{ dir: string, publicKey: string }>}
 */
export async function buildDemoRegistry(options = {}) {
  const dir = options.dir ?? DEMO_REGISTRY;
  const work = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-demo-'));
  const staging = `${dir}.building-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    const key = path.join(work, 'publisher');
    await cli(['keygen', '--out', key]);
    const reference = path.join(work, 'iris.npy');
    const rows = await irisReferenceRows();
    await writeFile(reference, npyBytes(rows, [rows.length / 4, 4]));
    const labels = path.join(work, 'labels.txt');
    await writeFile(labels, `${CLASSES.join('\n')}\n`);
    for (const [version, model, aliases] of DEMO_VERSIONS) {
      await cli(['publish', path.join(REPO, model), '--name', 'iris', '--version', version, '--registry', staging,
        '--reference', `X=${reference}`, '--labels', labels, ...aliases.flatMap((a) => ['--alias', a]), '--sign', `${key}.key`]);
    }
    await cli(['rollout', staging, 'iris', '--weights', '1.0.0=50,1.1.0=50', '--sign', `${key}.key`]);
    const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
    await writeFile(path.join(staging, 'publisher.pub'), `${publicKey}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return { dir, publicKey };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
