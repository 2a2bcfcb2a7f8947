// Cloudflare Workers / workerd: `npx workerd serve www/examples/cloudflare/config.capnp` (the port is in the config)
/// <reference path="../runtimes.d.ts" />
import { init, InferenceSession, Telemetry } from '../../index.js';
import wasm from '../../dist/onnx_edge_bg.wasm'; // a WebAssembly.Module: workerd refuses to compile wasm bytes
import iris from '../../../tests/fixtures/models/iris_rf.onnx'; // an ArrayBuffer (a Data module in the config)
import { createHandler } from '../handler.js';
const model = { name: 'iris', version: '1.0.0' };
/** @type {Promise<(request: Request) => Promise<Response>> | undefined} */
let app; // made on the first request: workerd runs no async work at the top level
async function start(telemetry = new Telemetry()) {
  await init(wasm);
  const session = await InferenceSession.create(iris, { telemetry, model });
  return createHandler({ session, model, telemetry, variant: 'workerd' });
}
export default { fetch: async (/** @type {Request} */ r) => (await (app ??= start().catch((e) => { app = undefined; throw e; })))(r) };
