// Screenshots of the demo for the README: docs/screenshots/demo-desktop.png (1280 px wide, the whole page after a
// replay of the iris data set and a drawn digit) and docs/screenshots/demo-phone.png (375 x 740, the first screen).
//
//   node tests/e2e/screenshots.js          (needs Chromium, the CLI and www/dist, like tests/e2e/demo.test.js)

import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { REPO } from '../../www/test-support/fixtures.js';
import { buildDemoRegistry } from '../../www/demo/demo-registry.js';
import { ARGS, CHROMIUM, chromiumMissing } from './chromium.js';
import { startStaticServer } from './static-server.js';

if (chromiumMissing) throw new Error(chromiumMissing);
const { chromium } = await import('playwright-core');
const out = path.join(REPO, 'docs', 'screenshots');
await mkdir(out, { recursive: true });
await buildDemoRegistry();
const server = await startStaticServer({ root: REPO, lifetimeMs: 180_000 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  /**
   * @param {import('playwright-core').BrowserContextOptions} options
   * @param {(page: import('playwright-core').Page) => Promise<void>} shoot
   */
  const capture = async (options, shoot) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${server.url}/www/demo/`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === 'true', null, { timeout: 120_000 });
    await page.waitForFunction(() => document.getElementById('offline')?.dataset.ready === 'true', null, { timeout: 120_000 });
    await shoot(page);
    await context.close();
  };

  await capture({ viewport: { width: 1280, height: 900 } }, async (page) => {
    await page.click('#iris-replay');
    await page.waitForFunction(() => document.getElementById('iris-feedback')?.dataset.replayed === '150', null, { timeout: 120_000 });
    await page.fill('#petal_length-number', '4.9');
    await page.fill('#petal_width-number', '1.6');
    await page.fill('#sepal_length-number', '6.1');
    await page.click('#pad-sample');
    await page.waitForFunction(() => document.getElementById('digit-verdict')?.dataset.label !== undefined, null, { timeout: 30_000 });
    await page.waitForTimeout(2500); // two telemetry ticks: the throughput line has points
    await page.screenshot({ path: path.join(out, 'demo-desktop.png'), fullPage: true });
  });

  await capture({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, async (page) => {
    await page.waitForFunction(() => document.getElementById('iris-served')?.dataset.version !== undefined, null, { timeout: 30_000 });
    await page.screenshot({ path: path.join(out, 'demo-phone.png') });
  });
  console.log(`wrote ${path.join(out, 'demo-desktop.png')} and ${path.join(out, 'demo-phone.png')}`);
} finally {
  await browser.close();
  await server.close();
}
