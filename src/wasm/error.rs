//! The only conversion of core errors to JavaScript: an `Error` named `OnnxEdgeError` with a
//! stable `code` and a `details` object, which www/errors.js rethrows as its class.
use wasm_bindgen::JsValue;

use crate::Error;

/// Builds the JS error for a core error.
pub fn to_js(error: &Error) -> JsValue {
    build(error.code(), &error.to_string(), &error.details())
}

/// Builds a JS error from a code, a message and details.
pub fn build(code: &str, message: &str, details: &serde_json::Value) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("OnnxEdgeError");
    let value: JsValue = js.into();
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let details = serde::Serialize::serialize(details, &serializer).unwrap_or(JsValue::NULL);
    // Reflect::set on a fresh Error object cannot fail; ignore the Ok(bool).
    let _ = js_sys::Reflect::set(&value, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&value, &"details".into(), &details);
    value
}
