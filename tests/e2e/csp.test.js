// onnx-edge under a strict Content-Security-Policy in headless Chromium: no 'unsafe-eval', no blob:, no inline
// script; wasm allowed by 'wasm-unsafe-eval' only. An InferenceSession on the page's thread and a worker session
// both predict iris as the onnxruntime reference does, and no securitypolicyviolation fires (a deliberate one at
// the end shows the policy is in force and heard).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO, compareOutputs, loadIrisCase } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

/** The policy under test, on every answer of the server (pages, modules, the worker script, wasm, models). */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'";

test('strict CSP: main thread and worker session predict iris, no CSP violation', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const iris = await loadIrisCase();
  const server = await startStaticServer({ root: REPO, headers: { 'content-security-policy': STRICT_CSP } });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    /** @type {string[]} */
    const refusals = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text)) refusals.push(text);
      else if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${text}`);
    });
    // See worker.test.js: a model fetch read to its end through a stream reader may be reported as aborted.
    page.on('requestfailed', (request) => {
      const abortedAfterBody = request.failure()?.errorText === 'net::ERR_ABORTED' && request.url().endsWith('.onnx');
      if (!abortedAfterBody && !request.url().startsWith('http://localhost:')) {
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
      }
    });

    const response = await page.goto(`${server.url}/tests/e2e/pages/csp.html?case=${iris.name}`);
    assert.equal(response?.headers()['content-security-policy'], STRICT_CSP);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 150_000 });
    const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
    assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);

    for (const where of /** @type {const} */ (['mainThread', 'worker'])) {
      assert.equal(result[where].length, iris.runs.length);
      iris.runs.forEach((run, i) => {
        assert.deepEqual(compareOutputs(result[where][i], run.outputs, iris.tolerance, iris.exact).failures, [], `${where}, run ${i}`);
      });
    }
    assert.deepEqual(result.violations.filter((/** @type {{ phase: string }} */ v) => v.phase !== 'control'), [], 'no CSP violation while predicting');
    assert.equal(result.controlBlocked, true, 'the policy refuses a fetch to another origin');
    assert.deepEqual(result.violations.map((/** @type {{ directive: string }} */ v) => v.directive), ['connect-src'], 'and the page hears that violation');
    assert.ok(refusals.length > 0 && refusals.every((text) => text.includes('http://localhost:')),
      `Chromium logs refusals for the control only: ${refusals.join(' | ')}`);
    const worker = server.log.find((entry) => entry.path === '/www/worker/worker.js');
    assert.equal(worker?.status, 200, 'the worker script is loaded from its own file');
    t.diagnostic(`requests: ${server.log.length}, violations while predicting: 0`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
