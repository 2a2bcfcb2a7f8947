//! `WasmSession`: the core session as a JS class (internal; www/session.js wraps it).
use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::{error, tensor};
use crate::{LoadOptions, Session};

/// A loaded model inside this wasm instance.
#[wasm_bindgen(js_name = WasmSession)]
pub struct WasmSession {
    inner: Session,
    /// Output names as JS strings, made on first use (see `tensor::Interned`).
    output_names: Vec<(String, JsValue)>,
}

impl WasmSession {
    fn js_name(&mut self, name: &str) -> JsValue {
        if let Some((_, js)) = self.output_names.iter().find(|(n, _)| n == name) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        self.output_names.push((name.to_owned(), js.clone()));
        js
    }
}

#[wasm_bindgen(js_class = WasmSession)]
impl WasmSession {
    /// Loads a model from its bytes; `options` is a plain object (see `LoadOptions`).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8], options: JsValue) -> Result<WasmSession, JsValue> {
        let options: LoadOptions = if options.is_undefined() || options.is_null() {
            LoadOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| {
                error::build(
                    "OPTIONS_INVALID",
                    &format!("invalid session options: {e}"),
                    &serde_json::json!({ "kind": "options", "reason": e.to_string() }),
                )
            })?
        };
        let inner = Session::load(bytes, options).map_err(|e| error::to_js(&e))?;
        Ok(WasmSession {
            inner,
            output_names: Vec::new(),
        })
    }

    /// Inputs, outputs, opsets, producer and metadata_props.
    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> Result<JsValue, JsValue> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(self.inner.metadata(), &serializer)
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// What the loader accepted with a caveat.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings().to_vec()
    }

    /// Runs on `[{ name, type, dims, data }]`, returning the same shape for each output.
    pub fn run(&mut self, feeds: Array, fetches: Option<Vec<String>>) -> Result<Array, JsValue> {
        let feeds = feeds
            .iter()
            .map(|f| tensor::from_js(&f))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| error::to_js(&e))?;
        let outputs = self
            .inner
            .run(feeds, fetches.as_deref())
            .map_err(|e| error::to_js(&e))?;
        Ok(outputs
            .iter()
            .map(|(name, t)| tensor::to_js(&self.js_name(name), t))
            .collect())
    }
}
