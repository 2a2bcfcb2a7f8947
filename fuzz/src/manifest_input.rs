//! The manifest target's input: the first line is a spec (`iris@^1.2`), the rest a manifest.
//! Shared by the manifest fuzz target and the regression tests
//! (tests/native/fuzz_regressions.rs), so a stored crash replays through the same calls.
use onnx_edge::integrity::{public_key_base64, verify_manifest, IntegrityError};
use onnx_edge::registry::{resolve, Manifest, RegistryError, Resolved};
use serde_json::Value;

/// The secret of the trusted key (the core's signature unit test uses the same): the seed
/// manifests are signed with it, so mutations reach the signature check itself.
pub const SECRET: [u8; 32] = [7; 32];

/// What each step returned.
#[derive(Debug)]
pub struct Outcome {
    /// `verify_manifest` with the trusted key.
    pub verified: Result<Value, IntegrityError>,
    /// The typed manifest, when the text parses as one.
    pub parsed: Option<Manifest>,
    /// `resolve` of the spec, then of the spec's version part and of each alias and version
    /// against every model name (a few each), so resolution runs on names that exist.
    pub resolved: Vec<Result<Resolved, RegistryError>>,
}

/// Runs every step on `data`.
pub fn exercise(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    let (spec, manifest_text) = text.split_once('\n').unwrap_or((&text, ""));
    let verified = verify_manifest(manifest_text, &public_key_base64(&SECRET));
    let parsed = serde_json::from_str::<Manifest>(manifest_text).ok();
    let mut resolved = Vec::new();
    if let Some(manifest) = &parsed {
        resolved.push(resolve(manifest, spec));
        let wanted = spec.split_once('@').map_or("", |(_, w)| w);
        for (name, entry) in manifest.models.iter().take(4) {
            resolved.push(resolve(manifest, &format!("{name}@{wanted}")));
            let parts = entry.aliases.keys().chain(entry.versions.keys()).take(4);
            for part in parts {
                resolved.push(resolve(manifest, &format!("{name}@{part}")));
            }
        }
    }
    Outcome {
        verified,
        parsed,
        resolved,
    }
}
