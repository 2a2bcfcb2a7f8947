//! A pass over the protobuf before tract parses it: rewrites nodes tract cannot run (or runs
//! wrongly) into standard ONNX subgraphs that it runs well. Each rewrite names the spec it follows.
mod attention;
mod embed_layer_norm;
mod emit;
mod fused_conv;
mod fused_matmul;
mod prune;
mod quant_conv;
mod quant_lstm;
mod quant_matmul;
mod rnn_state;
mod strided_conv;

pub use prune::prune_unused_initializers;
use tract_onnx::pb::{attribute_proto, GraphProto, ModelProto, NodeProto};

use super::model::ModelError;

/// Rewrites every graph and subgraph of `proto` in place.
pub fn rewrite(proto: &mut ModelProto) -> Result<(), ModelError> {
    let opset = proto
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map(|o| o.version)
        .unwrap_or(1);
    if let Some(graph) = proto.graph.as_mut() {
        rewrite_graph(graph, opset)?;
    }
    Ok(())
}

fn rewrite_graph(graph: &mut GraphProto, opset: i64) -> Result<(), ModelError> {
    for node in graph.node.iter_mut() {
        for attr in node.attribute.iter_mut() {
            match attribute_proto::AttributeType::try_from(attr.r#type) {
                Ok(attribute_proto::AttributeType::Graph) => {
                    if let Some(g) = attr.g.as_mut() {
                        rewrite_graph(g, opset)?;
                    }
                }
                Ok(attribute_proto::AttributeType::Graphs) => {
                    for g in attr.graphs.iter_mut() {
                        rewrite_graph(g, opset)?;
                    }
                }
                _ => {}
            }
        }
    }
    quant_conv::rewrite(graph, opset);
    // Replacements are computed against the untouched graph, then swapped in.
    let mut replacements = Vec::new();
    for (ix, node) in graph.node.iter().enumerate() {
        let mut e = emit::Emit::new(node, opset);
        if rewrite_node(node, &mut e, graph)?.is_some() {
            replacements.push((ix, e));
        }
    }
    for (ix, e) in replacements.into_iter().rev() {
        graph.node.splice(ix..=ix, e.nodes);
        graph.initializer.extend(e.initializers);
    }
    make_names_unique(graph);
    Ok(())
}

/// Some exporters give many nodes one name (silero's OpenVINO export: "F0::anon"); onnxruntime
/// accepts that, tract needs unique names. Later duplicates get a `#k` suffix.
fn make_names_unique(graph: &mut GraphProto) {
    let mut seen = std::collections::HashSet::new();
    for node in graph.node.iter_mut().filter(|n| !n.name.is_empty()) {
        if seen.insert(node.name.clone()) {
            continue;
        }
        let mut k = 1;
        while !seen.insert(format!("{}#{k}", node.name)) {
            k += 1;
        }
        node.name = format!("{}#{k}", node.name);
    }
}

/// Emits the replacement of one node into `e`; `None` keeps the node as it is.
fn rewrite_node(
    node: &NodeProto,
    e: &mut emit::Emit,
    graph: &GraphProto,
) -> Result<Option<()>, ModelError> {
    // The rewrites write to the node's first output; a node without one is left to the scan.
    if node.output.first().is_none_or(|o| o.is_empty()) {
        return Ok(None);
    }
    let domain = node.domain.as_str();
    Ok(match (domain, node.op_type.as_str()) {
        ("" | "ai.onnx", "LSTM" | "GRU" | "RNN") => rnn_state::rewrite(node, e),
        ("" | "ai.onnx", "Conv") => {
            let weights = emit::input(node, 1).and_then(|w| weight_dims(graph, w));
            strided_conv::rewrite(node, e, weights.as_deref())
        }
        ("com.microsoft", "FusedConv") => fused_conv::rewrite(node, e)?,
        ("com.microsoft", "FusedMatMul") => {
            let rank = |ix| {
                emit::input(node, ix)
                    .and_then(|v| declared_dims(graph, v))
                    .map(|d| d.len())
            };
            fused_matmul::rewrite(node, e, [rank(0), rank(1)])?
        }
        ("com.microsoft", "MatMulIntegerToFloat") => quant_matmul::matmul_integer_to_float(node, e),
        ("com.microsoft", "DynamicQuantizeMatMul") => {
            quant_matmul::dynamic_quantize_matmul(node, e)
        }
        ("com.microsoft", "EmbedLayerNormalization") => embed_layer_norm::rewrite(node, e),
        ("com.microsoft", "DynamicQuantizeLSTM") => quant_lstm::rewrite(node, e, graph)?,
        ("com.microsoft", "Attention") => {
            let weights = emit::input(node, 1).and_then(|w| declared_dims(graph, w));
            let mask_rank = emit::input(node, 3)
                .and_then(|m| declared_dims(graph, m))
                .map(|d| d.len());
            attention::rewrite(node, e, weights.as_deref(), mask_rank)?
        }
        _ => None,
    })
}

/// Dims of a constant: an initializer or the value of a `Constant` node (exporters write weights
/// inside `If` branches as Constant nodes), else as [`declared_dims`] finds them.
fn weight_dims(graph: &GraphProto, name: &str) -> Option<Vec<i64>> {
    let constant = graph
        .node
        .iter()
        .filter(|n| n.op_type == "Constant" && n.output.first().is_some_and(|o| o == name))
        .find_map(|n| emit::attr(n, "value").and_then(|a| a.t.as_ref()));
    match constant {
        Some(t) => Some(t.dims.clone()),
        None => declared_dims(graph, name),
    }
}

/// Dims of a value declared as an initializer, a graph input or in value_info, or known from
/// its producer (-1 for an unknown dim).
fn declared_dims(graph: &GraphProto, name: &str) -> Option<Vec<i64>> {
    use tract_onnx::pb::{tensor_shape_proto::dimension::Value, type_proto};
    if let Some(t) = graph.initializer.iter().find(|t| t.name == name) {
        return Some(t.dims.clone());
    }
    // EmbedLayerNormalization's second output is its [batch] mask_index.
    let producer = graph
        .node
        .iter()
        .find(|n| n.output.iter().any(|o| o == name));
    if let Some(p) = producer.filter(|p| p.op_type == "EmbedLayerNormalization") {
        if p.output.get(1).is_some_and(|o| o == name) {
            return Some(vec![-1]);
        }
    }
    let info = graph
        .input
        .iter()
        .chain(&graph.value_info)
        .find(|v| v.name == name)?;
    let Some(type_proto::Value::TensorType(t)) = info.r#type.as_ref()?.value.as_ref() else {
        return None;
    };
    let dims = t.shape.as_ref()?.dim.iter().map(|d| match d.value {
        Some(Value::DimValue(v)) => v,
        _ => -1,
    });
    Some(dims.collect())
}
