// The telemetry reporter's offline queue in headless Chromium (Debian's, driven by playwright-core): the page
// predicts iris and reports to a loopback OTLP collector. Offline (`context.setOffline(true)`) its reports queue in
// IndexedDB; the page reloads (still offline: its files come from a route, as from a service worker's cache); back
// online, every queued report arrives exactly once. With more reports than the cap, the dropped count is exact.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { REPO } from '../../www/test-support/fixtures.js';
import { startReceiver } from '../../www/telemetry/test-support/otlp-receiver.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';


/**
 * `onnx_edge_predictions_total` and `onnx_edge_telemetry_dropped_total` of a posted OTLP body.
 * @param {string} body
 */
function figures(body) {
  const metrics = JSON.parse(body).resourceMetrics[0].scopeMetrics[0].metrics;
  const read = (/** @type {string} */ name) => {
    const m = metrics.find((/** @type {any} */ x) => x.name === name);
    return m === undefined ? 0 : Number(m.sum.dataPoints[0].asInt);
  };
  return { predictions: read('onnx_edge_predictions_total'), dropped: read('onnx_edge_telemetry_dropped_total') };
}

/**
 * @param {() => boolean | Promise<boolean>} condition
 * @param {number} timeoutMs
 */
async function waitFor(condition, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A browser context whose page files come from the static server through a route (so a reload works offline; with
 * `routed: false`, straight from the server, the collector on its own origin), a collector, and a page opener.
 * @param {(setup: { context: import('playwright-core').BrowserContext, open: (maxQueue: number) => Promise<import('playwright-core').Page>, collector: Awaited<ReturnType<typeof startReceiver>>, problems: string[] }) => Promise<void>} body
 * @param {{ routed?: boolean }} [options]
 */
async function withBrowser(body, options = {}) {
  const routed = options.routed ?? true;
  const { chromium } = await import('playwright-core');
  const server = await startStaticServer({ root: REPO });
  const collector = await startReceiver({ cors: !routed });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  /** @type {string[]} */
  const problems = [];
  try {
    const context = await browser.newContext();
    // The page's files come through a route (so that a reload works offline, as from a service worker's cache), and so
    // does the collector, at /v1/metrics on the page's own origin (a page served by a route cannot reach loopback
    // addresses directly under Chromium's local network access rules). Offline, the page sends nothing itself.
    if (routed) await context.route(`${server.url}/**`, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const target = url.pathname === '/v1/metrics' ? collector.url : request.url();
      const response = await fetch(target, {
        method: request.method(), headers: request.method() === 'POST' ? await request.allHeaders() : {}, body: request.postData() ?? undefined,
      });
      await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
    });
    /** @type {import('playwright-core').Page | null} */
    let page = null;
    const open = async (/** @type {number} */ maxQueue) => {
      page ??= await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      const collectorUrl = routed ? `${server.url}/v1/metrics` : collector.url;
      await page.goto(`${server.url}/tests/e2e/pages/telemetry.html?collector=${encodeURIComponent(collectorUrl)}&maxQueue=${maxQueue}`);
      await page.waitForFunction(() => document.title !== 'onnx-edge: telemetry', null, { timeout: 120_000 });
      const start = await page.evaluate(() => /** @type {any} */ (window).telemetryStart);
      assert.ok(start.ok, `the page failed: ${JSON.stringify(start)}`);
      return page;
    };
    await body({ context, open, collector, problems });
  } finally {
    await browser.close();
    await collector.close();
    await server.close();
  }
}

/** @typedef {{ predict: () => Promise<void>, predictAndFlush: () => Promise<{ sent: number, queued: number, dropped: number }>, status: () => Promise<{ queued: number, dropped: number }>, snapshot: () => { dropped: number, predictions: number }, dropped: () => { count: number, reason: string, total: number }[], online: () => boolean }} PageApi */

test('offline: reports queue in IndexedDB across a reload and arrive exactly once back online', { skip: chromiumMissing, timeout: 240_000 }, async () => {
  await withBrowser(async ({ context, open, collector, problems }) => {
    const page = await open(100);
    const posts = () => collector.received.filter((p) => p.path === '/v1/metrics');
    await context.setOffline(true);
    assert.equal(await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).online()), false);
    for (let i = 1; i <= 3; i += 1) {
      const result = await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predictAndFlush());
      assert.deepEqual([result.sent, result.queued], [0, i]);
    }
    // One more prediction, not flushed: the page-hide handler queues it (offline, nothing is sent).
    await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predict());

    await page.reload();
    await page.waitForFunction(() => document.title !== 'onnx-edge: telemetry', null, { timeout: 120_000 });
    const start = await page.evaluate(() => /** @type {any} */ (window).telemetryStart);
    assert.ok(start.ok, JSON.stringify(start));
    assert.equal(start.queuedAtStart, 4, 'three flushed reports, and the one made at page hide (stashed in localStorage)');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(posts().length, 0, 'nothing sent while offline');

    await context.setOffline(false);
    await waitFor(() => posts().length >= start.queuedAtStart, 30_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now
    const received = posts().filter((p) => p.status === 200);
    const ids = received.map((p) => String(p.headers['x-onnx-edge-report-id']));
    assert.equal(new Set(ids).size, ids.length, `a report arrived twice: ${ids.join(', ')}`);
    assert.deepEqual(received.map((p) => figures(p.body).predictions), [1, 2, 3, 4], 'each queued report once, oldest first');
    assert.equal((await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).status())).queued, 0);
    assert.deepEqual(problems, []);
  });
});

test('offline with more reports than the cap: the oldest are dropped, counted exactly, the rest arrive once', { skip: chromiumMissing, timeout: 240_000 }, async () => {
  await withBrowser(async ({ context, open, collector, problems }) => {
    const page = await open(3);
    await context.setOffline(true);
    for (let i = 1; i <= 7; i += 1) {
      const result = await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predictAndFlush());
      assert.equal(result.queued, Math.min(i, 3));
    }
    assert.deepEqual(await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).dropped()), [
      { count: 1, reason: 'cap', total: 1 }, { count: 1, reason: 'cap', total: 2 }, { count: 1, reason: 'cap', total: 3 }, { count: 1, reason: 'cap', total: 4 },
    ]);
    assert.deepEqual(await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).snapshot()), { dropped: 4, predictions: 7 });

    await page.reload();
    await page.waitForFunction(() => document.title !== 'onnx-edge: telemetry', null, { timeout: 120_000 });
    const status = await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).status());
    assert.deepEqual([status.queued, status.dropped], [3, 4], 'the queue and its dropped count survive the reload');

    await context.setOffline(false);
    const posts = () => collector.received.filter((p) => p.path === '/v1/metrics' && p.status === 200);
    await waitFor(() => posts().length >= 3, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(posts().map((p) => figures(p.body)), [
      { predictions: 5, dropped: 1 }, { predictions: 6, dropped: 2 }, { predictions: 7, dropped: 3 },
    ], 'the three newest, once each; each carries the drops counted before it was made');
    assert.deepEqual(problems, []);
  });
});

// Without the route: Playwright does not pass on requests that a page makes while it unloads.
test('page hide, online: what is new leaves with a keepalive request', { skip: chromiumMissing, timeout: 240_000 }, async () => {
  await withBrowser(async ({ open, collector, problems }) => {
    const page = await open(100);
    await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predictAndFlush());
    await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predict());
    await page.evaluate(() => /** @type {PageApi} */ (/** @type {any} */ (window).telemetryPage).predict());
    const posts = () => collector.received.filter((p) => p.path === '/v1/metrics' && p.status === 200);
    assert.equal(posts().length, 1);
    await page.goto('about:blank');
    await waitFor(() => posts().length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(posts().map((p) => figures(p.body).predictions), [1, 3], 'the flushed report, then the one made at page hide');
    assert.deepEqual(problems, []);
  }, { routed: false });
});
