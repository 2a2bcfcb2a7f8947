// The model registry in headless Chromium (Debian's, driven by playwright-core): a page from one loopback server
// loads iris from a registry made by the CLI and served by `onnx-edge serve` on another (cross-origin, CORS),
// into Cache Storage; then the registry server stops, the page reloads, and the model comes from the cache.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO } from '../../www/test-support/fixtures.js';
import { cliMissing, docStringOf, makeRegistry, serve, wasmMissing } from '../../www/registry/test-support/registry-fixture.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

const skip = chromiumMissing
  || cliMissing() || (await wasmMissing());

test('registry in headless Chromium: load into Cache Storage, stop the server, reload, load from the cache', { skip, timeout: 240_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const published = await makeRegistry();
  const registryServer = await serve(published.dir, { lifetimeSecs: 200 });
  const pages = await startStaticServer({ root: REPO, lifetimeMs: 200_000 });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    let registryDown = false;
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Once the registry server is gone, Chromium reports the refused manifest request on the console: expected.
      if (registryDown && /ERR_CONNECTION_REFUSED|Failed to load resource/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    /** @type {string[]} */
    const registryRequests = [];
    page.on('request', (request) => {
      if (request.url().startsWith(registryServer.url)) registryRequests.push(new URL(request.url()).pathname);
    });
    page.on('requestfailed', (request) => {
      if (registryDown && request.url().startsWith(registryServer.url)) return;
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });

    const query = new URLSearchParams({ manifest: registryServer.manifestUrl, key: published.publicKey, spec: 'iris@stable' });
    const url = `${pages.url}/tests/e2e/pages/registry.html?${query}`;
    const sha256 = published.files['1.2.0'].sha256;
    const size = published.files['1.2.0'].size;

    const result = async () => {
      await page.waitForFunction(() => document.title === 'done', null, { timeout: 120_000 });
      return page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
    };

    await page.goto(url);
    const online = await result();
    assert.ok(online.ok, `the page failed: ${JSON.stringify(online)}`);
    assert.deepEqual(online.model, { name: 'iris', version: '1.2.0', alias: 'stable', sha256 });
    assert.equal(online.docString, docStringOf('1.2.0'));
    assert.deepEqual(online.label, [0], 'setosa');
    assert.equal(online.manifest.source, 'network');
    assert.equal(online.manifest.signed, true);
    for (let i = 1; i < online.progress.length; i += 1) assert.ok(online.progress[i].loaded > online.progress[i - 1].loaded);
    assert.deepEqual(online.progress.at(-1), { loaded: size, total: size });
    assert.deepEqual(online.cached, [{ version: '1.2.0', sha256 }]);
    assert.ok(online.cacheStorage.some((/** @type {string} */ u) => u.endsWith(`model-${sha256}`)), 'the model is in Cache Storage');
    t.diagnostic(`online: ${online.progress.length} progress events, Cache Storage keys ${online.cacheStorage.length}`);

    const file = JSON.parse(await readFile(path.join(published.dir, 'manifest.json'), 'utf8')).models.iris.versions['1.2.0'].file;
    assert.deepEqual(registryRequests, ['/manifest.json', `/${file}`]);
    await registryServer.stop();
    registryDown = true;
    registryRequests.length = 0;
    await page.reload();
    const offline = await result();
    assert.ok(offline.ok, `the page failed offline: ${JSON.stringify(offline)}`);
    assert.deepEqual(offline.model, { name: 'iris', version: '1.2.0', alias: 'stable', sha256 });
    assert.deepEqual(offline.label, [0]);
    assert.equal(offline.manifest.source, 'offline', 'the last verified manifest from Cache Storage');
    assert.deepEqual(offline.progress, [{ loaded: size, total: size }]);
    assert.deepEqual(registryRequests, ['/manifest.json'], 'only the manifest was asked for (and failed): the model came from Cache Storage');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await registryServer.stop();
    await pages.close();
    await published.remove();
    await rm(profile, { recursive: true, force: true });
  }
});
