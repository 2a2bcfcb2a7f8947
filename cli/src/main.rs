//! `onnx-edge`: inspect, run, publish, sign and serve ONNX models with the same core as the wasm
//! build. Errors map to documented exit codes in one place (`exit_code`).
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod npy;
mod registry_dir;

/// ONNX models for the edge: inspect, run, publish (versioned, signed), verify and serve.
#[derive(Parser)]
#[command(name = "onnx-edge", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inputs, outputs, opsets, op histogram, parameter bytes, and whether every op runs here.
    Inspect(cmd::inspect::Args),
    /// Runs a model on .npy inputs (or random ones) and prints or writes the outputs.
    Run(cmd::run::Args),
    /// Adds a model version to a registry folder: content-addressed file, manifest, signature.
    Publish(cmd::publish::Args),
    /// Writes an Ed25519 key pair (NAME.key, mode 0600, and NAME.pub).
    Keygen(cmd::keygen::Args),
    /// Checks every file's sha256 in a registry and the manifest signature.
    Verify(cmd::verify::Args),
    /// Moves an alias (stable, canary, ...) to a version, keeping the history.
    Alias(cmd::alias::Args),
    /// Sets A/B or canary weights and a shadow candidate for a model.
    Rollout(cmd::rollout::Args),
    /// Serves a folder on 127.0.0.1 for demos and tests (MIME types, CORS, ETag, immutable caching).
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Run(a) => cmd::run::run(a),
        Command::Publish(a) => cmd::publish::run(a),
        Command::Keygen(a) => cmd::keygen::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Alias(a) => cmd::alias::run(a),
        Command::Rollout(a) => cmd::rollout::run(a),
        Command::Serve(a) => cmd::serve::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("onnx-edge: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Exit codes (also in README.md): 1 other errors, 2 usage (clap), 3 integrity (sha256),
/// 4 signature or manifest, 5 the model cannot load or run, 6 bad inputs, 7 no such version,
/// 8 a version already published with other bytes.
fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<registry_dir::Conflict>().is_some() {
        return 8;
    }
    let Some(core) = e.chain().find_map(|c| c.downcast_ref::<onnx_edge::Error>()) else {
        return 1;
    };
    match core.code() {
        "INTEGRITY" => 3,
        "SIGNATURE" | "MANIFEST_INVALID" => 4,
        c if c.starts_with("MODEL_") => 5,
        c if c.starts_with("INPUT_") || c == "OUTPUT_UNKNOWN" || c == "LIMIT_EXCEEDED" => 6,
        "VERSION_NOT_FOUND" => 7,
        _ => 1,
    }
}
