// Checks the two conformance runs against each other and against expected-failures.txt:
// - the native and wasm pass sets are equal;
// - every failing test is listed, with a category and a reason;
// - no listed test passes (it must be removed from the list);
// - no test gives a wrong answer (a mismatch, not a typed error), unless listed under `wrong-answer`.
// Exits 1 on any violation.
//
//   node tests/conformance/check.mjs [--native FILE] [--wasm FILE] [--expected FILE]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { readExpectedFailures } from './expected-failures.mjs';

const { values: args } = parseArgs({
  options: {
    native: { type: 'string', default: 'target/conformance/native.json' },
    wasm: { type: 'string', default: 'target/conformance/wasm.json' },
    expected: { type: 'string', default: 'tests/conformance/expected-failures.txt' },
  },
});

/** @typedef {{ status: 'pass' | 'wrong' | 'error', code: string | null, message: string | null, group: string }} Outcome */

/** @type {{ runner: string, pass: number, total: number, results: Record<string, Outcome> }[]} */
const runs = [args.native, args.wasm].map((file) => JSON.parse(readFileSync(file, 'utf8')));
const { entries, problems } = readExpectedFailures(args.expected);
const violations = [...problems];

const [native, wasm] = runs;
for (const name of Object.keys(native.results)) {
  const n = native.results[name];
  const w = wasm.results[name];
  if (w === undefined) {
    violations.push(`${name}: run natively, missing from the wasm run`);
    continue;
  }
  if ((n.status === 'pass') !== (w.status === 'pass')) {
    violations.push(`${name}: native ${n.status}, wasm ${w.status}`);
  }
  const listed = entries.get(name);
  for (const [runner, outcome] of [['native', n], ['wasm', w]]) {
    const o = /** @type {Outcome} */ (outcome);
    if (o.status === 'pass') continue;
    if (listed === undefined) violations.push(`${name}: fails in ${runner} (${o.code ?? o.status}: ${o.message}) and is not in the expected failures`);
    else if (o.status === 'wrong' && listed.category !== 'wrong-answer') {
      violations.push(`${name}: WRONG answer in ${runner} (${o.message}); it must fail with a typed error`);
    }
  }
  if (listed !== undefined && n.status === 'pass' && w.status === 'pass') {
    violations.push(`${name}: passes now, remove it from the expected failures`);
  }
}
for (const name of entries.keys()) {
  if (native.results[name] === undefined) violations.push(`${name}: listed, but no such test was run`);
}

console.log(`native: ${native.pass} of ${native.total} pass; wasm: ${wasm.pass} of ${wasm.total} pass`);
if (violations.length > 0) {
  console.log(`${violations.length} violations:`);
  for (const v of violations) console.log(`  ${v}`);
  process.exit(1);
}
console.log('conformance check: OK (pass sets equal, every failure listed with a reason, no wrong answers)');
