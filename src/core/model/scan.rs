//! Checks on the protobuf before tract sees it: unsupported operators (with their domain and
//! node, which tract's own error would not name), external data, and which inputs decide `If`s.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use tract_onnx::pb::{attribute_proto, tensor_proto, GraphProto, ModelProto, NodeProto};

use super::{ModelError, ModelMetadata, UnsupportedOp};
use crate::core::ops;

/// What the scan learned about a model that loads.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// Graph inputs whose values flow into an `If` condition.
    pub if_deciders: BTreeSet<String>,
    /// True when some `If` condition depends on a tensor's shape.
    pub if_on_shapes: bool,
    /// Number of nodes, subgraphs included.
    pub node_count: usize,
    /// Nodes that tract can only plan with concrete dims (Scan, Loop).
    pub needs_concrete_dims: Vec<String>,
    /// Every node this build cannot run, in graph order.
    pub unsupported: Vec<UnsupportedOp>,
    /// Node count per `domain:op_type` (`ai.onnx` for the default domain).
    pub op_histogram: BTreeMap<String, usize>,
    /// Initializers and their total size in bytes (as declared by their dims and types).
    pub initializers: usize,
    /// See `initializers`.
    pub parameter_bytes: u64,
}

/// Walks every graph and subgraph; fails on the first unsupported op or external tensor.
pub fn scan(proto: &ModelProto, meta: &ModelMetadata) -> Result<ScanReport, ModelError> {
    let mut report = survey(proto, meta)?;
    if !report.unsupported.is_empty() {
        return Err(ModelError::UnsupportedOp(Box::new(
            report.unsupported.remove(0),
        )));
    }
    Ok(report)
}

/// Walks every graph and subgraph and reports every unsupported op instead of failing on the
/// first; fails only on what stops the walk (no graph, external data).
pub fn survey(proto: &ModelProto, meta: &ModelMetadata) -> Result<ScanReport, ModelError> {
    let graph = proto.graph.as_ref().ok_or_else(|| ModelError::Parse {
        reason: "the model has no graph".to_owned(),
    })?;
    let mut report = ScanReport::default();
    let mut producers: HashMap<&str, &NodeProto> = HashMap::new();
    let mut ifs: Vec<&NodeProto> = Vec::new();
    visit_graph(graph, meta, &mut report, &mut producers, &mut ifs)?;
    let inputs: BTreeSet<&str> = graph.input.iter().map(|i| i.name.as_str()).collect();
    for node in ifs {
        if let Some(cond) = node.input.first() {
            trace_condition(cond, &producers, &inputs, &mut report);
        }
    }
    Ok(report)
}

fn visit_graph<'a>(
    graph: &'a GraphProto,
    meta: &ModelMetadata,
    report: &mut ScanReport,
    producers: &mut HashMap<&'a str, &'a NodeProto>,
    ifs: &mut Vec<&'a NodeProto>,
) -> Result<(), ModelError> {
    check_outputs_defined(graph)?;
    for tensor in &graph.initializer {
        report.initializers += 1;
        let count: u64 = tensor.dims.iter().map(|d| (*d).max(0) as u64).product();
        let size = super::elem_type(tensor.data_type)
            .map(|d| d.size_of() as u64)
            .unwrap_or(0);
        report.parameter_bytes += count * size;
        if tensor.data_location == Some(tensor_proto::DataLocation::External as i32) {
            let location = tensor
                .external_data
                .iter()
                .find(|kv| kv.key == "location")
                .map(|kv| kv.value.clone())
                .unwrap_or_default();
            return Err(ModelError::ExternalData {
                tensor: tensor.name.clone(),
                location,
            });
        }
    }
    let register = &crate::core::engine::onnx().op_register;
    // An opset from the future may change what an op means: refuse rather than guess.
    const MAX_AI_ONNX_OPSET: i64 = 28;
    for node in &graph.node {
        report.node_count += 1;
        let domain = if node.domain == "ai.onnx" {
            ""
        } else {
            node.domain.as_str()
        };
        let shown = if domain.is_empty() { "ai.onnx" } else { domain };
        *report
            .op_histogram
            .entry(format!("{shown}:{}", node.op_type))
            .or_default() += 1;
        let future_opset = domain.is_empty() && meta.opset(domain) > MAX_AI_ONNX_OPSET;
        if future_opset || !ops::is_supported(register, domain, &node.op_type) {
            let node_name = super::node_label(node);
            let hint = if future_opset {
                Some(format!(
                    "this build knows ai.onnx opsets up to {MAX_AI_ONNX_OPSET} (ONNX 1.23); \
                     the model imports opset {}",
                    meta.opset(domain)
                ))
            } else {
                ops::unsupported_hint(domain, &node.op_type).map(str::to_owned)
            };
            report.unsupported.push(UnsupportedOp {
                op_type: node.op_type.clone(),
                domain: domain.to_owned(),
                node: node_name,
                opset: meta.opset(domain),
                hint,
            });
        }
        for output in &node.output {
            producers.insert(output.as_str(), node);
        }
        // A Scan or Loop body is typed once per plan; tract resolves its dims per plan, so a
        // symbolic plan can clash when they change between calls. (LSTM/GRU/RNN get explicit
        // zero states in rewrite/rnn_state.rs and plan fine with symbolic dims.)
        if domain.is_empty() && ["Scan", "Loop"].contains(&node.op_type.as_str()) {
            report
                .needs_concrete_dims
                .push(format!("{} '{}'", node.op_type, node.name));
        }
        if node.op_type == "If" && domain.is_empty() {
            ifs.push(node);
        }
        for attr in &node.attribute {
            match attribute_proto::AttributeType::try_from(attr.r#type) {
                Ok(attribute_proto::AttributeType::Graph) => {
                    if let Some(g) = &attr.g {
                        visit_graph(g, meta, report, producers, ifs)?;
                    }
                }
                Ok(attribute_proto::AttributeType::Graphs) => {
                    for g in &attr.graphs {
                        visit_graph(g, meta, report, producers, ifs)?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// A graph output must name a value tract knows in that graph: an input, an initializer, a node
/// output, a value one of its nodes reads, or a value its subgraphs read from outside (tract adds
/// those as sources). Otherwise tract-onnx 0.23.9 panics while parsing (model.rs:187, "no entry
/// found for key"): a trap in wasm. Found by fuzzing.
fn check_outputs_defined(graph: &GraphProto) -> Result<(), ModelError> {
    let mut known = defined_in(graph);
    known.extend(read_in(graph));
    known.remove("");
    match graph
        .output
        .iter()
        .find(|o| !known.contains(o.name.as_str()))
    {
        Some(output) => Err(ModelError::Parse {
            reason: format!(
                "graph '{}' has output '{}', which no node, input or initializer defines",
                graph.name, output.name
            ),
        }),
        None => Ok(()),
    }
}

/// Inputs, initializers and node outputs of the graph itself (not of its subgraphs).
fn defined_in(graph: &GraphProto) -> HashSet<&str> {
    let mut names: HashSet<&str> = graph.input.iter().map(|i| i.name.as_str()).collect();
    names.extend(graph.initializer.iter().map(|t| t.name.as_str()));
    names.extend(
        graph
            .node
            .iter()
            .flat_map(|n| n.output.iter().map(String::as_str)),
    );
    names
}

/// What a subgraph reads from the graphs enclosing it.
pub(crate) fn outer_reads(graph: &GraphProto) -> Vec<&str> {
    let inner = defined_in(graph);
    read_in(graph)
        .into_iter()
        .filter(|n| !n.is_empty() && !inner.contains(n))
        .collect()
}

/// What the graph's nodes read, and what its subgraphs read from outside themselves.
pub(crate) fn read_in(graph: &GraphProto) -> HashSet<&str> {
    let mut names = HashSet::new();
    for node in &graph.node {
        names.extend(node.input.iter().map(String::as_str));
        for attr in &node.attribute {
            for g in attr.g.iter().chain(&attr.graphs) {
                let inner = defined_in(g);
                names.extend(read_in(g).into_iter().filter(|n| !inner.contains(n)));
            }
        }
    }
    names
}

/// Follows a condition back to the graph inputs it reads; `Shape`/`Size` mean it reads a shape.
fn trace_condition(
    name: &str,
    producers: &HashMap<&str, &NodeProto>,
    inputs: &BTreeSet<&str>,
    report: &mut ScanReport,
) {
    let mut stack = vec![name.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(value) = stack.pop() {
        if !seen.insert(value.clone()) {
            continue;
        }
        if inputs.contains(value.as_str()) {
            report.if_deciders.insert(value);
            continue;
        }
        if let Some(node) = producers.get(value.as_str()) {
            if node.op_type == "Shape" || node.op_type == "Size" {
                report.if_on_shapes = true;
                continue;
            }
            stack.extend(node.input.iter().filter(|i| !i.is_empty()).cloned());
        }
    }
}
