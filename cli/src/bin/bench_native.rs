//! Native timings of one model through the core (`onnx_edge::Session`), for bench/compare.mjs:
//! the same model and the same inputs as the wasm and onnxruntime-web sides, tract compiled for this CPU.
//!
//! Usage: bench_native MODEL.onnx [--loads N] [--warm-ms MS] [--target-ms MS] [--min-runs N] [--max-runs N]
//!        [--out DIR] NAME=FILE.npy...
//! Loads the model N times (median = load time), times the first run alone, warms up (at least 5 runs and
//! warm-ms), then times runs for at least target-ms or min-runs (at most max-runs), as the JS side does.
//! Prints one JSON object: loadMs (all), firstRunMs, samples (ms per run). With --out, writes the first run's
//! outputs there as NAME.npy (bench/compare.mjs compares them with onnxruntime-web's).
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use onnx_edge::{HostTensor, LoadOptions, Session};

#[allow(dead_code)]
#[path = "../npy.rs"]
mod npy;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let model = args
        .next()
        .context("usage: bench_native MODEL.onnx [options] NAME=FILE.npy...")?;
    let (mut loads, mut warm_ms, mut target_ms, mut min_runs, mut max_runs) =
        (3usize, 250.0, 500.0, 20usize, 2000usize);
    let mut out: Option<PathBuf> = None;
    let mut feeds: Vec<(String, HostTensor)> = vec![];
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--loads" => loads = value()?.parse()?,
            "--warm-ms" => warm_ms = value()?.parse()?,
            "--target-ms" => target_ms = value()?.parse()?,
            "--min-runs" => min_runs = value()?.parse()?,
            "--max-runs" => max_runs = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            feed => {
                let Some((name, path)) = feed.split_once('=') else {
                    bail!("unknown argument {feed}")
                };
                feeds.push((name.to_owned(), npy::read(path.as_ref(), name)?));
            }
        }
    }
    let bytes = std::fs::read(&model).with_context(|| format!("reading {model}"))?;

    let mut load_ms = vec![];
    let mut session = None;
    for _ in 0..loads.max(1) {
        let t = Instant::now();
        session = Some(Session::load(&bytes, LoadOptions::default())?);
        load_ms.push(ms(t));
    }
    let mut session = session.context("loaded")?;

    // The feeds are cloned before each timed run: the run consumes them, and the copy is not the model's cost.
    let f = feeds.clone();
    let t = Instant::now();
    let outputs = session.run(f, None)?;
    let first_run_ms = ms(t);
    if let Some(dir) = &out {
        std::fs::create_dir_all(dir)?;
        for (name, tensor) in &outputs {
            npy::write(
                &dir.join(format!("{}.npy", name.replace(['/', ':'], "_"))),
                tensor,
            )?;
        }
    }

    let mut warm = vec![];
    let started = Instant::now();
    while warm.len() < max_runs && (warm.len() < 5 || ms(started) < warm_ms) {
        let f = feeds.clone();
        let t = Instant::now();
        session.run(f, None)?;
        warm.push(ms(t));
    }
    let mut last: Vec<f64> = warm[warm.len().saturating_sub(5)..].to_vec();
    last.sort_by(f64::total_cmp);
    let each = last[last.len() / 2].max(1e-3);
    let n = ((target_ms / each).ceil() as usize).clamp(min_runs, max_runs);
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let f = feeds.clone();
        let t = Instant::now();
        session.run(f, None)?;
        samples.push(ms(t));
    }
    println!(
        "{}",
        serde_json::json!({ "loadMs": load_ms, "firstRunMs": first_run_ms, "samples": samples })
    );
    Ok(())
}
