// Writes CONFORMANCE.md from the two runs (target/conformance/{native,wasm}.json), the test
// index and tests/conformance/expected-failures.txt: pass counts, the remaining failures by
// category with their reasons, and the per-op table.
//
//   node tests/conformance/report.mjs [--out CONFORMANCE.md]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { readExpectedFailures } from './expected-failures.mjs';

const { values: args } = parseArgs({
  options: {
    native: { type: 'string', default: 'target/conformance/native.json' },
    wasm: { type: 'string', default: 'target/conformance/wasm.json' },
    index: { type: 'string', default: 'target/onnx-node-tests/index.json' },
    expected: { type: 'string', default: 'tests/conformance/expected-failures.txt' },
    tolerances: { type: 'string', default: 'tests/conformance/tolerances.json' },
    out: { type: 'string', default: 'CONFORMANCE.md' },
  },
});

/** @typedef {{ status: string, code: string | null, message: string | null, group: string }} Outcome */
/** @type {{ pass: number, total: number, results: Record<string, Outcome> }} */
const native = JSON.parse(readFileSync(args.native, 'utf8'));
/** @type {{ pass: number, total: number, results: Record<string, Outcome> }} */
const wasm = JSON.parse(readFileSync(args.wasm, 'utf8'));
const index = JSON.parse(readFileSync(args.index, 'utf8'));
const { entries } = readExpectedFailures(args.expected);
/** @type {Record<string, { rtol?: number, atol?: number, reason: string }>} */
const tolerances = JSON.parse(readFileSync(args.tolerances, 'utf8')).tests;

const lines = [
  '# ONNX conformance',
  '',
  `The ONNX backend node tests of onnx ${index.onnx} (regenerated from the wheel's case generators by`,
  '`tests/conformance/generate.py`), restricted to the tests whose inputs and outputs are all plain tensors',
  'of a type the API has (data set 0), run natively through the core (`cli/src/bin/conformance.rs`) and',
  'through the npm package in Node (`tests/conformance/run-wasm.mjs`). Outputs are compared as onnx\'s',
  'backend runner compares them: same shape and type, then `|out - ref| <= atol + rtol * |ref|` with',
  `rtol ${1e-3} and atol ${1e-7}, NaN equal to NaN. \`make conformance\` regenerates, runs both, checks`,
  '(`tests/conformance/check.mjs`) and rewrites this file (`tests/conformance/report.mjs`).',
  '',
  '## Pass counts',
  '',
  '| runner | pass | of |',
  '|---|---|---|',
  `| native | ${native.pass} | ${native.total} |`,
  `| wasm (Node) | ${wasm.pass} | ${wasm.total} |`,
  '',
  'Not run (outside the plain-tensor set):',
  '',
  ...Object.entries(index.skipped).map(([reason, names]) => `- ${/** @type {string[]} */ (names).length} tests: ${reason}`),
  '',
  '## Tolerance overrides',
  '',
  'Per-test overrides (`tests/conformance/tolerances.json`), as onnxruntime\'s backend test series has them:',
  '',
  '| test | rtol | atol | why |',
  '|---|---|---|---|',
  ...Object.entries(tolerances).map(([name, t]) => `| ${name} | ${t.rtol ?? '1e-3'} | ${t.atol ?? '1e-7'} | ${t.reason} |`),
  '',
  '## Remaining failures by category',
  '',
  'Every failing test is listed in `tests/conformance/expected-failures.txt` with its category and reason,',
  'and fails with a typed error (never a wrong answer).',
  '',
];

/** @type {Map<string, { reasons: Set<string>, tests: string[] }>} */
const categories = new Map();
for (const [name, { category, reason }] of entries) {
  const c = categories.get(category) ?? { reasons: new Set(), tests: [] };
  c.reasons.add(reason);
  c.tests.push(name);
  categories.set(category, c);
}
lines.push('| category | tests | reasons |', '|---|---|---|');
for (const [category, c] of [...categories].sort((a, b) => b[1].tests.length - a[1].tests.length)) {
  lines.push(`| ${category} | ${c.tests.length} | ${[...c.reasons].join('; ')} |`);
}

lines.push('', '## Per operator', '', '| op | tests | native pass | wasm pass |', '|---|---|---|---|');
/** @type {Map<string, number[]>} */
const ops = new Map();
for (const test of index.tests) {
  const row = ops.get(test.group) ?? [0, 0, 0];
  row[0]++;
  if (native.results[test.name]?.status === 'pass') row[1]++;
  if (wasm.results[test.name]?.status === 'pass') row[2]++;
  ops.set(test.group, row);
}
for (const [op, [n, p, w]] of [...ops].sort(([a], [b]) => (a < b ? -1 : 1))) {
  lines.push(`| ${op} | ${n} | ${p} | ${w} |`);
}
writeFileSync(args.out, `${lines.join('\n')}\n`);
console.log(`wrote ${args.out}`);
