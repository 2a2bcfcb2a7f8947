//! The core's answers to the hostile model files of tests/fixtures/bad/ (made by
//! tests/fixtures/gen/bad_models.py): each is refused with its code and the details that name
//! what is wrong, without a panic; the bad-input matrix (www/bad-input.test.js) checks the same
//! files through wasm.
use std::path::Path;

use onnx_edge::{Error, HostTensor, LoadOptions, Session, TensorData};

fn bad(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(format!("{name}.onnx"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> Result<Session, Error> {
    Session::load(&bad(name), LoadOptions::default())
}

fn refused(name: &str) -> Error {
    load(name).expect_err(name)
}

fn f32s(name: &str, dims: Vec<usize>, data: Vec<f32>) -> (String, HostTensor) {
    let t = HostTensor::new(name, dims, TensorData::Float32(data)).expect("tensor");
    (name.to_owned(), t)
}

fn i64s(name: &str, data: Vec<i64>) -> (String, HostTensor) {
    let t = HostTensor::new(name, vec![data.len()], TensorData::Int64(data)).expect("tensor");
    (name.to_owned(), t)
}

fn first_f32(outputs: &[(String, HostTensor)]) -> Vec<f32> {
    match &outputs[0].1.data {
        TensorData::Float32(v) => v.clone(),
        other => panic!("expected float32, got {other:?}"),
    }
}

#[test]
fn a_cycle_is_a_parse_error_naming_its_nodes() {
    let error = refused("graph_cycle");
    assert_eq!(error.code(), "MODEL_PARSE");
    let details = error.details();
    assert_eq!(details["kind"], "cycle");
    let mut cycle: Vec<&str> = details["cycle"]
        .as_array()
        .expect("cycle")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    cycle.sort_unstable();
    assert_eq!(cycle, ["add_a", "relu_b"]);
}

#[test]
fn declared_sizes_past_the_limit_are_refused_before_allocating() {
    let error = refused("huge_initializer_dims");
    assert_eq!(error.code(), "LIMIT_EXCEEDED");
    assert_eq!(error.details()["kind"], "declaredElements");
    assert_eq!(error.details()["name"], "w");
    assert_eq!(error.details()["elements"], 1u64 << 40);

    for (file, node, op) in [
        ("constant_of_shape_bomb", "bomb", "ConstantOfShape"),
        ("expand_bomb", "expand", "Expand"),
    ] {
        let error = refused(file);
        assert_eq!(error.code(), "LIMIT_EXCEEDED", "{file}");
        let details = error.details();
        assert_eq!(details["kind"], "nodeOutput", "{file}");
        assert_eq!(details["node"], node, "{file}");
        assert_eq!(details["opType"], op, "{file}");
    }
}

#[test]
fn a_lower_limit_applies_to_declared_sizes_too() {
    // gather_input_index holds a 3-element initializer: a limit of 2 refuses it.
    let mut options = LoadOptions::default();
    options.limits.max_tensor_elements = 2;
    let error = Session::load(&bad("gather_input_index"), options).expect_err("refused");
    assert_eq!(error.code(), "LIMIT_EXCEEDED");
    assert_eq!(error.details()["name"], "data");
}

#[test]
fn a_shape_fed_at_run_time_past_memory_is_limit_exceeded_and_the_session_goes_on() {
    let mut session = load("expand_fed_bomb").expect("loads");
    let x = || f32s("x", vec![1, 1], vec![2.5]);
    let error = session
        .run(vec![x(), i64s("shape", vec![1 << 20, 1 << 20])], None)
        .expect_err("refused");
    assert_eq!(error.code(), "LIMIT_EXCEEDED", "{error}");
    assert_eq!(error.details()["kind"], "tooLarge");
    let outputs = session
        .run(vec![x(), i64s("shape", vec![2, 3])], None)
        .expect("runs after the error");
    assert_eq!(outputs[0].1.dims, [2, 3]);
    assert_eq!(first_f32(&outputs), [2.5; 6]);
}

#[test]
fn a_constant_gather_index_out_of_range_names_the_node() {
    let error = refused("gather_out_of_range");
    assert_eq!(error.code(), "MODEL_SHAPE");
    let reason = error.details()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("gather_oob"), "{reason}");
    assert!(reason.contains("index 7 is out of range"), "{reason}");
}

#[test]
fn a_fed_gather_index_out_of_range_is_a_run_error_and_valid_ones_still_answer() {
    let mut session = load("gather_input_index").expect("loads");
    let x = || f32s("x", vec![1], vec![10.0]);
    let error = session
        .run(vec![x(), i64s("i", vec![7])], None)
        .expect_err("refused");
    assert_eq!(error.code(), "MODEL_RUN");
    let reason = error.details()["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("gather_input"), "{reason}");
    assert!(reason.contains("-3 to 2"), "{reason}");
    let error = session.run(vec![x(), i64s("i", vec![-4])], None).err();
    assert_eq!(error.map(|e| e.code()), Some("MODEL_RUN"));
    // data is [1, 2, 3]: y = x + data[i], negative indices counting from the end (ONNX Gather).
    for (i, want) in [(0, 11.0), (2, 13.0), (-1, 13.0), (-3, 11.0)] {
        let outputs = session
            .run(vec![x(), i64s("i", vec![i])], None)
            .expect("runs");
        assert_eq!(first_f32(&outputs), [want], "index {i}");
    }
}

#[test]
fn unread_initializers_are_dropped_with_a_warning() {
    let session = load("many_initializers_4000").expect("loads");
    assert!(
        session
            .warnings()
            .iter()
            .any(|w| w.contains("4000 initializer(s) that no node reads were dropped")),
        "{:?}",
        session.warnings()
    );
}
