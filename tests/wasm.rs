//! Core cases that run both natively (`cargo test`) and in wasm32 under Node
//! (`wasm-bindgen-test-runner`, see `make test-wasm-bindgen`), so the wasm build of the core is
//! checked against onnxruntime references without the JS harness in between.
use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

const IRIS: &[u8] = include_bytes!("fixtures/models/iris_rf.onnx");
const IRIS_CASE: &str = include_str!("fixtures/cases/iris_rf.json");
const CNN: &[u8] = include_bytes!("fixtures/models/cnn_digits.onnx");
const CNN_CASE: &str = include_str!("fixtures/cases/cnn_digits.json");

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_f64)
                .map(|x| x as f32)
                .collect()
        })
        .unwrap_or_default()
}

fn dims(v: &Value) -> Vec<usize> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_u64)
                .map(|x| x as usize)
                .collect()
        })
        .unwrap_or_default()
}

/// Runs every run of a case file on `bytes`; returns the worst |got - want| per float output.
fn check_case(bytes: &[u8], case: &str) -> f32 {
    let case: Value = serde_json::from_str(case).expect("case JSON");
    let mut session = Session::load(bytes, LoadOptions::default()).expect("loads");
    let mut worst = 0f32;
    for run in case["runs"].as_array().expect("runs") {
        let feeds = run["inputs"]
            .as_object()
            .expect("inputs")
            .iter()
            .map(|(name, t)| {
                let host = HostTensor::new(
                    name,
                    dims(&t["dims"]),
                    TensorData::Float32(floats(&t["data"])),
                );
                (name.clone(), host.expect("consistent"))
            })
            .collect();
        let outputs = session.run(feeds, None).expect("runs");
        for (name, got) in outputs {
            let want = &run["outputs"][&name];
            assert_eq!(got.dims, dims(&want["dims"]), "{name} dims");
            match got.data {
                TensorData::Float32(v) => {
                    for (a, b) in v.iter().zip(floats(&want["data"])) {
                        let diff = (a - b).abs();
                        assert!(diff <= 1e-4 + 1e-4 * b.abs(), "{name}: {a} vs {b}");
                        worst = worst.max(diff);
                    }
                }
                TensorData::Int64(v) => {
                    let w: Vec<i64> = want["data"]
                        .as_array()
                        .expect("data")
                        .iter()
                        .filter_map(Value::as_i64)
                        .collect();
                    assert_eq!(v, w, "{name}");
                }
                other => panic!("{name}: unexpected output type {:?}", other.dtype()),
            }
        }
    }
    worst
}

#[wasm_bindgen_test(unsupported = test)]
fn iris_random_forest_matches_onnxruntime() {
    check_case(IRIS, IRIS_CASE);
}

#[wasm_bindgen_test(unsupported = test)]
fn cnn_matches_onnxruntime_at_two_batch_sizes() {
    check_case(CNN, CNN_CASE);
}

#[wasm_bindgen_test(unsupported = test)]
fn bad_inputs_get_typed_errors_and_the_session_keeps_working() {
    let mut session = Session::load(IRIS, LoadOptions::default()).expect("loads");
    let x =
        |dims: Vec<usize>, data: TensorData| HostTensor::new("X", dims, data).expect("consistent");
    let cases = [
        (
            vec![(
                "X".to_owned(),
                x(vec![1, 4], TensorData::Float64(vec![1.0; 4])),
            )],
            "INPUT_DTYPE",
        ),
        (
            vec![(
                "X".to_owned(),
                x(vec![4], TensorData::Float32(vec![1.0; 4])),
            )],
            "INPUT_SHAPE",
        ),
        (
            vec![(
                "X".to_owned(),
                x(vec![1, 5], TensorData::Float32(vec![1.0; 5])),
            )],
            "INPUT_SHAPE",
        ),
        (
            vec![(
                "Y".to_owned(),
                x(vec![1, 4], TensorData::Float32(vec![1.0; 4])),
            )],
            "INPUT_UNKNOWN",
        ),
        (vec![], "INPUT_MISSING"),
    ];
    for (feeds, code) in cases {
        let err = session.run(feeds, None).expect_err(code);
        assert_eq!(err.code(), code, "{err}");
    }
    let ok = session.run(
        vec![(
            "X".to_owned(),
            x(vec![1, 4], TensorData::Float32(vec![5.1, 3.5, 1.4, 0.2])),
        )],
        None,
    );
    let ok = ok.expect("still predicts");
    assert_eq!(ok[0].1.data, TensorData::Int64(vec![0]));
}

#[wasm_bindgen_test(unsupported = test)]
fn corrupt_and_truncated_models_are_parse_errors() {
    let err = Session::load(&[0xff, 0x13, 0x00, 0x42, 0x99], LoadOptions::default())
        .expect_err("garbage");
    assert_eq!(err.code(), "MODEL_PARSE");
    let err =
        Session::load(&IRIS[..IRIS.len() / 2], LoadOptions::default()).expect_err("truncated");
    assert_eq!(err.code(), "MODEL_PARSE");
    let limits = onnx_edge::Limits {
        max_model_bytes: 1000,
        ..Default::default()
    };
    let err = Session::load(
        IRIS,
        LoadOptions {
            limits,
            ..Default::default()
        },
    )
    .expect_err("too big");
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
}
