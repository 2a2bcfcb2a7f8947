// The ONNX backend node tests run through the npm package (www/, with the wasm in www/dist/) in Node.
// Same comparison as the native runner (cli/src/bin/conformance.rs); writes target/conformance/wasm.json.
//
//   node tests/conformance/run-wasm.mjs [--tests DIR] [--out FILE] [--filter SUBSTRING]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import { InferenceSession, isOnnxEdgeError } from '../../www/index.js';
import { mismatch, readTensor } from './tensors.mjs';

const { values: args } = parseArgs({
  options: {
    tests: { type: 'string', default: 'target/onnx-node-tests' },
    out: { type: 'string', default: 'target/conformance/wasm.json' },
    filter: { type: 'string', default: '' },
  },
});

/** @typedef {{ name: string, group: string, rtol: number, atol: number, inputs: import('./tensors.mjs').TensorEntry[], outputs: import('./tensors.mjs').TensorEntry[] }} TestEntry */
/** @typedef {{ group: string, status: 'pass' | 'wrong' | 'error', code: string | null, message: string | null }} Outcome */

/**
 * One test: load, run, compare. A typed error is an `error`, a differing output is `wrong`.
 * @param {string} dir
 * @param {TestEntry} test
 * @returns {Promise<Outcome>}
 */
async function runTest(dir, test) {
  const data = join(dir, 'test_data_set_0');
  const base = { group: test.group, code: null, message: null };
  /** @type {InferenceSession | null} */
  let session = null;
  try {
    const feeds = Object.fromEntries(test.inputs.map((i) => [i.name, readTensor(data, i)]));
    session = await InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    const fetches = test.outputs.map((o) => o.name);
    const outputs = await session.run(feeds, fetches);
    for (const entry of test.outputs) {
      const why = mismatch(outputs[entry.name], readTensor(data, entry), test.rtol, test.atol);
      if (why !== null) return { ...base, status: 'wrong', message: `output ${entry.name}: ${why}` };
    }
    return { ...base, status: 'pass' };
  } catch (error) {
    const code = isOnnxEdgeError(error) ? error.code : 'HARNESS';
    return { ...base, status: 'error', code, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await session?.release();
  }
}

const index = JSON.parse(readFileSync(join(args.tests, 'index.json'), 'utf8'));
/** @type {TestEntry[]} */
const tests = index.tests.filter((/** @type {TestEntry} */ t) => t.name.includes(args.filter));
/** @type {Record<string, Outcome>} */
const results = {};
/** @type {Map<string, number[]>} */
const groups = new Map();
const started = performance.now();
for (const test of tests) {
  const outcome = await runTest(join(args.tests, test.name), test);
  results[test.name] = outcome;
  const counts = groups.get(test.group) ?? [0, 0, 0];
  counts[{ pass: 0, wrong: 1, error: 2 }[outcome.status]]++;
  groups.set(test.group, counts);
}

const totals = [0, 0, 0];
console.log(`${'group'.padEnd(32)} ${'pass'.padStart(5)} ${'wrong'.padStart(5)} ${'error'.padStart(5)}`);
for (const [group, c] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
  console.log(`${group.padEnd(32)} ${String(c[0]).padStart(5)} ${String(c[1]).padStart(5)} ${String(c[2]).padStart(5)}`);
  c.forEach((n, i) => (totals[i] += n));
}
const total = tests.length;
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(`wasm: ${totals[0]} of ${total} node tests pass, ${totals[1]} wrong, ${totals[2]} errors (${seconds}s)`);
mkdirSync(dirname(args.out), { recursive: true });
const report = { runner: 'wasm', pass: totals[0], wrong: totals[1], error: totals[2], total, results };
writeFileSync(args.out, JSON.stringify(report, null, 1));
