// Drift through sessions: the reference data gives PSI near 0 and no event; a shifted feature trips a `drift`
// event for that feature only; thresholds come from the defaults, the manifest's `driftThresholds` and `track`.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { liveEngine } from '../init.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { Telemetry } from './telemetry.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import { flatRows, loadStats, modelBytes } from './test-support/fixtures.js';
import { hasStats } from './wasm-stats.js';

const skip = !hasStats(await liveEngine()) && 'the wasm build has no DriftMonitor: run make wasm';

/** @type {{ rows: number[][], reference: any, shifted: { index: number, by: number } }} */
let data;
/** @type {Uint8Array} */
let bytes;

before(async () => {
  data = await loadStats('drift-iris-like.json');
  bytes = await modelBytes();
});

/**
 * Run `rows` through `session` in batches of 100.
 * @param {InferenceSession} session
 * @param {number[][]} rows
 */
async function feed(session, rows) {
  for (let i = 0; i < rows.length; i += 100) {
    const batch = rows.slice(i, i + 100);
    await session.run({ X: new Tensor('float32', flatRows(batch), [batch.length, 4]) });
  }
}

/**
 * @param {number[][]} rows
 * @param {number} index
 * @param {number} by
 */
function shift(rows, index, by) {
  return rows.map((row) => row.map((v, i) => (i === index ? v + by : v)));
}

describe('drift', { skip }, () => {
  test('the reference data gives PSI near 0 and no event; shifting one feature trips a drift event for it only', async () => {
    const telemetry = new Telemetry();
    /** @type {any[]} */
    const events = [];
    telemetry.on('drift', (e) => events.push(e));
    telemetry.setReference('iris', data.reference);
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });

    await feed(session, data.rows);
    const calm = telemetry.snapshot().models[0].drift;
    assert.deepEqual(calm.map((d) => d.feature), ['X[0]', 'X[1]', 'X[2]', 'X[3]']);
    for (const d of calm) {
      assert.equal(d.count, data.rows.length, 'the window holds every value');
      assert.ok(d.psi < 1e-9 && d.js < 1e-9 && d.ks < 1e-9, `${d.feature}: ${JSON.stringify(d)}`);
      assert.equal(d.level, 'ok');
    }
    assert.deepEqual(events.map((e) => e.feature), []);

    const { index, by } = data.shifted;
    await feed(session, shift(data.rows, index, by));
    assert.ok(events.length >= 1 && events.every((e) => e.feature === `X[${index}]`), 'events for the shifted feature only');
    assert.deepEqual(events.map((e) => e.level), events.length === 1 ? ['alert'] : ['warn', 'alert'], 'one event per level reached');
    const event = events.at(-1);
    assert.equal(event.type, 'drift');
    assert.deepEqual([event.model, event.version, event.input, event.index], ['iris', '1.0.0', 'X', index]);
    assert.ok(event.psi > DEFAULT_THRESHOLDS.psiAlert && event.exceeded.includes('psi'), JSON.stringify(event));
    assert.deepEqual(event.thresholds, { psiWarn: 0.1, psiAlert: 0.25, js: 0.1, ks: null });
    const after = telemetry.snapshot().models[0].drift;
    for (const d of after) {
      if (d.index === index) assert.ok(d.psi > 0.25);
      else assert.ok(d.psi < 1e-9, `${d.feature} did not move: ${d.psi}`);
    }
    const text = telemetry.prometheus();
    assert.match(text, new RegExp(`onnx_edge_drift_psi\\{model="iris",version="1.0.0",feature="X\\[${index}\\]"\\} ${after[index].psi}\\n`));

    // Still shifted: no new event until the feature has come back to ok.
    const raised = events.length;
    await feed(session, shift(data.rows, index, by));
    assert.equal(events.length, raised);
    await feed(session, data.rows);
    await feed(session, shift(data.rows, index, by));
    assert.ok(events.length > raised && events.at(-1).level === 'alert', 'fires again after recovering');
    await session.release();
    await telemetry.close();
  });

  test('thresholds: the manifest reference\'s driftThresholds, then track() overrides', async () => {
    const telemetry = new Telemetry();
    /** @type {any[]} */
    const events = [];
    telemetry.on('drift', (e) => events.push(e));
    telemetry.setReference('iris@1.0.0', { ...data.reference, driftThresholds: { psiWarn: 50, psiAlert: 100, js: 1 } });
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    const { index, by } = data.shifted;
    await feed(session, shift(data.rows, index, by));
    assert.deepEqual(events.map((e) => e.feature), [], 'the manifest raised the thresholds');
    assert.equal(telemetry.snapshot().models[0].drift[index].level, 'ok');

    telemetry.track('iris', { thresholds: { psiWarn: 0.05, psiAlert: 0.2, js: 0.1 } });
    await feed(session, shift(data.rows, index, by));
    assert.deepEqual(events.map((e) => [e.feature, e.level]), [[`X[${index}]`, 'alert']]);
    assert.equal(events[0].thresholds.psiWarn, 0.05);
    await telemetry.close();
  });

  test('sampleRate 0 keeps inputs out of drift, counts stay exact; windows judge only from minSamples values', async () => {
    const none = new Telemetry({ sampleRate: 0 });
    none.setReference('iris', data.reference);
    const session = await InferenceSession.create(bytes, { telemetry: none, model: { name: 'iris', version: '1.0.0' } });
    await feed(session, data.rows.slice(0, 300));
    const [s] = none.snapshot().models;
    assert.equal(s.predictions, 300);
    assert.deepEqual(s.drift, [], 'the monitor was never fed');
    await none.close();

    const few = new Telemetry({ thresholds: { minSamples: 500 } });
    few.setReference('iris', data.reference.features);
    const other = await InferenceSession.create(bytes, { telemetry: few, model: { name: 'iris', version: '1.0.0' } });
    await feed(other, shift(data.rows.slice(0, 200), 0, 100));
    const drift = few.snapshot().models[0].drift;
    assert.ok(drift.every((d) => d.count === 200 && d.level === null));
    assert.doesNotMatch(few.prometheus(), /onnx_edge_drift_psi\{/, 'not exported before minSamples');
    await few.close();
  });

  test('references and thresholds are checked: OPTIONS_INVALID', () => {
    const telemetry = new Telemetry();
    for (const bad of [{}, { features: [{ input: 'X' }] }, { features: [{ input: 'X', index: 0, edges: [1, 2], counts: [1, 2] }] }, 42]) {
      assert.throws(() => telemetry.setReference('iris', bad), { code: ErrorCode.OPTIONS_INVALID });
    }
    assert.throws(() => telemetry.setReference('iris', { ...data.reference, driftThresholds: { psi: 1 } }), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => new Telemetry({ thresholds: { psiWarn: -1 } }), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => telemetry.setReference(/** @type {any} */ (null), data.reference), { code: ErrorCode.OPTIONS_INVALID });
  });
});
