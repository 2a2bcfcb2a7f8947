// The core's statistics, through the wasm, against independent references (numpy, scipy, scikit-learn:
// tests/fixtures/gen/stats.py) on fixed data, within 1e-9.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { callWasm, liveEngine } from '../init.js';
import { assertClose, loadStats } from './test-support/fixtures.js';
import { hasStats, statsGlue } from './wasm-stats.js';

const engine = await liveEngine();
const skip = !hasStats(engine) && 'the wasm build has no statistics classes (DriftMonitor, LiveMetrics, SlidingQuantiles): run make wasm';
const glue = statsGlue(engine);

describe('statistics against numpy, scipy and scikit-learn', { skip }, () => {
  test('driftScores: PSI (1e-4 floor), KS over binned CDFs, Jensen-Shannon divergence = scipy jensenshannon(base=2)**2', async () => {
    const { scores } = await loadStats('drift.json');
    assert.ok(scores.length >= 8);
    for (const c of scores) {
      const got = callWasm(engine, () => glue.driftScores(Float64Array.from(c.expected), Float64Array.from(c.actual)));
      assertClose(got.psi, c.psi, `${c.name}: psi`);
      assertClose(got.ks, c.ks, `${c.name}: ks`);
      assertClose(got.js, c.js, `${c.name}: js`);
    }
  });

  test('DriftMonitor: bins (edge in the bin below), a sliding window per feature, PSI/KS/JS per feature', async () => {
    const { monitor } = await loadStats('drift.json');
    const m = callWasm(engine, () => new glue.DriftMonitor(JSON.stringify(monitor.reference), monitor.window));
    try {
      const rows = /** @type {number[][]} */ (monitor.rows);
      for (let i = 0; i < rows.length; i += 100) {
        const batch = rows.slice(i, i + 100);
        m.observe('x', [batch.length, 2], Float64Array.from(batch.flat()));
      }
      m.observe('other', [1, 2], Float64Array.of(1e9, 1e9)); // an input the reference does not name is ignored
      const report = m.report();
      assert.equal(report.length, monitor.report.length);
      report.forEach((got, i) => {
        const want = monitor.report[i];
        assert.deepEqual([got.input, got.index, got.count], [want.input, want.index, want.count]);
        for (const key of /** @type {const} */ (['psi', 'ks', 'js'])) assertClose(got[key], want[key], `feature ${i}: ${key}`);
      });
      // The features-array form of the reference gives the same report.
      const same = callWasm(engine, () => new glue.DriftMonitor(JSON.stringify(monitor.reference.features), monitor.window));
      same.observe('x', [rows.length, 2], Float64Array.from(rows.flat()));
      assert.deepEqual(same.report(), report);
      same.free();
    } finally {
      m.free();
    }
  });

  test('classificationMetrics: accuracy and macro precision, recall, F1 (zero_division=0)', async () => {
    const { cases } = await loadStats('classification.json');
    for (const c of cases) {
      const got = callWasm(engine, () => glue.classificationMetrics(Float64Array.from(c.predicted), Float64Array.from(c.actual)));
      assert.equal(got.count, c.actual.length, c.name);
      for (const key of /** @type {const} */ (['accuracy', 'precision', 'recall', 'f1'])) assertClose(got[key], c[key], `${c.name}: ${key}`);
    }
  });

  test('regressionMetrics: MAE and RMSE', async () => {
    const { cases } = await loadStats('regression.json');
    for (const c of cases) {
      const got = callWasm(engine, () => glue.regressionMetrics(Float64Array.from(c.predicted), Float64Array.from(c.actual)));
      assertClose(got.mae, c.mae, `${c.name}: mae`);
      assertClose(got.rmse, c.rmse, `${c.name}: rmse`);
    }
  });

  test('SlidingQuantiles: numpy.quantile (linear) of the last `capacity` values', async () => {
    const fixture = await loadStats('quantiles.json');
    for (const c of fixture.cases) {
      const q = new glue.SlidingQuantiles(c.window);
      try {
        for (const v of fixture.series) q.push(v);
        assert.equal(q.length, Math.min(c.window, fixture.series.length));
        const got = q.quantiles(Float64Array.from(fixture.qs));
        fixture.qs.forEach((/** @type {number} */ qv, /** @type {number} */ i) => assertClose(got[i], c.expected[i], `window ${c.window}: q${qv}`));
      } finally {
        q.free();
      }
    }
    const small = new glue.SlidingQuantiles(10);
    for (const v of fixture.small.values) small.push(v);
    const got = small.quantiles(Float64Array.from(fixture.small.qs));
    fixture.small.expected.forEach((/** @type {number} */ want, /** @type {number} */ i) => assertClose(got[i], want, `small q${fixture.small.qs[i]}`));
    small.free();
  });

  test('LiveMetrics: labels arriving out of order give scikit-learn\'s metrics; pending is bounded and drops are counted', async () => {
    const { cases } = await loadStats('classification.json');
    const c = cases[0];
    const live = new glue.LiveMetrics('classification', 10_000, 10_000);
    try {
      c.predicted.forEach((/** @type {number} */ p, /** @type {number} */ i) => live.predicted(`id-${i}`, p));
      const order = c.actual.map((/** @type {number} */ _, /** @type {number} */ i) => i).reverse();
      for (const i of order) assert.equal(live.labelled(`id-${i}`, c.actual[i]), true);
      assert.equal(live.labelled('never-predicted', 1), false);
      const summary = live.summary();
      assert.equal(summary.regression, null);
      assert.deepEqual([summary.pending, summary.dropped, summary.unmatched], [0, 0, 1]);
      const got = /** @type {NonNullable<typeof summary.classification>} */ (summary.classification);
      assert.equal(got.count, c.actual.length);
      for (const key of /** @type {const} */ (['accuracy', 'precision', 'recall', 'f1'])) assertClose(got[key], c[key], key);
    } finally {
      live.free();
    }
    const bounded = new glue.LiveMetrics('regression', 3, 100);
    for (let i = 0; i < 8; i += 1) bounded.predicted(`r${i}`, i);
    const s = bounded.summary();
    assert.deepEqual([s.pending, s.dropped], [3, 5]);
    bounded.free();
  });
});
