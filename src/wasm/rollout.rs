//! Rollout computations for the harness: sticky assignment, the staging gate's comparison,
//! shadow agreement. Tensors come as `{ name, type, dims, data }` objects, as in `run`.
use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::{error, tensor};
use crate::rollout;

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

fn tensors(list: Array) -> Result<Vec<(String, crate::HostTensor)>, JsValue> {
    list.iter()
        .map(|t| tensor::from_js(&t))
        .collect::<Result<_, _>>()
        .map_err(|e| error::to_js(&e))
}

/// The bucket (0..10000) of a user key: sha256(key)[0..8] big-endian mod 10000.
#[wasm_bindgen(js_name = bucketOf)]
pub fn bucket_of(key: &str) -> u32 {
    rollout::bucket_of(key) as u32
}

/// The version a key is assigned to, from `{ version: weight }`; undefined when no weight is positive.
#[wasm_bindgen(js_name = assignVariant)]
pub fn assign_variant(key: &str, weights: JsValue) -> Result<Option<String>, JsValue> {
    let weights: std::collections::BTreeMap<String, f64> = serde_wasm_bindgen::from_value(weights)
        .map_err(|e| {
            error::build(
                "OPTIONS_INVALID",
                &format!("weights: {e}"),
                &serde_json::json!({ "kind": "options", "reason": e.to_string() }),
            )
        })?;
    let pairs: Vec<(String, f64)> = weights.into_iter().collect();
    Ok(rollout::assign_variant(key, &pairs))
}

/// `{ ok, maxAbs, mismatches, compared, failures }` of `got` against `expected` (both arrays of tensors).
#[wasm_bindgen(js_name = compareOutputs)]
pub fn compare_outputs(
    expected: Array,
    got: Array,
    atol: f64,
    rtol: f64,
) -> Result<JsValue, JsValue> {
    to_js(&rollout::compare_outputs(
        &tensors(expected)?,
        &tensors(got)?,
        atol,
        rtol,
    ))
}

/// `{ rows, top1, maxAbs, meanAbs }` between two tensors of the same output.
#[wasm_bindgen]
pub fn agreement(a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    let (_, a) = tensor::from_js(&a).map_err(|e| error::to_js(&e))?;
    let (_, b) = tensor::from_js(&b).map_err(|e| error::to_js(&e))?;
    to_js(&rollout::agreement(&a, &b))
}
