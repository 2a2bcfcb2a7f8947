//! onnx-edge's slim wasm build: runs the NNEF archives that `onnx-edge publish --format nnef`
//! writes, with tract-nnef and tract's `tract_onnx` extension only (no protobuf, no ONNX parser,
//! none of our own ONNX operators). Its `WasmSession` has the full build's face
//! (src/wasm/session.rs): `new(bytes, options)`, `metadata`, `warnings`, `run(feeds, fetches)`.
mod archive;
mod engine;
mod error;
mod guard;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod tensor;

pub use engine::{Feed, Limits, Model};
pub use error::SlimError;
