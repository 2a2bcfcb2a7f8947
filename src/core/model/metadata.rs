//! What a model file says about itself: inputs, outputs, opsets, producer and metadata_props.
use std::collections::BTreeMap;

use serde::Serialize;
use tract_onnx::pb::{tensor_shape_proto, type_proto, ModelProto, ValueInfoProto};
use tract_onnx::prelude::DatumType;

use super::Dim;
use crate::core::tensor::DType;

/// A graph input or output as declared in the file (after the session's shape options).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueInfo {
    /// Its name.
    pub name: String,
    /// Element type; `None` for non-tensor values (sequences, maps) or unknown types.
    #[serde(rename = "type")]
    pub dtype: Option<DType>,
    /// Dims; `None` when the file declares no shape, `Some(None)` entries are unnamed unknowns.
    pub dims: Option<Vec<Option<Dim>>>,
}

/// An opset import.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Opset {
    /// The domain; empty is ai.onnx.
    pub domain: String,
    /// Its version.
    pub version: i64,
}

/// The model's self-description.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelMetadata {
    /// Graph inputs that are not initializers, in order.
    pub inputs: Vec<ValueInfo>,
    /// Graph outputs, in order.
    pub outputs: Vec<ValueInfo>,
    /// Opset imports.
    pub opsets: Vec<Opset>,
    /// `producer_name`.
    pub producer_name: String,
    /// `producer_version`.
    pub producer_version: String,
    /// `ir_version`.
    pub ir_version: i64,
    /// `model_version`.
    pub model_version: i64,
    /// `domain`.
    pub domain: String,
    /// `doc_string`.
    pub doc_string: String,
    /// The graph's name.
    pub graph_name: String,
    /// `metadata_props`, key -> value.
    pub metadata_props: BTreeMap<String, String>,
}

impl ModelMetadata {
    /// Reads the metadata from a decoded model (the graph must exist).
    pub fn from_proto(proto: &ModelProto) -> ModelMetadata {
        let graph = proto.graph.as_ref();
        let initializers: Vec<&str> = graph
            .map(|g| g.initializer.iter().map(|t| t.name.as_str()).collect())
            .unwrap_or_default();
        let inputs = graph
            .map(|g| {
                g.input
                    .iter()
                    .filter(|i| !initializers.contains(&i.name.as_str()))
                    .map(value_info)
                    .collect()
            })
            .unwrap_or_default();
        let outputs = graph
            .map(|g| g.output.iter().map(value_info).collect())
            .unwrap_or_default();
        ModelMetadata {
            inputs,
            outputs,
            opsets: proto
                .opset_import
                .iter()
                .map(|o| Opset {
                    domain: o.domain.clone(),
                    version: o.version,
                })
                .collect(),
            producer_name: proto.producer_name.clone(),
            producer_version: proto.producer_version.clone(),
            ir_version: proto.ir_version,
            model_version: proto.model_version,
            domain: proto.domain.clone(),
            doc_string: proto.doc_string.clone(),
            graph_name: graph.map(|g| g.name.clone()).unwrap_or_default(),
            metadata_props: proto
                .metadata_props
                .iter()
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect(),
        }
    }

    /// The version the model imports for `domain` (`""` and `ai.onnx` are the same), or 0.
    pub fn opset(&self, domain: &str) -> i64 {
        let default = |d: &str| d.is_empty() || d == "ai.onnx";
        self.opsets
            .iter()
            .find(|o| o.domain == domain || (default(domain) && default(&o.domain)))
            .map(|o| o.version)
            .unwrap_or(0)
    }
}

fn value_info(v: &ValueInfoProto) -> ValueInfo {
    let tensor = match v.r#type.as_ref().and_then(|t| t.value.as_ref()) {
        Some(type_proto::Value::TensorType(t)) => Some(t),
        _ => None,
    };
    let dtype = tensor.and_then(|t| elem_type(t.elem_type));
    let dims = tensor.and_then(|t| t.shape.as_ref()).map(|shape| {
        shape
            .dim
            .iter()
            .map(|d| match &d.value {
                Some(tensor_shape_proto::dimension::Value::DimValue(v)) if *v >= 0 => {
                    Some(Dim::Fixed(*v as u64))
                }
                Some(tensor_shape_proto::dimension::Value::DimParam(p)) if !p.is_empty() => {
                    Some(Dim::Symbol(p.clone()))
                }
                _ => None,
            })
            .collect()
    });
    ValueInfo {
        name: v.name.clone(),
        dtype,
        dims,
    }
}

/// Maps an ONNX `TensorProto.DataType` number to our type.
pub fn elem_type(code: i32) -> Option<DType> {
    use tract_onnx::pb::tensor_proto::DataType;
    let dt = DataType::try_from(code).ok()?;
    let datum: DatumType = dt.try_into().ok()?;
    DType::from_datum(datum)
}
