//! The slim build's errors: the same stable codes and `details` shapes as the full build
//! (src/core/error.rs), so www/errors.js rethrows both alike.
use serde_json::{json, Value};

/// An error with its stable code, a message and a `details` object (`kind` plus camelCase fields).
#[derive(Debug)]
pub struct SlimError {
    pub code: &'static str,
    pub message: String,
    pub details: Value,
}

impl SlimError {
    pub fn new(code: &'static str, message: String, details: Value) -> SlimError {
        SlimError {
            code,
            message,
            details,
        }
    }

    /// The bytes are not an NNEF archive this build reads.
    pub fn parse(reason: String) -> SlimError {
        SlimError::new(
            "MODEL_PARSE",
            format!("cannot parse the model: {reason}"),
            json!({ "kind": "parse", "reason": reason }),
        )
    }

    /// tract could not type or plan the model (`stage`: loading, optimizing, planning).
    pub fn shape(stage: &str, reason: String) -> SlimError {
        SlimError::new(
            "MODEL_SHAPE",
            format!("cannot infer shapes while {stage}: {reason}"),
            json!({ "kind": "shape", "stage": stage, "reason": reason }),
        )
    }

    /// The graph failed while computing.
    pub fn run(reason: String) -> SlimError {
        SlimError::new(
            "MODEL_RUN",
            format!("the model failed while running: {reason}"),
            json!({ "kind": "run", "reason": reason }),
        )
    }

    /// An input that does not fit the model (`code` is one of the INPUT_* codes).
    pub fn input(code: &'static str, message: String, details: Value) -> SlimError {
        SlimError::new(code, message, details)
    }
}

/// tract's error chain as one line, outermost first (as the full build reports it).
pub fn chain(e: &tract_nnef::prelude::TractError) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// What a caught panic said.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "tract panicked".to_owned())
}
