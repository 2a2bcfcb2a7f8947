// A loopback OTLP/HTTP receiver for the tests: listens on 127.0.0.1, keeps every POST (path, headers, body), answers
// with the statuses it is told to (default 200), and closes itself after `maxRequests` or `lifetimeMs`.

import { createServer } from 'node:http';

/**
 * @typedef {object} Receiver
 * @property {string} url the metrics endpoint, `http://127.0.0.1:PORT/v1/metrics`
 * @property {string} origin
 * @property {{ path: string, headers: import('node:http').IncomingHttpHeaders, body: string, status: number }[]} received
 * @property {number[]} statuses statuses to answer with, first in first out (then 200)
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ maxRequests?: number, lifetimeMs?: number, maxBodyBytes?: number, cors?: boolean }} [options]
 * @returns {Promise<Receiver>}
 */
export async function startReceiver(options = {}) {
  const { maxRequests = 500, lifetimeMs = 120_000, maxBodyBytes = 4 << 20, cors = false } = options;
  /** @type {Receiver['received']} */
  const received = [];
  /** @type {number[]} */
  const statuses = [];
  let count = 0;
  const corsHeaders = cors
    ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' }
    : {};
  const server = createServer((req, res) => {
    count += 1;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders).end();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBodyBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'application/json', ...corsHeaders }).end('{}');
    });
    if (count >= maxRequests) res.on('finish', () => void close());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const timer = setTimeout(() => void close(), lifetimeMs);
  timer.unref();
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  let closing = /** @type {Promise<void> | null} */ (null);
  function close() {
    clearTimeout(timer);
    closing ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}/v1/metrics`, origin, received, statuses, close };
}
