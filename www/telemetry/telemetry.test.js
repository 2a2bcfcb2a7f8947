// Telemetry with sessions and the registry: what a run records (errors by code, variants, rows), the registry's
// loads (duration, cache hit or miss, the manifest's drift reference and labels), opt-out, the logger, bounded
// labels, and that telemetry never changes what a run returns or throws.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { liveEngine } from '../init.js';
import { ModelRegistry } from '../registry/registry.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { FIXTURES } from '../test-support/fixtures.js';
import { OVERFLOW_MODEL, Telemetry } from './telemetry.js';
import { flatRows, loadStats, modelBytes } from './test-support/fixtures.js';
import { hasStats } from './wasm-stats.js';

const skip = !hasStats(await liveEngine()) && 'the wasm build has no statistics classes: run make wasm';
const ROW = [5.1, 3.5, 1.4, 0.2];
const x = (/** @type {number} */ rows = 1) => ({ X: new Tensor('float32', flatRows(Array.from({ length: rows }, () => ROW)), [rows, 4]) });

/** @type {Uint8Array} */
let bytes;
/** @type {string} */
let tmp;

before(async () => {
  bytes = await modelBytes();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-telemetry-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Telemetry with sessions', { skip }, () => {
  test('a run returns and throws exactly what it would without telemetry; failures are counted by code', async () => {
    const telemetry = new Telemetry();
    const plain = await InferenceSession.create(bytes, { model: { name: 'iris' } });
    const watched = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    const a = await plain.run(x(3));
    const b = await watched.run(x(3), ['label'], { predictionId: ['a', 'b', 'c'] });
    assert.deepEqual(Array.from(/** @type {ArrayLike<unknown>} */ (b.label.data)), Array.from(/** @type {ArrayLike<unknown>} */ (a.label.data)));
    assert.deepEqual(Object.keys(b), ['label']);
    /** @type {[unknown, string][]} */
    const bad = [
      [{ X: new Tensor('float32', new Float32Array(3), [1, 3]) }, ErrorCode.INPUT_SHAPE],
      [{ Y: x().X }, ErrorCode.INPUT_UNKNOWN],
      [{}, ErrorCode.INPUT_MISSING],
      [{ X: new Tensor('float64', new Float64Array(4), [1, 4]) }, ErrorCode.INPUT_DTYPE],
    ];
    for (const [feeds, code] of bad) {
      const plainError = await plain.run(/** @type {any} */ (feeds)).then(() => null, (e) => e);
      const watchedError = await watched.run(/** @type {any} */ (feeds)).then(() => null, (e) => e);
      assert.equal(watchedError?.code, code);
      assert.equal(watchedError?.constructor, plainError?.constructor);
    }
    await assert.rejects(watched.run(x(), /** @type {any} */ ({ predictionId: 42 })), { code: ErrorCode.OPTIONS_INVALID });
    await watched.release();
    await assert.rejects(watched.run(x()), { code: ErrorCode.RELEASED });
    const [s] = telemetry.snapshot().models;
    assert.deepEqual(s.errors, { INPUT_SHAPE: 1, INPUT_UNKNOWN: 1, INPUT_MISSING: 1, INPUT_DTYPE: 1, OPTIONS_INVALID: 1, RELEASED: 1 });
    assert.deepEqual([s.runs, s.predictions], [1, 3]);
    assert.ok(/** @type {number} */ (s.latency.p50) > 0 && /** @type {number} */ (s.latency.p99) >= /** @type {number} */ (s.latency.p50));
    await plain.release();
    await telemetry.close();
  });

  test('variants: a run option, else session.model.variant; sessions without a name are `unnamed`', async () => {
    const telemetry = new Telemetry();
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    await session.run(x(), undefined, { variant: 'canary' });
    await session.run(x(2), { variant: 'canary' });
    await session.run(x());
    const anonymous = await InferenceSession.create(bytes, { telemetry });
    await anonymous.run(x());
    const rows = telemetry.snapshot().models.map((m) => [m.model, m.version, m.variant, m.predictions]);
    assert.deepEqual(rows, [['iris', '1.0.0', 'canary', 3], ['iris', '1.0.0', '', 1], ['unnamed', '', '', 1]]);
    await telemetry.close();
  });

  test('bounded labels: beyond maxSeries, runs are counted under model _other; long values are cut', async () => {
    const telemetry = new Telemetry({ maxSeries: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'x'.repeat(500)]) {
      const session = await InferenceSession.create(bytes, { telemetry, model: { name } });
      await session.run(x());
      await session.release();
    }
    const models = telemetry.snapshot().models.map((m) => [m.model, m.predictions]);
    assert.deepEqual(models, [['a', 1], ['b', 1], [OVERFLOW_MODEL, 3]]);
    assert.throws(() => new Telemetry({ labels: { model: 'x' } }), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => new Telemetry({ labels: { 'bad-name': 'x' } }), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => new Telemetry({ sampleRate: 2 }), { code: ErrorCode.OPTIONS_INVALID });
    await assert.rejects(InferenceSession.create(bytes, { telemetry: {} }), { code: ErrorCode.OPTIONS_INVALID });
    await telemetry.close();
  });

  test('opt-out: disable() stops recording (runs still work); enable() resumes', async () => {
    const telemetry = new Telemetry();
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris' } });
    await session.run(x());
    await telemetry.disable();
    assert.equal(telemetry.enabled, false);
    const out = await session.run(x(), { predictionId: 'off' });
    assert.equal(out.label.data.length, 1);
    assert.equal(telemetry.feedback('off', 0), false);
    assert.throws(() => telemetry.report({ send: () => true }), { code: ErrorCode.OPTIONS_INVALID });
    telemetry.enable();
    await session.run(x());
    assert.equal(telemetry.snapshot().models[0].predictions, 2);
    await telemetry.close();
  });

  test('the logger gets events as objects; a throwing listener or logger does not break a run', async () => {
    /** @type {any[]} */
    const logged = [];
    const telemetry = new Telemetry({ logger: { info: (e) => logged.push(e), warn: (e) => logged.push(e), error: (e) => { logged.push(e); throw new Error('logger bug'); } } });
    telemetry.on('drift', () => { throw new Error('listener bug'); });
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    await session.run({ X: new Tensor('float32', new Float32Array(3), [1, 3]) }).catch(() => {});
    telemetry.recordSwitch('iris', { from: '1.0.0', to: '1.1.0', reason: 'rollback' });
    assert.deepEqual(logged.map((e) => [e.type, e.level]), [['error', 'error'], ['switch', 'info']]);
    assert.deepEqual([logged[0].model, logged[0].code], ['iris', ErrorCode.INPUT_SHAPE]);
    assert.deepEqual([logged[1].from, logged[1].to, logged[1].reason], ['1.0.0', '1.1.0', 'rollback']);
    assert.ok(logged.every((e) => typeof e.time === 'number'));
    assert.throws(() => new Telemetry({ logger: /** @type {any} */ ({ log() {} }) }), { code: ErrorCode.OPTIONS_INVALID });
    assert.throws(() => telemetry.on(/** @type {any} */ ('nope'), () => {}), { code: ErrorCode.OPTIONS_INVALID });
    await telemetry.close();
  });
});

describe('Telemetry with the registry', { skip }, () => {
  test('load: duration, cache miss then hit, the manifest reference feeds drift, its labels name the classes', async () => {
    const { reference, rows, shifted } = await loadStats('drift-iris-like.json');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const manifest = {
      schemaVersion: 1,
      models: {
        iris: {
          versions: {
            '1.0.0': {
              file: 'models/iris_rf.onnx', size: bytes.length, sha256, publishedAt: '2026-11-26T00:00:00Z',
              labels: ['setosa', 'versicolor', 'virginica'], reference: { ...reference, driftThresholds: { minSamples: 100 } },
            },
          },
          aliases: { stable: '1.0.0' },
        },
      },
    };
    /** @type {any[]} */
    const logged = [];
    const telemetry = new Telemetry({ logger: (e) => logged.push(e), driftCheckEvery: 400 });
    /** @type {any[]} */
    const drift = [];
    telemetry.on('drift', (e) => drift.push(e));
    const registry = new ModelRegistry({ manifest, baseUrl: pathToFileURL(`${FIXTURES}/`), cache: { dir: tmp }, telemetry });
    const session = await registry.load('iris@stable');
    await registry.load('iris@1.0.0');
    await assert.rejects(registry.load('iris@9'), { code: ErrorCode.VERSION_NOT_FOUND });

    const snapshot = telemetry.snapshot();
    assert.equal(snapshot.loads.length, 1);
    const [load] = snapshot.loads;
    assert.deepEqual([load.model, load.version, load.count, load.cacheMisses, load.cacheHits], ['iris', '1.0.0', 2, 1, 1]);
    assert.ok(load.sum > 0);
    assert.deepEqual(logged.filter((e) => e.type === 'load').map((e) => [e.model, e.version, e.fromCache, e.alias]), [
      ['iris', '1.0.0', false, 'stable'], ['iris', '1.0.0', true, null],
    ]);
    assert.equal(logged.find((e) => e.type === 'error')?.code, ErrorCode.VERSION_NOT_FOUND);
    const text = telemetry.prometheus();
    assert.match(text, /onnx_edge_cache_hits_total\{model="iris",version="1.0.0"\} 1\n/);
    assert.match(text, /onnx_edge_cache_misses_total\{model="iris",version="1.0.0"\} 1\n/);
    assert.match(text, /onnx_edge_model_load_duration_seconds_count\{model="iris",version="1.0.0"\} 2\n/);
    assert.match(text, /onnx_edge_errors_total\{model="iris",code="VERSION_NOT_FOUND"\} 1\n/);

    const moved = rows.slice(0, 200).map((/** @type {number[]} */ r) => r.map((v, i) => (i === shifted.index ? v + shifted.by : v)));
    await session.run({ X: new Tensor('float32', flatRows(moved), [200, 4]) }, { predictionId: 'batch' });
    assert.deepEqual(drift.map((e) => e.feature), [`X[${shifted.index}]`], 'the manifest reference and its driftThresholds');
    assert.equal(telemetry.feedback('batch#0', 'virginica'), true, 'class names from the manifest labels');
    await telemetry.close();
  });
});
