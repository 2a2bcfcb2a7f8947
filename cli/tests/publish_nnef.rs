//! `onnx-edge publish --format nnef` (issue 17): fixtures that convert are stored as a
//! deterministic NNEF .tar marked `"format": "nnef"`; a model with an operator NNEF cannot
//! express is refused with MODEL_UNSUPPORTED_OP's exit code, naming the op and the node. The
//! archives' outputs are checked against onnxruntime in www/slim.test.js (the slim wasm).
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_onnx-edge");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/models")
        .join(name)
}

fn registry(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onnx-edge-nnef-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn publish(model: &str, name: &str, version: &str, reg: &Path, format: &str) -> Output {
    Command::new(BIN)
        .args(["publish"])
        .arg(fixture(model))
        .args(["--name", name, "--version", version, "--registry"])
        .arg(reg)
        .args(["--format", format, "--json"])
        .output()
        .expect("runs onnx-edge")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn converting_fixtures_are_published_as_nnef_archives() {
    let reg = registry("ok");
    for (model, name) in [
        ("digits_mlp.onnx", "mlp"),
        ("cnn_digits.onnx", "cnn"),
        ("tiny_transformer.onnx", "transformer"),
    ] {
        let out = publish(model, name, "1.0.0", &reg, "nnef");
        assert_eq!(out.status.code(), Some(0), "{model}: {}", text(&out));
        let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let entry = &shown["entry"];
        assert_eq!(entry["format"], "nnef", "{entry}");
        let file = entry["file"].as_str().expect("file");
        assert!(file.ends_with(".nnef.tar"), "{file}");
        let bytes = std::fs::read(reg.join(file)).expect("archive");
        assert_eq!(entry["size"], bytes.len() as u64);
        // A tar whose first entry is the model description, then tract's graph.nnef.
        assert_eq!(&bytes[..14], b"onnx-edge.json");
        assert!(
            bytes.windows(10).any(|w| w == b"graph.nnef"),
            "{model}: no graph.nnef"
        );
        // Deterministic: the same model again is the same file, so a no-op.
        let again = publish(model, name, "1.0.0", &reg, "nnef");
        assert_eq!(again.status.code(), Some(0), "{}", text(&again));
        let again: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
        assert_eq!(again["unchanged"], true, "{model}: {again}");
    }
    // ONNX stays the default, and its entries carry no format field (absent means onnx).
    let onnx = publish("digits_mlp.onnx", "mlp", "2.0.0", &reg, "onnx");
    assert_eq!(onnx.status.code(), Some(0), "{}", text(&onnx));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reg.join("manifest.json")).unwrap()).unwrap();
    let versions = &manifest["models"]["mlp"]["versions"];
    assert_eq!(versions["1.0.0"]["format"], "nnef");
    assert!(versions["2.0.0"].get("format").is_none(), "{versions}");
    let _ = std::fs::remove_dir_all(&reg);
}

#[test]
fn a_model_with_an_op_nnef_cannot_express_is_refused() {
    let reg = registry("refused");
    let out = publish("iris_rf.onnx", "iris", "1.0.0", &reg, "nnef");
    // README's exit codes: 5, the model cannot load or run (MODEL_UNSUPPORTED_OP).
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("TreeEnsembleClassifier"), "{said}");
    assert!(
        said.contains("has no NNEF form; publish it as ONNX"),
        "{said}"
    );
    assert!(
        !reg.join("iris").exists(),
        "nothing is written for a refused model"
    );
    let _ = std::fs::remove_dir_all(&reg);
}
