//! `onnx-edge inspect MODEL`: what the model needs and whether every op runs in this build.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// Arguments of `inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// The .onnx file.
    model: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the report; exits 5 when some op does not run here.
pub fn run(args: Args) -> Result<ExitCode> {
    let bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let report = onnx_edge::inspect_model(&bytes)
        .with_context(|| format!("inspecting {}", args.model.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let m = &report.metadata;
        println!("{}  ({} bytes)", args.model.display(), bytes.len());
        println!(
            "producer: {} {}  ir_version {}  opsets: {}",
            m.producer_name,
            m.producer_version,
            m.ir_version,
            m.opsets
                .iter()
                .map(|o| format!(
                    "{}:{}",
                    if o.domain.is_empty() {
                        "ai.onnx"
                    } else {
                        &o.domain
                    },
                    o.version
                ))
                .collect::<Vec<_>>()
                .join(" ")
        );
        for (kind, values) in [("input", &m.inputs), ("output", &m.outputs)] {
            for v in values {
                let dims = v.dims.as_ref().map(|d| {
                    d.iter()
                        .map(|x| match x {
                            Some(onnx_edge::Dim::Fixed(n)) => n.to_string(),
                            Some(onnx_edge::Dim::Symbol(s)) => s.clone(),
                            None => "?".into(),
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                });
                println!(
                    "{kind:>6} {}: {} [{}]",
                    v.name,
                    v.dtype.map(|d| d.name()).unwrap_or("?"),
                    dims.unwrap_or_else(|| "?".into())
                );
            }
        }
        for (k, v) in &m.metadata_props {
            println!("  meta {k} = {v}");
        }
        println!(
            "nodes: {}  initializers: {}  parameter bytes: {}",
            report.node_count, report.initializers, report.parameter_bytes
        );
        let ops: Vec<String> = report
            .op_histogram
            .iter()
            .map(|(op, n)| format!("{op} x{n}"))
            .collect();
        println!("ops: {}", ops.join(", "));
        if report.unsupported.is_empty() {
            println!("verdict: every op runs in this build");
        } else {
            println!(
                "verdict: {} node(s) do not run in this build:",
                report.unsupported.len()
            );
            for u in &report.unsupported {
                println!("  {u}");
            }
        }
    }
    Ok(if report.unsupported.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    })
}
