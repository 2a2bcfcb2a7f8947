//! The manifest's types. Every published version keeps its entry forever; aliases move and
//! leave a history entry.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format version written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// `manifest.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Format version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Models by name.
    #[serde(default)]
    pub models: BTreeMap<String, ModelEntry>,
    /// `{ algorithm: "ed25519", publicKey, value }`, over the canonical JSON of the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Value>,
}

/// One model name: its versions, aliases and rollout rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelEntry {
    /// Versions by semver string.
    #[serde(default)]
    pub versions: BTreeMap<String, VersionEntry>,
    /// Alias name -> version.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Every alias move, oldest first.
    #[serde(default)]
    pub alias_history: Vec<AliasChange>,
    /// A/B and canary weights and a shadow candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
}

/// One published version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionEntry {
    /// The model file, relative to the manifest (content-addressed: its sha256 is in the name).
    pub file: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its sha256 (lower-case hex).
    pub sha256: String,
    /// The file's format: `nnef` for the slim build's archive (`publish --format nnef`);
    /// absent means `onnx`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
    /// Input signature: `[{ name, type, dims }]`.
    #[serde(default)]
    pub inputs: Vec<Value>,
    /// Output signature.
    #[serde(default)]
    pub outputs: Vec<Value>,
    /// Class labels, when the publisher gave them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// ONNX metadata: producer, opsets, metadata_props.
    #[serde(default)]
    pub metadata: Value,
    /// Per-feature reference statistics for drift (histogram bins and counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Value>,
    /// Reference inputs with the outputs this version must reproduce (the staging gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Value>,
    /// Drift thresholds for this version, overriding the telemetry defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_thresholds: Option<Value>,
}

/// One alias move.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AliasChange {
    /// The alias.
    pub alias: String,
    /// The version it now names.
    pub version: String,
    /// The version it named before, if any.
    pub previous: Option<String>,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// Rollout rules of a model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    /// Version -> weight (relative; need not sum to 100).
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// A version run in the shadow of the served one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow: Option<String>,
}
