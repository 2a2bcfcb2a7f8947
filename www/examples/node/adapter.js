// node:http to the shared WHATWG handler: IncomingMessage -> Request, Response -> ServerResponse.
// (Node 20 has Request/Response but no server that speaks them; Deno, Bun and workerd need no adapter.)

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * A `request` listener for `http.createServer` that answers through `handler`.
 * @param {(request: Request) => Promise<Response>} handler
 * @returns {(req: IncomingMessage, res: ServerResponse) => void}
 */
export function toNodeListener(handler) {
  return (req, res) => {
    respond(handler, req, res).catch((error) => {
      console.error('onnx-edge example (node adapter):', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }));
      } else {
        res.destroy();
      }
    });
  };
}

/**
 * @param {(request: Request) => Promise<Response>} handler
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 */
async function respond(handler, req, res) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const body = hasBody ? bodyStream(req) : null;
  const request = new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), {
    method: req.method,
    headers,
    body: body?.stream ?? null,
    // @ts-ignore: `duplex` is required by Node's fetch for a stream body but missing from the DOM typings
    duplex: 'half',
  });
  const response = await handler(request);
  const payload = req.method === 'HEAD' || response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  /** @type {Record<string, string | string[]>} */
  const out = {};
  response.headers.forEach((value, name) => { out[name] = value; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  if (payload !== null) out['content-length'] = String(payload.byteLength);
  // A body the handler did not read to the end (413, 404, 405): stop buffering it, let it drain, and close the
  // connection after the answer.
  if (body !== null && !req.complete) {
    body.detach();
    out.connection = 'close';
    req.resume();
  }
  res.writeHead(response.status, out);
  res.end(payload ?? undefined);
}

/**
 * The request body as a web ReadableStream with backpressure. Unlike `Readable.toWeb`, cancelling it leaves the
 * socket open, so that a 413 can still be sent; `detach` stops feeding the stream (what the handler left unread is
 * then drained, not buffered).
 * @param {IncomingMessage} req
 * @returns {{ stream: ReadableStream<Uint8Array>, detach: () => void }}
 */
function bodyStream(req) {
  /** @type {(chunk: Buffer) => void} */
  let onData = () => {};
  /** @type {() => void} */
  let onEnd = () => {};
  /** @type {(error: Error) => void} */
  let onError = () => {};
  const detach = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  const stream = new ReadableStream({
    start(controller) {
      onData = (chunk) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      onEnd = () => { detach(); controller.close(); };
      onError = (error) => { detach(); controller.error(error); };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      detach();
      req.pause();
    },
  }, { highWaterMark: 1 });
  return { stream, detach };
}
