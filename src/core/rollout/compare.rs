//! Output comparisons: the staging gate (does a version reproduce the outputs stored in the
//! manifest?) and shadow agreement between two versions on the same inputs.
use serde::Serialize;

use crate::core::tensor::{HostTensor, TensorData};

/// How a set of outputs compares with the expected ones.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputComparison {
    /// Every element within tolerance (integers and strings exactly).
    pub ok: bool,
    /// Largest |got - expected| over float outputs.
    pub max_abs: f64,
    /// Elements out of tolerance (or 1 per output with other dims or type).
    pub mismatches: u64,
    /// Elements compared.
    pub compared: u64,
    /// The first few problems, for the report.
    pub failures: Vec<String>,
}

fn values(t: &HostTensor) -> Option<Vec<f64>> {
    Some(match &t.data {
        TensorData::Float32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Float64(v) => v.clone(),
        TensorData::Int8(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint8(v) | TensorData::Bool(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int16(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint16(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Uint32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        TensorData::Int64(v) => v.iter().map(|x| *x as f64).collect(),
        TensorData::Uint64(v) => v.iter().map(|x| *x as f64).collect(),
        TensorData::Float16(_) | TensorData::String(_) => return None,
    })
}

fn is_float(t: &HostTensor) -> bool {
    matches!(
        t.data,
        TensorData::Float32(_) | TensorData::Float64(_) | TensorData::Float16(_)
    )
}

/// Compares outputs by name: |got - expected| <= atol + rtol * |expected| for floats, exact
/// otherwise; NaN matches NaN.
pub fn compare_outputs(
    expected: &[(String, HostTensor)],
    got: &[(String, HostTensor)],
    atol: f64,
    rtol: f64,
) -> OutputComparison {
    let mut c = OutputComparison {
        ok: true,
        max_abs: 0.0,
        mismatches: 0,
        compared: 0,
        failures: vec![],
    };
    let fail = |c: &mut OutputComparison, msg: String, n: u64| {
        c.ok = false;
        c.mismatches += n;
        if c.failures.len() < 8 {
            c.failures.push(msg);
        }
    };
    for (name, want) in expected {
        let Some((_, have)) = got.iter().find(|(n, _)| n == name) else {
            fail(&mut c, format!("{name}: missing"), 1);
            continue;
        };
        if have.dims != want.dims || have.dtype() != want.dtype() {
            fail(
                &mut c,
                format!(
                    "{name}: {} {:?}, expected {} {:?}",
                    have.dtype(),
                    have.dims,
                    want.dtype(),
                    want.dims
                ),
                1,
            );
            continue;
        }
        if let (TensorData::String(a), TensorData::String(b)) = (&have.data, &want.data) {
            let bad = a.iter().zip(b).filter(|(x, y)| x != y).count() as u64;
            c.compared += a.len() as u64;
            if bad > 0 {
                fail(&mut c, format!("{name}: {bad} strings differ"), bad);
            }
            continue;
        }
        let (Some(a), Some(b)) = (values(have), values(want)) else {
            continue;
        };
        let float = is_float(want);
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            c.compared += 1;
            if (x.is_nan() && y.is_nan()) || x == y {
                continue;
            }
            let diff = (x - y).abs();
            if float {
                c.max_abs = c
                    .max_abs
                    .max(if diff.is_nan() { f64::INFINITY } else { diff });
            }
            let within = float && diff <= atol + rtol * y.abs();
            if !within {
                fail(&mut c, format!("{name}[{i}]: got {x}, expected {y}"), 1);
            }
        }
    }
    c
}

/// Agreement between a served and a shadow version's outputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    /// Rows compared.
    pub rows: u64,
    /// Share of rows with the same top-1 class (classifiers: argmax of the last axis, or equal
    /// labels for integer outputs).
    pub top1: Option<f64>,
    /// Largest |a - b| (regressors and scores).
    pub max_abs: f64,
    /// Mean |a - b|.
    pub mean_abs: f64,
}

/// Compares one output of two versions: top-1 agreement along the last axis and abs differences.
pub fn agreement(a: &HostTensor, b: &HostTensor) -> Agreement {
    let (Some(x), Some(y)) = (values(a), values(b)) else {
        return Agreement {
            rows: 0,
            top1: None,
            max_abs: 0.0,
            mean_abs: 0.0,
        };
    };
    let n = x.len().min(y.len());
    let (mut max, mut sum) = (0.0f64, 0.0);
    for (p, q) in x[..n].iter().zip(&y[..n]) {
        let d = (p - q).abs();
        max = max.max(d);
        sum += d;
    }
    let width = if a.dims.len() >= 2 {
        *a.dims.last().unwrap_or(&1)
    } else {
        1
    };
    let rows = n.checked_div(width).unwrap_or(0);
    let argmax = |v: &[f64]| {
        v.iter()
            .enumerate()
            .fold(0, |best, (i, x)| if *x > v[best] { i } else { best })
    };
    let top1 = if rows == 0 {
        None
    } else if width > 1 {
        let same = (0..rows)
            .filter(|r| {
                argmax(&x[r * width..(r + 1) * width]) == argmax(&y[r * width..(r + 1) * width])
            })
            .count();
        Some(same as f64 / rows as f64)
    } else if !is_float(a) {
        Some(x[..n].iter().zip(&y[..n]).filter(|(p, q)| p == q).count() as f64 / n as f64)
    } else {
        None
    };
    Agreement {
        rows: rows as u64,
        top1,
        max_abs: max,
        mean_abs: if n == 0 { 0.0 } else { sum / n as f64 },
    }
}
