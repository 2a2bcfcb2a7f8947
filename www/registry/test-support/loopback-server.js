// A throwaway HTTP server on 127.0.0.1 for the registry's tests: answers with a handler, logs requests, and stops
// itself after `lifetimeMs` so that a test that forgets to close it cannot leave it behind.

import { createServer } from 'node:http';

/**
 * @typedef {object} LoopbackServer
 * @property {string} url `http://127.0.0.1:PORT`
 * @property {{ method: string, path: string, headers: import('node:http').IncomingHttpHeaders }[]} requests
 * @property {() => Promise<void>} close
 */

/**
 * @param {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void | Promise<void>} handler
 * @param {{ lifetimeMs?: number }} [options]
 * @returns {Promise<LoopbackServer>}
 */
export async function startLoopbackServer(handler, options = {}) {
  /** @type {LoopbackServer['requests']} */
  const requests = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers });
    Promise.resolve(handler(request, response)).catch((error) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const timer = setTimeout(() => void close(), options.lifetimeMs ?? 60_000);
  timer.unref();
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve(undefined)));
  }
  return { url: `http://127.0.0.1:${address.port}`, requests, close };
}
