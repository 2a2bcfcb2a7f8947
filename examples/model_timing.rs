//! Load and run times of one model natively, for comparing with onnxruntime on the same machine:
//! `cargo run --release --example model_timing -- MODEL.onnx NAME=D1,D2,.. [RUNS]`.
//! The input is a fixed pseudo-random float32 tensor in [0, 1). The first run is reported apart:
//! a model with free dims is planned (optimized) on it.
use std::time::Instant;

use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, input, rest @ ..] = args.as_slice() else {
        eprintln!("usage: model_timing MODEL.onnx NAME=D1,D2,.. [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = rest.first().map_or(20, |r| r.parse().expect("RUNS"));
    let (name, dims) = input.split_once('=').expect("NAME=DIMS");
    let dims: Vec<usize> = dims.split(',').map(|d| d.parse().expect("dim")).collect();
    let mut seed = 12345u32;
    let data: Vec<f32> = (0..dims.iter().product::<usize>())
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1u32 << 24) as f32
        })
        .collect();
    let bytes = std::fs::read(model).expect("model file");

    let mut loads = vec![];
    let mut session = None;
    for _ in 0..3 {
        let t = Instant::now();
        session = Some(Session::load(&bytes, LoadOptions::default()).expect("load"));
        loads.push(t.elapsed().as_secs_f64());
    }
    let mut session = session.expect("loaded");
    let feed = || {
        vec![(
            name.to_owned(),
            HostTensor::new(name, dims.clone(), TensorData::Float32(data.clone())).expect("input"),
        )]
    };
    // Models with free dims are planned on their first run.
    let t = Instant::now();
    session.run(feed(), None).expect("first run");
    let first = t.elapsed().as_secs_f64();
    let mut times = vec![];
    for _ in 0..runs {
        let t = Instant::now();
        session.run(feed(), None).expect("run");
        times.push(t.elapsed().as_secs_f64());
    }
    println!(
        "{model}: load median {:.1} ms (of 3), first run {:.1} ms, run median {:.2} ms (of {runs})",
        median(loads) * 1e3,
        first * 1e3,
        median(times) * 1e3
    );
}
