// The edge examples (www/examples/) as their own processes on 127.0.0.1: Node, Deno, Bun (npm packages) and
// workerd (the Cloudflare Worker with its config). Every runtime gets the same checks of the shared handler:
// /healthz, /predict against the iris reference outputs, /metrics counting them, bad requests answered 400 with
// the library's code, 404/405/413. Then the Node example takes a bounded load of 10,000 requests with no error
// and flat memory. A runtime whose binary cannot run here is skipped with the reason.
//
// Each server is started by its own `before` and stopped by its PID in `after`; each also has a hard lifetime.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { findRuntime, RUNTIMES, startExample } from '../../www/examples/dev/launch.js';
import { CONFIG, configModules, moduleKind, workerModules } from '../../www/examples/dev/modules.js';
import { compareOutputs, loadCase, REPO } from '../../www/test-support/fixtures.js';

/** @typedef {import('../../www/examples/dev/launch.js').RunningExample} RunningExample */
/** @typedef {import('../../www/examples/dev/launch.js').Runtime} Runtime */

const IRIS = await loadCase('iris_rf');
/** The brief's tolerance for the reference outputs: 1e-4 absolute; labels exactly. */
const TOLERANCE = { atol: 1e-4, rtol: 0 };
const MODEL = { name: 'iris', version: '1.0.0' };

/** Load test: requests, concurrency, and the memory growth allowed over them (bytes). */
const LOAD_REQUESTS = 10_000;
const LOAD_CONCURRENCY = 8;
const WARMUP_REQUESTS = 5_000;
/**
 * Flat memory, after a warm-up of 5,000 requests (V8 sizes its heap over the first ~10,000: RSS rises from about
 * 100 to 130 MiB, then stays there for 40,000 more): the RSS of the Node example may grow by at most 48 MiB over the
 * 10,000 requests and by at most 16 MiB over the second half (a leak of 2 KiB per request would add 10 MiB per
 * 5,000); the wasm memory (which never shrinks) by at most 4 MiB. Without a forced GC the heap is only reported.
 */
const MAX_RSS_GROWTH = 48 * 1024 * 1024;
const MAX_RSS_GROWTH_SECOND_HALF = 16 * 1024 * 1024;
const MAX_WASM_GROWTH = 4 * 1024 * 1024;

/**
 * @param {RunningExample} example
 * @param {string} route
 * @param {RequestInit} [init]
 * @returns {Promise<{ status: number, headers: Headers, text: string, json: any }>}
 */
async function call(example, route, init = {}) {
  const response = await fetch(`${example.url}${route}`, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * POST a JSON (or raw string) body to /predict.
 * @param {RunningExample} example
 * @param {unknown} body
 */
function predict(example, body) {
  return call(example, '/predict', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * The samples of a metric in a Prometheus text exposition (name with suffix, e.g. `..._bucket`), with labels.
 * @param {string} text
 * @param {string} name
 * @returns {{ labels: Record<string, string>, value: number }[]}
 */
function samples(text, name) {
  /** @type {{ labels: Record<string, string>, value: number }[]} */
  const out = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    /** @type {Record<string, string>} */
    const labels = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    out.push({ labels, value: Number(match[4]) });
  }
  return out;
}

/**
 * The sum of a metric's samples whose labels include `where`.
 * @param {string} text
 * @param {string} name
 * @param {Record<string, string>} [where]
 */
function total(text, name, where = {}) {
  return samples(text, name)
    .filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** The bad requests every runtime must answer with 400 and this code. */
const BAD_REQUESTS = [
  { what: 'bad JSON', body: '{"inputs": {"X": ', code: 'REQUEST_JSON' },
  { what: 'an empty body', body: '', code: 'REQUEST_JSON' },
  { what: 'a JSON array', body: [], code: 'REQUEST_INVALID' },
  { what: 'no inputs', body: {}, code: 'INPUT_MISSING' },
  { what: 'inputs without X', body: { inputs: {} }, code: 'INPUT_MISSING' },
  { what: 'a tensor whose dims do not match its data', body: { inputs: { X: { type: 'float32', dims: [1, 4], data: [1, 2, 3] } } }, code: 'INPUT_SHAPE' },
  { what: 'dims the model does not take', body: { inputs: { X: { type: 'float32', dims: [1, 3], data: [1, 2, 3] } } }, code: 'INPUT_SHAPE' },
  { what: 'the wrong dtype (float64 for float32)', body: { inputs: { X: { type: 'float64', dims: [1, 4], data: [1, 2, 3, 4] } } }, code: 'INPUT_DTYPE' },
  { what: 'an unknown dtype', body: { inputs: { X: { type: 'float33', dims: [1, 4], data: [1, 2, 3, 4] } } }, code: 'INPUT_DTYPE' },
  { what: 'a string in float data', body: { inputs: { X: { type: 'float32', dims: [1, 4], data: [1, 'two', 3, 4] } } }, code: 'INPUT_DTYPE' },
  { what: 'a tensor that is not an object', body: { inputs: { X: [1, 2, 3, 4] } }, code: 'INPUT_DTYPE' },
  { what: 'an unknown input', body: { inputs: { X: { type: 'float32', dims: [1, 4], data: [1, 2, 3, 4] }, Y: { type: 'float32', dims: [1], data: [1] } } }, code: 'INPUT_UNKNOWN' },
  { what: 'an unknown output', body: { inputs: { X: { type: 'float32', dims: [1, 4], data: [1, 2, 3, 4] } }, outputs: ['nope'] }, code: 'OUTPUT_UNKNOWN' },
];

/**
 * The checks of the shared handler, for one runtime's example (started in `before`).
 * @param {Runtime} runtime
 * @param {() => RunningExample} example
 * @param {{ predictions: number, rows: number }} sent successful predictions sent so far and the rows in them,
 *   kept up to date by the checks
 */
function handlerChecks(runtime, example, sent) {

  test('GET /healthz: 200 with the model, the variant and its inputs', async () => {
    const { status, json, headers } = await call(example(), '/healthz');
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(json.ok, true);
    assert.deepEqual(json.model, MODEL);
    assert.equal(json.variant, runtime);
    assert.deepEqual(json.inputs, [{ name: 'X', type: 'float32', dims: [null, 4] }]);
    assert.deepEqual(json.outputs.map((/** @type {{ name: string }} */ o) => o.name), ['label', 'probabilities']);
  });

  test('POST /predict: the reference outputs of tests/fixtures/cases/iris_rf.json (within 1e-4)', async () => {
    for (const [index, run] of IRIS.runs.entries()) {
      const { status, json, text } = await predict(example(), { inputs: run.inputs });
      assert.equal(status, 200, text);
      assert.deepEqual(json.model, MODEL);
      assert.equal(json.variant, runtime);
      const { failures } = compareOutputs(json.outputs, run.outputs, TOLERANCE, IRIS.exact);
      assert.deepEqual(failures, [], `run ${index}`);
      assert.ok(json.outputs.label.data.every((/** @type {unknown} */ v) => typeof v === 'number'), 'int64 labels are numbers');
      sent.predictions += 1;
      sent.rows += run.inputs.X.dims[0];
    }
  });

  test('POST /predict: nested data, `outputs` to pick some, non-finite floats as strings', async () => {
    const rows = [[4.6, 3.1, 1.5, 0.2], [5.7, 2.5, 5.0, 2.0]];
    const { status, json, text } = await predict(example(), { inputs: { X: { type: 'float32', data: rows } }, outputs: ['label'] });
    assert.equal(status, 200, text);
    assert.deepEqual(Object.keys(json.outputs), ['label']);
    assert.deepEqual(json.outputs.label, { type: 'int64', dims: [2], data: [0, 2] });
    const nan = await predict(example(), { inputs: { X: { type: 'float32', dims: [1, 4], data: ['NaN', 3.1, 1.5, 0.2] } } });
    assert.equal(nan.status, 200, nan.text);
    sent.predictions += 2;
    sent.rows += 3;
  });

  test('POST /predict with a predictionId, then POST /feedback with its label: onnx_edge_accuracy', async () => {
    const ids = ['fb-1', 'fb-2'];
    for (const id of ids) {
      const { status, json, text } = await predict(example(), { inputs: IRIS.runs[1].inputs, predictionId: id });
      assert.equal(status, 200, text);
      assert.equal(json.predictionId, id);
      sent.predictions += 1;
      sent.rows += 1;
    }
    const label = IRIS.runs[1].outputs.label.data[0];
    const feedback = (/** @type {unknown} */ body) => call(example(), '/feedback', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    for (const [id, given] of [[ids[0], label], [ids[1], (Number(label) + 1) % 3]]) {
      const { status, json, text } = await feedback({ predictionId: id, label: given });
      assert.equal(status, 202, text);
      assert.deepEqual(json, { ok: true, matched: true });
    }
    assert.deepEqual((await feedback({ predictionId: 'never-made', label: 0 })).json, { ok: true, matched: false });
    const bad = await feedback({ predictionId: ids[0] });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'REQUEST_INVALID');
    const { text } = await call(example(), '/metrics');
    assert.equal(total(text, 'onnx_edge_accuracy', { model: MODEL.name, version: MODEL.version, variant: runtime }), 0.5, text);
  });

  for (const bad of BAD_REQUESTS) {
    test(`POST /predict with ${bad.what}: 400 ${bad.code}`, async () => {
      const { status, json, text } = await predict(example(), bad.body);
      assert.equal(status, 400, text);
      assert.equal(json?.error?.code, bad.code, text);
      assert.equal(typeof json.error.message, 'string');
      assert.equal(typeof json.error.details, 'object');
    });
  }

  test('a bad tensor names the input in its details', async () => {
    const { json } = await predict(example(), BAD_REQUESTS[5].body);
    assert.equal(json.error.details.input, 'X');
  });

  test('unknown route: 404; wrong method: 405 with Allow', async () => {
    const missing = await call(example(), '/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'NOT_FOUND');
    const wrong = await call(example(), '/predict');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.json.error.code, 'METHOD_NOT_ALLOWED');
    assert.equal(wrong.headers.get('allow'), 'POST');
    const put = await call(example(), '/metrics', { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD');
  });

  test('a body declared over 10 MiB: 413 REQUEST_TOO_LARGE before it is sent, and the server carries on', async () => {
    // The client declares 11 MiB, sends 64 KiB and waits for the answer: the handler refuses by Content-Length
    // without reading. (Sending all of it would race the server closing the connection after its 413.)
    const declared = 11 * 1024 * 1024;
    const answer = await new Promise((resolve, reject) => {
      const request = http.request(`${example().url}/predict`, {
        method: 'POST', timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': String(declared) },
      }, (response) => {
        /** @type {Buffer[]} */
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode, json: JSON.parse(Buffer.concat(chunks).toString()) });
          request.destroy();
        });
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
      request.on('error', (error) => { if (!request.destroyed || /no answer/.test(error.message)) reject(error); });
      request.write(Buffer.alloc(64 * 1024, 0x20));
    });
    assert.equal(/** @type {any} */ (answer).status, 413);
    assert.equal(/** @type {any} */ (answer).json.error.code, 'REQUEST_TOO_LARGE');
    assert.equal(/** @type {any} */ (answer).json.error.details.limit, 10 * 1024 * 1024);
    const { status } = await call(example(), '/healthz');
    assert.equal(status, 200);
  });

  test('GET /metrics: Prometheus text 0.0.4 counting the predictions, the latency histogram and the errors', async () => {
    const { status, headers, text } = await call(example(), '/metrics');
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const where = { model: MODEL.name, version: MODEL.version };
    assert.ok(text.includes('# TYPE onnx_edge_predictions_total counter'), text.slice(0, 2000));
    const predictions = total(text, 'onnx_edge_predictions_total', where);
    assert.ok(predictions === sent.predictions || predictions === sent.rows,
      `onnx_edge_predictions_total ${predictions}, expected ${sent.predictions} runs (or ${sent.rows} rows)\n${text}`);
    assert.ok(text.includes('# TYPE onnx_edge_inference_duration_seconds histogram'));
    const count = total(text, 'onnx_edge_inference_duration_seconds_count', where);
    assert.ok(count >= sent.predictions, `histogram count ${count}`);
    const inf = samples(text, 'onnx_edge_inference_duration_seconds_bucket').filter((s) => s.labels.le === '+Inf');
    assert.ok(inf.length > 0 && inf.every((s) => s.value > 0), 'the +Inf bucket counts');
    // The bad feeds that reached the session are counted by code.
    assert.ok(total(text, 'onnx_edge_errors_total', { ...where, code: 'INPUT_DTYPE' }) >= 1, 'errors_total{code="INPUT_DTYPE"}');
    const head = await call(example(), '/metrics', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });
}

for (const runtime of RUNTIMES) {
  const found = findRuntime(runtime);
  const skip = found.skip === undefined ? false : `${runtime}: ${found.skip}`;
  describe(`${runtime} example (${found.version ?? 'not available'})`, { skip, timeout: 300_000 }, () => {
    /** @type {RunningExample | undefined} */
    let example;
    before(async () => {
      const probe = { path: '/predict', method: 'POST', body: JSON.stringify({ inputs: IRIS.runs[1].inputs }) };
      example = await startExample(runtime, { probe, timeoutMs: 90_000, lifetimeMs: 300_000 });
      console.log(`# ${runtime}: cold start (spawn to the first /predict answer) ${example.readyMs.toFixed(0)} ms`);
    });
    after(async () => {
      const code = await example?.stop();
      if (example !== undefined && code !== 0 && code !== -1 && code !== null && code !== 143) {
        console.log(`# ${runtime} example exited with ${code}:\n${example.output()}`);
      }
    });
    const get = () => /** @type {RunningExample} */ (example);
    test('the first /predict answered with the reference label', () => {
      assert.deepEqual(JSON.parse(get().firstAnswer).outputs.label.data, IRIS.runs[1].outputs.label.data);
    });
    // The probe made one prediction (of one row) before the checks.
    handlerChecks(runtime, get, { predictions: 1, rows: 1 });
  });
}

/**
 * RSS of a process from /proc (Linux), in bytes; NaN elsewhere.
 * @param {number} pid
 */
function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb === null ? NaN : Number(kb[1]) * 1024;
  } catch {
    return NaN;
  }
}

/**
 * Memory of the example now: RSS from /proc, heap from /healthz, wasm memory from /metrics.
 * @param {RunningExample} example
 */
async function memoryOf(example) {
  const health = await call(example, '/healthz');
  const metrics = await call(example, '/metrics');
  const wasm = samples(metrics.text, 'onnx_edge_wasm_memory_bytes');
  return {
    rss: rssOf(example.pid),
    heapUsed: /** @type {number} */ (health.json.memory?.heapUsed ?? NaN),
    wasm: wasm.length > 0 ? Math.max(...wasm.map((s) => s.value)) : NaN,
  };
}

/**
 * POST `body` over a keep-alive agent (node:http: a lighter client than fetch, so the server is what is measured).
 * @param {http.Agent} agent
 * @param {string} url
 * @param {string} body
 * @returns {Promise<{ status: number, text: string }>}
 */
function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST', agent, timeout: 30_000,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Send `count` /predict requests with `concurrency` in flight on keep-alive connections, rotating over the iris
 * runs, and check every answer's labels. Bounded by count and by `deadlineMs`.
 * @param {RunningExample} example
 * @param {number} count
 * @param {number} concurrency
 * @param {number} deadlineMs
 */
async function load(example, count, concurrency, deadlineMs) {
  const bodies = IRIS.runs.map((run) => JSON.stringify({ inputs: run.inputs }));
  const labels = IRIS.runs.map((run) => JSON.stringify(run.outputs.label.data));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = `${example.url}/predict`;
  const stopAt = performance.now() + deadlineMs;
  let next = 0;
  let ok = 0;
  /** @type {string[]} */
  const errors = [];
  let errorCount = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && performance.now() < stopAt) {
      const k = next % bodies.length;
      next += 1;
      try {
        const { status, text } = await post(agent, url, bodies[k]);
        if (status === 200 && JSON.stringify(JSON.parse(text).outputs.label.data) === labels[k]) ok += 1;
        else {
          errorCount += 1;
          if (errors.length < 5) errors.push(`${status}: ${text.slice(0, 300)}`);
        }
      } catch (error) {
        errorCount += 1;
        if (errors.length < 5) errors.push(String(error));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return { sent: next, ok, errorCount, errors, seconds, perSecond: next / seconds };
}

const node = findRuntime('node');
describe('node example under load', { timeout: 600_000 }, () => {
  /** @type {RunningExample | undefined} */
  let example;
  before(async () => {
    example = await startExample('node', { lifetimeMs: 600_000 });
  });
  after(async () => {
    await example?.stop();
  });

  test(`${LOAD_REQUESTS} requests on loopback (${LOAD_CONCURRENCY} in flight): 0 errors, flat memory`, { skip: node.skip ?? false }, async () => {
    const running = /** @type {RunningExample} */ (example);
    const warm = await load(running, WARMUP_REQUESTS, LOAD_CONCURRENCY, 60_000);
    assert.equal(warm.errorCount, 0, warm.errors.join('\n'));
    const before0 = await memoryOf(running);
    const first = await load(running, LOAD_REQUESTS / 2, LOAD_CONCURRENCY, 240_000);
    const middle = await memoryOf(running);
    const second = await load(running, LOAD_REQUESTS / 2, LOAD_CONCURRENCY, 240_000);
    const end = await memoryOf(running);
    const mib = (/** @type {number} */ n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    const sent = first.sent + second.sent;
    const seconds = first.seconds + second.seconds;
    console.log(`# node load: ${sent} requests in ${seconds.toFixed(2)} s = ${(sent / seconds).toFixed(0)} requests/s `
      + `(${LOAD_CONCURRENCY} in flight, iris, 1 and 5 rows alternating), errors ${first.errorCount + second.errorCount}`);
    console.log(`# node memory: rss ${mib(before0.rss)} -> ${mib(middle.rss)} -> ${mib(end.rss)}; `
      + `heapUsed ${mib(before0.heapUsed)} -> ${mib(middle.heapUsed)} -> ${mib(end.heapUsed)}; `
      + `wasm ${mib(before0.wasm)} -> ${mib(middle.wasm)} -> ${mib(end.wasm)}`);
    assert.equal(sent, LOAD_REQUESTS, 'every request was sent within the time bound');
    assert.equal(first.errorCount + second.errorCount, 0, [...first.errors, ...second.errors].join('\n'));
    assert.equal(first.ok + second.ok, LOAD_REQUESTS);
    if (Number.isFinite(before0.rss)) {
      assert.ok(end.rss - before0.rss < MAX_RSS_GROWTH, `rss grew by ${mib(end.rss - before0.rss)} (bound ${mib(MAX_RSS_GROWTH)})`);
      assert.ok(end.rss - middle.rss < MAX_RSS_GROWTH_SECOND_HALF,
        `rss grew by ${mib(end.rss - middle.rss)} over the second half (bound ${mib(MAX_RSS_GROWTH_SECOND_HALF)})`);
    }
    if (Number.isFinite(before0.wasm)) {
      assert.ok(end.wasm - before0.wasm <= MAX_WASM_GROWTH, `wasm memory grew by ${mib(end.wasm - before0.wasm)}`);
    }
    const metrics = await call(running, '/metrics');
    const errorsTotal = total(metrics.text, 'onnx_edge_errors_total');
    assert.equal(errorsTotal, 0, 'no error recorded by the telemetry');
  });
});

describe('node example with MODEL, MODEL_NAME and MODEL_VERSION', { skip: node.skip ?? false, timeout: 120_000 }, () => {
  /** @type {RunningExample | undefined} */
  let example;
  before(async () => {
    example = await startExample('node', {
      env: { MODEL: 'tests/fixtures/models/ml_logistic_regression_iris.onnx', MODEL_NAME: 'iris-logreg', MODEL_VERSION: '2.0.0' },
      lifetimeMs: 120_000,
    });
  });
  after(async () => {
    await example?.stop();
  });

  test('serves that model under that name and version', async () => {
    const running = /** @type {RunningExample} */ (example);
    const health = await call(running, '/healthz');
    assert.deepEqual(health.json.model, { name: 'iris-logreg', version: '2.0.0' });
    const fixture = await loadCase('ml_logistic_regression_iris');
    for (const run of fixture.runs) {
      const { status, json, text } = await predict(running, { inputs: run.inputs });
      assert.equal(status, 200, text);
      assert.deepEqual(compareOutputs(json.outputs, run.outputs, fixture.tolerance, fixture.exact).failures, []);
    }
    const metrics = await call(running, '/metrics');
    assert.ok(total(metrics.text, 'onnx_edge_predictions_total', { model: 'iris-logreg', version: '2.0.0', variant: 'node' }) > 0);
  });
});

test('config.capnp lists exactly the modules the Worker imports (node www/examples/dev/modules.js prints them)', () => {
  const listed = configModules(readFileSync(path.join(REPO, CONFIG), 'utf8'));
  const needed = workerModules();
  assert.equal(listed[0]?.name, needed[0], 'the Worker is the first (main) module');
  assert.deepEqual(listed.map((m) => m.name).sort(), [...needed].sort(),
    `${CONFIG} is out of date: paste the list that \`node www/examples/dev/modules.js\` prints into it`);
  for (const entry of listed) {
    assert.equal(entry.kind, moduleKind(entry.name), entry.name);
    assert.equal(path.posix.join(path.posix.dirname(CONFIG), entry.file), entry.name, `${entry.name} embeds its own file`);
  }
});

test('the handler refuses a streamed body (no Content-Length) once it passes the limit, reading no further', async () => {
  const { createHandler } = await import('../../www/examples/handler.js');
  /** @type {any} */
  const session = { inputMetadata: [], outputMetadata: [], inputNames: [], outputNames: [], run: () => assert.fail('no run') };
  const handler = createHandler({ session, model: MODEL, maxBodyBytes: 1024 * 1024 });
  let pulled = 0;
  const body = new ReadableStream({
    pull(controller) {
      pulled += 64 * 1024;
      if (pulled > 8 * 1024 * 1024) controller.close(); // a bound for the test itself
      else controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  // @ts-ignore: `duplex` is required by Node's fetch for a stream body but missing from the DOM typings
  const response = await handler(new Request('http://127.0.0.1/predict', { method: 'POST', body, duplex: 'half' }));
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error.code, 'REQUEST_TOO_LARGE');
  assert.ok(pulled <= 1024 * 1024 + 3 * 64 * 1024, `read ${pulled} bytes`);
});

test('the JSON tensor form round-trips every dtype (identity_all_dtypes.onnx, in process)', async () => {
  const { createHandler } = await import('../../www/examples/handler.js');
  const { InferenceSession } = await import('../../www/index.js');
  const session = await InferenceSession.create(path.join(REPO, 'tests/fixtures/models/identity_all_dtypes.onnx'));
  const handler = createHandler({ session, model: { name: 'identity', version: '1' } });
  /** @param {unknown} body */
  const post = async (body) => {
    const response = await handler(new Request('http://127.0.0.1/predict', { method: 'POST', body: JSON.stringify(body) }));
    return { status: response.status, json: await response.json() };
  };
  /** Sent, and what comes back. @type {Record<string, [unknown[], unknown[]]>} */
  const cases = {
    float32: [[1.5, 'NaN', '-Infinity'], [1.5, 'NaN', '-Infinity']],
    float64: [[0.1, 'Infinity', -2], [0.1, 'Infinity', -2]],
    float16: [[0.5, 65504, 'NaN'], [0.5, 65504, 'NaN']],
    int8: [[-128, 0, 127], [-128, 0, 127]],
    uint8: [[0, 255, 7], [0, 255, 7]],
    int16: [[-32768, 1, 32767], [-32768, 1, 32767]],
    uint16: [[0, 1, 65535], [0, 1, 65535]],
    int32: [[-2147483648, 1, 2147483647], [-2147483648, 1, 2147483647]],
    uint32: [[0, 1, 4294967295], [0, 1, 4294967295]],
    int64: [['-9223372036854775808', 9007199254740991, '9007199254740993'], ['-9223372036854775808', 9007199254740991, '9007199254740993']],
    uint64: [['18446744073709551615', 0, '42'], ['18446744073709551615', 0, 42]],
    bool: [[true, false, 1], [true, false, true]],
  };
  /** @type {Record<string, unknown>} */
  const inputs = {};
  for (const [type, [data]] of Object.entries(cases)) inputs[`in_${type}`] = { type, dims: [3], data };
  const { status, json } = await post({ inputs });
  assert.equal(status, 200, JSON.stringify(json));
  for (const [type, [, expected]] of Object.entries(cases)) {
    assert.deepEqual(json.outputs[`out_${type}`], { type, dims: [3], data: expected }, type);
  }
  const refusals = [
    ['int64', ['1.5', 0, 0]], ['uint8', [256, 0, 0]], ['int64', [2 ** 53, 0, 0]], ['bool', ['yes', 0, 0]],
  ];
  for (const [type, data] of refusals) {
    const bad = await post({ inputs: { ...inputs, [`in_${type}`]: { type, dims: [3], data } } });
    assert.equal(bad.status, 400, `${type} ${JSON.stringify(data)}`);
    assert.equal(bad.json.error.code, 'INPUT_DTYPE', JSON.stringify(bad.json));
  }
  await session.release();
});
