// The demo's service worker (a classic script): after one visit the demo works with the network off.
//
// Install precaches the page, every JS module it imports (found by following the relative import/export ... from
// lines from app.js, so the list never goes stale), the wasm, the digits model, the iris test set, and the demo
// registry: its manifest, its public key and every model file the manifest names. Requests are answered network
// first (the demo is served from loopback, and a rebuilt registry or wasm must win), falling back to the cache when
// the network fails; every successful same-origin GET refreshes the cache.

(() => {
  const CACHE = 'onnx-edge-demo-v1';
  const REGISTRY = '../../target/demo-registry/';
  const FIXED = [
    './', 'index.html', 'demo.css', 'favicon.svg',
    '../dist/onnx_edge_bg.wasm',
    '../../tests/fixtures/models/digits_mlp.onnx',
    '../../tests/fixtures/rollout/expected.json',
    `${REGISTRY}manifest.json`, `${REGISTRY}publisher.pub`,
  ];
  // `import ... from './x.js'`, `export ... from '../y.js'` (also across lines) and `import './z.js'`, at the
  // start of a line, so that examples in comments (`//   import { ... } from 'onnx-edge'`) are skipped.
  const STATIC_IMPORT = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

  /** @type {any} */
  const worker = self;

  /**
   * @param {string} url
   * @returns {Promise<Response>}
   */
  async function fetchOk(url) {
    const response = await fetch(url, { cache: 'reload' });
    if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
    return response;
  }

  /**
   * Fetch `url` and store it, reading the body at once: an unread body holds one of the six connections a browser
   * keeps per host, and a seventh request would wait for it forever.
   * @param {Cache} cache
   * @param {string} url
   * @returns {Promise<Response>} a copy of what was stored
   */
  async function store(cache, url) {
    const response = await fetchOk(url);
    const copy = response.clone();
    await cache.put(url, response);
    return copy;
  }

  /**
   * Store every module reachable from `entry` by static relative imports.
   * @param {Cache} cache
   * @param {string} entry an absolute URL
   */
  async function storeModuleGraph(cache, entry) {
    const seen = new Set();
    const queue = [entry];
    while (queue.length > 0) {
      const url = /** @type {string} */ (queue.shift());
      if (seen.has(url)) continue;
      seen.add(url);
      const source = await (await store(cache, url)).text();
      for (const match of source.matchAll(STATIC_IMPORT)) {
        const next = new URL(match[1] ?? match[2], url).href;
        if (!seen.has(next)) queue.push(next);
      }
    }
  }

  async function precache() {
    const cache = await caches.open(CACHE);
    const base = worker.registration.scope;
    await storeModuleGraph(cache, new URL('app.js', base).href);
    for (const url of FIXED) await store(cache, new URL(url, base).href);
    const manifestUrl = new URL(`${REGISTRY}manifest.json`, base);
    const manifest = await (await /** @type {Promise<Response>} */ (cache.match(manifestUrl.href))).json();
    for (const model of Object.values(manifest.models ?? {})) {
      for (const entry of Object.values(/** @type {{ versions?: Record<string, { file: string }> }} */ (model).versions ?? {})) {
        await store(cache, new URL(entry.file, manifestUrl).href);
      }
    }
  }

  /**
   * Network first; the cache when the network fails. The copy is stored after the answer is on its way.
   * @param {{ request: Request, waitUntil: (p: Promise<unknown>) => void }} event
   * @returns {Promise<Response>}
   */
  async function answer(event) {
    const { request } = event;
    try {
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => {}));
      }
      return response;
    } catch (error) {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request) ?? await cache.match(request, { ignoreSearch: true });
      if (cached !== undefined) return cached;
      throw error;
    }
  }

  worker.addEventListener('install', (/** @type {any} */ event) => {
    event.waitUntil(precache().then(() => worker.skipWaiting()));
  });

  worker.addEventListener('activate', (/** @type {any} */ event) => {
    event.waitUntil((async () => {
      for (const name of await caches.keys()) if (name.startsWith('onnx-edge-demo-') && name !== CACHE) await caches.delete(name);
      await worker.clients.claim();
    })());
  });

  worker.addEventListener('fetch', (/** @type {any} */ event) => {
    /** @type {Request} */
    const request = event.request;
    if (request.method !== 'GET' || new URL(request.url).origin !== worker.location.origin) return;
    event.respondWith(answer(event));
  });
})();
