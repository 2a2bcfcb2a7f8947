//! The wasm-bindgen surface: internal JS classes used by the harness in www/ (never exported
//! from the npm package's entry), typed-array conversion, and the one error conversion.
mod error;
mod session;
mod tensor;

use wasm_bindgen::prelude::*;

/// Installs the panic hook once, so a panic prints its message before the instance traps.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The op-coverage table of this build: `[{ domain, op, status }]`.
#[wasm_bindgen(js_name = opCoverage)]
pub fn op_coverage() -> Result<JsValue, JsValue> {
    let rows = crate::op_coverage();
    serde_wasm_bindgen::to_value(&rows).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// A model's report card (metadata, op histogram, parameter bytes, unsupported ops).
#[wasm_bindgen(js_name = inspectModel)]
pub fn inspect_model(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let report = crate::inspect_model(bytes).map_err(|e| error::to_js(&e))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&report, &serializer).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The error codes the core can produce, for the harness's consistency check.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    crate::ERROR_CODES.iter().map(|c| (*c).to_owned()).collect()
}
