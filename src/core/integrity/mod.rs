//! Is this the model (and the manifest) its publisher made? sha256 of files and the Ed25519
//! signature of the manifest, used natively by the CLI and in wasm by the harness.
mod sha256;
mod signature;

pub use sha256::{check_sha256, sha256_hex};
pub use signature::{canonical_bytes, public_key_base64, sign_manifest, verify_manifest};

use serde::Serialize;

/// A file or manifest that fails a check.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum IntegrityError {
    /// The bytes hash to something else than promised.
    #[error("{url}: sha256 is {actual}, the manifest promises {expected}")]
    Sha256Mismatch {
        /// Where the bytes came from.
        url: String,
        /// The promised digest.
        expected: String,
        /// The digest of the bytes.
        actual: String,
    },
    /// The manifest's signature is missing, malformed or does not verify with the trusted key.
    #[error("manifest signature: {reason}")]
    Signature {
        /// What failed.
        reason: String,
    },
    /// The manifest is not valid JSON of the expected shape.
    #[error("manifest: {reason}")]
    Manifest {
        /// What is wrong.
        reason: String,
    },
}
