// onnx-edge: ONNX inference in WebAssembly with onnxruntime-web's API. The package's only entry.
//
//   import { InferenceSession, Tensor } from 'onnx-edge';
//   const session = await InferenceSession.create(bytesOrUrl, options);
//   const out = await session.run({ X: new Tensor('float32', data, [n, 4]) });
//   await session.release();

export { engineEvents, engineInfo, engineResetCount, init, opCoverage } from './init.js';
export { inspectModel } from './inspect.js';
export { digitFeatures } from './preprocess.js';
export { InferenceSession } from './session.js';
export { ModelRegistry } from './registry/registry.js';
export { Deployment, accuracyCheck, assignVariant, bucketOf } from './rollout/index.js';
export { Telemetry } from './telemetry/telemetry.js'; // telemetry (issue 14)
export { createWorkerSession } from './worker/client.js'; // Web Worker (issue 16)
export { Tensor } from './tensor.js';
export { ErrorCode, OnnxEdgeError, isOnnxEdgeError } from './errors.js';
export { DATA_TYPES } from './dtypes.js';

/** @typedef {import('./dtypes.js').DataType} DataType */
/** @typedef {import('./dtypes.js').DataTypeMap} DataTypeMap */
/** @typedef {import('./errors.js').ErrorCodeName} ErrorCodeName */
/** @typedef {import('./init.js').WasmSource} WasmSource */
/** @typedef {import('./init.js').InitOptions} InitOptions */
/** @typedef {import('./init.js').EngineInfo} EngineInfo */
/** @typedef {import('./init.js').OpCoverageEntry} OpCoverageEntry */
/** @typedef {import('./inspect.js').ModelReport} ModelReport */
/** @typedef {import('./session.js').SessionOptions} SessionOptions */
/** @typedef {import('./session.js').ModelSource} ModelSource */
/** @typedef {import('./session.js').ModelIdentity} ModelIdentity */
/** @typedef {import('./session.js').ModelMetadata} ModelMetadata */
/** @typedef {import('./session.js').ValueMetadata} ValueMetadata */
/** @typedef {import('./session.js').FeedsType} FeedsType */
/** @typedef {import('./session.js').FetchesType} FetchesType */
/** @typedef {import('./session.js').RunOptions} RunOptions */
/** @typedef {import('./session.js').ReturnType} ReturnType */
/** @typedef {import('./session.js').TensorLike} TensorLike */
/** @typedef {import('./telemetry/telemetry.js').TelemetryOptions} TelemetryOptions */
/** @typedef {import('./telemetry/telemetry.js').TelemetrySnapshot} TelemetrySnapshot */
/** @typedef {import('./telemetry/telemetry.js').TrackOptions} TrackOptions */
/** @typedef {import('./telemetry/telemetry.js').ModelSpec} ModelSpec */
/** @typedef {import('./telemetry/thresholds.js').Thresholds} Thresholds */
/** @typedef {import('./telemetry/events.js').TelemetryEvent} TelemetryEvent */
/** @typedef {import('./telemetry/events.js').Logger} TelemetryLogger */
/** @typedef {import('./telemetry/reporter.js').ReportOptions} ReportOptions */
/** @typedef {import('./telemetry/reporter.js').Reporter} Reporter */
