//! What a model needs, without running it: metadata, op histogram, parameter size, and every
//! operator this build cannot run (the CLI's `inspect` and the harness's `inspectModel`).
use std::collections::BTreeMap;

use serde::Serialize;

use super::{survey, ModelError, ModelMetadata, UnsupportedOp};
use crate::core::{engine, rewrite};

/// A model's report card.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelReport {
    /// Inputs, outputs, opsets, producer, metadata_props.
    pub metadata: ModelMetadata,
    /// Nodes in all graphs, after our rewrites of com.microsoft ops.
    pub node_count: usize,
    /// Node count per `domain:op_type`.
    pub op_histogram: BTreeMap<String, usize>,
    /// Number of initializers.
    pub initializers: usize,
    /// Their total size in bytes.
    pub parameter_bytes: u64,
    /// Every node this build cannot run; empty means the model's ops all run here.
    pub unsupported: Vec<UnsupportedOp>,
}

/// Decodes and surveys a model.
pub fn inspect(bytes: &[u8]) -> Result<ModelReport, ModelError> {
    let mut proto = engine::decode(bytes)?;
    rewrite::rewrite(&mut proto)?;
    let metadata = ModelMetadata::from_proto(&proto);
    let report = survey(&proto, &metadata)?;
    Ok(ModelReport {
        metadata,
        node_count: report.node_count,
        op_histogram: report.op_histogram,
        initializers: report.initializers,
        parameter_bytes: report.parameter_bytes,
        unsupported: report.unsupported,
    })
}
