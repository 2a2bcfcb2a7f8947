//! The ONNX backend node tests, run natively through the core (`onnx_edge::Session`).
//!
//! Reads target/onnx-node-tests/index.json (written by tests/conformance/generate.py), runs each
//! test on its own thread (a panic or a hang fails that test only), compares outputs as onnx's
//! backend runner does (same shape and dtype, then |out - ref| <= atol + rtol * |ref|, NaN equal
//! to NaN) and writes target/conformance/native.json. Prints pass/wrong/error counts per op group.
//!
//! Usage: conformance [--tests DIR] [--out FILE] [--filter SUBSTRING]
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};
use serde::Deserialize;
use serde_json::json;

/// A test that runs longer than this fails with a timeout (its thread is left behind).
const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Deserialize)]
struct Index {
    tests: Vec<TestEntry>,
}

#[derive(Deserialize, Clone)]
struct TestEntry {
    name: String,
    group: String,
    rtol: f64,
    atol: f64,
    inputs: Vec<TensorEntry>,
    outputs: Vec<TensorEntry>,
}

#[derive(Deserialize, Clone)]
struct TensorEntry {
    name: String,
    dtype: String,
    shape: Vec<usize>,
    file: String,
}

/// How one test ended: `pass`, `wrong` (ran, but an output differs) or `error` (a typed error).
struct Outcome {
    status: &'static str,
    code: Option<String>,
    message: Option<String>,
}

impl Outcome {
    fn pass() -> Outcome {
        Outcome {
            status: "pass",
            code: None,
            message: None,
        }
    }
    fn wrong(message: String) -> Outcome {
        Outcome {
            status: "wrong",
            code: None,
            message: Some(message),
        }
    }
    fn error(code: &str, message: String) -> Outcome {
        Outcome {
            status: "error",
            code: Some(code.to_owned()),
            message: Some(message),
        }
    }
}

fn main() {
    let mut tests_dir = PathBuf::from("target/onnx-node-tests");
    let mut out = PathBuf::from("target/conformance/native.json");
    let mut filter = String::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match arg.as_str() {
            "--tests" => tests_dir = value().into(),
            "--out" => out = value().into(),
            "--filter" => filter = value(),
            other => {
                eprintln!("conformance: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let index: Index = match std::fs::read(tests_dir.join("index.json"))
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(index) => index,
        Err(e) => {
            eprintln!(
                "conformance: no test index in {} ({e}); run tests/conformance/generate.py",
                tests_dir.display()
            );
            std::process::exit(2);
        }
    };
    // Panics are reported per test; the default hook would print each one.
    std::panic::set_hook(Box::new(|_| {}));

    let mut results = serde_json::Map::new();
    let mut groups: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let started = Instant::now();
    for test in index.tests.iter().filter(|t| t.name.contains(&filter)) {
        let outcome = run_with_timeout(&tests_dir, test);
        let counts = groups.entry(test.group.clone()).or_default();
        counts[match outcome.status {
            "pass" => 0,
            "wrong" => 1,
            _ => 2,
        }] += 1;
        results.insert(
            test.name.clone(),
            json!({ "group": test.group, "status": outcome.status, "code": outcome.code, "message": outcome.message }),
        );
    }

    let mut totals = [0usize; 3];
    println!(
        "{:<32} {:>5} {:>5} {:>5}",
        "group", "pass", "wrong", "error"
    );
    for (group, c) in &groups {
        println!("{group:<32} {:>5} {:>5} {:>5}", c[0], c[1], c[2]);
        for (t, n) in totals.iter_mut().zip(c) {
            *t += n;
        }
    }
    let total: usize = totals.iter().sum();
    println!(
        "native: {} of {total} node tests pass, {} wrong, {} errors ({:.0}s)",
        totals[0],
        totals[1],
        totals[2],
        started.elapsed().as_secs_f64()
    );
    let report = json!({ "runner": "native", "pass": totals[0], "wrong": totals[1], "error": totals[2], "total": total, "results": results });
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).expect("create the output folder");
    }
    std::fs::write(&out, serde_json::to_vec_pretty(&report).expect("serialize"))
        .expect("write the report");
    // Threads of timed-out tests may still be running: leave without waiting for them.
    std::process::exit(0);
}

fn run_with_timeout(tests_dir: &Path, test: &TestEntry) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let dir = tests_dir.join(&test.name);
    let entry = test.clone();
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(run_test(&dir, &entry));
        })
        .expect("spawn a test thread");
    match rx.recv_timeout(TIMEOUT) {
        Ok(outcome) => {
            let _ = handle.join();
            outcome
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Outcome::error("TIMEOUT", format!("no result after {TIMEOUT:?}"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let reason = match handle.join() {
                Err(payload) => payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default(),
                Ok(()) => String::new(),
            };
            Outcome::error("PANIC", reason)
        }
    }
}

fn run_test(dir: &Path, test: &TestEntry) -> Outcome {
    let data_dir = dir.join("test_data_set_0");
    let bytes = match std::fs::read(dir.join("model.onnx")) {
        Ok(b) => b,
        Err(e) => return Outcome::error("HARNESS", format!("model.onnx: {e}")),
    };
    let mut feeds = Vec::new();
    for input in &test.inputs {
        match read_tensor(&data_dir, input) {
            Ok(t) => feeds.push((input.name.clone(), t)),
            Err(e) => return Outcome::error("HARNESS", e),
        }
    }
    let mut session = match Session::load(&bytes, LoadOptions::default()) {
        Ok(s) => s,
        Err(e) => return Outcome::error(e.code(), e.to_string()),
    };
    let fetches: Vec<String> = test.outputs.iter().map(|o| o.name.clone()).collect();
    let outputs = match session.run(feeds, Some(&fetches)) {
        Ok(o) => o,
        Err(e) => return Outcome::error(e.code(), e.to_string()),
    };
    for ((name, actual), expected_entry) in outputs.iter().zip(&test.outputs) {
        let expected = match read_tensor(&data_dir, expected_entry) {
            Ok(t) => t,
            Err(e) => return Outcome::error("HARNESS", e),
        };
        if let Err(why) = compare(actual, &expected, test.rtol, test.atol) {
            return Outcome::wrong(format!("output {name}: {why}"));
        }
    }
    Outcome::pass()
}

/// onnx's `assert_similar_outputs`: shape, dtype, then `np.testing.assert_allclose`.
fn compare(actual: &HostTensor, expected: &HostTensor, rtol: f64, atol: f64) -> Result<(), String> {
    if actual.dims != expected.dims {
        return Err(format!(
            "shape {:?}, expected {:?}",
            actual.dims, expected.dims
        ));
    }
    if actual.dtype() != expected.dtype() {
        return Err(format!(
            "dtype {}, expected {}",
            actual.dtype().name(),
            expected.dtype().name()
        ));
    }
    let (a, e) = (actual.data.to_f64(), expected.data.to_f64());
    let mut bad = 0usize;
    let mut first = None;
    for (i, (x, y)) in a.iter().zip(&e).enumerate() {
        let close = if x.is_nan() || y.is_nan() {
            x.is_nan() && y.is_nan()
        } else if x.is_infinite() || y.is_infinite() {
            x == y
        } else {
            (x - y).abs() <= atol + rtol * y.abs()
        };
        if !close {
            bad += 1;
            first.get_or_insert((i, *x, *y));
        }
    }
    match first {
        None => Ok(()),
        Some((i, x, y)) => Err(format!(
            "{bad} of {} elements differ; first at {i}: {x} vs expected {y}",
            a.len()
        )),
    }
}

fn read_tensor(dir: &Path, entry: &TensorEntry) -> Result<HostTensor, String> {
    let bytes = std::fs::read(dir.join(&entry.file)).map_err(|e| format!("{}: {e}", entry.file))?;
    fn chunks<const N: usize, T>(bytes: &[u8], f: fn([u8; N]) -> T) -> Vec<T> {
        bytes
            .chunks_exact(N)
            .map(|c| f(c.try_into().expect("N bytes")))
            .collect()
    }
    let data = match entry.dtype.as_str() {
        "float32" => TensorData::Float32(chunks(&bytes, f32::from_le_bytes)),
        "float64" => TensorData::Float64(chunks(&bytes, f64::from_le_bytes)),
        "float16" => TensorData::Float16(chunks(&bytes, u16::from_le_bytes)),
        "int8" => TensorData::Int8(chunks(&bytes, i8::from_le_bytes)),
        "uint8" => TensorData::Uint8(bytes),
        "bool" => TensorData::Bool(bytes),
        "int16" => TensorData::Int16(chunks(&bytes, i16::from_le_bytes)),
        "uint16" => TensorData::Uint16(chunks(&bytes, u16::from_le_bytes)),
        "int32" => TensorData::Int32(chunks(&bytes, i32::from_le_bytes)),
        "uint32" => TensorData::Uint32(chunks(&bytes, u32::from_le_bytes)),
        "int64" => TensorData::Int64(chunks(&bytes, i64::from_le_bytes)),
        "uint64" => TensorData::Uint64(chunks(&bytes, u64::from_le_bytes)),
        other => return Err(format!("dtype {other} has no host tensor type")),
    };
    HostTensor::new(&entry.name, entry.shape.clone(), data).map_err(|e| e.to_string())
}
