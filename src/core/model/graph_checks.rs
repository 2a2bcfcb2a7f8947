//! Checks on the protobuf's structure before tract parses it: a cycle (tract reports "Loop
//! detected" naming no node), and tensors the file declares too large to hold (an allocation
//! bomb: an initializer whose dims claim more than its data, a `ConstantOfShape` or `Expand` to a
//! constant shape past `limits.maxTensorElements`). Subgraphs are checked too.
use std::collections::HashMap;

use tract_onnx::pb::{attribute_proto, tensor_proto, GraphProto, NodeProto, TensorProto};

use super::{LimitError, Limits, ModelError};
use crate::core::error::Error;

/// Runs every check on the graph and its subgraphs.
pub fn check_graph(graph: &GraphProto, limits: &Limits) -> Result<(), Error> {
    check_acyclic(graph)?;
    check_declared_sizes(graph, limits)?;
    for g in subgraphs(graph) {
        check_graph(g, limits)?;
    }
    Ok(())
}

fn subgraphs(graph: &GraphProto) -> impl Iterator<Item = &GraphProto> {
    graph.node.iter().flat_map(|n| &n.attribute).flat_map(|a| {
        let single = match attribute_proto::AttributeType::try_from(a.r#type) {
            Ok(attribute_proto::AttributeType::Graph) => a.g.as_ref(),
            _ => None,
        };
        single.into_iter().chain(&a.graphs)
    })
}

/// The node's name, or its first output when it has none.
pub fn node_label(node: &NodeProto) -> String {
    if node.name.is_empty() {
        node.output.first().cloned().unwrap_or_default()
    } else {
        node.name.clone()
    }
}

/// Kahn's topological sort over the values nodes pass each other (a subgraph's reads from the
/// enclosing graph count as its node's inputs); the nodes left over hold a cycle.
fn check_acyclic(graph: &GraphProto) -> Result<(), ModelError> {
    let mut producer: HashMap<&str, usize> = HashMap::new();
    for (ix, node) in graph.node.iter().enumerate() {
        for output in node.output.iter().filter(|o| !o.is_empty()) {
            producer.entry(output.as_str()).or_insert(ix);
        }
    }
    let preds: Vec<Vec<usize>> = graph
        .node
        .iter()
        .map(|node| {
            let mut reads: Vec<&str> = node.input.iter().map(String::as_str).collect();
            for attr in &node.attribute {
                for g in attr.g.iter().chain(&attr.graphs) {
                    reads.extend(super::scan::outer_reads(g));
                }
            }
            let mut p: Vec<usize> = reads
                .iter()
                .filter_map(|r| producer.get(r).copied())
                .collect();
            p.sort_unstable();
            p.dedup();
            p
        })
        .collect();
    let mut pending: Vec<usize> = preds.iter().map(Vec::len).collect();
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); graph.node.len()];
    for (ix, p) in preds.iter().enumerate() {
        for &from in p {
            succs[from].push(ix);
        }
    }
    let mut ready: Vec<usize> = (0..pending.len()).filter(|&ix| pending[ix] == 0).collect();
    let mut done = 0;
    while let Some(ix) = ready.pop() {
        done += 1;
        for &next in &succs[ix] {
            pending[next] -= 1;
            if pending[next] == 0 {
                ready.push(next);
            }
        }
    }
    if done == graph.node.len() {
        return Ok(());
    }
    // Walk back from a node left over through predecessors also left over until one repeats.
    let Some(start) = (0..pending.len()).find(|&ix| pending[ix] > 0) else {
        return Ok(());
    };
    let mut path = vec![start];
    let mut at = start;
    while let Some(&prev) = preds[at].iter().find(|&&p| pending[p] > 0) {
        if let Some(pos) = path.iter().position(|&p| p == prev) {
            path.drain(..pos);
            break;
        }
        path.push(prev);
        at = prev;
    }
    path.reverse();
    let cycle: Vec<String> = path.iter().map(|&ix| node_label(&graph.node[ix])).collect();
    Err(ModelError::Cycle {
        node: cycle.first().cloned().unwrap_or_default(),
        cycle,
    })
}

/// Elements of a shape, saturating (dims below zero count as zero).
fn elements(dims: &[i64]) -> u64 {
    dims.iter()
        .map(|&d| d.max(0) as u64)
        .fold(1u64, u64::saturating_mul)
}

fn check_declared_sizes(graph: &GraphProto, limits: &Limits) -> Result<(), LimitError> {
    let limit = limits.max_tensor_elements;
    for tensor in &graph.initializer {
        let count = elements(&tensor.dims);
        if count > limit as u64 {
            return Err(LimitError::DeclaredElements {
                name: tensor.name.clone(),
                dims: tensor.dims.clone(),
                elements: count,
                limit,
            });
        }
    }
    let constants = constant_shapes(graph);
    for node in &graph.node {
        let domain_ok = node.domain.is_empty() || node.domain == "ai.onnx";
        if !domain_ok || !["ConstantOfShape", "Expand"].contains(&node.op_type.as_str()) {
            continue;
        }
        let shape_input = if node.op_type == "Expand" { 1 } else { 0 };
        let Some(shape) = node
            .input
            .get(shape_input)
            .and_then(|n| constants.get(n.as_str()))
        else {
            continue;
        };
        // Expand broadcasts: its output holds at least as many elements as the shape asks for.
        let count = elements(shape);
        if count > limit as u64 {
            return Err(LimitError::NodeOutput {
                node: node_label(node),
                op_type: node.op_type.clone(),
                shape: shape.clone(),
                elements: count,
                limit,
            });
        }
    }
    Ok(())
}

/// The int64 vectors the graph holds as initializers or `Constant` nodes, by name.
fn constant_shapes(graph: &GraphProto) -> HashMap<&str, Vec<i64>> {
    let mut out = HashMap::new();
    for tensor in &graph.initializer {
        if let Some(v) = int64_vector(tensor) {
            out.insert(tensor.name.as_str(), v);
        }
    }
    for node in graph.node.iter().filter(|n| n.op_type == "Constant") {
        let value = node.attribute.iter().find(|a| a.name == "value");
        if let (Some(t), Some(name)) = (value.and_then(|a| a.t.as_ref()), node.output.first()) {
            if let Some(v) = int64_vector(t) {
                out.insert(name.as_str(), v);
            }
        }
    }
    out
}

/// A rank-1 int64 tensor's values, from `int64_data` or little-endian `raw_data`.
fn int64_vector(tensor: &TensorProto) -> Option<Vec<i64>> {
    if tensor.data_type != tensor_proto::DataType::Int64 as i32 || tensor.dims.len() != 1 {
        return None;
    }
    if !tensor.int64_data.is_empty() {
        return Some(tensor.int64_data.clone());
    }
    let raw = &tensor.raw_data;
    (raw.len() % 8 == 0).then(|| {
        raw.chunks_exact(8)
            .map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect()
    })
}
