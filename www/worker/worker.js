// The module worker a worker session starts (client.js: `new Worker(new URL('./worker.js', import.meta.url),
// { type: 'module' })`): a same-origin module file, so it runs under a strict CSP (`worker-src 'self'`, no blob:).

import { serveSession } from './host.js';

serveSession(/** @type {import('./host.js').Endpoint} */ (/** @type {unknown} */ (globalThis)));
