//! Bounds on what a caller may ask the engine to hold, so hostile input cannot exhaust memory.
use serde::{Deserialize, Serialize};

/// Configurable limits; the defaults suit a browser tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// Largest model file accepted, in bytes (default 1 GiB: wasm32 memory is 4 GiB at most).
    pub max_model_bytes: usize,
    /// Largest number of elements in one input tensor, one initializer, or a tensor a node
    /// makes from a shape fixed in the model (default 2^28).
    pub max_tensor_elements: usize,
    /// Most specialised plans kept per session (for models planned per input shape).
    pub max_cached_plans: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_model_bytes: 1 << 30,
            max_tensor_elements: 1 << 28,
            max_cached_plans: 16,
        }
    }
}

/// A request that goes past a [`Limits`] bound.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum LimitError {
    /// The model file is larger than `max_model_bytes`.
    #[error("the model has {actual} bytes, more than the limit of {limit} (limits.maxModelBytes)")]
    ModelBytes {
        /// The bound.
        limit: usize,
        /// The model's size.
        actual: usize,
    },
    /// An input has more elements than `max_tensor_elements`.
    #[error("input '{input}' has {actual} elements, more than the limit of {limit} (limits.maxTensorElements)")]
    TensorElements {
        /// The input.
        input: String,
        /// The bound.
        limit: usize,
        /// Its element count.
        actual: usize,
    },
    /// A tensor the model declares (an initializer) has more elements than `max_tensor_elements`:
    /// its data cannot be that large, so its dims are a lie.
    #[error("tensor '{name}' declares dims {dims:?}, {elements} elements, more than the limit of {limit} (limits.maxTensorElements)")]
    DeclaredElements {
        /// The initializer.
        name: String,
        /// Its declared dims.
        dims: Vec<i64>,
        /// Their product (saturating).
        elements: u64,
        /// The bound.
        limit: usize,
    },
    /// A node would build a tensor past `max_tensor_elements` from a shape fixed in the model.
    #[error("node '{node}' ({op_type}) makes a tensor of shape {shape:?}, {elements} elements, more than the limit of {limit} (limits.maxTensorElements)")]
    NodeOutput {
        /// The node's name (or first output).
        node: String,
        /// Its op_type.
        op_type: String,
        /// The shape it is given.
        shape: Vec<i64>,
        /// Its element count (saturating).
        elements: u64,
        /// The bound.
        limit: usize,
    },
    /// A dimension declared by the model or asked for in the options is absurdly large.
    #[error("dimension {value} of '{name}' is larger than the limit of {limit} elements")]
    DeclaredDim {
        /// The input or tensor.
        name: String,
        /// The dimension's value.
        value: i64,
        /// The bound.
        limit: usize,
    },
}
