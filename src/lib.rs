//! # onnx-edge
//!
//! An ONNX inference core for WebAssembly and native code, built on tract-onnx: it loads real
//! published models (with `If`, ai.onnx.ml and com.microsoft operators), checks inputs with
//! typed errors, and runs them.
//!
//! ```no_run
//! use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};
//! let bytes = std::fs::read("iris.onnx").unwrap();
//! let mut session = Session::load(&bytes, LoadOptions::default()).unwrap();
//! let x = HostTensor::new("X", vec![1, 4], TensorData::Float32(vec![5.1, 3.5, 1.4, 0.2])).unwrap();
//! let outputs = session.run(vec![("X".into(), x)], None).unwrap();
//! ```
#![deny(missing_docs)]

mod core;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use crate::core::error::{Error, Result, ERROR_CODES};
pub use crate::core::model::{
    Dim, LimitError, Limits, LoadOptions, ModelError, ModelMetadata, ModelReport, Opset,
    UnsupportedOp, ValueInfo,
};
pub use crate::core::session::Session;
pub use crate::core::tensor::{DType, HostTensor, InputError, TensorData};

/// What a model needs without running it: metadata, op histogram, parameter bytes, and every
/// operator this build cannot run.
pub fn inspect_model(bytes: &[u8]) -> Result<ModelReport> {
    Ok(crate::core::model::inspect(bytes)?)
}

/// The model as the NNEF .tar that the slim build runs (`onnx-edge publish --format nnef`): loaded
/// as [`Session::load`] loads it, decluttered, written with tract's NNEF writer. An operator with
/// no NNEF form is `MODEL_UNSUPPORTED_OP` ([`ModelError::NoNnefForm`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_nnef(bytes: &[u8], options: LoadOptions) -> Result<Vec<u8>> {
    crate::core::export::to_nnef(bytes, options)
}

/// The op-coverage table of this build (ai.onnx, ai.onnx.ml, com.microsoft).
pub fn op_coverage() -> Vec<crate::core::ops::Coverage> {
    crate::core::ops::coverage(&crate::core::engine::onnx().op_register)
}
pub use crate::core::ops::Coverage;

/// Integrity checks shared by the CLI and the wasm harness: sha256 and manifest signatures.
pub mod integrity {
    pub use crate::core::integrity::*;
}

/// The model registry's manifest and spec resolution (`name@1.2.0`, `name@^1.2`, `name@stable`).
pub mod registry {
    pub use crate::core::registry::*;
}

/// Drift statistics: reference distributions per feature (and, at run time, live ones).
pub mod drift {
    pub use crate::core::drift::*;
}

/// Quality and latency statistics: classification/regression metrics, live accuracy, quantiles.
pub mod metrics {
    pub use crate::core::metrics::*;
}

/// Rollout computations: sticky variant assignment, the staging gate's comparison, shadow agreement.
pub mod rollout {
    pub use crate::core::rollout::*;
}

/// Preprocessing next to the model: a drawn digit to scikit-learn's 8x8 digit features.
pub mod preprocess {
    pub use crate::core::preprocess::*;
}
