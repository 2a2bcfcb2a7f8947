// The offline browser demo (www/demo/) in headless Chromium: the page the README's `make demo` serves, with the demo
// registry the CLI builds. Iris probabilities are checked against the onnxruntime references stored with the
// fixtures, live accuracy against onnxruntime's labels of the whole data set, the digit pad's features against the
// geometry of the stroke drawn; then hot swaps and a rollback, phone width, keyboard, and a reload with the network off.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO } from '../../www/test-support/fixtures.js';
import { CLI, buildDemoRegistry } from '../../www/demo/demo-registry.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';
import { existsSync } from 'node:fs';

const glue = await readFile(path.join(REPO, 'www', 'dist', 'onnx_edge.js'), 'utf8').catch(() => '');
const skip = chromiumMissing
  || (!existsSync(CLI) && `no CLI at ${CLI} (make cli)`)
  || (!glue.includes('digitFeatures') && 'www/dist predates digitFeatures (make wasm)');

/** The stored onnxruntime case of each iris version the demo registry publishes (see www/demo/demo-registry.js). */
const CASES = { '1.0.0': 'iris_rf', '1.1.0': 'ml_gradient_boosting_iris' };

/**
 * @param {string} name
 * @returns {Promise<{ runs: { inputs: { X: { data: number[], dims: number[] } }, outputs: { label: { data: number[] }, probabilities: { data: number[] } } }[] }>}
 */
async function loadCase(name) {
  return JSON.parse(await readFile(path.join(REPO, 'tests', 'fixtures', 'cases', `${name}.json`), 'utf8'));
}

/**
 * A float32 value as the shortest decimal that a number input parses back to the same float32.
 * @param {number} v
 */
const typed = (v) => String(Number(Math.fround(v).toPrecision(7)));

/**
 * Console errors and warnings, page errors and answers >= 400 of a page.
 * @param {import('playwright-core').Page} page
 * @returns {string[]}
 */
function watch(page) {
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

/** @param {import('playwright-core').Page} page */
async function ready(page) {
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready !== undefined, null, { timeout: 120_000 });
  assert.equal(await page.getAttribute('#status', 'data-ready'), 'true', await page.textContent('#status') ?? '');
}

/**
 * Type a flower into the form and wait for its prediction.
 * @param {import('playwright-core').Page} page
 * @param {number[]} row
 * @returns {Promise<{ version: string, label: string, probabilities: number[] }>}
 */
async function predictRow(page, row) {
  const ids = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  for (let i = 0; i < 4; i += 1) await page.fill(`#${ids[i]}-number`, typed(row[i]));
  const inputs = row.map((v) => Number(typed(v))).join(',');
  await page.waitForFunction((want) => document.getElementById('iris-served')?.dataset.inputs === want, inputs, { timeout: 30_000 });
  return page.evaluate(() => ({
    version: /** @type {HTMLElement} */ (document.getElementById('iris-served')).dataset.version ?? '',
    label: document.getElementById('iris-verdict')?.textContent ?? '',
    probabilities: [...document.querySelectorAll('#iris-bars li')].map((li) => Number(/** @type {HTMLElement} */ (li).dataset.probability)),
  }));
}

test('the demo page: iris, digit pad, telemetry, versions, phone width, keyboard, offline', { skip, timeout: 420_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  await buildDemoRegistry();
  const server = await startStaticServer({ root: REPO, lifetimeMs: 400_000, maxRequests: 20_000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watch(page);
    const url = `${server.url}/www/demo/`;

    await t.test('loads with no console errors, page errors or failed answers', async () => {
      await page.goto(url);
      await ready(page);
      await page.waitForFunction(() => document.getElementById('iris-served')?.dataset.version !== undefined, null, { timeout: 30_000 });
      assert.deepEqual(problems, []);
    });

    await t.test('iris form: probabilities match the stored onnxruntime outputs of the version that answers', async () => {
      for (const [version, name] of Object.entries(CASES)) {
        await page.click(`#versions-table tr[data-version="${version}"] button`);
        await page.waitForFunction((v) => document.getElementById('serving')?.dataset.spec === `iris@${v}`, version, { timeout: 60_000 });
        const reference = await loadCase(name);
        const run = reference.runs[0];
        const rows = run.inputs.X.dims[0];
        for (let r = 0; r < rows; r += 1) {
          const got = await predictRow(page, run.inputs.X.data.slice(r * 4, r * 4 + 4));
          assert.equal(got.version, version);
          const expected = run.outputs.probabilities.data.slice(r * 3, r * 3 + 3);
          got.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) <= 1e-4 + 1e-4 * Math.abs(expected[i]), `${name} row ${r} class ${i}: ${p} vs ${expected[i]}`));
          const species = ['setosa', 'versicolor', 'virginica'][run.outputs.label.data[r]];
          assert.equal(got.label, `Iris ${species}`);
        }
        t.diagnostic(`iris ${version} (${name}): ${rows} rows within 1e-4 of onnxruntime`);
      }
    });

    await t.test('digit pad: a vertical stroke drawn with pointer events gives 64 features in 0..16 and a prediction', async () => {
      const box = /** @type {{ x: number, y: number, width: number, height: number }} */ (await page.locator('#pad').boundingBox());
      const x = box.x + box.width / 2;
      await page.mouse.move(x, box.y + box.height * 0.15);
      await page.mouse.down();
      for (let i = 1; i <= 20; i += 1) await page.mouse.move(x, box.y + box.height * (0.15 + 0.7 * (i / 20)));
      await page.mouse.up();
      await page.waitForFunction(() => document.getElementById('digit-verdict')?.dataset.label !== undefined, null, { timeout: 30_000 });
      const features = (await page.getAttribute('#features', 'data-features') ?? '').split(',').map(Number);
      assert.equal(features.length, 64);
      assert.ok(features.every((v) => v >= 0 && v <= 16), `features in 0..16: ${features}`);
      // Cropped to the stroke and centred in a square: ink down the middle columns of every row, none at the sides.
      for (let row = 0; row < 8; row += 1) {
        const middle = features.slice(row * 8 + 2, row * 8 + 6).reduce((a, b) => a + b, 0);
        assert.ok(middle > 4, `row ${row} is inked in the middle: ${features}`);
        for (const col of [0, 1, 6, 7]) assert.equal(features[row * 8 + col], 0, `cell (${row}, ${col})`);
      }
      const label = Number(await page.getAttribute('#digit-verdict', 'data-label'));
      const bars = await page.$$eval('#digit-bars li', (items) => items.map((li) => Number(/** @type {HTMLElement} */ (li).dataset.probability)));
      assert.equal(bars.length, 10);
      assert.ok(Math.abs(bars.reduce((a, b) => a + b, 0) - 1) < 1e-3);
      assert.equal(bars.indexOf(Math.max(...bars)), label);
      t.diagnostic(`the stroke reads as ${label} (p = ${Math.max(...bars).toFixed(3)})`);
    });

    await t.test('telemetry panel: counts after runs, live accuracy from replaying the labelled data set', async () => {
      await page.click('#versions-table tr[data-version="1.0.0"] button');
      await page.waitForFunction(() => document.getElementById('serving')?.dataset.spec === 'iris@1.0.0', null, { timeout: 60_000 });
      await page.click('#iris-replay');
      await page.waitForFunction(() => document.getElementById('iris-feedback')?.dataset.replayed === '150', null, { timeout: 120_000 });
      // Live accuracy of iris_rf against onnxruntime's labels of the same 150 rows and the true labels.
      const live = JSON.parse(await readFile(path.join(REPO, 'tests/fixtures/stats/live-iris.json'), 'utf8'));
      const validation = JSON.parse(await readFile(path.join(REPO, 'tests/fixtures/rollout/expected.json'), 'utf8')).validation;
      assert.deepEqual(live.rows.flat(), validation.inputs.data, 'the same rows in the same order');
      const expected = live.predicted.filter((/** @type {number} */ p, /** @type {number} */ i) => p === validation.labels[i]).length / 150;
      await page.waitForFunction(() => (document.querySelector('#chart-accuracy svg')?.textContent ?? '').includes('of 150'), null, { timeout: 10_000 });
      const rows = await page.$$eval('#telemetry-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      const iris = rows.find((r) => r[0] === 'iris' && r[1] === '1.0.0');
      assert.ok(iris !== undefined, JSON.stringify(rows));
      assert.ok(Number(iris[3]) >= 150 + 5, `runs of 1.0.0: ${iris[3]}`);
      assert.equal(iris[7], `${(expected * 100).toFixed(1)}%`);
      assert.ok(rows.some((r) => r[0] === 'digits' && Number(r[3]) >= 1), 'the digit run is counted');
      assert.ok((await page.$$('#chart-latency svg rect.bar')).length >= 6, 'a latency histogram');
      assert.ok((await page.textContent('#chart-drift') ?? '').includes('petal length'), 'drift per feature');
      assert.equal(await page.$$eval('#chart-throughput svg polyline', (l) => l.length), 1, 'a throughput line');
    });

    await t.test('versions: hot swaps keep every prediction answered', async () => {
      assert.match(await page.textContent('#visitor') ?? '', /assigns you iris 1\.[01]\.0/);
      await page.evaluate(() => {
        const demo = /** @type {any} */ (window).onnxEdgeDemo;
        const state = { stop: false, failures: 0, runs: 0, versions: /** @type {Record<string, number>} */ ({}), done: Promise.resolve() };
        /** @type {any} */ (window).swapLoop = state;
        const x = new demo.Tensor('float32', Float32Array.of(6.2, 2.9, 4.3, 1.3), [1, 4]);
        state.done = (async () => {
          for (let i = 0; i < 5000 && !state.stop; i += 1) {
            try {
              const { version } = await demo.deployment.run({ X: x });
              state.versions[version] = (state.versions[version] ?? 0) + 1;
              state.runs += 1;
            } catch {
              state.failures += 1;
            }
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
      });
      await page.click('#versions-table tr[data-version="1.1.0"] button');
      await page.waitForFunction(() => document.getElementById('serving')?.dataset.spec === 'iris@1.1.0', null, { timeout: 60_000 });
      await page.waitForFunction(() => /** @type {any} */ (window).swapLoop.versions['1.1.0'] >= 25, null, { timeout: 60_000 });
      const loop = await page.evaluate(async () => {
        const state = /** @type {any} */ (window).swapLoop;
        state.stop = true;
        await state.done;
        return { failures: state.failures, runs: state.runs, versions: state.versions };
      });
      assert.equal(loop.failures, 0, JSON.stringify(loop));
      assert.ok(loop.versions['1.0.0'] > 0 && loop.versions['1.1.0'] > 0, `runs straddle the swap: ${JSON.stringify(loop)}`);
      assert.equal((await predictRow(page, [5.8, 2.7, 5.1, 1.9])).version, '1.1.0', 'the form is answered by the new version');
      assert.match(await page.textContent('#events') ?? '', /switch \(update\): 1\.0\.0 → 1\.1\.0/);
      assert.match(await page.textContent('#versions-table tr[data-version="1.1.0"]') ?? '', /passed: outputs reproduced/);
      assert.deepEqual(problems, []);
    });

    // 1.2.0 answers the same but slower: after its window of runs, the p95 check should switch back to 1.1.0.
    await t.test('versions: a slow version is rolled back', async () => {
      await page.click('#versions-table tr[data-version="1.2.0"] button');
      await page.waitForFunction(() => document.getElementById('serving')?.dataset.version === '1.2.0', null, { timeout: 60_000 });
      await page.click('#iris-replay');
      await page.waitForFunction(() => document.querySelector('#events li[data-event="rollback"]') !== null, null, { timeout: 120_000 });
      assert.match(await page.textContent('#events li[data-event="rollback"]') ?? '', /rollback: 1\.2\.0 → 1\.1\.0 \(p95/);
      await page.waitForFunction(() => document.getElementById('iris-feedback')?.dataset.replayed === '150' && !(/** @type {HTMLButtonElement} */ (document.getElementById('iris-replay'))).disabled, null, { timeout: 120_000 });
      assert.equal(await page.getAttribute('#serving', 'data-version'), '1.1.0');
      assert.match(await page.textContent('#serving') ?? '', /rolled back: 1\.2\.0/);
      assert.deepEqual(problems, []);
    });

    await t.test('keyboard: every form control is reached by Tab and has a label', async () => {
      await page.evaluate(() => /** @type {HTMLElement} */ (document.querySelector('h1')).setAttribute('tabindex', '-1'));
      await page.focus('h1');
      /** @type {{ id: string, name: string }[]} */
      const reached = [];
      for (let i = 0; i < 14; i += 1) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate(() => {
          const el = /** @type {HTMLInputElement} */ (document.activeElement);
          const name = el.getAttribute('aria-label') ?? [...(el.labels ?? [])].map((l) => l.textContent).join(' ') ?? '';
          return { id: el.id, name: name || el.textContent || '' };
        }));
      }
      for (const id of ['sepal_length', 'sepal_length-number', 'sepal_width', 'sepal_width-number', 'petal_length', 'petal_length-number', 'petal_width', 'petal_width-number']) {
        const control = reached.find((r) => r.id === id);
        assert.ok(control !== undefined, `${id} is reached by Tab: ${JSON.stringify(reached)}`);
        assert.match(control.name, /(Sepal|Petal) (length|width) \(cm\)/);
      }
      await page.focus('#petal_length');
      const before = await page.inputValue('#petal_length-number');
      for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowRight');
      const after = await page.inputValue('#petal_length-number');
      assert.ok(Number(after) > Number(before), `arrow keys move the slider: ${before} -> ${after}`);
      await page.waitForFunction((v) => (document.getElementById('iris-served')?.dataset.inputs ?? '').split(',')[2] === v, String(Number(after)), { timeout: 30_000 });
    });

    await t.test('phone width: 375 px without horizontal overflow', async () => {
      const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
      try {
        const small = await phone.newPage();
        const phoneProblems = watch(small);
        await small.goto(url);
        await ready(small);
        const widths = await small.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
        assert.ok(widths.doc <= widths.view && widths.body <= widths.view, JSON.stringify(widths));
        assert.deepEqual(phoneProblems, []);
      } finally {
        await phone.close();
      }
    });

    await t.test('offline: after the first visit the page reloads and predicts with the network off', async () => {
      await page.waitForFunction(() => document.getElementById('offline')?.dataset.ready === 'true', null, { timeout: 120_000 });
      await context.setOffline(true);
      const requestsBefore = server.log.length;
      await page.reload();
      await ready(page);
      const got = await predictRow(page, [6.7, 3.0, 5.2, 2.3]);
      assert.match(got.label, /^Iris (setosa|versicolor|virginica)$/);
      await page.click('#pad-sample');
      await page.waitForFunction(() => /^It looks like a \d$/.test(document.getElementById('digit-verdict')?.textContent ?? ''), null, { timeout: 30_000 });
      assert.deepEqual(server.log.slice(requestsBefore), [], 'nothing reached the server');
      assert.deepEqual(problems, []);
    });
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
