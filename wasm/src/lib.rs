//! Links the bindings of `onnx-edge` (src/wasm) into one cdylib, so the release build gets fat LTO.
pub use onnx_edge::*;
