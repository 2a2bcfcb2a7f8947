// `make demo`: builds the demo registry with the CLI (target/demo-registry/), predicts the embedded iris model once
// in Node, then serves the repository on 127.0.0.1 (PORT, default 8080) until stopped with Ctrl-C (or after
// DEMO_LIFETIME_MS). The page is www/demo/.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { InferenceSession, Tensor } from '../index.js';
import { startStaticServer } from '../../tests/e2e/static-server.js';
import { DEMO_VERSIONS, buildDemoRegistry } from './demo-registry.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const built = await buildDemoRegistry();
console.log(`Registry: ${built.dir} (iris ${DEMO_VERSIONS.map(([v]) => v).join(', ')}; signed, public key ${built.publicKey})`);

const model = await readFile(new URL('../../tests/fixtures/models/iris_rf.onnx', import.meta.url));
const session = await InferenceSession.create(model);
const flowers = Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.2, 2.9, 4.3, 1.3, 7.7, 3.0, 6.1, 2.3]);
const out = await session.run({ X: new Tensor('float32', flowers, [3, 4]) });
const names = ['setosa', 'versicolor', 'virginica'];
for (let i = 0; i < 3; i += 1) {
  const probabilities = /** @type {Float32Array} */ (out.probabilities.data);
  const p = Array.from(probabilities.slice(i * 3, i * 3 + 3), (v) => v.toFixed(3));
  console.log(`Node: [${Array.from(flowers.slice(i * 4, i * 4 + 4), (v) => v.toFixed(1)).join(', ')}] -> ${names[Number(out.label.data[i])]} (p = ${p.join(' / ')})`);
}
await session.release();

const port = Number(process.env.PORT ?? 8080);
const lifetimeMs = Number(process.env.DEMO_LIFETIME_MS ?? 8 * 3600 * 1000);
const server = await startStaticServer({ root: repo, port, lifetimeMs, maxRequests: 1e6 });
console.log(`Demo: open ${server.url}/www/demo/ (Ctrl-C to stop)`);
