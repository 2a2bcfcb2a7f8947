//! Reads the fixture case files written by tests/fixtures/make_fixtures.py and compares outputs.
use std::collections::BTreeMap;
use std::path::PathBuf;

use onnx_edge::{HostTensor, TensorData};
use serde::Deserialize;
use serde_json::Value;
use tract_onnx::prelude::f16;

#[derive(Deserialize)]
pub struct Case {
    pub model: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub options: Value,
    pub tolerance: Option<Tolerance>,
    #[serde(default)]
    pub exact: Vec<String>,
    #[serde(default)]
    pub runs: Vec<Run>,
    pub expect_error: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
pub struct Tolerance {
    pub atol: f64,
    pub rtol: f64,
    pub mode: Option<Mode>,
    pub mean_abs: Option<f64>,
    pub max_abs: Option<f64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    MeanMax,
}

#[derive(Deserialize)]
pub struct Run {
    pub inputs: BTreeMap<String, JsonTensor>,
    pub outputs: BTreeMap<String, JsonTensor>,
}

#[derive(Deserialize)]
pub struct JsonTensor {
    #[serde(rename = "type")]
    pub dtype: String,
    pub dims: Vec<usize>,
    pub data: Vec<Value>,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

pub fn load_case(name: &str) -> Case {
    let path = fixtures().join("cases").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

pub fn all_case_names() -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("cases/index.json")).expect("index.json");
    let index: Value = serde_json::from_str(&text).expect("index.json is JSON");
    index["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_owned())
        .collect()
}

/// The model file, or None when a third-party package that provides it is not installed.
pub fn model_path(model: &str) -> Option<PathBuf> {
    let path = if let Some(rest) = model.strip_prefix("npm:") {
        repo().join("node_modules").join(rest)
    } else if let Some(rest) = model.strip_prefix("pypi:") {
        site_packages()?.join(rest)
    } else {
        fixtures().join(model)
    };
    path.exists().then_some(path)
}

fn site_packages() -> Option<PathBuf> {
    let lib = repo().join(".venv/lib");
    std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.exists())
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().expect("number"),
        Value::String(s) if s == "NaN" => f64::NAN,
        Value::String(s) if s == "Infinity" => f64::INFINITY,
        Value::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        Value::Bool(b) => f64::from(u8::from(*b)),
        other => panic!("not a number: {other}"),
    }
}

fn int(v: &Value) -> i128 {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or(n.as_u64().map(i128::from))
            .expect("int"),
        Value::Bool(b) => i128::from(*b),
        other => panic!("not an integer: {other}"),
    }
}

impl JsonTensor {
    pub fn to_host(&self, name: &str) -> HostTensor {
        let d = &self.data;
        let data = match self.dtype.as_str() {
            "float32" => TensorData::Float32(d.iter().map(|v| number(v) as f32).collect()),
            "float64" => TensorData::Float64(d.iter().map(number).collect()),
            "float16" => TensorData::Float16(
                d.iter()
                    .map(|v| f16::from_f64(number(v)).to_bits())
                    .collect(),
            ),
            "int8" => TensorData::Int8(d.iter().map(|v| int(v) as i8).collect()),
            "uint8" => TensorData::Uint8(d.iter().map(|v| int(v) as u8).collect()),
            "int16" => TensorData::Int16(d.iter().map(|v| int(v) as i16).collect()),
            "uint16" => TensorData::Uint16(d.iter().map(|v| int(v) as u16).collect()),
            "int32" => TensorData::Int32(d.iter().map(|v| int(v) as i32).collect()),
            "uint32" => TensorData::Uint32(d.iter().map(|v| int(v) as u32).collect()),
            "int64" => TensorData::Int64(d.iter().map(|v| int(v) as i64).collect()),
            "uint64" => TensorData::Uint64(d.iter().map(|v| int(v) as u64).collect()),
            "bool" => TensorData::Bool(d.iter().map(|v| int(v) as u8).collect()),
            "string" => TensorData::String(
                d.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .collect(),
            ),
            other => panic!("unknown type {other}"),
        };
        HostTensor::new(name, self.dims.clone(), data).expect("fixture tensor is consistent")
    }
}

/// Compares one output; returns the max abs error or a description of the mismatch.
pub fn compare(
    name: &str,
    got: &HostTensor,
    want: &JsonTensor,
    exact: bool,
    tol: Tolerance,
) -> Result<f64, String> {
    if got.dims != want.dims {
        return Err(format!(
            "{name}: dims {:?}, expected {:?}",
            got.dims, want.dims
        ));
    }
    if got.dtype().name() != want.dtype {
        return Err(format!(
            "{name}: type {}, expected {}",
            got.dtype(),
            want.dtype
        ));
    }
    if let TensorData::String(v) = &got.data {
        let w: Vec<&str> = want
            .data
            .iter()
            .map(|x| x.as_str().unwrap_or_default())
            .collect();
        return if v.iter().map(String::as_str).eq(w) {
            Ok(0.0)
        } else {
            Err(format!("{name}: strings differ"))
        };
    }
    let g = got.data.to_f64();
    let w: Vec<f64> = want.data.iter().map(number).collect();
    let mut max = 0f64;
    let mut sum = 0f64;
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        if a.is_nan() && b.is_nan() || a == b {
            continue;
        }
        let diff = (a - b).abs();
        max = max.max(if diff.is_nan() { f64::INFINITY } else { diff });
        sum += diff;
        let integer = !matches!(
            got.data,
            TensorData::Float32(_) | TensorData::Float64(_) | TensorData::Float16(_)
        );
        let within = diff <= tol.atol + tol.rtol * b.abs();
        if tol.mode.is_none() && (exact || integer || !within) {
            return Err(format!(
                "{name}[{i}]: got {a}, expected {b} (|diff| {diff:e})"
            ));
        }
    }
    if tol.mode == Some(Mode::MeanMax) {
        let mean = sum / g.len().max(1) as f64;
        if mean > tol.mean_abs.unwrap_or(0.0) || max > tol.max_abs.unwrap_or(0.0) {
            return Err(format!(
                "{name}: mean abs {mean:e}, max abs {max:e} over the bounds"
            ));
        }
    }
    Ok(max)
}
