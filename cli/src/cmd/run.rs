//! `onnx-edge run MODEL --input name=FILE.npy ...`: the same core as the wasm build, natively.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};

use crate::npy;

/// Arguments of `run`.
#[derive(clap::Args)]
pub struct Args {
    /// The .onnx file.
    model: PathBuf,
    /// An input as NAME=FILE.npy (repeatable).
    #[arg(long = "input", value_name = "NAME=FILE.npy")]
    inputs: Vec<String>,
    /// A random float32 (or int64 for integer inputs) input as NAME=D1,D2,... (repeatable).
    #[arg(long = "random", value_name = "NAME=DIMS")]
    random: Vec<String>,
    /// Write each output to DIR/NAME.npy instead of printing it.
    #[arg(long)]
    output_dir: Option<PathBuf>,
    /// Print outputs as JSON tensors.
    #[arg(long)]
    json: bool,
}

fn split(spec: &str) -> Result<(&str, &str)> {
    spec.split_once('=')
        .with_context(|| format!("'{spec}' is not NAME=VALUE"))
}

/// Deterministic pseudo-random values (xorshift) in [-1, 1).
fn noise(n: usize, seed: u64) -> Vec<f32> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

/// Runs and prints or writes the outputs.
pub fn run(args: Args) -> Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let mut session = Session::load(&bytes, LoadOptions::default())?;
    let declared = session.metadata().inputs.clone();
    let mut feeds = Vec::new();
    for spec in &args.inputs {
        let (name, path) = split(spec)?;
        feeds.push((name.to_owned(), npy::read(path.as_ref(), name)?));
    }
    for (i, spec) in args.random.iter().enumerate() {
        let (name, dims) = split(spec)?;
        let dims: Vec<usize> = dims
            .split(',')
            .map(|d| d.trim().parse())
            .collect::<Result<_, _>>()
            .with_context(|| format!("bad dims in '{spec}'"))?;
        let n = dims.iter().product();
        let Some(info) = declared.iter().find(|d| d.name == name) else {
            bail!("'{name}' is not an input of the model")
        };
        let values = noise(n, 0x9e37_79b9 + i as u64);
        let data = match info.dtype.map(|d| d.name()) {
            Some("int64") => {
                TensorData::Int64(values.iter().map(|v| ((v + 1.0) * 8.0) as i64).collect())
            }
            Some("int32") => {
                TensorData::Int32(values.iter().map(|v| ((v + 1.0) * 8.0) as i32).collect())
            }
            Some("float64") => TensorData::Float64(values.iter().map(|v| f64::from(*v)).collect()),
            _ => TensorData::Float32(values),
        };
        feeds.push((name.to_owned(), HostTensor::new(name, dims, data)?));
    }
    let outputs = session.run(feeds, None)?;
    for (name, t) in &outputs {
        if let Some(dir) = &args.output_dir {
            std::fs::create_dir_all(dir)?;
            npy::write(&dir.join(format!("{name}.npy")), t)?;
        } else if args.json {
            println!(
                "{}",
                serde_json::json!({ "name": name, "tensor": npy::to_json(t) })
            );
        } else {
            let shown: Vec<String> = npy::as_f64(t)
                .iter()
                .take(16)
                .map(|v| format!("{v:.6}"))
                .collect();
            println!(
                "{name}: {} {:?} [{}{}]",
                t.dtype(),
                t.dims,
                shown.join(", "),
                if t.data.len() > 16 { ", ..." } else { "" }
            );
        }
    }
    for w in session.warnings() {
        eprintln!("warning: {w}");
    }
    Ok(ExitCode::SUCCESS)
}
