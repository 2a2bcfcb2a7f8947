//! Every input the fuzz targets (fuzz/) found crashing, replayed through the target's own code
//! path: the core must answer with a typed error and must not panic, not even inside a
//! `catch_unwind` (in wasm, built with `panic = "abort"`, every panic is a trap). Inputs live in
//! tests/fixtures/fuzz-regressions/<target>-<name>.bin; the decoding of the run_model and
//! manifest targets is the fuzz crate's own source, included here.
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Once;

use onnx_edge::{Error, LoadOptions, Session, ERROR_CODES};

#[allow(dead_code)]
#[path = "../../fuzz/src/feeds.rs"]
mod feeds;
#[allow(dead_code)]
#[path = "../../fuzz/src/manifest_input.rs"]
mod manifest_input;

thread_local! {
    static PANICKED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` and reports whether it panicked anywhere on this thread, caught or not. The hook
/// marks the thread, then defers to the hook it replaced (other tests see no difference).
fn panics_in<T>(f: impl FnOnce() -> T) -> (T, bool) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            previous(info);
        }));
    });
    PANICKED.with(|p| p.set(false));
    let value = f();
    (value, PANICKED.with(Cell::get))
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions")
}

fn input(file: &str) -> Vec<u8> {
    std::fs::read(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn assert_typed(file: &str, error: &Error) {
    assert!(
        ERROR_CODES.contains(&error.code()),
        "{file}: untyped error {error}"
    );
}

/// The load_model target: the bytes as a model file must not load.
fn replay_load(file: &str) -> Error {
    let bytes = input(file);
    let (result, panicked) = panics_in(|| Session::load(&bytes, LoadOptions::default()));
    assert!(!panicked, "{file}: Session::load panicked (a trap in wasm)");
    let error = result.err().unwrap_or_else(|| panic!("{file}: loaded"));
    assert_typed(file, &error);
    error
}

/// The run_model target: a fresh session of the fixture the input picks, one run.
// No run_model input has crashed yet, so nothing calls it; it stays ready for the first one.
#[allow(dead_code)]
fn replay_run(file: &str) -> Error {
    let bytes = input(file);
    let (name, model) = feeds::FIXTURES[feeds::fixture_of(&bytes)];
    let mut session = Session::load(model, LoadOptions::default())
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let outputs = session.output_names().to_vec();
    let call = feeds::decode(&bytes, &session.metadata().inputs, &outputs);
    let (result, panicked) = panics_in(|| session.run(call.feeds, call.fetches.as_deref()));
    assert!(!panicked, "{file}: run of {name} panicked (a trap in wasm)");
    let error = result.err().unwrap_or_else(|| panic!("{file}: ran"));
    assert_typed(file, &error);
    error
}

/// Every stored input has a test below (named after the file).
#[test]
fn every_stored_input_is_replayed() {
    let source = include_str!("fuzz_regressions.rs");
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".bin"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in files {
        assert!(
            source.contains(&format!("\"{file}\"")),
            "{file} has no regression test in tests/native/fuzz_regressions.rs"
        );
    }
}

/// The manifest seeds are signed with the fuzz key, so mutations reach the signature check.
#[test]
fn the_manifest_seed_verifies_with_the_fuzz_key() {
    let seed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/manifest/signed_range.txt"),
    )
    .expect("seed");
    let outcome = manifest_input::exercise(&seed);
    assert!(outcome.verified.is_ok(), "{:?}", outcome.verified);
    assert!(outcome.parsed.is_some());
    let first = outcome.resolved.first().expect("resolved");
    assert_eq!(
        first.as_ref().map(|r| r.version.as_str()).ok(),
        Some("1.2.0")
    );
}

// load_model: a Gather whose constant index (7) is outside its constant data (3 elements).
// tract folds it while planning and panics in tract-core 0.23.9 src/ops/array/gather.rs:75
// ("index out of bounds: the len is 3 but the index is 7"). Also tests/fixtures/bad/. Gather's
// indices now pass a check first (src/core/ops/onnx/gather.rs).
#[test]
fn load_model_gather_out_of_range() {
    let error = replay_load("load_model-gather-out-of-range.bin");
    assert_eq!(error.code(), "MODEL_SHAPE");
}

// load_model: ConstantOfShape to [2^15, 2^15, 2^10]. tract folds it while planning and panics in
// tract-data 0.23.9 src/blob.rs:76 ("failed to allocate Layout { size: 8796093022208, .. }").
// Constant shapes past limits.maxTensorElements are now refused before tract sees them
// (src/core/model/graph_checks.rs).
#[test]
fn load_model_constant_of_shape_bomb() {
    let error = replay_load("load_model-constant-of-shape-bomb.bin");
    assert_eq!(error.code(), "LIMIT_EXCEEDED");
}

// load_model: a LabelEncoder model whose graph output names a value nothing defines ("\x19");
// tract-onnx 0.23.9 panicked while parsing (model.rs:187, "no entry found for key"), outside
// any catch_unwind. src/core/model/scan.rs now refuses it first.
#[test]
fn load_model_undefined_graph_output() {
    let error = replay_load("load_model-undefined-graph-output.bin");
    assert_eq!(error.code(), "MODEL_PARSE");
}

// load_model: nested Ifs where a branch's output names a value only a branch nested inside it
// defines; same tract-onnx panic (model.rs:187), refused by the scan.
#[test]
fn load_model_if_output_from_nested_branch() {
    let error = replay_load("load_model-if-output-from-nested-branch.bin");
    assert_eq!(error.code(), "MODEL_PARSE");
}

// load_model: a tiny transformer whose LayerNormalization has axis -7493989779944505345. tract-onnx
// 0.23.9's shape rules loop over 0..axis (as usize): the load hung (a 10 s fuzz timeout). The
// guard in src/core/ops/onnx/guards.rs refuses an axis outside [-64, 64).
#[test]
fn load_model_layer_norm_axis_hang() {
    let error = replay_load("load_model-layer-norm-axis-hang.bin");
    assert_eq!(error.code(), "MODEL_PARSE");
    assert!(error.to_string().contains("axis"), "{error}");
}

// load_model: a com.microsoft FusedConv with kernel_shape [3, 3] but pads [423600127, 1] (two
// values where a 2-D window needs four). Rewritten to Conv, it reached tract-core 0.23.9's padding
// code, which indexes the pads by spatial axis: a panic (padding.rs:116). The guard in
// src/core/ops/onnx/guards.rs checks pads, strides and dilations against kernel_shape.
#[test]
fn load_model_conv_pads_rank() {
    let error = replay_load("load_model-conv-pads-rank.bin");
    assert_eq!(error.code(), "MODEL_PARSE");
    assert!(error.to_string().contains("pads"), "{error}");
}

// load_model: the tiny transformer again, its second LayerNormalization's axis mutated to -49 on
// a rank-3 input. tract adds the rank and loops to the result as usize: the load hung (a fuzz
// timeout). The guard now refuses negative axes below -8.
#[test]
fn load_model_layer_norm_negative_axis_hang() {
    let error = replay_load("load_model-layer-norm-negative-axis-hang.bin");
    assert_eq!(error.code(), "MODEL_PARSE");
    assert!(error.to_string().contains("axis"), "{error}");
}
