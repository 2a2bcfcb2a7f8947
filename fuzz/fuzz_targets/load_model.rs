//! Any bytes as a model file: `Session::load` must return Ok or a typed error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onnx_edge::{LoadOptions, Session};

fuzz_target!(
    init: onnx_edge_fuzz::abort_on_panic(),
    |data: &[u8]| {
        let _ = Session::load(data, LoadOptions::default());
    }
);
