//! The pure-Rust core: loading, planning and running ONNX models with tract. It never names
//! wasm-bindgen, JavaScript or the network.
pub mod drift;
pub mod engine;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod export;
pub mod integrity;
pub mod metrics;
pub mod model;
pub mod ops;
pub mod preprocess;
pub mod registry;
pub mod rewrite;
pub mod rollout;
pub mod session;
pub mod tensor;
