//! The wasm-bindgen surface: internal JS classes used by the harness in www/ (never exported
//! from the npm package's entry), typed-array conversion, and the one error conversion.
mod error;
mod rollout;
mod session;
mod telemetry;
mod tensor;

use wasm_bindgen::prelude::*;

/// Runs the static constructors (once), then installs the panic hook (so a panic prints its
/// message before the instance traps). See `engine::run_constructors` for why we call them.
#[wasm_bindgen(start)]
pub fn start() {
    crate::core::engine::run_constructors();
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

/// Lower-case hex sha256 of `bytes`.
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::integrity::sha256_hex(bytes)
}

/// Checks `bytes` against the promised sha256; throws `INTEGRITY` naming `url`.
#[wasm_bindgen(js_name = checkSha256)]
pub fn check_sha256(url: &str, bytes: &[u8], expected: &str) -> Result<(), JsValue> {
    crate::integrity::check_sha256(url, bytes, expected).map_err(|e| error::to_js(&e.into()))
}

/// Parses a manifest and verifies its Ed25519 signature with `public_key` (base64); returns the
/// manifest object only when it verifies (throws `SIGNATURE` or `MANIFEST_INVALID`).
#[wasm_bindgen(js_name = verifyManifest)]
pub fn verify_manifest(text: &str, public_key: &str) -> Result<JsValue, JsValue> {
    let value =
        crate::integrity::verify_manifest(text, public_key).map_err(|e| error::to_js(&e.into()))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&value, &serializer).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Resolves `name@version|range|alias` in a manifest given as JSON text (throws
/// `VERSION_NOT_FOUND` listing what exists, or `MANIFEST_INVALID`).
#[wasm_bindgen(js_name = resolveModel)]
pub fn resolve_model(manifest_text: &str, spec: &str) -> Result<JsValue, JsValue> {
    let manifest: crate::registry::Manifest = serde_json::from_str(manifest_text).map_err(|e| {
        let e = crate::integrity::IntegrityError::Manifest {
            reason: e.to_string(),
        };
        error::to_js(&e.into())
    })?;
    let resolved =
        crate::registry::resolve(&manifest, spec).map_err(|e| error::to_js(&e.into()))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&resolved, &serializer)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The error codes the core can produce, for the harness's consistency check.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    crate::ERROR_CODES.iter().map(|c| (*c).to_owned()).collect()
}

/// A drawn digit (`width` x `height` ink in 0..1, row-major) to scikit-learn's 64 digit features.
#[wasm_bindgen(js_name = digitFeatures)]
pub fn digit_features(ink: &[f32], width: usize, height: usize) -> Result<Vec<f32>, JsValue> {
    crate::preprocess::digit_features(ink, width, height)
        .map(|f| f.to_vec())
        .map_err(|e| error::to_js(&e.into()))
}
