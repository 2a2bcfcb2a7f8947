// The exporters, once per format (Prometheus text 0.0.4 and OTLP JSON): each is read back into the same shape and
// must agree with what happened (predictions, runs, errors by code), with histogram consistency (monotonic buckets,
// `+Inf` equal to the count, the 10 µs to 10 s bounds), escaping, and the format's own rules.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { LATENCY_BUCKETS } from './histogram.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js';
import { Telemetry } from './telemetry.js';
import { loadStats, modelBytes, flatRows } from './test-support/fixtures.js';
import { parsePrometheusText } from './test-support/prometheus-parse.js';

/** A model name that needs every escape: quote, backslash, newline. */
const ODD_NAME = 'odd "name"\\with\nnewline';
const SINGLE_RUNS = 12;
const BATCH_ROWS = 5;

/**
 * The metrics of one export in one shape, whatever the format.
 * @typedef {{ labels: Record<string, string>, value: number }} Point
 * @typedef {{ labels: Record<string, string>, bounds: number[], cumulative: number[], count: number, sum: number }} HistogramPoint
 * @typedef {{ types: Map<string, string>, points: Map<string, Point[]>, histograms: Map<string, HistogramPoint[]>, constant: Record<string, string> }} Readback
 */

/** @type {Telemetry} */
let telemetry;
/** @type {Record<string, string>} */
const CONSTANT = { app: 'exporter-test', region: 'eu "west"' };

before(async () => {
  telemetry = new Telemetry({ labels: CONSTANT, thresholds: { minSamples: 10 } });
  const { reference, rows } = await loadStats('drift-iris-like.json');
  telemetry.setReference('iris', reference);
  const bytes = await modelBytes();
  const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
  for (let i = 0; i < SINGLE_RUNS; i += 1) {
    await session.run({ X: new Tensor('float32', flatRows([rows[i]]), [1, 4]) }, { predictionId: `p${i}` });
  }
  await session.run({ X: new Tensor('float32', flatRows(rows.slice(0, BATCH_ROWS)), [BATCH_ROWS, 4]) });
  for (let i = 0; i < SINGLE_RUNS; i += 1) telemetry.feedback(`p${i}`, i % 3);
  for (const feeds of [{ X: new Tensor('float32', new Float32Array(8), [4, 2]) }, { X: new Tensor('float32', new Float32Array(3), [1, 3]) }, {}]) {
    await session.run(/** @type {any} */ (feeds)).catch(() => {});
  }
  const odd = await InferenceSession.create(bytes, { telemetry, model: { name: ODD_NAME, version: '2.0.0' } });
  await odd.run({ X: new Tensor('float32', flatRows([rows[0]]), [1, 4]) }, { variant: 'canary' });
  await odd.release();
  await session.release();
  await session.run({ X: new Tensor('float32', flatRows([rows[0]]), [1, 4]) }).catch(() => {});
});

after(() => telemetry.close());

/** @type {Record<string, () => Readback>} */
const FORMATS = {
  'Prometheus text': () => readPrometheus(telemetry.prometheus()),
  'OTLP JSON': () => readOtlp(JSON.parse(JSON.stringify(telemetry.otlp()))),
};

for (const [format, read] of Object.entries(FORMATS)) {
  describe(`exporter: ${format}`, () => {
    test('counts: predictions are rows, the duration histogram counts successful runs, errors by code', () => {
      const r = read();
      const iris = { model: 'iris', version: '1.0.0' };
      assert.equal(value(r, 'onnx_edge_predictions_total', iris), SINGLE_RUNS + BATCH_ROWS);
      const h = histogram(r, 'onnx_edge_inference_duration_seconds', iris);
      assert.equal(h.count, SINGLE_RUNS + 1);
      assert.equal(value(r, 'onnx_edge_errors_total', { ...iris, code: ErrorCode.INPUT_SHAPE }), 2);
      assert.equal(value(r, 'onnx_edge_errors_total', { ...iris, code: ErrorCode.INPUT_MISSING }), 1);
      assert.equal(value(r, 'onnx_edge_errors_total', { ...iris, code: ErrorCode.RELEASED }), 1);
      const snapshot = telemetry.snapshot().models.find((m) => m.model === 'iris');
      assert.ok(snapshot);
      assert.ok(Math.abs(h.sum - snapshot.latency.sum) < 1e-12);
      assert.equal(r.types.get('onnx_edge_predictions_total'), 'counter');
      assert.equal(r.types.get('onnx_edge_inference_duration_seconds'), 'histogram');
      assert.equal(r.types.get('onnx_edge_wasm_memory_bytes'), 'gauge');
    });

    test('histograms: bounds 10 µs to 10 s, cumulative counts never fall, +Inf equals the count', () => {
      const r = read();
      const all = [...(r.histograms.get('onnx_edge_inference_duration_seconds') ?? [])];
      assert.equal(all.length, 2, 'one series per model, version and variant');
      for (const h of all) {
        assert.deepEqual(h.bounds, [...LATENCY_BUCKETS, Infinity]);
        assert.equal(h.bounds[0], 1e-5);
        assert.equal(h.bounds.at(-2), 10);
        h.cumulative.forEach((c, i) => assert.ok(i === 0 || c >= h.cumulative[i - 1], `bucket ${i} falls`));
        assert.equal(h.cumulative.at(-1), h.count);
        assert.ok(h.sum > 0);
      }
    });

    test('labels: fixed names only, variant kept, values escaped and read back exactly, constant labels', () => {
      const r = read();
      assert.deepEqual(r.constant, CONSTANT);
      const odd = { model: ODD_NAME, version: '2.0.0', variant: 'canary' };
      assert.equal(value(r, 'onnx_edge_predictions_total', odd), 1);
      for (const [name, points] of r.points) {
        for (const p of points) {
          for (const label of Object.keys(p.labels)) assert.ok(['model', 'version', 'variant', 'code', 'feature'].includes(label), `${name}: label ${label}`);
        }
      }
    });

    test('scrape-time values: wasm memory, drift per feature, rolling accuracy and F1', () => {
      const r = read();
      assert.ok(value(r, 'onnx_edge_wasm_memory_bytes', {}) >= 65536);
      const drift = r.points.get('onnx_edge_drift_psi') ?? [];
      assert.deepEqual(drift.map((p) => p.labels.feature).sort(), ['X[0]', 'X[1]', 'X[2]', 'X[3]']);
      for (const name of ['onnx_edge_drift_psi', 'onnx_edge_drift_ks', 'onnx_edge_drift_js']) {
        for (const p of r.points.get(name) ?? []) assert.ok(Number.isFinite(p.value) && p.value >= 0, `${name} ${p.value}`);
      }
      const snapshot = telemetry.snapshot().models.find((m) => m.model === 'iris');
      assert.equal(value(r, 'onnx_edge_accuracy', { model: 'iris', version: '1.0.0' }), snapshot?.accuracy);
      assert.equal(value(r, 'onnx_edge_f1', { model: 'iris', version: '1.0.0' }), snapshot?.live?.classification?.f1);
    });
  });
}

test('Prometheus text: HELP and TYPE once per metric, before its samples; the content type is 0.0.4', () => {
  const text = telemetry.prometheus();
  const lines = text.trimEnd().split('\n');
  /** @type {Set<string>} */
  const typed = new Set();
  for (const line of lines) {
    const m = /^# TYPE (\S+) /.exec(line);
    if (m) {
      assert.ok(!typed.has(m[1]));
      typed.add(m[1]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const name = /** @type {RegExpExecArray} */ (/^[a-zA-Z0-9_:]+/.exec(line))[0];
    const base = name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(typed.has(name) || typed.has(base), `${name} sampled before its TYPE`);
  }
  assert.ok(PROMETHEUS_CONTENT_TYPE.startsWith('text/plain; version=0.0.4'));
  assert.equal(Telemetry.PROMETHEUS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE);
  assert.ok(text.includes('model="odd \\"name\\"\\\\with\\nnewline"'), 'label value escaped');
});

test('OTLP JSON: lowerCamelCase fields, 64-bit integers as strings, cumulative temporality, bounds and bucket counts agree', () => {
  const request = JSON.parse(JSON.stringify(telemetry.otlp()));
  walkKeys(request, (key) => assert.match(key, /^[a-z][a-zA-Z]*$/, `field ${key}`));
  const { resource, scopeMetrics } = request.resourceMetrics[0];
  const attributes = Object.fromEntries(resource.attributes.map((/** @type {any} */ a) => [a.key, a.value.stringValue]));
  assert.equal(attributes['service.name'], 'onnx-edge');
  assert.match(attributes['service.instance.id'], /^[0-9a-f]{32}$/);
  assert.equal(scopeMetrics[0].scope.name, 'onnx-edge');
  for (const metric of scopeMetrics[0].metrics) {
    const data = metric.sum ?? metric.gauge ?? metric.histogram;
    if (metric.sum || metric.histogram) assert.equal(data.aggregationTemporality, 2, metric.name);
    if (metric.sum) assert.equal(metric.sum.isMonotonic, true);
    for (const p of data.dataPoints) {
      assert.match(p.timeUnixNano, /^\d{19}$/);
      if (!metric.gauge) assert.match(p.startTimeUnixNano, /^\d{19}$/);
      if (p.asInt !== undefined) assert.match(p.asInt, /^\d+$/);
      if (metric.histogram) {
        assert.match(p.count, /^\d+$/);
        assert.equal(p.bucketCounts.length, p.explicitBounds.length + 1);
        assert.ok(p.bucketCounts.every((/** @type {unknown} */ c) => typeof c === 'string'));
        assert.equal(p.bucketCounts.reduce((/** @type {number} */ s, /** @type {string} */ c) => s + Number(c), 0), Number(p.count));
      }
    }
  }
  assert.ok(!JSON.stringify(request).includes('5.099999904632568'), 'no input values in a report');
});

// ---- reading each format back into one shape -------------------------------------------------------------------

/**
 * @param {string} text
 * @returns {Readback}
 */
function readPrometheus(text) {
  const exposition = parsePrometheusText(text);
  /** @type {Readback} */
  const out = { types: exposition.types, points: new Map(), histograms: new Map(), constant: {} };
  /** @type {Map<string, HistogramPoint>} */
  const byKey = new Map();
  for (const sample of exposition.samples) {
    const { app, region, ...labels } = sample.labels;
    out.constant = { app, region };
    const base = sample.name.replace(/_(bucket|sum|count)$/, '');
    if (exposition.types.get(base) === 'histogram' && base !== sample.name) {
      const { le, ...series } = labels;
      const key = `${base}|${JSON.stringify(series)}`;
      let h = byKey.get(key);
      if (h === undefined) {
        h = { labels: series, bounds: [], cumulative: [], count: 0, sum: 0 };
        byKey.set(key, h);
        push(out.histograms, base, h);
      }
      if (sample.name.endsWith('_bucket')) {
        h.bounds.push(le === '+Inf' ? Infinity : Number(le));
        h.cumulative.push(sample.value);
      } else if (sample.name.endsWith('_sum')) h.sum = sample.value;
      else h.count = sample.value;
    } else {
      push(out.points, sample.name, { labels, value: sample.value });
    }
  }
  return out;
}

/**
 * @param {any} request
 * @returns {Readback}
 */
function readOtlp(request) {
  const { resource, scopeMetrics } = request.resourceMetrics[0];
  /** @type {Record<string, string>} */
  const constant = {};
  for (const a of resource.attributes) if (!a.key.includes('.')) constant[a.key] = a.value.stringValue;
  /** @type {Readback} */
  const out = { types: new Map(), points: new Map(), histograms: new Map(), constant };
  const labelsOf = (/** @type {any} */ p) => Object.fromEntries((p.attributes ?? []).map((/** @type {any} */ a) => [a.key, a.value.stringValue]));
  for (const metric of scopeMetrics[0].metrics) {
    if (metric.histogram) {
      out.types.set(metric.name, 'histogram');
      for (const p of metric.histogram.dataPoints) {
        let running = 0;
        push(out.histograms, metric.name, {
          labels: labelsOf(p),
          bounds: [...p.explicitBounds, Infinity],
          cumulative: p.bucketCounts.map((/** @type {string} */ c) => (running += Number(c))),
          count: Number(p.count),
          sum: p.sum,
        });
      }
    } else {
      const data = metric.sum ?? metric.gauge;
      out.types.set(metric.name, metric.sum ? 'counter' : 'gauge');
      for (const p of data.dataPoints) push(out.points, metric.name, { labels: labelsOf(p), value: p.asInt !== undefined ? Number(p.asInt) : p.asDouble });
    }
  }
  return out;
}

/**
 * @template T
 * @param {Map<string, T[]>} map
 * @param {string} key
 * @param {T} item
 */
function push(map, key, item) {
  const list = map.get(key) ?? [];
  list.push(item);
  map.set(key, list);
}

/**
 * The value of the one point of `name` whose labels are exactly `labels`.
 * @param {Readback} r
 * @param {string} name
 * @param {Record<string, string>} labels
 * @returns {number}
 */
function value(r, name, labels) {
  const found = (r.points.get(name) ?? []).filter((p) => sameLabels(p.labels, labels));
  assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}: ${found.length} points`);
  return found[0].value;
}

/**
 * @param {Readback} r
 * @param {string} name
 * @param {Record<string, string>} labels
 * @returns {HistogramPoint}
 */
function histogram(r, name, labels) {
  const found = (r.histograms.get(name) ?? []).filter((h) => sameLabels(h.labels, labels));
  assert.equal(found.length, 1, `${name} ${JSON.stringify(labels)}`);
  return found[0];
}

/**
 * @param {Record<string, string>} a
 * @param {Record<string, string>} b
 */
function sameLabels(a, b) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/**
 * Call `check` on every object key of a JSON value.
 * @param {unknown} value
 * @param {(key: string) => void} check
 */
function walkKeys(value, check) {
  if (Array.isArray(value)) for (const v of value) walkKeys(v, check);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      check(k);
      walkKeys(v, check);
    }
  }
}
