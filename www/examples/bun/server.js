// Bun: `bun www/examples/bun/server.js` (env: PORT=8787, MODEL=path/to/model.onnx, MODEL_NAME, MODEL_VERSION)
/// <reference path="../runtimes.d.ts" />
import { InferenceSession, Telemetry } from '../../index.js';
import { createHandler } from '../handler.js';

const env = Bun.env;
const model = { name: env.MODEL_NAME ?? 'iris', version: env.MODEL_VERSION ?? '1.0.0' };
const telemetry = new Telemetry();
const source = env.MODEL ?? new URL('../../../tests/fixtures/models/iris_rf.onnx', import.meta.url);
const session = await InferenceSession.create(source, { telemetry, model });
const server = Bun.serve({
  hostname: '127.0.0.1', port: Number(env.PORT ?? 8787),
  fetch: createHandler({ session, model, telemetry, variant: 'bun' }),
});
console.log(`onnx-edge bun example on http://127.0.0.1:${server.port}`);
