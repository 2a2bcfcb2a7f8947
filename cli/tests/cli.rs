//! The CLI as a user runs it: publish, aliases, verify, tampering, inspect, run, serve.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_onnx-edge");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/models")
        .join(name)
}

/// A fresh temp folder, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("onnx-edge-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cli(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("runs onnx-edge")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write_npy_f32(path: &Path, dims: &[u64], values: &[f32]) {
    use npyz::WriterBuilder;
    let mut out = Vec::new();
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(dims)
        .writer(&mut out)
        .begin_nd()
        .unwrap();
    w.extend(values.iter().copied()).unwrap();
    w.finish().unwrap();
    std::fs::write(path, out).unwrap();
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
        .expect("JSON")
}

#[test]
fn publish_versions_move_aliases_verify_and_catch_tampering() {
    let t = Temp::new("publish");
    let reg = t.0.join("reg");
    let key = t.0.join("keys/team");
    let (reg_s, key_s) = (reg.to_str().unwrap(), key.to_str().unwrap());
    let keygen = cli(&["keygen", "--out", key_s]);
    assert_eq!(code(&keygen), 0, "{}", text(&keygen));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key.with_extension("key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the secret key is private");
    }
    let secret = key.with_extension("key");
    let public = key.with_extension("pub");
    let versions = [
        ("1.0.0", "iris_rf.onnx", "stable"),
        ("1.1.0", "ml_random_forest_iris.onnx", "canary"),
        ("2.0.0", "ml_extra_trees_iris.onnx", "canary"),
    ];
    for (version, file, alias) in versions {
        let model = fixture(file);
        let out = cli(&[
            "publish",
            model.to_str().unwrap(),
            "--name",
            "iris",
            "--version",
            version,
            "--registry",
            reg_s,
            "--alias",
            alias,
            "--sign",
            secret.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 0, "{}", text(&out));
    }
    let m = manifest(&reg);
    let iris = &m["models"]["iris"];
    assert_eq!(iris["versions"].as_object().unwrap().len(), 3);
    assert_eq!(iris["aliases"]["stable"], "1.0.0");
    assert_eq!(iris["aliases"]["canary"], "2.0.0");
    let history: Vec<(String, Option<String>)> = iris["aliasHistory"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["alias"] == "canary")
        .map(|h| {
            (
                h["version"].as_str().unwrap().to_owned(),
                h["previous"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("1.1.0".to_owned(), None),
            ("2.0.0".to_owned(), Some("1.1.0".to_owned()))
        ]
    );
    // Every file is content-addressed by its sha256.
    for (_, v) in iris["versions"].as_object().unwrap() {
        assert!(v["file"]
            .as_str()
            .unwrap()
            .contains(v["sha256"].as_str().unwrap()));
    }

    let ok = cli(&["verify", reg_s, "--key", public.to_str().unwrap()]);
    assert_eq!(code(&ok), 0, "{}", text(&ok));

    // Reference statistics (floats) survive the signed round trip through the file.
    let sample = t.0.join("x.npy");
    write_npy_f32(
        &sample,
        &[6, 4],
        &[
            5.1, 3.5, 1.4, 0.2, 6.2, 2.9, 4.3, 1.3, 7.7, 3.0, 6.1, 2.3, 4.9, 3.1, 1.5, 0.1, 5.8,
            2.7, 5.1, 1.9, 6.4, 3.2, 4.5, 1.5,
        ],
    );
    let with_reference = cli(&[
        "publish",
        fixture("ml_decision_tree_iris.onnx").to_str().unwrap(),
        "--name",
        "iris",
        "--version",
        "2.1.0",
        "--registry",
        reg_s,
        "--reference",
        &format!("X={}", sample.display()),
        "--sign",
        secret.to_str().unwrap(),
    ]);
    assert_eq!(code(&with_reference), 0, "{}", text(&with_reference));
    let v = &manifest(&reg)["models"]["iris"]["versions"]["2.1.0"];
    // 4 input features, plus the prediction distribution: label (1) and probabilities (3).
    let features = v["reference"]["features"].as_array().expect("features");
    assert_eq!(features.len(), 8);
    let labels = features
        .iter()
        .find(|f| f["input"] == "label")
        .expect("a reference for the predicted labels");
    assert_eq!(labels["count"], 6);
    assert_eq!(
        v["gate"]["outputs"]["label"]["dims"],
        serde_json::json!([6])
    );
    let still_ok = cli(&["verify", reg_s, "--key", public.to_str().unwrap()]);
    assert_eq!(code(&still_ok), 0, "{}", text(&still_ok));

    // The same version with other bytes is refused; the same bytes again is a no-op.
    let clash = cli(&[
        "publish",
        fixture("digits_logreg.onnx").to_str().unwrap(),
        "--name",
        "iris",
        "--version",
        "1.0.0",
        "--registry",
        reg_s,
    ]);
    assert_eq!(code(&clash), 8, "{}", text(&clash));
    let again = cli(&[
        "publish",
        fixture("iris_rf.onnx").to_str().unwrap(),
        "--name",
        "iris",
        "--version",
        "1.0.0",
        "--registry",
        reg_s,
        "--sign",
        secret.to_str().unwrap(),
    ]);
    assert_eq!(code(&again), 0, "{}", text(&again));
    assert_eq!(
        manifest(&reg)["models"]["iris"]["versions"]["1.0.0"],
        m["models"]["iris"]["versions"]["1.0.0"]
    );

    // An alias moves back, with history.
    let back = cli(&[
        "alias",
        reg_s,
        "iris",
        "canary",
        "1.1.0",
        "--sign",
        secret.to_str().unwrap(),
    ]);
    assert_eq!(code(&back), 0, "{}", text(&back));
    assert_eq!(
        manifest(&reg)["models"]["iris"]["aliases"]["canary"],
        "1.1.0"
    );
    let missing = cli(&["alias", reg_s, "iris", "canary", "9.9.9"]);
    assert_eq!(code(&missing), 7, "{}", text(&missing));

    // Rollout rules name published versions only.
    let rule = cli(&[
        "rollout",
        reg_s,
        "iris",
        "--weights",
        "1.0.0=90,1.1.0=10",
        "--shadow",
        "2.0.0",
        "--sign",
        secret.to_str().unwrap(),
    ]);
    assert_eq!(code(&rule), 0, "{}", text(&rule));
    let written = &manifest(&reg)["models"]["iris"]["rollout"];
    assert_eq!(written["weights"]["1.1.0"], 10.0);
    assert_eq!(written["shadow"], "2.0.0");
    let unknown = cli(&["rollout", reg_s, "iris", "--weights", "3.0.0=5"]);
    assert_eq!(code(&unknown), 7, "{}", text(&unknown));

    // A tampered manifest fails the signature.
    let path = reg.join("manifest.json");
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        original.replace("\"stable\": \"1.0.0\"", "\"stable\": \"2.0.0\""),
    )
    .unwrap();
    let forged = cli(&["verify", reg_s, "--key", public.to_str().unwrap()]);
    assert_eq!(code(&forged), 4, "{}", text(&forged));
    std::fs::write(&path, &original).unwrap();

    // A tampered model file fails its sha256.
    let file = reg.join(
        manifest(&reg)["models"]["iris"]["versions"]["1.0.0"]["file"]
            .as_str()
            .unwrap(),
    );
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&file, bytes).unwrap();
    let corrupt = cli(&["verify", reg_s, "--key", public.to_str().unwrap()]);
    assert_eq!(code(&corrupt), 3, "{}", text(&corrupt));
}

#[test]
fn inspect_names_the_unsupported_op_and_its_node() {
    let out = cli(&["inspect", fixture("unsupported_op.onnx").to_str().unwrap()]);
    assert_eq!(code(&out), 5, "{}", text(&out));
    assert!(text(&out).contains("com.example:FancyOp"), "{}", text(&out));
    let json = cli(&[
        "inspect",
        "--json",
        fixture("unsupported_op.onnx").to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    assert_eq!(report["unsupported"][0]["opType"], "FancyOp");
    assert_eq!(report["unsupported"][0]["domain"], "com.example");
    let fine = cli(&["inspect", fixture("iris_rf.onnx").to_str().unwrap()]);
    assert_eq!(code(&fine), 0, "{}", text(&fine));
}

#[test]
fn run_writes_npy_outputs_and_publish_refuses_unsupported_models() {
    let t = Temp::new("run");
    let out_dir = t.0.join("out");
    let run = cli(&[
        "run",
        fixture("cnn_digits.onnx").to_str().unwrap(),
        "--random",
        "x=2,1,8,8",
        "--output-dir",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run));
    let bytes = std::fs::read(out_dir.join("probabilities.npy")).expect("output written");
    let npy = npyz::NpyFile::new(&bytes[..]).expect("a .npy file");
    assert_eq!(npy.shape(), &[2, 10]);
    let probs: Vec<f32> = npy.into_vec().unwrap();
    for row in probs.chunks(10) {
        assert!(
            (row.iter().sum::<f32>() - 1.0).abs() < 1e-5,
            "softmax rows sum to 1"
        );
    }
    let reg = t.0.join("reg");
    let refused = cli(&[
        "publish",
        fixture("unsupported_op.onnx").to_str().unwrap(),
        "--name",
        "x",
        "--version",
        "1.0.0",
        "--registry",
        reg.to_str().unwrap(),
    ]);
    assert_eq!(code(&refused), 5, "{}", text(&refused));
    let bad_input = cli(&[
        "run",
        fixture("iris_rf.onnx").to_str().unwrap(),
        "--random",
        "X=2,5",
    ]);
    assert_eq!(code(&bad_input), 6, "{}", text(&bad_input));
}

#[test]
fn serve_answers_with_types_cors_etags_and_immutable_caching() {
    use std::io::{BufRead, BufReader, Read, Write};
    let t = Temp::new("serve");
    std::fs::write(t.0.join("manifest.json"), "{}").unwrap();
    let hashed = format!("{}.onnx", "ab".repeat(32));
    std::fs::write(t.0.join(&hashed), b"model").unwrap();
    std::fs::write(t.0.join("m.wasm"), b"\0asm").unwrap();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            t.0.to_str().unwrap(),
            "--port",
            "0",
            "--lifetime-secs",
            "20",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port: u16 = first
        .trim()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .expect("port in the first line");
    let get = |path: &str, extra: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        reply.to_ascii_lowercase()
    };
    let wasm = get("/m.wasm", "");
    assert!(wasm.starts_with("http/1.1 200"), "{wasm}");
    assert!(wasm.contains("content-type: application/wasm"));
    assert!(wasm.contains("access-control-allow-origin: *"));
    let model = get(&format!("/{hashed}"), "");
    assert!(
        model.contains("cache-control: public, max-age=31536000, immutable"),
        "{model}"
    );
    let manifest = get("/manifest.json", "");
    assert!(manifest.contains("cache-control: no-cache"));
    let etag = manifest
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("etag")
        .trim()
        .to_owned();
    let again = get("/manifest.json", &format!("If-None-Match: {etag}\r\n"));
    assert!(again.starts_with("http/1.1 304"), "{again}");
    assert!(
        get("/../etc/passwd", "").starts_with("http/1.1 400")
            || get("/../etc/passwd", "").starts_with("http/1.1 404")
    );
    assert!(get("/nothing-here", "").starts_with("http/1.1 404"));
    let _ = child.kill();
    let _ = child.wait();
}
