//! `onnx-edge publish MODEL --name N --version V --registry DIR`: adds a version to a registry
//! folder. A published version is never overwritten: the same bytes again is a no-op, other
//! bytes under the same version are refused (exit 8). `--format nnef` publishes the NNEF archive
//! that the slim build (`onnx-edge/slim`) runs instead of the .onnx file.
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use onnx_edge::drift::{feature_references, DEFAULT_BINS};
use onnx_edge::registry::VersionEntry;
use onnx_edge::{HostTensor, LoadOptions, Session, TensorData};
use serde_json::{json, Value};

use crate::{npy, registry_dir};

/// Arguments of `publish`.
#[derive(clap::Args)]
pub struct Args {
    /// The .onnx file.
    model: PathBuf,
    /// Model name ([A-Za-z0-9._-]+).
    #[arg(long)]
    name: String,
    /// Semantic version, e.g. 1.2.0.
    #[arg(long)]
    version: String,
    /// The registry folder (created if missing).
    #[arg(long)]
    registry: PathBuf,
    /// Point this alias at the new version (repeatable): stable, canary, any name.
    #[arg(long = "alias")]
    aliases: Vec<String>,
    /// Reference inputs as [NAME=]FILE.npy (repeatable): drift statistics and the staging gate.
    #[arg(long = "reference", value_name = "[NAME=]FILE.npy")]
    references: Vec<String>,
    /// Class labels, one per line.
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Sign the manifest with this Ed25519 key (from `onnx-edge keygen`).
    #[arg(long)]
    sign: Option<PathBuf>,
    /// Rows of the reference inputs kept, with the model's outputs, as the staging gate.
    #[arg(long, default_value_t = 16)]
    gate_rows: usize,
    /// What to store: the .onnx file, or `nnef`, the archive the slim build runs (converted here;
    /// a model with an operator NNEF cannot express is refused).
    #[arg(long, value_enum, default_value_t = Format::Onnx)]
    format: Format,
    /// Print the new entry as JSON.
    #[arg(long)]
    json: bool,
}

/// The published file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The .onnx file as given.
    Onnx,
    /// tract's NNEF .tar with the `tract_onnx` extension, for the slim build.
    Nnef,
}

fn progress(message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The first `rows` rows (axis 0) of a tensor.
fn first_rows(t: &HostTensor, rows: usize) -> Result<HostTensor> {
    let Some(&n) = t.dims.first() else {
        return Ok(t.clone());
    };
    let keep = rows.min(n);
    let row = t.data.len() / n.max(1);
    let take = keep * row;
    let data = match &t.data {
        TensorData::Float32(v) => TensorData::Float32(v[..take].to_vec()),
        TensorData::Float64(v) => TensorData::Float64(v[..take].to_vec()),
        TensorData::Int64(v) => TensorData::Int64(v[..take].to_vec()),
        TensorData::Int32(v) => TensorData::Int32(v[..take].to_vec()),
        TensorData::Uint8(v) => TensorData::Uint8(v[..take].to_vec()),
        TensorData::Bool(v) => TensorData::Bool(v[..take].to_vec()),
        other => bail!(
            "reference inputs of type {} are not supported for the gate",
            other.dtype()
        ),
    };
    let mut dims = t.dims.clone();
    dims[0] = keep;
    Ok(HostTensor::new("reference", dims, data)?)
}

fn read_references(specs: &[String], input_names: &[String]) -> Result<Vec<(String, HostTensor)>> {
    specs
        .iter()
        .map(|spec| {
            let (name, path) = match spec.split_once('=') {
                Some((n, p)) => (n.to_owned(), p),
                None if input_names.len() == 1 => (input_names[0].clone(), spec.as_str()),
                None => bail!(
                    "the model has {} inputs: give references as NAME=FILE.npy",
                    input_names.len()
                ),
            };
            if !input_names.contains(&name) {
                bail!("'{name}' is not an input of the model (its inputs are {input_names:?})");
            }
            Ok((name.clone(), npy::read(Path::new(path), &name)?))
        })
        .collect()
}

/// Publishes and prints what was written.
pub fn run(args: Args) -> Result<ExitCode> {
    if args.name.is_empty()
        || !args
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        bail!("model name '{}' must match [A-Za-z0-9._-]+", args.name);
    }
    semver::Version::parse(&args.version)
        .with_context(|| format!("'{}' is not a semantic version", args.version))?;
    let onnx_bytes =
        std::fs::read(&args.model).with_context(|| format!("reading {}", args.model.display()))?;
    let bar = progress("inspecting");
    let report = onnx_edge::inspect_model(&onnx_bytes)?;
    if let Some(first) = report.unsupported.first() {
        bar.finish_and_clear();
        bail!(onnx_edge::Error::from(onnx_edge::ModelError::unsupported(
            &first.op_type,
            &first.domain,
            &first.node,
            first.opset,
            first.hint.clone()
        )));
    }
    // The file published: the .onnx as given, or its NNEF conversion (deterministic, so
    // publishing the same model twice is still a no-op).
    let (bytes, extension, format) = match args.format {
        Format::Onnx => (Cow::Borrowed(onnx_bytes.as_slice()), "onnx", None),
        Format::Nnef => {
            bar.set_message("converting to NNEF");
            let archive = onnx_edge::to_nnef(&onnx_bytes, LoadOptions::default())
                .inspect_err(|_| bar.finish_and_clear())?;
            (Cow::Owned(archive), "nnef.tar", Some("nnef".to_owned()))
        }
    };
    let sha256 = onnx_edge::integrity::sha256_hex(&bytes);
    std::fs::create_dir_all(&args.registry)
        .with_context(|| format!("creating {}", args.registry.display()))?;
    let mut manifest = registry_dir::load(&args.registry)?;
    let entry = manifest.models.entry(args.name.clone()).or_default();
    let unchanged = match entry.versions.get(&args.version) {
        Some(v) if v.sha256 == sha256 => true,
        Some(v) => {
            bar.finish_and_clear();
            return Err(registry_dir::Conflict(format!(
                "{}@{} is already published with sha256 {}; this file is {sha256}: publish it as a new version",
                args.name, args.version, v.sha256
            ))
            .into());
        }
        None => false,
    };
    if !unchanged {
        let file = format!("{}/{sha256}.{extension}", args.name);
        let path = args.registry.join(&file);
        std::fs::create_dir_all(path.parent().unwrap_or(&args.registry))?;
        if !path.exists() {
            std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        let input_names: Vec<String> = report
            .metadata
            .inputs
            .iter()
            .map(|i| i.name.clone())
            .collect();
        bar.set_message("reference statistics and staging gate");
        let references = read_references(&args.references, &input_names)?;
        let mut features = Vec::new();
        for (name, t) in &references {
            features.extend(feature_references(
                name,
                &t.dims,
                &npy::as_f64(t),
                DEFAULT_BINS,
            ));
        }
        let gate = if references.is_empty() {
            None
        } else {
            let mut session = Session::load(&onnx_bytes, LoadOptions::default())?;
            // The prediction distribution's reference: the model's outputs on all reference rows.
            let predictions = session.run(references.clone(), None)?;
            for (name, t) in predictions
                .iter()
                .filter(|(_, t)| !matches!(t.data, TensorData::String(_)))
            {
                features.extend(feature_references(
                    name,
                    &t.dims,
                    &npy::as_f64(t),
                    DEFAULT_BINS,
                ));
            }
            let feeds: Vec<(String, HostTensor)> = references
                .iter()
                .map(|(n, t)| Ok((n.clone(), first_rows(t, args.gate_rows)?)))
                .collect::<Result<_>>()?;
            let inputs: serde_json::Map<String, Value> = feeds
                .iter()
                .map(|(n, t)| (n.clone(), npy::to_json(t)))
                .collect();
            let outputs = session.run(feeds, None)?;
            let outputs: serde_json::Map<String, Value> = outputs
                .iter()
                .map(|(n, t)| (n.clone(), npy::to_json(t)))
                .collect();
            Some(
                json!({ "inputs": inputs, "outputs": outputs, "tolerance": { "atol": 1e-4, "rtol": 1e-4 } }),
            )
        };
        let labels = match &args.labels {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            None => None,
        };
        let mut metadata = serde_json::to_value(&report.metadata)?;
        let (inputs, outputs) = match &mut metadata {
            Value::Object(m) => (m.remove("inputs"), m.remove("outputs")),
            _ => (None, None),
        };
        let as_list = |v: Option<Value>| v.and_then(|v| v.as_array().cloned()).unwrap_or_default();
        entry.versions.insert(
            args.version.clone(),
            VersionEntry {
                file,
                size: bytes.len() as u64,
                sha256: sha256.clone(),
                format,
                published_at: registry_dir::now(),
                inputs: as_list(inputs),
                outputs: as_list(outputs),
                labels,
                metadata,
                reference: (!features.is_empty())
                    .then(|| json!({ "bins": DEFAULT_BINS, "features": features })),
                gate,
                drift_thresholds: None,
            },
        );
    }
    for alias in &args.aliases {
        super::alias::move_alias(entry, alias, &args.version);
    }
    let shown = serde_json::to_value(&entry.versions[&args.version])?;
    registry_dir::save(&args.registry, &manifest, args.sign.as_deref())?;
    bar.finish_and_clear();
    if args.json {
        println!(
            "{}",
            json!({ "name": args.name, "version": args.version, "unchanged": unchanged, "entry": shown })
        );
    } else if unchanged {
        println!(
            "{}@{} is already published with these bytes (sha256 {sha256})",
            args.name, args.version
        );
    } else {
        println!(
            "published {}@{} as {} (sha256 {sha256})",
            args.name,
            args.version,
            shown["file"].as_str().unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
