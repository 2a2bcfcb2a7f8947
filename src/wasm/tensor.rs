//! Typed arrays in and out: `{ name, type, dims, data }` objects to host tensors and back.
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::{DType, HostTensor, InputError, TensorData};

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
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
    let name = get(feed, "name").as_string().unwrap_or_default();
    let type_name = get(feed, "type").as_string().unwrap_or_default();
    let dtype = DType::from_name(&type_name).ok_or_else(|| InputError::UnknownType {
        input: name.clone(),
        actual: type_name.clone(),
    })?;
    let dims_js = get(feed, "dims");
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
    let data = get(feed, "data");
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

/// Builds `{ name, type, dims, data }` with a fresh typed array (copied out of wasm memory).
pub fn to_js(name: &str, tensor: &HostTensor) -> JsValue {
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
    let _ = Reflect::set(&out, &"name".into(), &name.into());
    let _ = Reflect::set(&out, &"type".into(), &tensor.dtype().name().into());
    let _ = Reflect::set(&out, &"dims".into(), &dims);
    let _ = Reflect::set(&out, &"data".into(), &data);
    out.into()
}
