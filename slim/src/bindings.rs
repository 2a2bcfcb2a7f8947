//! The wasm-bindgen surface, shaped as the full build's (src/wasm/mod.rs, session.rs, error.rs).
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::engine::{Limits, Model};
use crate::error::SlimError;
use crate::tensor;

/// Runs the static constructors once (tract registers its kernels with `inventory`; see
/// src/core/engine.rs `run_constructors` for why we call them ourselves), then the panic hook.
#[wasm_bindgen(start)]
pub fn start() {
    run_constructors();
    console_error_panic_hook::set_once();
}

fn run_constructors() {
    extern "C" {
        fn __wasm_call_ctors();
    }
    static DONE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the Once runs it a single time, before anything reads tract's registries.
    DONE.call_once(|| unsafe { __wasm_call_ctors() });
}

/// The codes this build can produce (a subset of the full build's `errorCodes()`).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    [
        "MODEL_PARSE",
        "MODEL_SHAPE",
        "MODEL_RUN",
        "INPUT_MISSING",
        "INPUT_UNKNOWN",
        "INPUT_DTYPE",
        "INPUT_SHAPE",
        "OUTPUT_UNKNOWN",
        "LIMIT_EXCEEDED",
        "OPTIONS_INVALID",
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .collect()
}

/// An `Error` named `OnnxEdgeError` with `code` and `details`, as src/wasm/error.rs builds it.
pub fn to_js(error: &SlimError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("OnnxEdgeError");
    let value: JsValue = js.into();
    let details = js_sys::JSON::parse(&error.details.to_string()).unwrap_or(JsValue::NULL);
    let _ = Reflect::set(&value, &"code".into(), &error.code.into());
    let _ = Reflect::set(&value, &"details".into(), &details);
    value
}

/// A positive integer limit from `options.limits`, or the default.
fn limit(limits: &JsValue, key: &str, default: usize) -> Result<usize, SlimError> {
    let value = Reflect::get(limits, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(default);
    }
    match value.as_f64() {
        Some(v) if v.fract() == 0.0 && v >= 1.0 => Ok(v.min(usize::MAX as f64) as usize),
        _ => Err(SlimError::new(
            "OPTIONS_INVALID",
            format!("invalid session options: limits.{key} must be a positive integer"),
            serde_json::json!({ "kind": "options", "reason": format!("limits.{key}") }),
        )),
    }
}

fn read_limits(options: &JsValue) -> Result<Limits, SlimError> {
    let defaults = Limits::default();
    if options.is_undefined() || options.is_null() {
        return Ok(defaults);
    }
    let limits = Reflect::get(options, &"limits".into()).unwrap_or(JsValue::UNDEFINED);
    if limits.is_undefined() || limits.is_null() {
        return Ok(defaults);
    }
    Ok(Limits {
        max_model_bytes: limit(&limits, "maxModelBytes", defaults.max_model_bytes)?,
        max_tensor_elements: limit(&limits, "maxTensorElements", defaults.max_tensor_elements)?,
    })
}

/// A loaded NNEF model inside this wasm instance.
#[wasm_bindgen(js_name = WasmSession)]
pub struct WasmSession {
    inner: Model,
    output_names: Vec<JsValue>,
}

#[wasm_bindgen(js_class = WasmSession)]
impl WasmSession {
    /// Loads an archive from its bytes; `options` may carry `limits` (maxModelBytes, maxTensorElements).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8], options: JsValue) -> Result<WasmSession, JsValue> {
        let limits = read_limits(&options).map_err(|e| to_js(&e))?;
        let inner = Model::load(bytes, limits).map_err(|e| to_js(&e))?;
        let output_names = inner
            .output_names()
            .iter()
            .map(|n| JsValue::from_str(n))
            .collect();
        Ok(WasmSession {
            inner,
            output_names,
        })
    }

    /// Inputs, outputs, opsets, producer and metadata_props of the ONNX model it was published from.
    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&self.inner.metadata().to_string())
    }

    /// Nothing is accepted with a caveat here: the publisher refused what does not convert.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Runs on `[{ name, type, dims, data }]`, returning the same shape for each output.
    pub fn run(&mut self, feeds: Array, fetches: Option<Vec<String>>) -> Result<Array, JsValue> {
        let feeds = feeds
            .iter()
            .map(|f| tensor::from_js(&f))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| to_js(&e))?;
        let outputs = self
            .inner
            .run(feeds, fetches.as_deref())
            .map_err(|e| to_js(&e))?;
        outputs
            .iter()
            .map(|(ix, value)| tensor::to_js(&self.output_names[*ix], value).map_err(|e| to_js(&e)))
            .collect()
    }
}
