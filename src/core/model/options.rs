//! What a caller may say about how to load a model.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Limits;

/// One dimension as a caller or a model file states it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dim {
    /// A fixed size.
    Fixed(u64),
    /// A named symbol (`batch`, `seq`), bound by the inputs of each call.
    Symbol(String),
}

/// Session options; field names follow onnxruntime-web where it has one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LoadOptions {
    /// Shapes per input, overriding the file's: numbers pin a dim, strings name a symbol.
    pub input_shapes: BTreeMap<String, Vec<Dim>>,
    /// Symbol -> value, applied wherever the symbol appears (onnxruntime-web's name).
    pub free_dimension_overrides: BTreeMap<String, u64>,
    /// Bounds on what the session may hold.
    pub limits: Limits,
    /// Run tract's optimizer (default true); false keeps a decluttered, slower plan.
    pub optimize: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            input_shapes: BTreeMap::new(),
            free_dimension_overrides: BTreeMap::new(),
            limits: Limits::default(),
            optimize: true,
        }
    }
}
