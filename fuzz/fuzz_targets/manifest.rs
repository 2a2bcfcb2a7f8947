//! A spec line and a manifest text: signature check, typed parse and resolution return Ok or a
//! typed error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: onnx_edge_fuzz::abort_on_panic(),
    |data: &[u8]| {
        let _ = onnx_edge_fuzz::manifest_input::exercise(data);
    }
);
