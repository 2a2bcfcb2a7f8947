// Live accuracy from delayed labels: iris predictions made with ids, labels given later in another order; the
// rolling accuracy, precision, recall and F1 must equal scikit-learn's on the same predictions and labels
// (tests/fixtures/stats/live-iris.json), pending predictions stay bounded, and a drop raises `accuracy-drop`.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { callWasm, liveEngine } from '../init.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { Telemetry } from './telemetry.js';
import { assertClose, flatRows, loadStats, modelBytes } from './test-support/fixtures.js';
import { hasStats, statsGlue } from './wasm-stats.js';

const engine = await liveEngine();
const skip = !hasStats(engine) && 'the wasm build has no LiveMetrics: run make wasm';

/** @type {{ rows: number[][], predicted: number[], labels: number[], feedbackOrder: number[], accuracy: number, precision: number, recall: number, f1: number }} */
let iris;
/** @type {Uint8Array} */
let bytes;

before(async () => {
  iris = await loadStats('live-iris.json');
  bytes = await modelBytes();
});

describe('live accuracy from delayed labels', { skip }, () => {
  test('accuracy, macro precision, recall and F1 equal scikit-learn\'s on the same predictions and labels', async () => {
    const telemetry = new Telemetry();
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    /** @type {number[]} */
    const predicted = [];
    // Half one row per run, half in batches with one id per row.
    for (let i = 0; i < 75; i += 1) {
      const out = await session.run({ X: new Tensor('float32', flatRows([iris.rows[i]]), [1, 4]) }, undefined, { predictionId: `row-${i}` });
      predicted.push(Number(out.label.data[0]));
    }
    for (let i = 75; i < 150; i += 25) {
      const ids = Array.from({ length: 25 }, (_, k) => `row-${i + k}`);
      const out = await session.run({ X: new Tensor('float32', flatRows(iris.rows.slice(i, i + 25)), [25, 4]) }, { predictionId: ids });
      predicted.push(...Array.from(out.label.data, Number));
    }
    assert.deepEqual(predicted, iris.predicted, 'the engine predicts what onnxruntime predicted');
    assert.equal(telemetry.snapshot().models[0].live?.pending, 150);

    for (const i of iris.feedbackOrder) assert.equal(telemetry.feedback(`row-${i}`, iris.labels[i]), true);
    assert.equal(telemetry.feedback('row-0', 1), false, 'a label given twice is unmatched');
    assert.equal(telemetry.feedback('nobody', 1), false);

    const [s] = telemetry.snapshot().models;
    const c = s.live?.classification;
    assert.ok(c);
    assert.equal(c.count, 150);
    assertClose(c.accuracy, iris.accuracy, 'accuracy');
    assertClose(c.precision, iris.precision, 'precision');
    assertClose(c.recall, iris.recall, 'recall');
    assertClose(c.f1, iris.f1, 'f1');
    assert.equal(s.accuracy, c.accuracy);
    assert.equal(s.live?.kind, 'classification');
    assert.deepEqual([s.live?.pending, s.live?.dropped], [0, 0]);
    assert.equal(telemetry.snapshot().unmatched, 2);
    assert.match(telemetry.prometheus(), new RegExp(`onnx_edge_accuracy\\{model="iris",version="1.0.0"\\} ${c.accuracy}\\n`));
    await telemetry.close();
  });

  test('one id for a batch: row i is `${id}#${i}`; class names map through the manifest labels', async () => {
    const telemetry = new Telemetry();
    telemetry.track('iris', { classes: ['setosa', 'versicolor', 'virginica'] });
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    await session.run({ X: new Tensor('float32', flatRows(iris.rows.slice(0, 3)), [3, 4]) }, { predictionId: 'batch' });
    assert.equal(telemetry.feedback('batch#0', 'setosa'), true);
    assert.equal(telemetry.feedback('batch#1', 0), true);
    assert.equal(telemetry.feedback('batch#2', 'no such class'), false);
    assert.throws(() => telemetry.feedback('batch#2', /** @type {any} */ ({ label: 1 })), { code: ErrorCode.OPTIONS_INVALID });
    const c = telemetry.snapshot().models[0].live?.classification;
    assert.deepEqual([c?.count, c?.accuracy], [2, 1]);
    await telemetry.close();
  });

  test('track(model, { output }): the prediction read from another output (argmax of probabilities) gives the same labels', async () => {
    const telemetry = new Telemetry();
    telemetry.track('iris@1.0.0', { output: 'probabilities' });
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    const ids = iris.rows.map((_, i) => `r${i}`);
    await session.run({ X: new Tensor('float32', flatRows(iris.rows), [150, 4]) }, { predictionId: ids });
    iris.labels.forEach((label, i) => telemetry.feedback(`r${i}`, label));
    const c = telemetry.snapshot().models[0].live?.classification;
    assert.equal(c?.count, 150);
    assertClose(/** @type {number} */ (c?.accuracy), iris.accuracy, 'accuracy from argmax(probabilities)');
    assertClose(/** @type {number} */ (c?.f1), iris.f1, 'f1 from argmax(probabilities)');
    await telemetry.close();
  });

  test('pending predictions are bounded: the oldest are dropped and counted exactly', async () => {
    const telemetry = new Telemetry({ maxPending: 10 });
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris' } });
    for (let i = 0; i < 25; i += 1) await session.run({ X: new Tensor('float32', flatRows([iris.rows[i]]), [1, 4]) }, { predictionId: `p${i}` });
    const live = telemetry.snapshot().models[0].live;
    assert.deepEqual([live?.pending, live?.dropped], [10, 15]);
    assert.equal(telemetry.feedback('p0', 0), false, 'dropped');
    assert.equal(telemetry.feedback('p24', 0), true, 'kept');
    await telemetry.close();
  });

  test('accuracy-drop: once when the rolling accuracy falls below the threshold over minLabels labels, again after recovering', async () => {
    const telemetry = new Telemetry({ thresholds: { accuracy: 0.9, minLabels: 20 }, window: 40 });
    /** @type {any[]} */
    const drops = [];
    telemetry.on('accuracy-drop', (e) => drops.push(e));
    const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
    let n = 0;
    /** @param {boolean} right */
    const predictAndLabel = async (right) => {
      const i = n % 150;
      const id = `q${n}`;
      n += 1;
      await session.run({ X: new Tensor('float32', flatRows([iris.rows[i]]), [1, 4]) }, { predictionId: id });
      telemetry.feedback(id, right ? iris.predicted[i] : (iris.predicted[i] + 1) % 3);
    };
    for (let k = 0; k < 40; k += 1) await predictAndLabel(true);
    assert.deepEqual(drops.map((e) => e.metric), []);
    for (let k = 0; k < 10; k += 1) await predictAndLabel(false);
    assert.equal(drops.length, 1);
    assert.deepEqual([drops[0].model, drops[0].metric, drops[0].threshold], ['iris', 'accuracy', 0.9]);
    assert.ok(drops[0].value < 0.9 && drops[0].count === 40);
    for (let k = 0; k < 10; k += 1) await predictAndLabel(false);
    assert.equal(drops.length, 1, 'not again while it stays low');
    for (let k = 0; k < 40; k += 1) await predictAndLabel(true);
    for (let k = 0; k < 10; k += 1) await predictAndLabel(false);
    assert.equal(drops.length, 2);
    await telemetry.close();
  });

  test('regressors: values per row, MAE and RMSE as the core computes them on the same pairs', async () => {
    const regressor = await modelBytes('models/ml_linear_regression_diabetes.onnx');
    const telemetry = new Telemetry();
    const session = await InferenceSession.create(regressor, { telemetry, model: { name: 'diabetes' } });
    const [input] = session.inputMetadata;
    const width = Number(input.shape[1]);
    /** @type {number[]} */
    const predictions = [];
    /** @type {number[]} */
    const labels = [];
    for (let r = 0; r < 30; r += 1) {
      const x = Float32Array.from({ length: width }, (_, k) => Math.sin(r * 7 + k) / 10);
      const out = await session.run({ [input.name]: new Tensor(/** @type {any} */ (input.type), x, [1, width]) }, { predictionId: `d${r}` });
      const value = Number(Object.values(out)[0].data[0]);
      predictions.push(value);
      labels.push(value + (r % 5) - 2);
      telemetry.feedback(`d${r}`, labels[r]);
    }
    const live = telemetry.snapshot().models[0].live;
    assert.equal(live?.kind, 'regression');
    const glue = statsGlue(engine);
    const want = callWasm(engine, () => glue.regressionMetrics(Float64Array.from(predictions), Float64Array.from(labels)));
    assertClose(/** @type {number} */ (live?.regression?.mae), want.mae, 'mae');
    assertClose(/** @type {number} */ (live?.regression?.rmse), want.rmse, 'rmse');
    assertClose(want.mae, 1.2, 'mae of |-2..2| errors');
    assert.match(telemetry.prometheus(), /onnx_edge_rmse\{model="diabetes"\} /);
    await telemetry.close();
  });
});
