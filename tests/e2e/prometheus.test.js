// A real Prometheus (Debian's package; installed by scripts/setup.sh, nothing is installed here) scrapes the Node
// edge example's /metrics while predictions run; its HTTP API must then return the prediction count and a
// non-empty latency histogram, and the shipped alert rules must evaluate without error on the real series. promtool
// checks our exposition (`check metrics`), deploy/prometheus.yml (`check config`), deploy/alerts.yml (`check
// rules`, and `test rules` with deploy/alerts.test.yml); every PromQL query of deploy/grafana-dashboard.json must
// parse and run. Without the `prometheus` or `promtool` binary the tests are skipped, saying so.
//
// Everything listens on 127.0.0.1; Prometheus and the example are stopped by their PIDs; every wait is bounded.

import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { freePort, REPO, startExample } from '../../www/examples/dev/launch.js';
import { loadCase } from '../../www/test-support/fixtures.js';

/** @typedef {import('../../www/examples/dev/launch.js').RunningExample} RunningExample */

const DEPLOY = path.join(REPO, 'deploy');
const IRIS = await loadCase('iris_rf');
/** Predictions sent before Prometheus starts, and while it scrapes. */
const PREDICTIONS = 300;
const JOB = 'onnx-edge';

/**
 * The binary's version line, or why it cannot be used.
 * @param {string} name
 * @returns {{ version: string, skip?: undefined } | { skip: string, version?: undefined }}
 */
function probe(name) {
  const result = spawnSync(name, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (result.error !== undefined || result.status !== 0) {
    return { skip: `${name} is not installed or does not run (${result.error?.message ?? `exit ${result.status}`}); scripts/setup.sh installs Debian's prometheus package` };
  }
  return { version: `${result.stdout}${result.stderr}`.trim().split('\n')[0] };
}

const prometheus = probe('prometheus');
const promtool = probe('promtool');

/**
 * Run promtool, with `input` on its stdin.
 * @param {string[]} args
 * @param {string} [input]
 * @returns {Promise<{ code: number, output: string }>}
 */
function runPromtool(args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile('promtool', args, { cwd: REPO, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(input ?? '');
  });
}

/**
 * GET a JSON API path of Prometheus.
 * @param {string} base
 * @param {string} route
 * @returns {Promise<any>}
 */
async function api(base, route) {
  const response = await fetch(`${base}${route}`, { signal: AbortSignal.timeout(10_000) });
  return response.json();
}

/**
 * An instant query; the result vector.
 * @param {string} base
 * @param {string} query
 * @returns {Promise<{ status: string, error?: string, data?: { resultType: string, result: { metric: Record<string, string>, value: [number, string] }[] } }>}
 */
function query(base, query) {
  return api(base, `/api/v1/query?query=${encodeURIComponent(query)}`);
}

/**
 * Poll `check` every 250 ms until it returns a truthy value or `timeoutMs` passes.
 * @template T
 * @param {() => Promise<T>} check
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(check, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  /** @type {unknown} */
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) assert.fail(`${what}: not after ${timeoutMs} ms (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * POST /predict `count` times over one keep-alive connection, rotating over the iris runs; the rows predicted.
 * @param {RunningExample} example
 * @param {number} count
 */
async function predictions(example, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let rows = 0;
  try {
    for (let i = 0; i < count; i += 1) {
      const run = IRIS.runs[i % IRIS.runs.length];
      const body = JSON.stringify({ inputs: run.inputs });
      const status = await new Promise((resolve, reject) => {
        const request = http.request(`${example.url}/predict`, {
          method: 'POST', agent, timeout: 30_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        });
        request.on('timeout', () => request.destroy(new Error('timed out')));
        request.on('error', reject);
        request.end(body);
      });
      assert.equal(status, 200);
      rows += run.inputs.X.dims[0];
    }
  } finally {
    agent.destroy();
  }
  return rows;
}

describe('promtool on the shipped files', { skip: promtool.skip ?? false }, () => {
  test('promtool check config deploy/prometheus.yml', async () => {
    const { code, output } = await runPromtool(['check', 'config', path.join(DEPLOY, 'prometheus.yml')]);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS/);
  });

  test('promtool check rules deploy/alerts.yml', async () => {
    const { code, output } = await runPromtool(['check', 'rules', path.join(DEPLOY, 'alerts.yml')]);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS: \d+ rules found/);
  });

  test('promtool test rules deploy/alerts.test.yml: each alert fires when it should, and only then', async () => {
    const { code, output } = await runPromtool(['test', 'rules', path.join(DEPLOY, 'alerts.test.yml')]);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS/);
  });

  test('the unit tests cover every alert of deploy/alerts.yml', () => {
    const alerts = [...readFileSync(path.join(DEPLOY, 'alerts.yml'), 'utf8').matchAll(/^\s*- alert:\s*(\S+)/gm)].map((m) => m[1]);
    const tested = new Set([...readFileSync(path.join(DEPLOY, 'alerts.test.yml'), 'utf8').matchAll(/alertname:\s*(\S+)/g)].map((m) => m[1]));
    assert.ok(alerts.length >= 4, alerts.join(', '));
    assert.deepEqual(alerts.filter((a) => !tested.has(a)), []);
  });
});

describe(`a real Prometheus scraping the Node example (${prometheus.version ?? 'not available'})`, {
  skip: prometheus.skip ?? promtool.skip ?? false, timeout: 300_000,
}, () => {
  /** @type {RunningExample | undefined} */
  let example;
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let server;
  /** @type {Promise<unknown> | undefined} */
  let serverExited;
  let serverOutput = '';
  /** @type {string} */
  let tmp = '';
  let base = '';
  let rows = 0;

  before(async () => {
    example = await startExample('node', { lifetimeMs: 300_000 });
    rows = await predictions(example, PREDICTIONS);

    tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-prometheus-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${JSON.stringify(path.join(DEPLOY, 'alerts.yml'))}`,
      'scrape_configs:',
      `  - job_name: ${JOB}`,
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: [${JSON.stringify(new URL(example.url).host)}]`,
      '',
    ].join('\n');
    await writeFile(path.join(tmp, 'prometheus.yml'), config);
    server = spawn('prometheus', [
      `--config.file=${path.join(tmp, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (/** @type {Buffer} */ chunk) => { serverOutput = (serverOutput + chunk.toString()).slice(-20_000); };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    const child = server;
    serverExited = new Promise((resolve) => child.once('exit', resolve));
    const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    killer.unref();
    await waitFor(async () => (await fetch(`${base}/-/ready`)).ok, 60_000, `Prometheus ready on ${base}\n${serverOutput}`);
  });

  after(async () => {
    if (server !== undefined && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM'); // by its PID
      const timer = setTimeout(() => server?.kill('SIGKILL'), 10_000);
      await serverExited;
      clearTimeout(timer);
    }
    await example?.stop();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  });

  test('the scrape target is up', async () => {
    await waitFor(async () => {
      const { data } = await api(base, '/api/v1/targets');
      return data.activeTargets.some((/** @type {any} */ t) => t.labels.job === JOB && t.health === 'up');
    }, 30_000, 'target up');
  });

  test('the query API returns the predictions made (onnx_edge_predictions_total counts rows)', async () => {
    // More predictions while Prometheus scrapes: the counter it stores must catch up with them.
    rows += await predictions(/** @type {RunningExample} */ (example), 50);
    const q = `sum(onnx_edge_predictions_total{job="${JOB}", model="iris", version="1.0.0", variant="node"})`;
    await waitFor(async () => {
      const result = await query(base, q);
      return result.status === 'success' && Number(result.data?.result[0]?.value[1]) === rows;
    }, 30_000, `${q} == ${rows}`);
    const runs = await query(base, `sum(onnx_edge_inference_duration_seconds_count{job="${JOB}"})`);
    assert.equal(Number(runs.data?.result[0]?.value[1]), PREDICTIONS + 50, 'one histogram observation per run');
  });

  test('the latency histogram is there and not empty; its p95 is a finite duration', async () => {
    const buckets = await query(base, `onnx_edge_inference_duration_seconds_bucket{job="${JOB}"}`);
    assert.equal(buckets.status, 'success');
    const series = buckets.data?.result ?? [];
    assert.ok(series.length >= 2, `${series.length} bucket series`);
    const inf = series.find((s) => s.metric.le === '+Inf');
    assert.ok(inf !== undefined && Number(inf.value[1]) > 0, 'the +Inf bucket counts the runs');
    const p95 = await waitFor(async () => {
      const result = await query(base, `histogram_quantile(0.95, sum by (le) (rate(onnx_edge_inference_duration_seconds_bucket{job="${JOB}"}[1m])))`);
      const value = Number(result.data?.result[0]?.value[1]);
      return Number.isFinite(value) && value > 0 ? value : 0;
    }, 30_000, 'a finite p95');
    console.log(`# p95 inference latency seen by Prometheus: ${(p95 * 1e3).toFixed(3)} ms`);
  });

  test('the alert rules of deploy/alerts.yml evaluate on the real series without error', async () => {
    const groups = /** @type {any[]} */ (await waitFor(async () => {
      const { data } = await api(base, '/api/v1/rules');
      /** @type {any[]} */
      const all = data.groups;
      const evaluated = all.length > 0 && all.every((g) => g.rules.every((/** @type {any} */ r) => r.health !== 'unknown'));
      return evaluated ? all : null;
    }, 30_000, 'every rule evaluated once'));
    const bad = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`);
    assert.deepEqual(bad, []);
    // The recording rules produce the series the alerts read.
    await waitFor(async () => {
      const result = await query(base, `onnx_edge:runs:rate5m{job="${JOB}", model="iris"}`);
      return Number(result.data?.result[0]?.value[1]) > 0;
    }, 30_000, 'onnx_edge:runs:rate5m > 0');
  });

  test('every PromQL query of deploy/grafana-dashboard.json parses and runs', async () => {
    const dashboard = JSON.parse(readFileSync(path.join(DEPLOY, 'grafana-dashboard.json'), 'utf8'));
    /** @type {string[]} */
    const exprs = [];
    for (const panel of dashboard.panels) for (const target of panel.targets ?? []) exprs.push(target.expr);
    for (const annotation of dashboard.annotations.list) if (annotation.expr) exprs.push(annotation.expr);
    for (const variable of dashboard.templating.list) {
      const match = /^label_values\((.*),\s*\w+\)$/.exec(variable.query?.query ?? '');
      if (match !== null) exprs.push(match[1]);
    }
    assert.ok(exprs.length >= 15, `${exprs.length} queries`);
    for (const expr of exprs) {
      const concrete = expr.replaceAll('$__rate_interval', '1m').replace(/\$(job|model|version|variant)\b/g, '.*');
      const result = await query(base, concrete);
      assert.equal(result.status, 'success', `${expr}: ${result.error}`);
    }
    // And the main panels show data from the example.
    const rate = await query(base, `sum(rate(onnx_edge_predictions_total{job=~".*", model=~".*", version=~".*", variant=~".*"}[1m]))`);
    assert.ok((rate.data?.result.length ?? 0) > 0);
  });

  test('promtool check metrics accepts the exposition of the example', async () => {
    const response = await fetch(`${/** @type {RunningExample} */ (example).url}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.ok(text.includes('onnx_edge_predictions_total'));
    const { code, output } = await runPromtool(['check', 'metrics'], text);
    assert.equal(code, 0, `promtool check metrics:\n${output}`);
  });
});
