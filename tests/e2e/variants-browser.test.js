// The wasm build choice in headless Chromium (issue 17): init() detects SIMD, fetches only the SIMD build and compiles
// it while it downloads (WebAssembly.compileStreaming); init({ variant: 'baseline' }) fetches only the baseline
// build. Both predict the iris fixture as the reference says.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO, compareOutputs, loadCase } from '../../www/test-support/fixtures.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

const noBaseline = !existsSync(path.join(REPO, 'www', 'dist', 'onnx_edge_baseline_bg.wasm'))
  && 'www/dist/onnx_edge_baseline_bg.wasm is not built (WASM_VARIANTS="simd baseline" ./scripts/build-wasm.sh)';

/** Counts the page's WebAssembly compile calls by kind (instrumentation added by the test, not by the package). */
function countCompiles() {
  const calls = { compileStreaming: 0, instantiateStreaming: 0, compile: 0, instantiate: 0 };
  /** @type {any} */ (window).wasmCalls = calls;
  for (const name of /** @type {(keyof typeof calls)[]} */ (Object.keys(calls))) {
    const original = /** @type {any} */ (WebAssembly)[name];
    /** @type {any} */ (WebAssembly)[name] = function (/** @type {any[]} */ ...args) {
      calls[name] += 1;
      return original.apply(WebAssembly, args);
    };
  }
}

for (const [variant, file, skip] of /** @type {const} */ ([
  [null, 'onnx_edge_bg.wasm', false],
  ['baseline', 'onnx_edge_baseline_bg.wasm', noBaseline],
])) {
  const what = variant === null ? 'init() picks the SIMD build' : `init({ variant: '${variant}' }) loads the ${variant} build`;
  test(`${what} in Chromium, compiled while streaming, and predicts iris_rf as the reference`, { skip: chromiumMissing || skip, timeout: 180_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const iris = await loadCase('iris_rf');
    const server = await startStaticServer({ root: REPO });
    const profile = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = await context.newPage();
      await page.addInitScript(countCompiles);
      await page.goto(`${server.url}/tests/e2e/pages/variant.html?case=iris_rf${variant === null ? '' : `&variant=${variant}`}`);
      await page.waitForFunction(() => document.title === 'done', null, { timeout: 150_000 });
      const result = await page.evaluate(() => /** @type {any} */ (window).onnxEdgeResult);
      const calls = await page.evaluate(() => /** @type {any} */ (window).wasmCalls);

      assert.ok(result.ok, `the page failed: ${JSON.stringify(result)}`);
      assert.deepEqual(result.info, { variant: variant ?? 'simd', simdSupported: true, generation: 1 });
      iris.runs.forEach((run, i) => {
        assert.deepEqual(compareOutputs(result.runs[i], run.outputs, iris.tolerance, iris.exact).failures, [], `run ${i}`);
      });
      const wasm = server.log.filter((entry) => entry.path.endsWith('.wasm'));
      assert.deepEqual(wasm.map((entry) => [path.basename(entry.path), entry.status, entry.type]), [[file, 200, 'application/wasm']]);
      // One streaming compile; the glue instantiates the compiled Module (kept for restarts after a trap).
      assert.equal(calls.compileStreaming, 1, JSON.stringify(calls));
      assert.equal(calls.compile, 0, JSON.stringify(calls));
    } finally {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
}
