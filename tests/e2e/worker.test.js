// createWorkerSession in headless Chromium: a real module worker started from www/worker/worker.js predicts the
// iris fixture as the onnxruntime reference does, a bad input is the typed error and the session goes on, a run
// after release is RELEASED, and a long batch in the worker leaves the page's timer ticking (the same batch on
// the page's thread is measured first, to show that it would block).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO, compareOutputs, loadIrisCase } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

test('a worker session in Chromium: reference outputs, typed errors, RELEASED, a page that stays responsive', { skip: chromiumMissing, timeout: 240_000 }, async (t) => {
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
    // Chromium reports a fetch whose body was read to its end through a stream reader (source.js does, for
    // progress and size limits) as net::ERR_ABORTED when the reader is let go before the loader's own completion
    // arrives: the bytes were all delivered (the server's log shows the 200 and the model loads). Anything else is
    // a problem.
    page.on('requestfailed', (request) => {
      const abortedAfterBody = request.failure()?.errorText === 'net::ERR_ABORTED' && request.url().endsWith('.onnx');
      if (!abortedAfterBody) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    /** @type {string[]} */
    const workers = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));

    await page.goto(`${server.url}/tests/e2e/pages/worker.html?case=${iris.name}`);
    await page.waitForFunction(() => document.title === 'done', null, { timeout: 200_000 });
    const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
    assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);

    assert.deepEqual(workers, ['/www/worker/worker.js', '/www/worker/worker.js'], 'one module worker per session, from its own file');
    assert.deepEqual(result.inputNames, Object.keys(iris.runs[0].inputs));
    assert.deepEqual([...result.outputNames].sort(), Object.keys(iris.runs[0].outputs).sort());
    assert.equal(typeof result.producerName, 'string');
    assert.ok(result.progress.length > 0 && result.progress.at(-1).loaded === result.progress.at(-1).total, JSON.stringify(result.progress));

    assert.equal(result.runs.length, iris.runs.length);
    iris.runs.forEach((run, i) => {
      const outputs = result.runs[i];
      assert.ok(Object.values(outputs).every((o) => /** @type {any} */ (o).isTensor), 'outputs are Tensors');
      assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, [], `run ${i}`);
    });

    assert.equal(result.badInput?.isOnnxEdgeError, true, JSON.stringify(result.badInput));
    assert.equal(result.badInput.code, 'INPUT_SHAPE');
    assert.equal(result.badInput.details.input, result.inputNames[0]);
    assert.deepEqual(result.badInput.details.actual, [1, 3]);
    assert.deepEqual(compareOutputs(result.afterBad, iris.runs[0].outputs, iris.tolerance, iris.exact).failures, [], 'the session works after a bad input');

    assert.deepEqual(compareOutputs(result.movedOutputs, iris.runs[0].outputs, iris.tolerance, iris.exact).failures, []);
    assert.equal(result.movedLength, 0, 'with transfer: true the input buffer moved to the worker');

    assert.equal(result.afterRelease?.isOnnxEdgeError, true, JSON.stringify(result.afterRelease));
    assert.equal(result.afterRelease.code, 'RELEASED');

    const { onThisThread, inWorker, rows } = result;
    t.diagnostic(`${rows} rows: on the page's thread ${Math.round(onThisThread.ms)} ms (longest timer gap ${Math.round(onThisThread.maxGap)} ms), `
      + `in the worker ${Math.round(inWorker.ms)} ms (longest gap ${Math.round(inWorker.maxGap)} ms, ${inWorker.ticks} ticks)`);
    assert.ok(onThisThread.maxGap >= 0.8 * onThisThread.ms, 'the batch on the page\'s own thread blocks its timer (else this check proves nothing)');
    assert.ok(onThisThread.ms >= 200, `the batch is long enough to notice (${onThisThread.ms} ms)`);
    assert.ok(inWorker.maxGap < onThisThread.ms / 2, 'the page\'s timer keeps ticking while the worker runs the batch');
    assert.ok(inWorker.ticks >= Math.min(5, inWorker.ms / 40), `ticks during the worker's run: ${inWorker.ticks}`);
    const models = server.log.filter((entry) => entry.path.endsWith('.onnx'));
    assert.deepEqual(models.map((entry) => entry.status), [200, 200, 200], 'the model is served whole to each of the three sessions');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
