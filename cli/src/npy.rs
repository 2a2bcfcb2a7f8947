//! .npy files to and from host tensors.
use std::path::Path;

use anyhow::{bail, Context, Result};
use onnx_edge::{HostTensor, TensorData};

/// Reads a .npy file (little-endian numeric or bool, C order).
pub fn read(path: &Path, name: &str) -> Result<HostTensor> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let npy = npyz::NpyFile::new(&bytes[..])
        .with_context(|| format!("{} is not a .npy file", path.display()))?;
    if npy.order() != npyz::Order::C {
        bail!(
            "{}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray",
            path.display()
        );
    }
    let dims: Vec<usize> = npy.shape().iter().map(|d| *d as usize).collect();
    let descr = npy.dtype().descr();
    let data = match descr.trim_matches('\'').trim_start_matches(['<', '|', '=']) {
        "f4" => TensorData::Float32(npy.into_vec()?),
        "f8" => TensorData::Float64(npy.into_vec()?),
        "i1" => TensorData::Int8(npy.into_vec()?),
        "u1" => TensorData::Uint8(npy.into_vec()?),
        "i2" => TensorData::Int16(npy.into_vec()?),
        "u2" => TensorData::Uint16(npy.into_vec()?),
        "i4" => TensorData::Int32(npy.into_vec()?),
        "u4" => TensorData::Uint32(npy.into_vec()?),
        "i8" => TensorData::Int64(npy.into_vec()?),
        "u8" => TensorData::Uint64(npy.into_vec()?),
        "b1" => TensorData::Bool(npy.into_vec::<bool>()?.into_iter().map(u8::from).collect()),
        other => bail!("{}: numpy dtype '{other}' is not supported", path.display()),
    };
    Ok(HostTensor::new(name, dims, data)?)
}

/// Writes a host tensor as .npy (strings are refused).
pub fn write(path: &Path, t: &HostTensor) -> Result<()> {
    use npyz::WriterBuilder;
    let shape: Vec<u64> = t.dims.iter().map(|d| *d as u64).collect();
    let mut out = Vec::new();
    macro_rules! put {
        ($v:expr) => {{
            let mut w = npyz::WriteOptions::new()
                .default_dtype()
                .shape(&shape)
                .writer(&mut out)
                .begin_nd()?;
            w.extend($v.iter().copied())?;
            w.finish()?;
        }};
    }
    match &t.data {
        TensorData::Float32(v) => put!(v),
        TensorData::Float64(v) => put!(v),
        TensorData::Int8(v) => put!(v),
        TensorData::Uint8(v) | TensorData::Bool(v) => put!(v),
        TensorData::Int16(v) => put!(v),
        TensorData::Uint16(v) => put!(v),
        TensorData::Int32(v) => put!(v),
        TensorData::Uint32(v) => put!(v),
        TensorData::Int64(v) => put!(v),
        TensorData::Uint64(v) => put!(v),
        TensorData::Float16(_) => bail!("float16 outputs cannot be written as .npy here"),
        TensorData::String(_) => bail!("string outputs cannot be written as .npy"),
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

/// Values as f64 (for statistics and JSON).
pub fn as_f64(t: &HostTensor) -> Vec<f64> {
    match &t.data {
        TensorData::Float32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Float64(v) => v.clone(),
        TensorData::Int8(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint8(v) | TensorData::Bool(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int16(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint16(v) | TensorData::Float16(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int64(v) => v.iter().map(|x| *x as f64).collect(),
        TensorData::Uint64(v) => v.iter().map(|x| *x as f64).collect(),
        TensorData::String(_) => vec![],
    }
}

/// `{ type, dims, data }` JSON (the fixtures' and the harness's tensor form).
pub fn to_json(t: &HostTensor) -> serde_json::Value {
    let data = match &t.data {
        TensorData::String(v) => serde_json::json!(v),
        TensorData::Int64(v) => serde_json::json!(v),
        TensorData::Uint64(v) => serde_json::json!(v),
        _ => serde_json::json!(as_f64(t)),
    };
    serde_json::json!({ "type": t.dtype().name(), "dims": t.dims, "data": data })
}
