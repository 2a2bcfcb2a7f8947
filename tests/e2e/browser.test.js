// The package in headless Chromium (Debian's, driven by playwright-core): a page imports www/index.js by relative
// module path from a loopback server, predicts the iris fixture, and the result must match the reference.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO, compareOutputs, loadIrisCase } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';


test('iris in headless Chromium matches the reference within 1e-4', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const iris = await loadIrisCase();
  const server = await startStaticServer({ root: REPO });
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
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));

    await page.goto(`${server.url}/tests/e2e/pages/iris.html?case=${iris.name}`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 150_000 });
    const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);

    assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);
    assert.equal(result.runs.length, iris.runs.length);
    let worst = 0;
    iris.runs.forEach((run, i) => {
      const { failures, maxAbs } = compareOutputs(result.runs[i], run.outputs, { atol: 1e-4, rtol: 0 }, iris.exact);
      assert.deepEqual(failures, [], `run ${i}`);
      worst = Math.max(worst, ...Object.values(maxAbs));
    });
    t.diagnostic(`${iris.name}: ${iris.runs.length} runs, max abs error ${worst}, load ${Math.round(result.loadMs)} ms`);

    const wasm = server.log.filter((entry) => entry.path.endsWith('.wasm'));
    assert.deepEqual(wasm.map((entry) => [entry.status, entry.type]), [[200, 'application/wasm']], 'the wasm is fetched once, as application/wasm');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
