import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { OnnxEdgeError } from './errors.js';
import { isSecureUrl, readSource } from './source.js';

const BYTES = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

/**
 * @param {Promise<unknown>} promise
 * @param {string} code
 * @param {Record<string, unknown>} [details]
 */
async function rejectsWith(promise, code, details = {}) {
  await assert.rejects(promise, (error) => {
    assert.equal(/** @type {any} */ (error).code, code, String(error));
    for (const [key, value] of Object.entries(details)) assert.deepEqual(/** @type {any} */ (error).details[key], value);
    return true;
  });
}

/**
 * A Response whose body streams `chunks` with no Content-Length.
 * @param {Uint8Array[]} chunks
 */
function streamed(chunks) {
  const stream = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(stream);
}

describe('readSource', () => {
  /** @type {string} */
  let dir;
  /** @type {string} */
  let file;
  /** @type {http.Server} */
  let server;
  /** @type {string} */
  let origin;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-source-'));
    file = path.join(dir, 'model.bin');
    await writeFile(file, BYTES);
    server = http.createServer((req, res) => {
      if (req.url === '/model.bin') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BYTES.length });
        res.end(BYTES);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const address = /** @type {import('node:net').AddressInfo} */ (server.address());
    origin = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  test('a Uint8Array (or a Node Buffer) is copied', async () => {
    for (const mine of [BYTES.slice(), Buffer.from(BYTES)]) {
      const got = await readSource(mine);
      assert.deepEqual([...got], [...BYTES]);
      mine[0] = 255;
      assert.equal(got[0], BYTES[0]);
    }
  });

  test('an ArrayBuffer, a view into a larger buffer, and a DataView', async () => {
    assert.deepEqual(await readSource(BYTES.slice().buffer), BYTES);
    const big = new Uint8Array(BYTES.length + 20);
    big.set(BYTES, 10);
    assert.deepEqual(await readSource(big.subarray(10, 10 + BYTES.length)), BYTES);
    assert.deepEqual(await readSource(new DataView(big.buffer, 10, BYTES.length)), BYTES);
  });

  test('a file path and a file: URL (string or URL)', async () => {
    assert.deepEqual(await readSource(file), BYTES);
    assert.deepEqual(await readSource(pathToFileURL(file)), BYTES);
    assert.deepEqual(await readSource(pathToFileURL(file).href), BYTES);
  });

  test('an http URL, with progress', async () => {
    /** @type {{ loaded: number, total?: number }[]} */
    const progress = [];
    const got = await readSource(`${origin}/model.bin`, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(got, BYTES);
    assert.deepEqual(progress.at(-1), { loaded: BYTES.length, total: BYTES.length });
  });

  test('a streamed Response is joined', async () => {
    assert.deepEqual(await readSource(streamed([BYTES.subarray(0, 300), BYTES.subarray(300)])), BYTES);
  });

  test('HTTP errors, missing files and network failures are FETCH', async () => {
    await rejectsWith(readSource(`${origin}/missing`), 'FETCH', { status: 404 });
    await rejectsWith(readSource(new Response('x', { status: 500 })), 'FETCH', { status: 500 });
    await rejectsWith(readSource(path.join(dir, 'missing.bin')), 'FETCH', { reason: 'ENOENT' });
    await rejectsWith(readSource('http://127.0.0.1:9/unreachable'), 'FETCH');
    const used = new Response(BYTES.slice());
    await used.arrayBuffer();
    await rejectsWith(readSource(used), 'FETCH');
  });

  test('a source of another kind is a TypeError with code FETCH', async () => {
    for (const bad of [42, null, undefined, {}, [1, 2]]) {
      await assert.rejects(readSource(/** @type {any} */ (bad)), (error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(/** @type {any} */ (error).code, 'FETCH');
        return true;
      });
    }
  });

  describe('maxBytes', () => {
    const limit = { maxBytes: BYTES.length - 1 };
    const details = { kind: 'modelBytes', limit: BYTES.length - 1, actual: BYTES.length };

    test('bytes, files and Content-Length are checked before reading', async () => {
      await rejectsWith(readSource(BYTES, limit), 'LIMIT_EXCEEDED', details);
      await rejectsWith(readSource(file, limit), 'LIMIT_EXCEEDED', details);
      await rejectsWith(readSource(`${origin}/model.bin`, limit), 'LIMIT_EXCEEDED', details);
    });

    test('a stream without Content-Length is cut off once past the limit', async () => {
      await rejectsWith(readSource(streamed([BYTES.subarray(0, 600), BYTES.subarray(600)]), { maxBytes: 700 }),
        'LIMIT_EXCEEDED', { limit: 700, actual: BYTES.length });
    });

    test('exactly the limit is fine; the limit kind is reported as given', async () => {
      assert.deepEqual(await readSource(BYTES, { maxBytes: BYTES.length }), BYTES);
      await rejectsWith(readSource(BYTES, { maxBytes: 1, limitKind: 'wasmBytes' }), 'LIMIT_EXCEEDED', { kind: 'wasmBytes' });
    });

    test('errors are OnnxEdgeError', async () => {
      await assert.rejects(readSource(BYTES, limit), OnnxEdgeError);
    });
  });
});

describe('model URLs: https only, except loopback and the page\'s own origin', () => {
  /**
   * Run `body` with `globalThis.fetch` recording the URLs asked for and answering `bytes`, restored afterwards.
   * @param {(asked: string[]) => Promise<void>} body
   */
  async function withRecordingFetch(body) {
    const real = globalThis.fetch;
    /** @type {string[]} */
    const asked = [];
    globalThis.fetch = async (input) => {
      asked.push(String(input));
      return new Response(BYTES.slice());
    };
    try {
      await body(asked);
    } finally {
      globalThis.fetch = real;
    }
  }

  test('plain http to another machine is FETCH insecureUrl, and nothing is requested', async () => {
    await withRecordingFetch(async (asked) => {
      for (const url of ['http://models.invalid/iris.onnx', new URL('http://models.invalid:8080/m.onnx'), 'ftp://models.invalid/m.onnx', 'ws://models.invalid/m']) {
        await rejectsWith(readSource(url), 'FETCH', { url: String(url), reason: 'insecureUrl' });
      }
      assert.deepEqual(asked, []);
    });
  });

  test('https, loopback http (127.0.0.0/8, [::1], localhost) and data: are fetched', async () => {
    await withRecordingFetch(async (asked) => {
      const urls = ['https://models.invalid/iris.onnx', 'http://127.0.0.1:9/a', 'http://127.8.9.10/b', 'http://[::1]:8080/c', 'http://localhost/d', 'http://api.localhost/e'];
      for (const url of urls) assert.deepEqual(await readSource(url), BYTES, url);
      assert.deepEqual(asked, urls);
    });
    const data = `data:application/octet-stream;base64,${Buffer.from(BYTES).toString('base64')}`;
    assert.deepEqual(await readSource(data), BYTES);
  });

  test('allowInsecureUrls: true fetches plain http from another machine', async () => {
    await withRecordingFetch(async (asked) => {
      assert.deepEqual(await readSource('http://models.invalid/iris.onnx', { allowInsecureUrls: true }), BYTES);
      assert.deepEqual(asked, ['http://models.invalid/iris.onnx']);
    });
  });

  test('in a page served over http: its own origin (relative URLs, blob: URLs it made) is allowed, other origins are not', () => {
    const g = /** @type {any} */ (globalThis);
    const had = Object.getOwnPropertyDescriptor(g, 'location');
    Object.defineProperty(g, 'location', {
      configurable: true, value: { origin: 'http://intranet.invalid', protocol: 'http:', href: 'http://intranet.invalid/app/index.html' },
    });
    try {
      assert.equal(isSecureUrl('models/iris.onnx'), true);
      assert.equal(isSecureUrl('/models/iris.onnx'), true);
      assert.equal(isSecureUrl('http://intranet.invalid/models/iris.onnx'), true);
      assert.equal(isSecureUrl('blob:http://intranet.invalid/3f1c0a4e-0000-4000-8000-000000000000'), true);
      assert.equal(isSecureUrl('http://other.invalid/models/iris.onnx'), false);
      assert.equal(isSecureUrl('blob:http://other.invalid/3f1c0a4e-0000-4000-8000-000000000000'), false);
    } finally {
      if (had) Object.defineProperty(g, 'location', had);
      else delete g.location;
    }
    assert.equal(isSecureUrl('http://intranet.invalid/models/iris.onnx'), false, 'outside that page');
  });
});
