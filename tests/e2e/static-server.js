// A tiny static file server for the browser tests: loopback only, GET/HEAD only, never outside its root,
// correct MIME types (application/wasm for .wasm, so streaming compilation is used), no caching.
// It stops itself after `lifetimeMs` or `maxRequests`, so a test that forgets to close it cannot leave it behind.
//
//   node tests/e2e/static-server.js [root] [port]     serves the repo (or root) on http://127.0.0.1:port

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Content types by extension; anything else is served as application/octet-stream. */
export const MIME = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
});

/**
 * @typedef {object} StaticServerOptions
 * @property {string} root the folder to serve
 * @property {number} [port] 0 (default) picks a free port
 * @property {number} [lifetimeMs] stop after this long (default 5 minutes)
 * @property {number} [maxRequests] stop after this many requests (default 5,000)
 * @property {Record<string, string>} [headers] extra headers on every answer (e.g. COOP/COEP)
 */

/**
 * @typedef {object} StaticServer
 * @property {string} url the origin, e.g. `http://127.0.0.1:41234`
 * @property {number} port
 * @property {{ method: string, path: string, status: number, type: string }[]} log every request answered
 * @property {() => Promise<void>} close stop listening and drop open connections (idempotent)
 */

/**
 * Start serving `root` on 127.0.0.1.
 * @param {StaticServerOptions} options
 * @returns {Promise<StaticServer>}
 */
export async function startStaticServer(options) {
  const root = path.resolve(options.root);
  const lifetimeMs = options.lifetimeMs ?? 5 * 60_000;
  const maxRequests = options.maxRequests ?? 5000;
  const extraHeaders = options.headers ?? {};
  /** @type {StaticServer['log']} */
  const log = [];
  let served = 0;

  const server = createServer((req, res) => {
    served += 1;
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    if (served >= maxRequests) res.on('finish', () => void close());
  });

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function answer(req, res) {
    const method = req.method ?? 'GET';
    /** @param {number} status @param {string} type */
    const note = (status, type) => log.push({ method, path: req.url ?? '', status, type });
    if (method !== 'GET' && method !== 'HEAD') {
      note(405, '');
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      note(400, '');
      res.writeHead(400).end();
      return;
    }
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      note(403, '');
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      note(404, '');
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const type = /** @type {Record<string, string>} */ (MIME)[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    note(200, type);
    res.writeHead(200, {
      'content-type': type,
      'content-length': info.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...extraHeaders,
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  /** @type {Promise<void> | null} */
  let closing = null;
  function close() {
    closing ??= new Promise((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }
  const timer = setTimeout(() => void close(), lifetimeMs);
  timer.unref();

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return { url: `http://127.0.0.1:${port}`, port, log, close };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = process.argv[2] ?? fileURLToPath(new URL('../../', import.meta.url));
  const port = Number(process.argv[3] ?? 8080);
  const server = await startStaticServer({ root, port, lifetimeMs: 60 * 60_000 });
  console.log(`serving ${root} on ${server.url} for an hour (Ctrl-C stops it)`);
}
