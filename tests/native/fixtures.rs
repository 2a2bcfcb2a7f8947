//! Every fixture case runs natively and matches its onnxruntime reference, except the cases in
//! tests/fixtures/expected-failures.txt, which must fail with the typed error listed there.
use std::collections::BTreeMap;

use onnx_edge::{LoadOptions, Session};

use super::case_file::{self, Case, Tolerance};

/// What one case did: max abs error per output, or the error code and message.
type Outcome = Result<Vec<(String, f64)>, (String, String)>;

fn expected_failures() -> BTreeMap<String, String> {
    let path = case_file::fixtures().join("expected-failures.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next().unwrap_or_default().to_owned();
            let code = parts.next().unwrap_or_default().to_owned();
            (name, code)
        })
        .collect()
}

fn run_case(case: &Case, bytes: &[u8]) -> Outcome {
    let options: LoadOptions = serde_json::from_value(case.options.clone())
        .map_err(|e| ("BAD_FIXTURE".to_owned(), e.to_string()))?;
    let mut session =
        Session::load(bytes, options).map_err(|e| (e.code().to_owned(), e.to_string()))?;
    let tol = case.tolerance.unwrap_or(Tolerance {
        atol: 1e-4,
        rtol: 1e-4,
        mode: None,
        mean_abs: None,
        max_abs: None,
    });
    let mut worst: BTreeMap<String, f64> = BTreeMap::new();
    for (i, run) in case.runs.iter().enumerate() {
        let feeds = run
            .inputs
            .iter()
            .map(|(n, t)| (n.clone(), t.to_host(n)))
            .collect();
        let outputs = session
            .run(feeds, None)
            .map_err(|e| (e.code().to_owned(), format!("run {i}: {e}")))?;
        for (name, want) in &run.outputs {
            let got = outputs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t)
                .ok_or_else(|| ("WRONG".to_owned(), format!("run {i}: no output {name}")))?;
            // Tree ensembles add up in onnxruntime's score type (f32 for an f32 input) and tree
            // order, so every output must match its reference to the bit.
            let exact = case.exact.contains(name) || case.tags.iter().any(|t| t == "tree");
            let err = case_file::compare(name, got, want, exact, tol)
                .map_err(|m| ("WRONG".to_owned(), format!("run {i}: {m}")))?;
            let entry = worst.entry(name.clone()).or_insert(0.0);
            *entry = entry.max(err);
        }
    }
    Ok(worst.into_iter().collect())
}

#[test]
fn every_fixture_matches_onnxruntime_or_fails_as_expected() {
    let expected = expected_failures();
    let mut problems = Vec::new();
    let mut report = String::from("| case | result |\n|---|---|\n");
    for name in case_file::all_case_names() {
        let case = case_file::load_case(&name);
        let Some(path) = case_file::model_path(&case.model) else {
            report.push_str(&format!(
                "| {name} | skipped: {} not installed |\n",
                case.model
            ));
            continue;
        };
        let bytes = std::fs::read(&path).expect("model file");
        let outcome = if let Some(code) = &case.expect_error {
            match Session::load(&bytes, LoadOptions::default()) {
                Err(e) if e.code() == code => Err((code.clone(), e.to_string())),
                Err(e) => Err((
                    "WRONG".to_owned(),
                    format!("expected {code}, got {}: {e}", e.code()),
                )),
                Ok(_) => Err(("WRONG".to_owned(), format!("expected {code}, loaded"))),
            }
        } else {
            run_case(&case, &bytes)
        };
        let line = match (&outcome, expected.get(&name), &case.expect_error) {
            (Ok(errs), None, _) => {
                let shown: Vec<String> = errs.iter().map(|(o, e)| format!("{o} {e:.1e}")).collect();
                format!("pass ({})", shown.join(", "))
            }
            (Err((code, msg)), _, Some(want)) if code == want => {
                format!("refused as expected: {code}: {msg}")
            }
            (Err((code, msg)), Some(want), _) if code == want => {
                format!("expected failure {code}: {msg}")
            }
            (Ok(_), Some(want), _) => {
                problems.push(format!(
                    "{name}: passes now; remove it from expected-failures.txt (listed {want})"
                ));
                "UNEXPECTED PASS".to_owned()
            }
            (Err((code, msg)), _, _) => {
                problems.push(format!("{name} [{}]: {code}: {msg}", case.tags.join(",")));
                format!("FAIL {code}: {msg}")
            }
        };
        let line = line.replace('|', "/");
        let line: String = line.chars().take(300).collect();
        report.push_str(&format!("| {name} | {line} |\n"));
    }
    eprintln!("{report}");
    let out = case_file::repo().join("target/fixture-report.md");
    let _ = std::fs::write(&out, &report);
    assert!(
        problems.is_empty(),
        "{} fixture problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
