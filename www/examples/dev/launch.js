// Start an edge example as its own process on 127.0.0.1, wait until it answers, stop it by its PID.
// For the e2e tests (tests/e2e/examples*.test.js, prometheus.test.js) and bench/examples.mjs; Node only.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = path.join(REPO, 'www', 'examples');

/** @typedef {'node' | 'deno' | 'bun' | 'workerd'} Runtime */
export const RUNTIMES = /** @type {const} */ (['node', 'deno', 'bun', 'workerd']);

/**
 * Where each runtime's binary is: the npm package's bin, else its platform package's binary (in case the
 * package's install script, which swaps in the real binary, did not run).
 * @type {Record<Exclude<Runtime, 'node'>, string[]>}
 */
const CANDIDATES = {
  deno: ['node_modules/.bin/deno', 'node_modules/@deno/linux-x64-glibc/deno', 'node_modules/@deno/linux-arm64-glibc/deno'],
  bun: ['node_modules/.bin/bun', 'node_modules/@oven/bun-linux-x64/bin/bun', 'node_modules/@oven/bun-linux-aarch64/bin/bun'],
  workerd: ['node_modules/.bin/workerd', 'node_modules/@cloudflare/workerd-linux-64/bin/workerd',
    'node_modules/@cloudflare/workerd-linux-arm64/bin/workerd'],
};

/**
 * The runtime's binary and version, or why it cannot run here.
 * @param {Runtime} runtime
 * @returns {{ bin: string, version: string, skip?: undefined } | { skip: string, bin?: undefined, version?: undefined }}
 */
export function findRuntime(runtime) {
  if (runtime === 'node') return { bin: process.execPath, version: process.version };
  /** @type {string[]} */
  const tried = [];
  for (const candidate of CANDIDATES[runtime]) {
    const bin = path.join(REPO, candidate);
    if (!existsSync(bin)) continue;
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000, env: runtimeEnv(runtime, os.tmpdir()) });
    if (probe.status === 0) return { bin, version: probe.stdout.trim().split('\n')[0] };
    tried.push(`${candidate}: ${probe.error?.message ?? `exit ${probe.status}: ${(probe.stderr || probe.stdout).trim().slice(0, 200)}`}`);
  }
  return {
    skip: tried.length === 0
      ? `${runtime} is not installed (npm devDependency "${runtime}"; run npm ci)`
      : `${runtime} cannot run here: ${tried.join('; ')}`,
  };
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {Runtime} runtime
 * @param {string} tmp a private folder (Deno's cache)
 * @returns {NodeJS.ProcessEnv}
 */
function runtimeEnv(runtime, tmp) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // node --test passes its own; the children must not inherit them
  delete env.NODE_TEST_CONTEXT;
  if (runtime === 'deno') Object.assign(env, { DENO_DIR: path.join(tmp, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
  if (runtime === 'bun') Object.assign(env, { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' });
  return env;
}

/**
 * The command that starts an example: the one the README shows, with the port made explicit.
 * @param {Runtime} runtime
 * @param {string} bin
 * @param {number} port
 * @returns {string[]}
 */
export function exampleCommand(runtime, bin, port) {
  switch (runtime) {
    case 'node':
      return [bin, path.join(EXAMPLES, 'node', 'server.js')];
    case 'deno':
      return [bin, 'run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', '--no-prompt',
        path.join(EXAMPLES, 'deno', 'server.js')];
    case 'bun':
      return [bin, path.join(EXAMPLES, 'bun', 'server.js')];
    case 'workerd':
      return [bin, 'serve', path.join(EXAMPLES, 'cloudflare', 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`];
    default:
      throw new Error(`unknown runtime ${runtime}`);
  }
}

/**
 * @typedef {object} RunningExample
 * @property {Runtime} runtime
 * @property {string} url e.g. http://127.0.0.1:40123
 * @property {number} pid
 * @property {number} readyMs from spawn to the first 200 answer to the probe request (the cold start when the
 *   probe is a /predict)
 * @property {string} firstAnswer the body of that answer
 * @property {() => string} output what the process printed so far (stdout and stderr, the last 20,000 characters)
 * @property {() => Promise<number | null>} stop SIGTERM, then SIGKILL after 5 s; resolves with the exit code
 */

/**
 * @typedef {object} StartOptions
 * @property {number} [port] default: a free one
 * @property {Record<string, string>} [env] more environment for the process
 * @property {{ path: string, method?: string, body?: string }} [probe] the request repeated every 10 ms until it
 *   gets a 200 (default `GET /healthz`)
 * @property {number} [timeoutMs] give up (and stop the process) after this long without a 200 (default 60 s)
 * @property {number} [lifetimeMs] the process is killed after this long whatever happens (default 10 minutes)
 */

/**
 * Start one example and wait (bounded) until it answers the probe with 200.
 * @param {Runtime} runtime
 * @param {StartOptions} [options]
 * @returns {Promise<RunningExample>}
 */
export async function startExample(runtime, options = {}) {
  const found = findRuntime(runtime);
  if (found.skip !== undefined) throw new Error(found.skip);
  const port = options.port ?? await freePort();
  const tmp = await mkdtemp(path.join(os.tmpdir(), `onnx-edge-${runtime}-`));
  const [command, ...args] = exampleCommand(runtime, found.bin, port);
  const probe = options.probe ?? { path: '/healthz' };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: REPO,
    env: { ...runtimeEnv(runtime, tmp), PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const keep = (/** @type {Buffer} */ chunk) => { printed = (printed + chunk.toString()).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let alive = true;
  void exited.then(() => { alive = false; });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.lifetimeMs ?? 600_000);
  killer.unref();

  const stop = async () => {
    clearTimeout(killer);
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(tmp, { recursive: true, force: true });
    return exited;
  };

  const url = `http://127.0.0.1:${port}`;
  let firstAnswer = '';
  for (;;) {
    if (!alive) {
      await stop();
      throw new Error(`the ${runtime} example exited before answering:\n${printed}`);
    }
    /** @type {{ status: number, text: string } | null} */
    let answer = null;
    try {
      const response = await fetch(`${url}${probe.path}`, {
        method: probe.method ?? 'GET',
        headers: probe.body === undefined ? {} : { 'content-type': 'application/json' },
        body: probe.body,
        signal: AbortSignal.timeout(5_000),
      });
      answer = { status: response.status, text: await response.text() };
    } catch {
      // not listening yet
    }
    if (answer !== null && answer.status === 200) {
      firstAnswer = answer.text;
      break;
    }
    if (answer !== null && answer.status !== 503) { // listening, but wrong: no point in waiting
      await stop();
      throw new Error(`the ${runtime} example answered ${probe.path} with ${answer.status}: ${answer.text}\n${printed}`);
    }
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`the ${runtime} example did not answer on ${url} within ${timeoutMs} ms:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    runtime, url, pid: /** @type {number} */ (child.pid), readyMs: performance.now() - started, firstAnswer,
    output: () => printed, stop,
  };
}

/**
 * Cold start of an example: from spawning it until the answer to its first /predict (sent every 10 ms until the
 * socket accepts it), then the latency of the second /predict. The process is stopped afterwards.
 * @param {Runtime} runtime
 * @param {unknown} body a /predict body
 * @returns {Promise<{ coldStartMs: number, secondPredictMs: number }>}
 */
export async function measureColdStart(runtime, body) {
  const text = JSON.stringify(body);
  const example = await startExample(runtime, { probe: { path: '/predict', method: 'POST', body: text } });
  try {
    const t0 = performance.now();
    const response = await fetch(`${example.url}/predict`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: text,
    });
    const answer = await response.text();
    if (response.status !== 200) throw new Error(`/predict answered ${response.status}: ${answer}`);
    return { coldStartMs: example.readyMs, secondPredictMs: performance.now() - t0 };
  } finally {
    await example.stop();
  }
}
