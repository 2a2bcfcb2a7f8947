import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

import { download } from './download.js';
import { startLoopbackServer } from './test-support/loopback-server.js';

const BYTES = new Uint8Array(200_000).map((_, i) => (i * 31) % 251);

/** @type {import('./test-support/loopback-server.js').LoopbackServer} */
let server;
/** Released by a test to let the stalled response finish. */
let release = () => {};

before(async () => {
  server = await startLoopbackServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const chunked = async (/** @type {Uint8Array} */ bytes, /** @type {Record<string, string>} */ headers) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', ...headers });
      for (let i = 0; i < bytes.length; i += 16_384) {
        response.write(bytes.subarray(i, i + 16_384));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      response.end();
    };
    switch (url.pathname) {
      case '/model': return chunked(BYTES, { 'content-length': String(BYTES.length) });
      case '/no-length': return chunked(BYTES, {});
      case '/gzip': {
        const gz = gzipSync(BYTES);
        return chunked(gz, { 'content-encoding': 'gzip', 'content-length': String(gz.length) });
      }
      case '/longer': return chunked(new Uint8Array(BYTES.length + 1000), {});
      case '/stall': {
        response.writeHead(200, { 'content-length': String(BYTES.length) });
        response.write(BYTES.subarray(0, 50_000));
        await new Promise((resolve) => { release = () => resolve(undefined); });
        response.end(BYTES.subarray(50_000));
        return undefined;
      }
      default:
        response.writeHead(404);
        response.end();
        return undefined;
    }
  });
});

after(() => server.close());

/**
 * @param {string} pathname
 * @param {Partial<import('./download.js').DownloadOptions>} [options]
 */
async function get(pathname, options = {}) {
  /** @type {import('./download.js').DownloadProgress[]} */
  const events = [];
  const bytes = await download(new URL(pathname, server.url), {
    size: BYTES.length, fetch: (input, init) => fetch(input, init), onProgress: (p) => events.push(p), ...options,
  });
  return { bytes, events };
}

/** @param {import('./download.js').DownloadProgress[]} events */
function assertProgress(events) {
  assert.ok(events.length >= 2, `several progress events (got ${events.length})`);
  for (let i = 1; i < events.length; i += 1) assert.ok(events[i].loaded > events[i - 1].loaded, 'loaded grows');
  assert.ok(events.every((e) => e.total === BYTES.length && e.loaded <= e.total));
  assert.equal(events.at(-1)?.loaded, BYTES.length, 'the last event has loaded === total');
}

describe('download', () => {
  for (const pathname of ['/model', '/no-length', '/gzip']) {
    test(`progress is monotonic and ends at the manifest's size (${pathname})`, async () => {
      const { bytes, events } = await get(pathname);
      assert.deepEqual(bytes, BYTES);
      assertProgress(events);
    });
  }

  test('more bytes than the manifest promises stop the download with INTEGRITY', async () => {
    await assert.rejects(get('/longer'), (/** @type {any} */ error) => {
      assert.equal(error.code, 'INTEGRITY');
      assert.equal(error.details.kind, 'sizeMismatch');
      assert.equal(error.details.expected, BYTES.length);
      return true;
    });
  });

  test('an HTTP error is FETCH with the status', async () => {
    await assert.rejects(get('/missing'), (/** @type {any} */ error) => {
      assert.equal(error.code, 'FETCH');
      assert.equal(error.details.status, 404);
      assert.equal(error.details.url, new URL('/missing', server.url).href);
      return true;
    });
  });

  test('no answer at all is FETCH', async () => {
    const closed = await startLoopbackServer(() => {});
    await closed.close();
    await assert.rejects(download(new URL('/model', closed.url), { size: 1, fetch }), (/** @type {any} */ error) => {
      assert.equal(error.code, 'FETCH');
      assert.equal(error.details.status, undefined);
      return true;
    });
  });

  test('aborting mid-stream is FETCH with details.aborted, and no event follows', async () => {
    const controller = new AbortController();
    /** @type {number[]} */
    const loaded = [];
    const pending = download(new URL('/stall', server.url), {
      size: BYTES.length, fetch, signal: controller.signal,
      onProgress: ({ loaded: n }) => {
        loaded.push(n);
        if (n >= 50_000) controller.abort();
      },
    });
    await assert.rejects(pending, (/** @type {any} */ error) => {
      assert.equal(error.code, 'FETCH');
      assert.equal(error.details.aborted, true);
      return true;
    });
    release();
    assert.ok(loaded.every((n) => n < BYTES.length));
  });

  test('an already aborted signal never fetches', async () => {
    const before = server.requests.length;
    await assert.rejects(get('/model', { signal: AbortSignal.abort() }), { code: 'FETCH', details: { url: new URL('/model', server.url).href, status: undefined, aborted: true } });
    assert.equal(server.requests.length, before);
  });

  test('plain http to another host is refused before any request', async () => {
    let called = false;
    await assert.rejects(download(new URL('http://cdn.example/model.onnx'), { size: 1, fetch: async () => { called = true; return new Response(''); } }),
      (/** @type {any} */ error) => error.code === 'FETCH' && error.details.reason === 'insecureUrl');
    assert.equal(called, false);
  });

  test('a file: URL is read from disk, with one progress event', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-download-'));
    try {
      const file = path.join(dir, 'model.onnx');
      await writeFile(file, BYTES);
      /** @type {import('./download.js').DownloadProgress[]} */
      const events = [];
      const bytes = await download(pathToFileURL(file), { size: BYTES.length, fetch, onProgress: (p) => events.push(p) });
      assert.deepEqual(bytes, BYTES);
      assert.deepEqual(events, [{ loaded: BYTES.length, total: BYTES.length }]);
      await assert.rejects(download(pathToFileURL(file), { size: 10, fetch }), { code: 'INTEGRITY' });
      await assert.rejects(download(pathToFileURL(path.join(dir, 'missing.onnx')), { size: 10, fetch }), { code: 'FETCH' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
