// onnx-edge/slim: the slim build's entry, for tight budgets (Workers script size, slow links). It runs the NNEF
// archives that `onnx-edge publish --format nnef` writes, with the same Tensor, errors and run() contract as
// 'onnx-edge'; no ONNX parser, none of our own ONNX operators (README "Slim build").
//
//   import { InferenceSession, Tensor } from 'onnx-edge/slim';
//   const session = await InferenceSession.create(archiveBytesOrUrl);
//   const out = await session.run({ X: new Tensor('float32', data, [n, 4]) });

export { init } from './slim/engine.js';
export { InferenceSession } from './slim/session.js';
export { Tensor } from './tensor.js';
export { ErrorCode, OnnxEdgeError, isOnnxEdgeError } from './errors.js';

/** @typedef {import('./slim/session.js').SlimSessionOptions} SlimSessionOptions */
