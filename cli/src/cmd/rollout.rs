//! `onnx-edge rollout DIR NAME --weights 1.0.0=90,1.1.0=10 [--shadow 1.2.0]`: A/B and canary
//! weights and a shadow candidate, written into the manifest.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use onnx_edge::registry::Rollout;

use crate::registry_dir;

/// Arguments of `rollout`.
#[derive(clap::Args)]
pub struct Args {
    /// The registry folder.
    dir: PathBuf,
    /// The model name.
    name: String,
    /// VERSION=WEIGHT pairs, comma-separated (relative weights); empty clears the rule.
    #[arg(long, default_value = "")]
    weights: String,
    /// A version run in the shadow of the served one.
    #[arg(long)]
    shadow: Option<String>,
    /// Re-sign the manifest with this key.
    #[arg(long)]
    sign: Option<PathBuf>,
}

/// Validates the versions and writes the rule.
pub fn run(args: Args) -> Result<ExitCode> {
    let mut manifest = registry_dir::load(&args.dir)?;
    let entry = registry_dir::model_mut(&mut manifest, &args.name)?;
    let mut rollout = Rollout::default();
    for pair in args
        .weights
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (version, weight) = pair
            .split_once('=')
            .with_context(|| format!("'{pair}' is not VERSION=WEIGHT"))?;
        let weight: f64 = weight
            .parse()
            .with_context(|| format!("'{weight}' is not a number"))?;
        if !weight.is_finite() || weight < 0.0 {
            bail!("weight {weight} of {version} must be a non-negative number");
        }
        rollout.weights.insert(version.to_owned(), weight);
    }
    rollout.shadow = args.shadow.clone();
    let wanted = rollout.weights.keys().chain(rollout.shadow.iter());
    for version in wanted {
        registry_dir::require_version(&args.name, entry, version)?;
    }
    entry.rollout = (!rollout.weights.is_empty() || rollout.shadow.is_some()).then_some(rollout);
    let shown = serde_json::to_string(&entry.rollout)?;
    registry_dir::save(&args.dir, &manifest, args.sign.as_deref())?;
    println!("{}: {shown}", args.name);
    Ok(ExitCode::SUCCESS)
}
