// Deno: `deno run --allow-net=127.0.0.1 --allow-read --allow-env www/examples/deno/server.js` (PORT, MODEL, ...)
/// <reference path="../runtimes.d.ts" />
import { InferenceSession, Telemetry } from '../../index.js';
import { createHandler } from '../handler.js';

const env = Deno.env.toObject();
const model = { name: env.MODEL_NAME ?? 'iris', version: env.MODEL_VERSION ?? '1.0.0' };
const telemetry = new Telemetry();
const source = env.MODEL ?? new URL('../../../tests/fixtures/models/iris_rf.onnx', import.meta.url);
const session = await InferenceSession.create(source, { telemetry, model });
Deno.serve({
  hostname: '127.0.0.1', port: Number(env.PORT ?? 8787),
  onListen: ({ port }) => console.log(`onnx-edge deno example on http://127.0.0.1:${port}`),
}, createHandler({ session, model, telemetry, variant: 'deno' }));
