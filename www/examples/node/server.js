// Node: `node www/examples/node/server.js` (env: PORT=8787, MODEL=path/to/model.onnx, MODEL_NAME, MODEL_VERSION)
import { createServer } from 'node:http';
import { InferenceSession, Telemetry } from '../../index.js';
import { createHandler } from '../handler.js';
import { toNodeListener } from './adapter.js';

const env = process.env;
const model = { name: env.MODEL_NAME ?? 'iris', version: env.MODEL_VERSION ?? '1.0.0' };
const telemetry = new Telemetry();
const source = env.MODEL ?? new URL('../../../tests/fixtures/models/iris_rf.onnx', import.meta.url);
const session = await InferenceSession.create(source, { telemetry, model });
const server = createServer(toNodeListener(createHandler({ session, model, telemetry, variant: 'node' })));
server.listen(Number(env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`onnx-edge node example on http://127.0.0.1:${/** @type {any} */ (server.address()).port}`);
});
