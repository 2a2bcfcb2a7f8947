import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { allowsUnsigned, checkTransport, isAllowedTransport, isLoopback, toAbsoluteUrl } from './url-policy.js';

/**
 * Run `fn` as if in a page at `href`.
 * @template T
 * @param {string} href
 * @param {() => Promise<T> | T} fn
 * @returns {Promise<T>}
 */
async function inPage(href, fn) {
  const url = new URL(href);
  const g = /** @type {any} */ (globalThis);
  g.location = { href: url.href, origin: url.origin, protocol: url.protocol };
  try {
    return await fn();
  } finally {
    delete g.location;
  }
}

describe('url policy', () => {
  test('loopback hosts', () => {
    for (const ok of ['http://localhost:8080/', 'http://127.0.0.1/', 'http://127.1.2.3/', 'http://[::1]:9/', 'http://app.localhost/']) {
      assert.ok(isLoopback(new URL(ok)), ok);
    }
    for (const no of ['http://10.0.0.1/', 'http://localhost.example/', 'http://128.0.0.1/', 'http://127.0.0.1.nip.io/']) {
      assert.ok(!isLoopback(new URL(no)), no);
    }
  });

  test('HTTPS, loopback http and file: are allowed; other http and schemes are FETCH', () => {
    for (const ok of ['https://cdn.example/m.json', 'http://127.0.0.1:1/m.json', 'file:///tmp/m.json']) assert.ok(isAllowedTransport(new URL(ok)), ok);
    for (const no of ['http://cdn.example/m.json', 'ftp://cdn.example/m.json', 'data:,{}']) {
      assert.throws(() => checkTransport(new URL(no)), (/** @type {any} */ error) => {
        assert.equal(error.code, 'FETCH');
        assert.equal(error.details.url, new URL(no).href);
        assert.equal(error.details.reason, 'insecureUrl');
        return true;
      });
    }
  });

  test("relative URLs on an http page (the page's origin) are allowed, other http origins are not", async () => {
    await inPage('http://intranet.example/app/index.html', async () => {
      const url = await toAbsoluteUrl('models/manifest.json');
      assert.equal(url.href, 'http://intranet.example/app/models/manifest.json');
      assert.ok(isAllowedTransport(url));
      assert.ok(!isAllowedTransport(new URL('http://other.example/manifest.json')));
    });
  });

  test('unsigned manifests only from this machine', () => {
    for (const ok of ['http://127.0.0.1:1/m.json', 'https://localhost/m.json', 'file:///tmp/m.json']) assert.ok(allowsUnsigned(new URL(ok)), ok);
    for (const no of ['https://cdn.example/m.json', 'http://intranet.example/m.json']) assert.ok(!allowsUnsigned(new URL(no)), no);
  });

  test('outside a page, a string without a scheme is a file path', async () => {
    assert.equal((await toAbsoluteUrl('registry/manifest.json')).href, pathToFileURL(path.resolve('registry/manifest.json')).href);
    assert.equal((await toAbsoluteUrl('https://cdn.example/m.json')).href, 'https://cdn.example/m.json');
  });
});
