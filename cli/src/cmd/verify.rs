//! `onnx-edge verify DIR [--key PUB]`: every file's sha256 and size, and the signature.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use onnx_edge::integrity::{check_sha256, verify_manifest, IntegrityError};

use crate::registry_dir;

/// Arguments of `verify`.
#[derive(clap::Args)]
pub struct Args {
    /// The registry folder.
    dir: PathBuf,
    /// The trusted public key file (.pub); without it the embedded key is only checked for consistency.
    #[arg(long)]
    key: Option<PathBuf>,
    /// Print the result as JSON (`{ files, signature, problems: [{ code, message }] }`).
    #[arg(long)]
    json: bool,
}

/// Checks everything and reports every problem; the exit code is the first problem's.
pub fn run(args: Args) -> Result<ExitCode> {
    let path = registry_dir::manifest_path(&args.dir);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest = registry_dir::load(&args.dir)?;
    let mut problems: Vec<onnx_edge::Error> = Vec::new();
    let mut signature = "none";
    match (&args.key, &manifest.signature) {
        (Some(key), _) => {
            if let Err(e) = verify_manifest(&text, &registry_dir::read_public(key)?) {
                problems.push(e.into());
                signature = "invalid";
            } else {
                signature = "trusted";
            }
        }
        (None, Some(sig)) => {
            let embedded = sig
                .get("publicKey")
                .and_then(|k| k.as_str())
                .unwrap_or_default();
            match verify_manifest(&text, embedded) {
                Ok(_) => signature = "consistent",
                Err(e) => {
                    problems.push(e.into());
                    signature = "invalid";
                }
            }
        }
        (None, None) => {}
    }
    let mut files = 0;
    for (name, entry) in &manifest.models {
        for (version, v) in &entry.versions {
            files += 1;
            let file = args.dir.join(&v.file);
            let result = std::fs::read(&file)
                .map_err(|e| IntegrityError::Sha256Mismatch {
                    url: v.file.clone(),
                    expected: v.sha256.clone(),
                    actual: format!("unreadable: {e}"),
                })
                .and_then(|bytes| check_sha256(&v.file, &bytes, &v.sha256).map(|_| bytes.len()));
            match result {
                Ok(len) if len as u64 == v.size => {}
                Ok(len) => problems.push(
                    IntegrityError::Sha256Mismatch {
                        url: v.file.clone(),
                        expected: format!("{} bytes", v.size),
                        actual: format!("{len} bytes"),
                    }
                    .into(),
                ),
                Err(e) => {
                    eprintln!("{name}@{version}: {e}");
                    problems.push(e.into());
                }
            }
        }
        for (alias, target) in &entry.aliases {
            if !entry.versions.contains_key(target) {
                problems.push(
                    IntegrityError::Manifest {
                        reason: format!("{name}@{alias} names {target}, which is not published"),
                    }
                    .into(),
                );
            }
        }
    }
    if args.json {
        let listed: Vec<serde_json::Value> = problems
            .iter()
            .map(|p| serde_json::json!({ "code": p.code(), "message": p.to_string() }))
            .collect();
        println!(
            "{}",
            serde_json::json!({ "files": files, "signature": signature, "problems": listed })
        );
    } else {
        let said = match signature {
            "trusted" => "valid for the trusted key",
            "consistent" => "valid for the key embedded in the manifest (pass --key to check it is the key you trust)",
            "invalid" => "INVALID",
            _ => "none (the manifest is unsigned)",
        };
        println!("signature: {said}");
        println!("files: {files} checked, {} problem(s)", problems.len());
    }
    match problems.into_iter().next() {
        None => Ok(ExitCode::SUCCESS),
        Some(first) => Err(first.into()),
    }
}
