//! A registry folder: `manifest.json` plus content-addressed model files, and the key files.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use onnx_edge::registry::{Manifest, ModelEntry, RegistryError, SCHEMA_VERSION};

/// A version that is already published with other bytes (exit code 8).
#[derive(Debug)]
pub struct Conflict(pub String);

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Conflict {}

/// `DIR/manifest.json`.
pub fn manifest_path(dir: &Path) -> PathBuf {
    dir.join("manifest.json")
}

/// Reads the manifest, or an empty one when the folder has none yet.
pub fn load(dir: &Path) -> Result<Manifest> {
    let path = manifest_path(dir);
    if !path.exists() {
        return Ok(Manifest {
            schema_version: SCHEMA_VERSION,
            ..Default::default()
        });
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        onnx_edge::Error::from(onnx_edge::integrity::IntegrityError::Manifest {
            reason: format!("{}: {e}", path.display()),
        })
    })?;
    if manifest.schema_version != SCHEMA_VERSION {
        bail!(
            "{}: schemaVersion {} is not {SCHEMA_VERSION}",
            path.display(),
            manifest.schema_version
        );
    }
    Ok(manifest)
}

/// Writes the manifest, signed with `key` when given (an unsigned write drops any old signature,
/// which no longer covers the content).
pub fn save(dir: &Path, manifest: &Manifest, key: Option<&Path>) -> Result<()> {
    let mut value = serde_json::to_value(manifest)?;
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("signature");
    }
    if let Some(key) = key {
        let secret = read_secret(key)?;
        onnx_edge::integrity::sign_manifest(&mut value, &secret).map_err(onnx_edge::Error::from)?;
    }
    let path = manifest_path(dir);
    let text = serde_json::to_string_pretty(&value)? + "\n";
    // Write then rename, so a reader never sees half a manifest.
    let tmp = dir.join(".manifest.json.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))
}

/// The 32-byte secret of a `.key` file (base64).
pub fn read_secret(path: &Path) -> Result<[u8; 32]> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading key {}", path.display()))?;
    let bytes = BASE64
        .decode(text.trim())
        .with_context(|| format!("{}: not base64", path.display()))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("{}: an Ed25519 secret key is 32 bytes", path.display()))
}

/// The base64 public key of a `.pub` file.
pub fn read_public(path: &Path) -> Result<String> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .trim()
        .to_owned())
}

/// Now, RFC 3339 UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The entry of model `name`, or VERSION_NOT_FOUND naming the models the manifest has.
pub fn model_mut<'a>(manifest: &'a mut Manifest, name: &str) -> Result<&'a mut ModelEntry> {
    let available: Vec<String> = manifest.models.keys().cloned().collect();
    manifest.models.get_mut(name).ok_or_else(|| {
        onnx_edge::Error::from(RegistryError::UnknownModel {
            name: name.to_owned(),
            available,
        })
        .into()
    })
}

/// Ok when `version` of `entry` is published, else VERSION_NOT_FOUND listing what exists.
pub fn require_version(name: &str, entry: &ModelEntry, version: &str) -> Result<()> {
    if entry.versions.contains_key(version) {
        return Ok(());
    }
    Err(onnx_edge::Error::from(RegistryError::VersionNotFound {
        name: name.to_owned(),
        spec: version.to_owned(),
        available: entry.versions.keys().cloned().collect(),
        aliases: entry.aliases.keys().cloned().collect(),
    })
    .into())
}
