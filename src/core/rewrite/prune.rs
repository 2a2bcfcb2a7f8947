//! Drops initializers nothing reads, in every graph, as onnxruntime does at load. tract would
//! carry them as constants through every optimizer pass, and some passes compare constants
//! pairwise: 4,000 unused initializers took seconds to load, 10,000 tens of seconds.
use std::collections::HashSet;

use tract_onnx::pb::GraphProto;

use crate::core::model::read_in;

/// Removes the graph's (and its subgraphs') unread initializers; returns how many went.
pub fn prune_unused_initializers(graph: &mut GraphProto) -> usize {
    let mut pruned = 0;
    for node in graph.node.iter_mut() {
        for attr in node.attribute.iter_mut() {
            for g in attr.g.iter_mut().chain(attr.graphs.iter_mut()) {
                pruned += prune_unused_initializers(g);
            }
        }
    }
    // A graph input of the same name is an overridable default: kept.
    let used: HashSet<String> = read_in(graph)
        .into_iter()
        .chain(graph.output.iter().map(|o| o.name.as_str()))
        .chain(graph.input.iter().map(|i| i.name.as_str()))
        .map(str::to_owned)
        .collect();
    let before = graph.initializer.len();
    graph.initializer.retain(|t| used.contains(&t.name));
    pruned + before - graph.initializer.len()
}
