//! `{ name, type, dims, data }` objects to tract tensors and back (the full build's contract,
//! src/wasm/tensor.rs), converting straight to tract tensors: this build has no host tensor type.
use js_sys::{Array, Object, Reflect};
use serde_json::json;
use tract_nnef::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::Feed;
use crate::error::SlimError;

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn shape_error(name: &str, expected: &str, actual: Vec<usize>) -> SlimError {
    SlimError::input(
        "INPUT_SHAPE",
        format!("input '{name}' must have shape {expected}, got {actual:?}"),
        json!({ "kind": "shape", "input": name, "expected": expected, "actual": actual }),
    )
}

/// Reads one feed object; the data must be the typed array of its type.
pub fn from_js(feed: &JsValue) -> Result<Feed, SlimError> {
    let name = get(feed, "name").as_string().unwrap_or_default();
    let dtype = get(feed, "type").as_string().unwrap_or_default();
    let dims_array: Array = get(feed, "dims")
        .dyn_into()
        .map_err(|_| shape_error(&name, "dims as an array", vec![]))?;
    let mut dims = Vec::with_capacity(dims_array.length() as usize);
    for d in dims_array.iter() {
        let v = d
            .as_f64()
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= 2f64.powi(40));
        dims.push(
            v.ok_or_else(|| shape_error(&name, "dims of non-negative integers", vec![]))? as usize,
        );
    }
    let data = get(feed, "data");
    let wrong = || {
        let actual = data.js_typeof().as_string().unwrap_or_default();
        SlimError::input(
            "INPUT_DTYPE",
            format!("input '{name}' must be {dtype} data in its typed array, got {actual}"),
            json!({ "kind": "dType", "input": name, "expected": format!("{dtype} data in its typed array"), "actual": actual }),
        )
    };
    macro_rules! typed {
        ($array:ty) => {
            data.dyn_ref::<$array>().ok_or_else(wrong)?.to_vec()
        };
    }
    let elements = dims.iter().try_fold(1usize, |a, d| a.checked_mul(*d));
    let length = |len: usize| -> Result<(), SlimError> {
        if elements == Some(len) {
            return Ok(());
        }
        Err(SlimError::input(
            "INPUT_SHAPE",
            format!(
                "input '{name}': dims {dims:?} need {} elements, data has {len}",
                elements.unwrap_or(usize::MAX)
            ),
            json!({ "kind": "dataLength", "input": name, "dims": dims, "expected": elements.unwrap_or(usize::MAX), "actual": len }),
        ))
    };
    macro_rules! tensor {
        ($vec:expr) => {{
            let v = $vec;
            length(v.len())?;
            Tensor::from_shape(&dims, &v)
        }};
    }
    let tensor = match dtype.as_str() {
        "float32" => tensor!(typed!(js_sys::Float32Array)),
        "float64" => tensor!(typed!(js_sys::Float64Array)),
        "float16" => tensor!(typed!(js_sys::Uint16Array)
            .into_iter()
            .map(f16::from_bits)
            .collect::<Vec<_>>()),
        "int8" => tensor!(typed!(js_sys::Int8Array)),
        "uint8" => tensor!(typed!(js_sys::Uint8Array)),
        "int16" => tensor!(typed!(js_sys::Int16Array)),
        "uint16" => tensor!(typed!(js_sys::Uint16Array)),
        "int32" => tensor!(typed!(js_sys::Int32Array)),
        "uint32" => tensor!(typed!(js_sys::Uint32Array)),
        "int64" => tensor!(typed!(js_sys::BigInt64Array)),
        "uint64" => tensor!(typed!(js_sys::BigUint64Array)),
        "bool" => tensor!(typed!(js_sys::Uint8Array)
            .into_iter()
            .map(|b| b != 0)
            .collect::<Vec<_>>()),
        "string" => {
            let array: Array = data.clone().dyn_into().map_err(|_| wrong())?;
            let strings: Option<Vec<String>> = array.iter().map(|v| v.as_string()).collect();
            let strings = strings.ok_or_else(wrong)?;
            length(strings.len())?;
            tract_nnef::prelude::tract_ndarray::ArrayD::from_shape_vec(dims.clone(), strings)
                .map(Tensor::from)
                .map_err(TractError::from)
        }
        _ => {
            return Err(SlimError::input(
                "INPUT_DTYPE",
                format!("input '{name}': unknown tensor type '{dtype}'"),
                json!({ "kind": "unknownType", "input": name, "actual": dtype }),
            ))
        }
    };
    let tensor = tensor.map_err(|e| SlimError::run(crate::error::chain(&e)))?;
    Ok(Feed {
        name,
        dtype,
        tensor,
    })
}

/// Builds `{ name, type, dims, data }` with a fresh typed array copied out of wasm memory.
pub fn to_js(name: &JsValue, value: &Tensor) -> Result<JsValue, SlimError> {
    let failed = |e: TractError| SlimError::run(crate::error::chain(&e));
    let (type_name, data): (&str, JsValue) = match value.datum_type().unquantized() {
        DatumType::F32 => (
            "float32",
            js_sys::Float32Array::from(plain::<f32>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::F64 => (
            "float64",
            js_sys::Float64Array::from(plain::<f64>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::F16 => {
            let bits: Vec<u16> = plain::<f16>(value)
                .map_err(failed)?
                .iter()
                .map(|h| h.to_bits())
                .collect();
            ("float16", js_sys::Uint16Array::from(bits.as_slice()).into())
        }
        DatumType::I8 => (
            "int8",
            js_sys::Int8Array::from(plain::<i8>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::U8 => (
            "uint8",
            js_sys::Uint8Array::from(plain::<u8>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::I16 => (
            "int16",
            js_sys::Int16Array::from(plain::<i16>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::U16 => (
            "uint16",
            js_sys::Uint16Array::from(plain::<u16>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::I32 => (
            "int32",
            js_sys::Int32Array::from(plain::<i32>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::U32 => (
            "uint32",
            js_sys::Uint32Array::from(plain::<u32>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::I64 => (
            "int64",
            js_sys::BigInt64Array::from(plain::<i64>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::U64 => (
            "uint64",
            js_sys::BigUint64Array::from(plain::<u64>(value).map_err(failed)?.as_slice()).into(),
        ),
        DatumType::TDim => {
            let ints = value.cast_to::<i64>().map_err(failed)?;
            (
                "int64",
                js_sys::BigInt64Array::from(plain::<i64>(&ints).map_err(failed)?.as_slice()).into(),
            )
        }
        DatumType::Bool => {
            let bytes: Vec<u8> = plain::<bool>(value)
                .map_err(failed)?
                .iter()
                .map(|b| u8::from(*b))
                .collect();
            ("bool", js_sys::Uint8Array::from(bytes.as_slice()).into())
        }
        DatumType::String => (
            "string",
            value
                .try_as_plain_ram()
                .and_then(|t| t.as_slice::<String>().map(<[String]>::to_vec))
                .map_err(failed)?
                .iter()
                .map(|s| JsValue::from_str(s))
                .collect::<Array>()
                .into(),
        ),
        other => {
            return Err(SlimError::run(format!(
                "an output of type {other:?}, which JS cannot hold"
            )))
        }
    };
    let dims: Array = value
        .shape()
        .iter()
        .map(|d| JsValue::from_f64(*d as f64))
        .collect();
    let out = Object::new();
    let _ = Reflect::set(&out, &"name".into(), name);
    let _ = Reflect::set(&out, &"type".into(), &type_name.into());
    let _ = Reflect::set(&out, &"dims".into(), &dims);
    let _ = Reflect::set(&out, &"data".into(), &data);
    Ok(out.into())
}

/// The values of a tensor; quantized tensors hold their values as the plain integer type.
fn plain<T: Datum + Copy>(t: &Tensor) -> TractResult<Vec<T>> {
    if t.datum_type().is_quantized() {
        let mut t = t.clone();
        // SAFETY: QI8/QU8/QI32 share the layout of i8/u8/i32; only the datum tag changes.
        unsafe { t.set_datum_type(T::datum_type()) };
        return Ok(t.try_as_plain_ram()?.as_slice::<T>()?.to_vec());
    }
    Ok(t.try_as_plain_ram()?.as_slice::<T>()?.to_vec())
}
