//! The model registry's manifest (`manifest.json`, schema in schemas/manifest.schema.json) and
//! the resolution of `name@version|range|alias` specs, shared by the CLI and the wasm harness.
mod manifest;
mod resolve;

pub use manifest::{AliasChange, Manifest, ModelEntry, Rollout, VersionEntry, SCHEMA_VERSION};
pub use resolve::{resolve, Resolved};

use serde::Serialize;

/// A spec that names no published version.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum RegistryError {
    /// No model of that name.
    #[error("no model named '{name}' (the registry has {available:?})")]
    UnknownModel {
        /// The name asked for.
        name: String,
        /// The names the manifest has.
        available: Vec<String>,
    },
    /// No version of the model matches.
    #[error(
        "no version of '{name}' matches '{spec}' (published: {available:?}; aliases: {aliases:?})"
    )]
    VersionNotFound {
        /// The model.
        name: String,
        /// The version, range or alias asked for.
        spec: String,
        /// Published versions, oldest first.
        available: Vec<String>,
        /// Alias names.
        aliases: Vec<String>,
    },
}
