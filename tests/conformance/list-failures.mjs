// Prints an expected-failures list (`test_name  # category: reason`) from a run's failures, for
// review before it replaces tests/conformance/expected-failures.txt. Categories come from the
// typed error; reasons already written in the current list are kept.
//
//   node tests/conformance/list-failures.mjs [--run target/conformance/native.json]
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { readExpectedFailures } from './expected-failures.mjs';

const { values: args } = parseArgs({
  options: {
    run: { type: 'string', default: 'target/conformance/native.json' },
    expected: { type: 'string', default: 'tests/conformance/expected-failures.txt' },
  },
});

/** @typedef {{ status: string, code: string | null, message: string | null, group: string }} Outcome */
/** @type {{ results: Record<string, Outcome> }} */
const run = JSON.parse(readFileSync(args.run, 'utf8'));
const known = existsSync(args.expected) ? readExpectedFailures(args.expected).entries : new Map();

/**
 * Category and reason of one failure.
 * @param {Outcome} o
 * @returns {[string, string]}
 */
function classify(o) {
  const message = (o.message ?? '').replace(/\s+/g, ' ').replace(/node #\d+ /g, '').slice(0, 220);
  if (o.status === 'wrong') return ['wrong-answer', message];
  const unsupported = /operator (\S+) \(node/.exec(message);
  if (o.code === 'MODEL_UNSUPPORTED_OP' && unsupported) return ['unsupported-op', `${unsupported[1]} is not implemented`];
  if (/tract \d+\.\d+\.\d+ gives wrong values/.test(message)) return ['refused-wrong-in-tract', message.replace(/^.*?: (\S+ node)/, '$1')];
  if (/is not supported/.test(message)) return ['unsupported-feature', message.replace(/^.*Building node[^:]*: /, '')];
  if (o.code === 'MODEL_SHAPE') return ['tract-typing', message.replace(/^cannot infer shapes while /, '')];
  if (o.code === 'MODEL_RUN') return ['tract-run', message.replace(/^the model failed while running: /, '')];
  if (o.code === 'MODEL_PARSE') return ['tract-parse', message.replace(/^cannot parse the model: /, '')];
  return [(o.code ?? 'error').toLowerCase(), message];
}

console.log('# ONNX backend node tests that do not pass yet (tests/conformance/check.mjs enforces this list).');
console.log('# Format: test_name  # category: reason. Regenerate candidates with tests/conformance/list-failures.mjs.');
for (const [name, outcome] of Object.entries(run.results).sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (outcome.status === 'pass') continue;
  const listed = known.get(name);
  const [category, reason] = listed !== undefined ? [listed.category, listed.reason] : classify(outcome);
  console.log(`${name}  # ${category}: ${reason}`);
}
