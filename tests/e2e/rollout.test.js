// Sticky A/B assignment across runtimes: a registry with weights 90/10 (made by the CLI, served by `onnx-edge serve`
// on 127.0.0.1) is deployed in headless Chromium (Debian's, driven by playwright-core) and in Node; 10,000 user keys
// get the same bucket and version in both (and the bucket a server computes with sha256), and 500 deployed runs are
// answered by the same version and variant.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { ModelRegistry, Tensor, assignVariant } from '../../www/index.js';
import { REPO } from '../../www/test-support/fixtures.js';
import { MODELS, makeRolloutRegistry, rolloutMissing, serve } from '../../www/rollout/test-support/rollout-registry.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

const skip = chromiumMissing
  || (await rolloutMissing());
const KEYS = 10_000;
const RUNS = 500;

/** @param {string} key */
const serverBucket = (key) => Number(createHash('sha256').update(key, 'utf8').digest().readBigUInt64BE(0) % 10_000n);

test('the same key gets the same variant in Node and in headless Chromium', { skip, timeout: 240_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const published = await makeRolloutRegistry('iris', [
    { version: '1.0.0', model: MODELS.logreg, aliases: ['stable'] },
    { version: '1.1.0', model: MODELS.logreg, aliases: ['canary'], docString: 'canary' },
  ]);
  await published.rollout({ '1.0.0': 90, '1.1.0': 10 });
  const registryServer = await serve(published.dir, { lifetimeSecs: 200 });
  const pages = await startStaticServer({ root: REPO, lifetimeMs: 200_000 });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    const query = new URLSearchParams({ manifest: registryServer.manifestUrl, key: published.publicKey, keys: String(KEYS), runs: String(RUNS) });
    await page.goto(`${pages.url}/tests/e2e/pages/rollout.html?${query}`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 180_000 });
    const browser = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
    assert.ok(browser.ok, `the page failed: ${JSON.stringify(browser)}`);
    assert.deepEqual(browser.weights, { '1.0.0': 90, '1.1.0': 10 });

    const registry = new ModelRegistry({ manifest: registryServer.manifestUrl, publicKey: published.publicKey, cache: 'memory' });
    const deployment = await registry.deploy('iris');
    try {
      /** @type {(string | undefined)[]} */
      const assigned = [];
      for (let i = 0; i < KEYS; i += 1) {
        assert.equal(browser.buckets[i], serverBucket(`user-${i}`), `bucket of user-${i}`);
        assigned.push(await assignVariant(`user-${i}`, browser.weights));
      }
      assert.deepEqual(browser.assigned, assigned);
      const feeds = { X: new Tensor('float32', Float32Array.from([5.8, 2.7, 5.1, 1.9]), [1, 4]) };
      /** @type {string[]} */
      const served = [];
      for (let i = 0; i < RUNS; i += 1) {
        const { version, variant } = await deployment.run(feeds, { userKey: `user-${i}` });
        served.push(`${version}/${variant}`);
      }
      assert.deepEqual(browser.served, served);
      const canary = assigned.filter((v) => v === '1.1.0').length / KEYS;
      assert.ok(Math.abs(canary - 0.1) <= 0.02, `canary share ${canary}`);
      t.diagnostic(`canary share ${canary}; ${served.filter((s) => s.endsWith('/canary')).length} of ${RUNS} runs served by the canary in both`);
    } finally {
      await deployment.release();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await registryServer.stop();
    await pages.close();
    await published.remove();
    await rm(profile, { recursive: true, force: true });
  }
});
