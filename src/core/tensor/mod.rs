//! Host tensors, their element types, and the errors a caller's inputs can cause.
mod dtype;
mod host;

pub use dtype::DType;
pub use host::{HostTensor, TensorData};

/// An input the caller passed does not fit the model. Each variant names the input.
#[derive(Debug, thiserror::Error, Clone, PartialEq, serde::Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum InputError {
    /// The model needs this input and it was not given.
    #[error("input '{input}' is missing (the model's inputs are {expected:?})")]
    Missing {
        /// The missing input.
        input: String,
        /// All input names of the model.
        expected: Vec<String>,
    },
    /// The model has no input of this name.
    #[error("'{input}' is not an input of the model (its inputs are {expected:?})")]
    Unknown {
        /// The name given.
        input: String,
        /// All input names of the model.
        expected: Vec<String>,
    },
    /// The element type differs from the one the model declares.
    #[error("input '{input}' must be {expected}, got {actual}")]
    DType {
        /// The input.
        input: String,
        /// The declared type.
        expected: String,
        /// The type given.
        actual: String,
    },
    /// The type name is not one of the supported types.
    #[error("input '{input}': unknown tensor type '{actual}'")]
    UnknownType {
        /// The input.
        input: String,
        /// The type name given.
        actual: String,
    },
    /// Rank or a fixed dimension differs from the declared shape.
    #[error("input '{input}' must have shape {expected}, got {actual:?}")]
    Shape {
        /// The input.
        input: String,
        /// The declared shape, symbols by name (`[batch,4]`).
        expected: String,
        /// The dims given.
        actual: Vec<usize>,
    },
    /// One symbolic dimension got two different values in one call.
    #[error("dimension '{symbol}' is {first} in one input and {second} in input '{input}'")]
    SymbolConflict {
        /// The symbol, e.g. `batch`.
        symbol: String,
        /// The value seen first.
        first: usize,
        /// The other value.
        second: usize,
        /// The input where the conflict showed.
        input: String,
    },
    /// The data holds a different number of elements than the dims promise.
    #[error("input '{input}': dims {dims:?} need {expected} elements, data has {actual}")]
    DataLength {
        /// The input.
        input: String,
        /// The dims given.
        dims: Vec<usize>,
        /// The product of the dims.
        expected: usize,
        /// The data length.
        actual: usize,
    },
    /// An output asked for by name does not exist.
    #[error("'{output}' is not an output of the model (its outputs are {expected:?})")]
    UnknownOutput {
        /// The name asked for.
        output: String,
        /// All output names.
        expected: Vec<String>,
    },
}
