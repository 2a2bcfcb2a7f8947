//! What can be wrong with a model file, found while loading or planning it.
use serde::Serialize;

/// A model that cannot be loaded, planned or run. Each variant names what it found.
#[derive(Debug, thiserror::Error, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes are not a valid ONNX protobuf, or a node's attributes cannot be read.
    #[error("cannot parse the model: {reason}")]
    Parse {
        /// What the decoder or the node builder reported.
        reason: String,
    },
    /// Nodes that feed each other: an ONNX graph must be acyclic.
    #[error("the graph has a cycle through nodes {}", cycle.join(" -> "))]
    Cycle {
        /// A node on the cycle.
        node: String,
        /// The nodes of the cycle, each feeding the next (and the last the first).
        cycle: Vec<String>,
    },
    /// tract refused to allocate a tensor the model asked for (its shape came from values known
    /// only while planning or running).
    #[error("the model asks for a tensor too large to allocate while {stage}: {reason}")]
    TooLarge {
        /// `analysing`, `typing`, `optimizing`, `planning` or `running`.
        stage: String,
        /// What tract reported, with the node it was evaluating when it says.
        reason: String,
    },
    /// An operator that this build does not implement.
    #[error("{0}")]
    UnsupportedOp(Box<UnsupportedOp>),
    /// A tensor stored outside the model file; this build reads single files only.
    #[error("tensor '{tensor}' is stored in external file '{location}'; save the model with its weights inside (onnx.save(..., save_as_external_data=False))")]
    ExternalData {
        /// The initializer's name.
        tensor: String,
        /// The external file it points to.
        location: String,
    },
    /// Shapes or types could not be inferred or do not agree.
    #[error("cannot infer shapes while {stage}: {reason}")]
    Shape {
        /// The step that failed: `analysing`, `typing`, `optimizing`, `planning`.
        stage: String,
        /// What tract reported.
        reason: String,
    },
    /// An operator that the NNEF format (the slim build, `publish --format nnef`) cannot express.
    #[error("{}", no_nnef_message(op_type, domain, node, reason))]
    NoNnefForm {
        /// The ONNX op_type of the node (tract's op name when no ONNX node matches), empty when
        /// tract's writer failed without naming one.
        op_type: String,
        /// The node's domain, empty for ai.onnx.
        domain: String,
        /// The ONNX node's name (or its first output).
        node: String,
        /// What the writer found.
        reason: String,
    },
    /// The graph failed while computing (an op refused the values it got).
    #[error("the model failed while running: {reason}")]
    Run {
        /// What tract reported.
        reason: String,
    },
}

/// Which operator cannot run, where, and what to do about it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsupportedOp {
    /// The ONNX op_type, e.g. `ZipMap`.
    pub op_type: String,
    /// The node's domain, empty for ai.onnx.
    pub domain: String,
    /// The node's name (or its first output when unnamed).
    pub node: String,
    /// The opset the model imports for that domain (0 when it imports none).
    pub opset: i64,
    /// What to do about it, when we know.
    pub hint: Option<String>,
}

impl std::fmt::Display for UnsupportedOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let domain = if self.domain.is_empty() {
            "ai.onnx"
        } else {
            &self.domain
        };
        write!(
            f,
            "operator {domain}:{} (node '{}', opset {}) is not supported",
            self.op_type, self.node, self.opset
        )?;
        if let Some(hint) = &self.hint {
            write!(f, ": {hint}")?;
        }
        Ok(())
    }
}

/// "operator ai.onnx.ml:SVMClassifier (node 'svm') has no NNEF form; publish it as ONNX".
fn no_nnef_message(op_type: &str, domain: &str, node: &str, reason: &str) -> String {
    if op_type.is_empty() {
        return format!("the model has no NNEF form ({reason}); publish it as ONNX");
    }
    let domain = if domain.is_empty() { "ai.onnx" } else { domain };
    format!("operator {domain}:{op_type} (node '{node}') has no NNEF form; publish it as ONNX ({reason})")
}

impl ModelError {
    /// An [`UnsupportedOp`] error.
    pub fn unsupported(
        op_type: &str,
        domain: &str,
        node: &str,
        opset: i64,
        hint: Option<String>,
    ) -> ModelError {
        let (op_type, domain, node) = (op_type.to_owned(), domain.to_owned(), node.to_owned());
        ModelError::UnsupportedOp(Box::new(UnsupportedOp {
            op_type,
            domain,
            node,
            opset,
            hint,
        }))
    }

    /// Flattens a tract error chain into one line, outermost first.
    pub(crate) fn chain(e: &tract_onnx::prelude::TractError) -> String {
        e.chain()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(": ")
    }
}
