// The demo page: iris served from a signed registry through a Deployment (A/B, hot swap, staging gate, rollback),
// a digit pad whose drawing the core turns into sklearn digits features, and a telemetry panel, all on one
// Telemetry. A service worker (sw.js) keeps an offline copy.

import { InferenceSession, ModelRegistry, Telemetry, Tensor, accuracyCheck } from '../index.js';
import { setupDigitPad } from './digit-pad.js';
import { setupIrisPanel } from './iris-panel.js';
import { registerOfflineCopy } from './offline.js';
import { setupTelemetryPanel } from './telemetry-panel.js';
import { setupVersionPanel } from './version-panel.js';

/** @typedef {import('./version-panel.js').Verdict} Verdict */

const REGISTRY = new URL('../../target/demo-registry/', import.meta.url);
const DIGITS_MODEL = new URL('../../tests/fixtures/models/digits_mlp.onnx', import.meta.url);
// All of sklearn's iris with its labels, stored with the fixtures by tests/fixtures/gen/rollout_models.py.
const TEST_SET = new URL('../../tests/fixtures/rollout/expected.json', import.meta.url);
const VISITOR_KEY = 'onnx-edge-demo.visitor';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));

/**
 * A key that stays with this browser, so that its A/B assignment is sticky across visits.
 * @returns {string}
 */
function visitorKey() {
  let key = null;
  try {
    key = localStorage.getItem(VISITOR_KEY);
    if (key === null) {
      key = crypto.randomUUID();
      localStorage.setItem(VISITOR_KEY, key);
    }
  } catch {
    key ??= crypto.randomUUID(); // storage refused (private mode): sticky for this visit only
  }
  return key;
}

/**
 * @param {URL} url
 * @returns {Promise<Response>}
 */
async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}: start the demo with \`make demo\` (it builds the registry)`);
  return response;
}

async function main() {
  registerOfflineCopy(/** @type {HTMLElement} */ (document.getElementById('offline')));
  const telemetry = new Telemetry({ driftCheckEvery: 50, thresholds: { minSamples: 100, minLabels: 20 } });
  const [publicKey, validation] = await Promise.all([
    fetchOk(new URL('publisher.pub', REGISTRY)).then((r) => r.text()).then((t) => t.trim()),
    fetchOk(TEST_SET).then((r) => r.json()).then((e) => /** @type {{ inputs: { data: number[] }, labels: number[] }} */ (e.validation)),
  ]);
  const testSet = { data: validation.inputs.data, labels: validation.labels };

  status.textContent = 'Verifying the registry and loading iris…';
  const registry = new ModelRegistry({ manifest: new URL('manifest.json', REGISTRY), publicKey, telemetry });
  /** @type {Map<string, Verdict>} */
  const verdicts = new Map();
  /** @type {(() => void)[]} */
  const verdictListeners = [];
  const accuracy = accuracyCheck({
    feeds: { X: new Tensor('float32', Float32Array.from(testSet.data), [testSet.labels.length, 4]) },
    labels: testSet.labels,
    minAccuracy: 0.9,
  });
  const visitor = visitorKey();
  const deployment = await registry.deploy('iris', {
    userKey: visitor,
    // Small windows, so that a rollback can be seen within one replay of the data set; a p95 three times the
    // previous version's and 5 ms more, so that a busy machine's noise does not trip it.
    rollback: { window: 30, minRuns: 20, windowMs: 30_000, maxP95Ratio: 3, minP95IncreaseMs: 5 },
    // Runs after the manifest's gate passed (the version reproduced its stored outputs): accuracy on the data set.
    check: async (session, model) => {
      const result = await accuracy(session, model);
      const figures = /** @type {{ accuracy: number, count: number }} */ (result.figures);
      verdicts.set(model.version, {
        ok: result.ok,
        text: `${result.ok ? 'passed' : 'failed'}: outputs reproduced, accuracy ${(figures.accuracy * 100).toFixed(1)}% on ${figures.count} rows`,
      });
      for (const listener of verdictListeners) listener();
      return result;
    },
  });
  deployment.on('gate-failed', (e) => {
    verdicts.set(e.version, { ok: false, text: `failed (${e.reason})` });
  });

  status.textContent = 'Loading the digits model…';
  const digits = await InferenceSession.create(DIGITS_MODEL, { telemetry, model: { name: 'digits', version: 'mlp' } });

  const panel = setupTelemetryPanel({ telemetry });
  const onRun = () => panel.refresh();
  setupIrisPanel({ deployment, telemetry, testSet, onRun });
  setupDigitPad({ session: digits, onRun });
  await setupVersionPanel({ registry, deployment, visitor, verdicts, onVerdict: (listener) => verdictListeners.push(listener) });

  const source = registry.manifestStatus?.source ?? 'network';
  status.textContent = `Ready: manifest ${source === 'offline' ? 'from the offline copy' : 'verified'} (signed), iris ${deployment.current.version} and digits loaded.`;
  status.dataset.ready = 'true';
  // For the e2e test and the curious: the objects behind the page.
  Object.assign(window, { onnxEdgeDemo: { registry, deployment, telemetry, digits, Tensor } });
}

main().catch((error) => {
  const e = /** @type {{ code?: string, message?: string }} */ (error);
  status.textContent = `The demo could not start: ${e.code ?? ''} ${e.message ?? String(error)}`;
  status.dataset.ready = 'error';
});
