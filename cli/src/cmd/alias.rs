//! `onnx-edge alias DIR NAME ALIAS VERSION`: moves an alias, keeping the history.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use onnx_edge::registry::{AliasChange, ModelEntry};

use crate::registry_dir;

/// Arguments of `alias`.
#[derive(clap::Args)]
pub struct Args {
    /// The registry folder.
    dir: PathBuf,
    /// The model name.
    name: String,
    /// The alias (stable, canary, any name).
    alias: String,
    /// The version it should name.
    version: String,
    /// Re-sign the manifest with this key.
    #[arg(long)]
    sign: Option<PathBuf>,
}

/// Points `alias` at `version` and records the move (no record when nothing changes).
pub fn move_alias(entry: &mut ModelEntry, alias: &str, version: &str) {
    let previous = entry.aliases.insert(alias.to_owned(), version.to_owned());
    if previous.as_deref() != Some(version) {
        entry.alias_history.push(AliasChange {
            alias: alias.to_owned(),
            version: version.to_owned(),
            previous,
            at: registry_dir::now(),
        });
    }
}

/// Moves the alias and rewrites the manifest.
pub fn run(args: Args) -> Result<ExitCode> {
    let mut manifest = registry_dir::load(&args.dir)?;
    let entry = registry_dir::model_mut(&mut manifest, &args.name)?;
    registry_dir::require_version(&args.name, entry, &args.version)?;
    move_alias(entry, &args.alias, &args.version);
    registry_dir::save(&args.dir, &manifest, args.sign.as_deref())?;
    println!("{}@{} -> {}", args.name, args.alias, args.version);
    Ok(ExitCode::SUCCESS)
}
