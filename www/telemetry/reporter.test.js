// The batched OTLP reporter against a loopback receiver: what it posts parses strictly into the official protobuf
// message (opentelemetry-proto with google.protobuf.json_format, in .venv) with the right values; the offline queue
// in a file survives a restart, is capped with an exact dropped count, and delivers each report once; retries with
// backoff; refused reports are dropped and counted; raw inputs stay on the device unless includeInputs.

import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ErrorCode } from '../errors.js';
import { liveEngine } from '../init.js';
import { InferenceSession } from '../session.js';
import { Tensor } from '../tensor.js';
import { REPO } from '../test-support/fixtures.js';
import { Telemetry } from './telemetry.js';
import { modelBytes } from './test-support/fixtures.js';
import { startReceiver } from './test-support/otlp-receiver.js';
import { hasStats } from './wasm-stats.js';

const PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const PROTO_IMPORT = 'from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2; from google.protobuf import json_format';
const noProto = (() => {
  if (!existsSync(PYTHON)) return `no ${path.relative(REPO, PYTHON)} (python3 -m venv .venv, then install tests/fixtures/requirements.txt)`;
  const probe = spawnSync(PYTHON, ['-c', PROTO_IMPORT], { encoding: 'utf8', timeout: 60_000 });
  return probe.status === 0 ? false : `opentelemetry-proto does not import in .venv: ${probe.stderr.trim().split('\n').at(-1)}`;
})();
const skip = !hasStats(await liveEngine()) && 'the wasm build has no statistics classes: run make wasm';

/** Strict parse of an ExportMetricsServiceRequest (unknown fields fail), then the values as plain JSON. */
const DECODE = `
import json, sys
${PROTO_IMPORT}
request = json_format.Parse(sys.stdin.read(), metrics_service_pb2.ExportMetricsServiceRequest())
out = {"resource": {}, "scopes": [], "metrics": {}}
for rm in request.resource_metrics:
    out["resource"] = {kv.key: kv.value.string_value for kv in rm.resource.attributes}
    for sm in rm.scope_metrics:
        out["scopes"].append([sm.scope.name, sm.scope.version])
        for m in sm.metrics:
            kind = m.WhichOneof("data")
            data = getattr(m, kind)
            points = []
            for p in data.data_points:
                point = {"attributes": {kv.key: kv.value.string_value for kv in p.attributes}, "time": p.time_unix_nano}
                if kind == "histogram":
                    point.update(count=p.count, sum=p.sum, bucketCounts=list(p.bucket_counts), bounds=list(p.explicit_bounds), start=p.start_time_unix_nano)
                else:
                    point["value"] = p.as_int if p.WhichOneof("value") == "as_int" else p.as_double
                points.append(point)
            out["metrics"][m.name] = {"kind": kind, "unit": m.unit, "temporality": getattr(data, "aggregation_temporality", None),
                                      "monotonic": getattr(data, "is_monotonic", None), "points": points}
print(json.dumps(out))
`;

/**
 * @param {string} body
 * @returns {Promise<any>}
 */
function decodeStrictly(body) {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', DECODE], { timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(`the protobuf parse failed: ${stderr.trim().split('\n').at(-1)}`), { stderr }));
      else resolve(JSON.parse(stdout));
    });
    child.stdin?.end(body);
  });
}

/** @type {Uint8Array} */
let bytes;
/** @type {string} */
let tmp;

before(async () => {
  bytes = await modelBytes();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-reporter-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/**
 * A telemetry with one iris session.
 * @param {ConstructorParameters<typeof Telemetry>[0]} [options]
 */
async function irisTelemetry(options) {
  const telemetry = new Telemetry(options);
  const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.0.0' } });
  /** @param {number} [rows] */
  const predict = (rows = 1) => session.run({ X: new Tensor('float32', new Float32Array(4 * rows).fill(7.123), [rows, 4]) });
  return { telemetry, session, predict };
}

/**
 * The `onnx_edge_predictions_total` of a posted OTLP body.
 * @param {string} body
 * @returns {number}
 */
function predictionsIn(body) {
  const metrics = JSON.parse(body).resourceMetrics[0].scopeMetrics[0].metrics;
  const m = metrics.find((/** @type {any} */ x) => x.name === 'onnx_edge_predictions_total');
  return m === undefined ? 0 : Number(m.sum.dataPoints[0].asInt);
}

/**
 * @param {() => boolean} condition
 * @param {number} [timeoutMs]
 */
async function waitFor(condition, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('reporter', { skip }, () => {
  test('OTLP/HTTP: the posted JSON parses strictly into ExportMetricsServiceRequest and carries the values', { skip: noProto }, async () => {
    const receiver = await startReceiver();
    const { telemetry, predict } = await irisTelemetry({ labels: { app: 'reporter-test' }, service: 'iris-page' });
    try {
      for (let i = 0; i < 4; i += 1) await predict(i + 1);
      assert.throws(() => telemetry.report({ url: receiver.url, intervalMs: -1 }), { code: ErrorCode.OPTIONS_INVALID });
      assert.throws(() => telemetry.report({ url: receiver.url, send: () => true }), { code: ErrorCode.OPTIONS_INVALID });
      const reporter = telemetry.report({ url: receiver.url, headers: { authorization: 'Bearer test-token' }, intervalMs: 0, storage: 'memory' });
      const result = await reporter.flush();
      assert.deepEqual([result.sent, result.failed, result.queued], [1, 0, 0]);
      assert.equal(receiver.received.length, 1);
      const [post] = receiver.received;
      assert.equal(post.path, '/v1/metrics');
      assert.equal(post.headers['content-type'], 'application/json');
      assert.equal(post.headers.authorization, 'Bearer test-token');
      assert.match(String(post.headers['x-onnx-edge-report-id']), /^[a-z0-9-]+$/);

      const decoded = await decodeStrictly(post.body);
      assert.equal(decoded.resource['service.name'], 'iris-page');
      assert.equal(decoded.resource.app, 'reporter-test');
      assert.deepEqual(decoded.scopes, [['onnx-edge', '0.1.0']]);
      const predictions = decoded.metrics.onnx_edge_predictions_total;
      assert.deepEqual([predictions.kind, predictions.temporality, predictions.monotonic], ['sum', 2, true]);
      assert.deepEqual(predictions.points.map((/** @type {any} */ p) => [p.attributes, p.value]), [[{ model: 'iris', version: '1.0.0' }, 10]]);
      const duration = decoded.metrics.onnx_edge_inference_duration_seconds;
      assert.deepEqual([duration.kind, duration.unit, duration.temporality], ['histogram', 's', 2]);
      const [h] = duration.points;
      assert.equal(h.count, 4);
      assert.equal(h.bucketCounts.reduce((/** @type {number} */ a, /** @type {number} */ b) => a + b, 0), 4);
      assert.equal(h.bounds.length, 19);
      assert.deepEqual([h.bounds[0], h.bounds[18]], [1e-5, 10]);
      assert.ok(h.sum > 0 && h.start > 0 && h.time >= h.start);
      assert.ok(decoded.metrics.onnx_edge_wasm_memory_bytes.points[0].value >= 65536);

      // Strict: a field the message does not have fails the parse.
      await assert.rejects(decodeStrictly(JSON.stringify({ ...JSON.parse(post.body), extra: 1 })));
      assert.ok(!post.body.includes('7.123'), 'no input values in a report');
      const again = await reporter.flush();
      assert.equal(again.sent, 0, 'nothing changed: no new report');
      await reporter.stop();
    } finally {
      await telemetry.close();
      await receiver.close();
    }
  });

  test('offline queue in a file: capped with an exact dropped count, kept across a restart, each report delivered once', async () => {
    const dir = path.join(tmp, 'queue');
    const receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close(); // the collector is down: connections are refused
    const first = await irisTelemetry();
    /** @type {any[]} */
    const dropped = [];
    first.telemetry.on('dropped', (e) => dropped.push(e));
    const reporter = first.telemetry.report({ url, intervalMs: 3_600_000, storage: { dir }, maxQueue: 3, retry: { initialMs: 3_600_000 } });
    for (let i = 0; i < 5; i += 1) {
      await first.predict();
      const result = await reporter.flush();
      assert.equal(result.queued, Math.min(i + 1, 3));
    }
    assert.deepEqual(dropped.map((e) => [e.count, e.reason, e.total]), [[1, 'cap', 1], [1, 'cap', 2]]);
    assert.equal(first.telemetry.snapshot().dropped, 2);
    assert.match(first.telemetry.prometheus(), /\nonnx_edge_telemetry_dropped_total 2\n/);
    await reporter.stop({ flush: false });
    await first.telemetry.close();
    const stored = JSON.parse(await readFile(path.join(dir, (await import('node:fs')).readdirSync(dir)[0]), 'utf8'));
    assert.deepEqual([stored.items.length, stored.dropped], [3, 2]);

    // A new process: the collector is back on the same address.
    const back = await startReceiver();
    const second = new Telemetry();
    try {
      // The queue belongs to the collector URL: report to the old one, and let `fetch` reach the new port.
      const [oldPort, newPort] = [new URL(url).port, new URL(back.url).port];
      const replay = second.report({
        url, intervalMs: 3_600_000, storage: { dir }, maxQueue: 3,
        fetch: (input, init) => globalThis.fetch(String(input).replace(`:${oldPort}/`, `:${newPort}/`), init),
      });
      await replay.ready;
      await waitFor(() => back.received.length >= 3);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(back.received.map((p) => predictionsIn(p.body)), [3, 4, 5], 'the three newest, oldest first, once each');
      assert.deepEqual(back.received.map((p) => p.headers['x-onnx-edge-report-id']), stored.items.map((/** @type {any} */ i) => i.id));
      assert.equal(await replay.queued(), 0);
      await replay.stop();
      assert.equal(back.received.length, 4, 'stop() sends the new telemetry\'s own report');
    } finally {
      await second.close();
      await back.close();
    }
  });

  test('retry with backoff on 503 until delivered (once); a refused report (400) is dropped and counted', async () => {
    const receiver = await startReceiver();
    const { telemetry, predict } = await irisTelemetry();
    /** @type {any[]} */
    const dropped = [];
    telemetry.on('dropped', (e) => dropped.push(e));
    try {
      receiver.statuses.push(503, 503);
      const reporter = telemetry.report({ url: receiver.url, intervalMs: 3_600_000, storage: 'memory', retry: { initialMs: 20, maxMs: 80 } });
      await predict();
      const first = await reporter.flush();
      assert.deepEqual([first.sent, first.failed, first.queued], [0, 1, 1]);
      await waitFor(() => receiver.received.some((p) => p.status === 200));
      assert.deepEqual(receiver.received.map((p) => p.status), [503, 503, 200]);
      assert.equal(new Set(receiver.received.map((p) => p.headers['x-onnx-edge-report-id'])).size, 1, 'the same report each time');
      assert.equal(await reporter.queued(), 0);

      receiver.statuses.push(400);
      await predict();
      const refused = await reporter.flush();
      assert.deepEqual([refused.sent, refused.dropped, refused.queued], [0, 1, 0]);
      assert.deepEqual(dropped.map((e) => [e.count, e.reason]), [[1, 'rejected']]);
      assert.equal(telemetry.snapshot().dropped, 1);
      await reporter.stop();
    } finally {
      await telemetry.close();
      await receiver.close();
    }
  });

  test('raw inputs leave only with includeInputs (to inputsUrl, or send with kind inputs); sampleRate applies', async () => {
    const receiver = await startReceiver();
    const { telemetry, predict } = await irisTelemetry();
    try {
      assert.throws(() => telemetry.report({ url: receiver.url, includeInputs: true }), { code: ErrorCode.OPTIONS_INVALID });
      const reporter = telemetry.report({
        url: receiver.url, inputsUrl: `${receiver.origin}/inputs`, includeInputs: true, maxInputRows: 2, intervalMs: 3_600_000, storage: 'memory',
      });
      for (let i = 0; i < 3; i += 1) await predict();
      await reporter.flush();
      const byPath = Object.fromEntries(receiver.received.map((p) => [p.path, p.body]));
      assert.ok(!byPath['/v1/metrics'].includes('7.123'));
      const inputs = JSON.parse(byPath['/inputs']).inputs;
      assert.equal(inputs.length, 2, 'at most maxInputRows runs per report');
      assert.deepEqual([inputs[0].model, inputs[0].inputs.X.dims], ['iris', [1, 4]]);
      assert.ok(Math.abs(inputs[0].inputs.X.data[0] - 7.123) < 1e-6);
      await reporter.stop();

      /** @type {{ kind: string, body: string }[]} */
      const sent = [];
      const sampled = await irisTelemetry({ sampleRate: 0 });
      const custom = sampled.telemetry.report({ send: (r) => { sent.push(r); }, includeInputs: true, intervalMs: 3_600_000, storage: 'memory' });
      await sampled.predict();
      await custom.flush();
      assert.deepEqual(sent.map((r) => r.kind), ['metrics'], 'sampleRate 0: no inputs kept');
      await sampled.telemetry.close();
    } finally {
      await telemetry.close();
      await receiver.close();
    }
  });

  test('disable(): the reporter stops and its queue is deleted; nothing more is sent', async () => {
    const dir = path.join(tmp, 'opt-out');
    /** @type {string[]} */
    const sent = [];
    let online = false;
    const { telemetry, predict } = await irisTelemetry();
    const reporter = telemetry.report({ send: (r) => { if (!online) return false; sent.push(r.body); return true; }, intervalMs: 3_600_000, storage: { dir }, retry: { initialMs: 3_600_000 } });
    await predict();
    await reporter.flush();
    assert.equal(await reporter.queued(), 1);
    await telemetry.disable();
    online = true;
    await predict();
    await reporter.flush();
    assert.deepEqual(sent, []);
    const file = path.join(dir, (await import('node:fs')).readdirSync(dir)[0]);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).items, []);
    await telemetry.close();
  });
});
