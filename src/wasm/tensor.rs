//! Typed arrays in and out: `{ name, type, dims, data }` objects to host tensors and back.
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::{DType, HostTensor, InputError, TensorData};

/// JS strings made once per instance: turning a Rust `&str` into a JS string copies and decodes
/// it, and on a small model the keys and type names of every run cost more than the model.
struct Interned {
    name: JsValue,
    type_: JsValue,
    dims: JsValue,
    data: JsValue,
    /// Each dtype's name, in `DType::ALL` order.
    dtypes: Vec<JsValue>,
}

thread_local! {
    static INTERNED: Interned = Interned {
        name: "name".into(),
        type_: "type".into(),
        dims: "dims".into(),
        data: "data".into(),
        dtypes: DType::ALL.iter().map(|d| JsValue::from_str(d.name())).collect(),
    };
}

fn get(obj: &JsValue, key: &JsValue) -> JsValue {
    Reflect::get(obj, key).unwrap_or(JsValue::UNDEFINED)
}

fn shape_error(name: &str, why: &str) -> crate::Error {
    InputError::Shape {
        input: name.to_owned(),
        expected: why.to_owned(),
        actual: vec![],
    }
    .into()
}

/// Reads one feed object; the data array must be the typed array of its type.
pub fn from_js(feed: &JsValue) -> Result<(String, HostTensor), crate::Error> {
    INTERNED.with(|keys| from_js_with(feed, keys))
}

fn from_js_with(feed: &JsValue, keys: &Interned) -> Result<(String, HostTensor), crate::Error> {
    let name = get(feed, &keys.name).as_string().unwrap_or_default();
    let type_name = get(feed, &keys.type_).as_string().unwrap_or_default();
    let dtype = DType::from_name(&type_name).ok_or_else(|| InputError::UnknownType {
        input: name.clone(),
        actual: type_name.clone(),
    })?;
    let dims_js = get(feed, &keys.dims);
    let dims_array: Array = dims_js
        .dyn_into()
        .map_err(|_| shape_error(&name, "dims as an array"))?;
    let mut dims = Vec::with_capacity(dims_array.length() as usize);
    for d in dims_array.iter() {
        let v = d
            .as_f64()
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= 2f64.powi(40));
        dims.push(v.ok_or_else(|| shape_error(&name, "dims of non-negative integers"))? as usize);
    }
    let data = get(feed, &keys.data);
    let given = data.js_typeof().as_string().unwrap_or_default();
    let wrong = || InputError::DType {
        input: name.clone(),
        expected: format!("{type_name} data in its typed array"),
        actual: given.clone(),
    };
    let data = match dtype {
        DType::Float32 => TensorData::Float32(
            typed::<js_sys::Float32Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Float64 => TensorData::Float64(
            typed::<js_sys::Float64Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Float16 => TensorData::Float16(
            typed::<js_sys::Uint16Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Int8 => TensorData::Int8(
            typed::<js_sys::Int8Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Uint8 => TensorData::Uint8(
            typed::<js_sys::Uint8Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Int16 => TensorData::Int16(
            typed::<js_sys::Int16Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Uint16 => TensorData::Uint16(
            typed::<js_sys::Uint16Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Int32 => TensorData::Int32(
            typed::<js_sys::Int32Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Uint32 => TensorData::Uint32(
            typed::<js_sys::Uint32Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Int64 => TensorData::Int64(
            typed::<js_sys::BigInt64Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Uint64 => TensorData::Uint64(
            typed::<js_sys::BigUint64Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::Bool => TensorData::Bool(
            typed::<js_sys::Uint8Array>(&data)
                .ok_or_else(wrong)?
                .to_vec(),
        ),
        DType::String => {
            let array: Array = data.clone().dyn_into().map_err(|_| wrong())?;
            let strings: Option<Vec<String>> = array.iter().map(|v| v.as_string()).collect();
            TensorData::String(strings.ok_or_else(wrong)?)
        }
    };
    Ok((name.clone(), HostTensor::new(&name, dims, data)?))
}

fn typed<T: JsCast + Clone>(v: &JsValue) -> Option<T> {
    v.dyn_ref::<T>().cloned()
}

/// Builds `{ name, type, dims, data }` with a fresh typed array (copied out of wasm memory);
/// `name` is the output's name as a JS string (the session keeps them).
pub fn to_js(name: &JsValue, tensor: &HostTensor) -> JsValue {
    let data: JsValue = match &tensor.data {
        TensorData::Float32(v) => js_sys::Float32Array::from(v.as_slice()).into(),
        TensorData::Float64(v) => js_sys::Float64Array::from(v.as_slice()).into(),
        TensorData::Float16(v) => js_sys::Uint16Array::from(v.as_slice()).into(),
        TensorData::Int8(v) => js_sys::Int8Array::from(v.as_slice()).into(),
        TensorData::Uint8(v) => js_sys::Uint8Array::from(v.as_slice()).into(),
        TensorData::Int16(v) => js_sys::Int16Array::from(v.as_slice()).into(),
        TensorData::Uint16(v) => js_sys::Uint16Array::from(v.as_slice()).into(),
        TensorData::Int32(v) => js_sys::Int32Array::from(v.as_slice()).into(),
        TensorData::Uint32(v) => js_sys::Uint32Array::from(v.as_slice()).into(),
        TensorData::Int64(v) => js_sys::BigInt64Array::from(v.as_slice()).into(),
        TensorData::Uint64(v) => js_sys::BigUint64Array::from(v.as_slice()).into(),
        TensorData::Bool(v) => js_sys::Uint8Array::from(v.as_slice()).into(),
        TensorData::String(v) => v
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<Array>()
            .into(),
    };
    let dims: Array = tensor
        .dims
        .iter()
        .map(|d| JsValue::from_f64(*d as f64))
        .collect();
    let out = Object::new();
    INTERNED.with(|keys| {
        let dtype = tensor.dtype();
        let type_name = DType::ALL
            .iter()
            .position(|d| *d == dtype)
            .and_then(|ix| keys.dtypes.get(ix).cloned())
            .unwrap_or_else(|| dtype.name().into());
        let _ = Reflect::set(&out, &keys.name, name);
        let _ = Reflect::set(&out, &keys.type_, &type_name);
        let _ = Reflect::set(&out, &keys.dims, &dims);
        let _ = Reflect::set(&out, &keys.data, &data);
    });
    out.into()
}
