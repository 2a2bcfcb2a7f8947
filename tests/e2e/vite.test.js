// The package in a fresh Vite project, without bundler plugins or config: `npm pack` www/, install the tarball
// into a new folder with an index.html and a main.js that imports 'onnx-edge', `vite build`, serve dist/ on
// 127.0.0.1 and predict iris in headless Chromium, on the page's thread and in a worker session (Vite bundles
// the worker from `new Worker(new URL('./worker.js', import.meta.url))` and the wasm from `new URL(...)`).
// Vite is the repository's dev dependency, linked into the project: nothing is downloaded at test time.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { FIXTURES, REPO, compareOutputs, loadIrisCase } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
const VITE = path.join(REPO, 'node_modules', 'vite');
const viteMissing = !existsSync(path.join(VITE, 'bin', 'vite.js')) && 'vite is not installed (npm ci at the repository root)';

/** The project's page: plain HTML, its script a module Vite bundles. */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>onnx-edge with Vite</title><link rel="icon" href="data:,"></head>
<body><pre id="out">running…</pre><script type="module" src="/main.js"></script></body>
</html>
`;

/** What a user writes: the package by name, the model and the case from public/. */
const MAIN_JS = `import { InferenceSession, Tensor, createWorkerSession } from 'onnx-edge';

function feedsOf(run) {
  const feeds = {};
  for (const [name, spec] of Object.entries(run.inputs)) feeds[name] = new Tensor(spec.type, Float32Array.from(spec.data, Number), spec.dims);
  return feeds;
}

async function predict(session, fixture) {
  const runs = [];
  for (const run of fixture.runs) {
    const outputs = await session.run(feedsOf(run));
    runs.push(Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { type: t.type, dims: [...t.dims], data: Array.from(t.data, Number) }])));
  }
  await session.release();
  return runs;
}

async function main() {
  const fixture = await (await fetch('./case.json')).json();
  const mainThread = await predict(await InferenceSession.create('./model.onnx'), fixture);
  const worker = await predict(await createWorkerSession('./model.onnx'), fixture);
  return { ok: true, mainThread, worker };
}

main()
  .catch((e) => ({ ok: false, name: e?.name, code: e?.code, message: String(e?.message ?? e) }))
  .then((result) => {
    window.onnxEdgeResult = result;
    document.getElementById('out').textContent = JSON.stringify(result).slice(0, 2000);
    document.title = 'done';
  });
`;

test('a Vite project without plugins builds with the packed package and predicts iris in Chromium', { skip: chromiumMissing || viteMissing, timeout: 300_000 }, async (t) => {
  const iris = await loadIrisCase();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-vite-'));
  try {
    const { stdout } = await run(NPM, ['pack', path.join(REPO, 'www'), '--pack-destination', tmp, '--json'], { cwd: REPO, env: npmEnv, maxBuffer: 64 << 20 });
    const tarball = path.join(tmp, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);

    const app = path.join(tmp, 'app');
    await mkdir(path.join(app, 'public'), { recursive: true });
    const viteVersion = JSON.parse(await readFile(path.join(VITE, 'package.json'), 'utf8')).version;
    /** @param {Record<string, string>} [devDependencies] */
    const writePackageJson = (devDependencies) => writeFile(path.join(app, 'package.json'), JSON.stringify({
      name: 'onnx-edge-vite-app', private: true, type: 'module', scripts: { build: 'vite build' }, devDependencies,
    }, null, 2));
    await writePackageJson();
    await writeFile(path.join(app, 'index.html'), INDEX_HTML);
    await writeFile(path.join(app, 'main.js'), MAIN_JS);
    await copyFile(path.join(FIXTURES, iris.model), path.join(app, 'public', 'model.onnx'));
    await copyFile(path.join(FIXTURES, 'cases', `${iris.name}.json`), path.join(app, 'public', 'case.json'));

    // The tarball has no dependencies: installing it needs no registry. Vite is the repository's own copy.
    await run(NPM, ['install', tarball, '--offline', '--no-save', '--no-audit', '--no-fund'], { cwd: app, env: npmEnv });
    await symlink(VITE, path.join(app, 'node_modules', 'vite'), 'dir');
    await writePackageJson({ vite: viteVersion }); // the project as its author has it, vite in place
    const built = await run(process.execPath, [path.join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
      cwd: app, env: { ...npmEnv, NO_COLOR: '1' }, maxBuffer: 16 << 20,
    }).catch((error) => assert.fail(`vite build failed:\n${error.stdout}${error.stderr}`));
    t.diagnostic(`vite ${viteVersion}: ${built.stdout.split('\n').filter((line) => /\.(js|wasm)\b/.test(line)).map((line) => line.trim().replace(/\s+/g, ' ')).join('; ')}`);

    const assets = await readdir(path.join(app, 'dist', 'assets'));
    assert.ok(assets.some((name) => name.endsWith('.wasm')), `the wasm is an asset of the build: ${assets.join(', ')}`);
    assert.ok(assets.some((name) => /^worker-.*\.js$/.test(name)), `the session worker is bundled: ${assets.join(', ')}`);

    const { chromium } = await import('playwright-core');
    const server = await startStaticServer({ root: path.join(app, 'dist') });
    const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = await context.newPage();
      /** @type {string[]} */
      const problems = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      // See worker.test.js: a model fetch read to its end through a stream reader may be reported as aborted.
      page.on('requestfailed', (request) => {
        const abortedAfterBody = request.failure()?.errorText === 'net::ERR_ABORTED' && request.url().endsWith('.onnx');
        if (!abortedAfterBody) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
      });
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => document.title === 'done', null, { timeout: 150_000 });
      const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
      assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);
      for (const where of /** @type {const} */ (['mainThread', 'worker'])) {
        assert.equal(result[where].length, iris.runs.length);
        iris.runs.forEach((r, i) => {
          assert.deepEqual(compareOutputs(result[where][i], r.outputs, iris.tolerance, iris.exact).failures, [], `${where}, run ${i}`);
        });
      }
      const wasm = server.log.filter((entry) => entry.path.endsWith('.wasm'));
      assert.deepEqual(wasm.map((entry) => [entry.status, entry.type]), [[200, 'application/wasm'], [200, 'application/wasm']],
        'the hashed wasm asset is fetched once by the page and once by the worker, as application/wasm');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
