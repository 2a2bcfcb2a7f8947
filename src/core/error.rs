//! The one error type of the core, and the stable codes callers match on.
use super::integrity::IntegrityError;
use super::model::{LimitError, ModelError};
use super::registry::RegistryError;
use super::tensor::InputError;

/// Every error the core returns: one transparent variant per concern.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The model file or its plan.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The caller's inputs.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A configured bound.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A file's digest or the manifest's signature.
    #[error(transparent)]
    Integrity(#[from] IntegrityError),
    /// A spec that names no published version.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// Every code [`Error::code`] can return, in the order of the README table.
/// Codes are never renamed or reused; a retired code stays here, documented as retired.
pub const ERROR_CODES: &[&str] = &[
    "MODEL_PARSE",
    "MODEL_UNSUPPORTED_OP",
    "MODEL_SHAPE",
    "MODEL_RUN",
    "INPUT_MISSING",
    "INPUT_UNKNOWN",
    "INPUT_DTYPE",
    "INPUT_SHAPE",
    "OUTPUT_UNKNOWN",
    "LIMIT_EXCEEDED",
    "OPTIONS_INVALID",
    "INTEGRITY",
    "SIGNATURE",
    "MANIFEST_INVALID",
    "VERSION_NOT_FOUND",
];

impl Error {
    /// The stable, machine-readable code (UPPER_SNAKE with an area prefix).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Model(e) => match e {
                ModelError::Parse { .. }
                | ModelError::ExternalData { .. }
                | ModelError::Cycle { .. } => "MODEL_PARSE",
                ModelError::TooLarge { .. } => "LIMIT_EXCEEDED",
                ModelError::UnsupportedOp { .. } | ModelError::NoNnefForm { .. } => {
                    "MODEL_UNSUPPORTED_OP"
                }
                ModelError::Shape { .. } => "MODEL_SHAPE",
                ModelError::Run { .. } => "MODEL_RUN",
            },
            Error::Input(e) => match e {
                InputError::Missing { .. } => "INPUT_MISSING",
                InputError::Unknown { .. } => "INPUT_UNKNOWN",
                InputError::DType { .. } | InputError::UnknownType { .. } => "INPUT_DTYPE",
                InputError::Shape { .. }
                | InputError::SymbolConflict { .. }
                | InputError::DataLength { .. } => "INPUT_SHAPE",
                InputError::UnknownOutput { .. } => "OUTPUT_UNKNOWN",
            },
            Error::Limit(_) => "LIMIT_EXCEEDED",
            Error::Integrity(e) => match e {
                IntegrityError::Sha256Mismatch { .. } => "INTEGRITY",
                IntegrityError::Signature { .. } => "SIGNATURE",
                IntegrityError::Manifest { .. } => "MANIFEST_INVALID",
            },
            Error::Registry(_) => "VERSION_NOT_FOUND",
        }
    }

    /// The error's fields as a JSON object (`kind` plus camelCase fields), for the bindings.
    pub fn details(&self) -> serde_json::Value {
        let value = match self {
            Error::Model(e) => serde_json::to_value(e),
            Error::Input(e) => serde_json::to_value(e),
            Error::Limit(e) => serde_json::to_value(e),
            Error::Integrity(e) => serde_json::to_value(e),
            Error::Registry(e) => serde_json::to_value(e),
        };
        value.unwrap_or(serde_json::Value::Null)
    }
}

/// Lets `?` turn any concern's error into [`Error`] inside the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
