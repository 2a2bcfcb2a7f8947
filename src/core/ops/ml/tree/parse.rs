//! Attributes of TreeEnsembleClassifier/Regressor (ai.onnx.ml 1-3) and TreeEnsemble (5) to a
//! flat [`Ensemble`].
use std::collections::HashMap;

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::{bail, ensure, format_err};

use super::ensemble::{Ensemble, FlatNode, Mode};
use crate::core::ops::ml::attrs::{
    floats_or_tensor, ints, same_lengths, strings, tensor_f64, tensor_i64,
};

/// Reads `nodes_*` and the leaf weights `{prefix}_treeids/_nodeids/_ids/_weights` (prefix is
/// `class` or `target`) of the v1-v3 encoding.
pub fn legacy(
    ctx: &ParsingContext,
    node: &NodeProto,
    prefix: &str,
    n_outputs: usize,
) -> TractResult<Ensemble> {
    let tree_ids = ints(node, "nodes_treeids")?;
    let node_ids = ints(node, "nodes_nodeids")?;
    let features = ints(node, "nodes_featureids")?;
    let modes = strings(node, "nodes_modes")?;
    let trues = ints(node, "nodes_truenodeids")?;
    let falses = ints(node, "nodes_falsenodeids")?;
    let n = tree_ids.len();
    let values = floats_or_tensor(ctx, node, "nodes_values")?.unwrap_or_else(|| vec![0.0; n]);
    let mut missing = ints(node, "nodes_missing_value_tracks_true")?;
    if missing.is_empty() {
        missing = vec![0; n];
    }
    same_lengths(
        node,
        &[
            ("nodes_treeids", n),
            ("nodes_nodeids", node_ids.len()),
            ("nodes_featureids", features.len()),
            ("nodes_modes", modes.len()),
            ("nodes_values", values.len()),
            ("nodes_truenodeids", trues.len()),
            ("nodes_falsenodeids", falses.len()),
            ("nodes_missing_value_tracks_true", missing.len()),
        ],
    )?;
    let mut index: HashMap<(i64, i64), u32> = HashMap::with_capacity(n);
    for (ix, key) in tree_ids.iter().zip(&node_ids).enumerate() {
        if index.insert((*key.0, *key.1), ix as u32).is_some() {
            bail!(
                "{}: node {} of tree {} appears twice",
                node.name,
                key.1,
                key.0
            );
        }
    }
    let find = |tree: i64, id: i64| {
        index
            .get(&(tree, id))
            .copied()
            .ok_or_else(|| format_err!("{}: tree {tree} has no node {id}", node.name))
    };
    let mut nodes = Vec::with_capacity(n);
    let mut is_child = vec![false; n];
    for ix in 0..n {
        let mode = Mode::parse(&modes[ix])?;
        let (a, b) = if mode == Mode::Leaf {
            (0, 0)
        } else {
            let (t, f) = (
                find(tree_ids[ix], trues[ix])?,
                find(tree_ids[ix], falses[ix])?,
            );
            is_child[t as usize] = true;
            is_child[f as usize] = true;
            (t, f)
        };
        let feature = u32::try_from(features[ix])
            .map_err(|_| format_err!("{}: negative feature id", node.name))?;
        nodes.push(FlatNode {
            mode,
            missing_true: missing[ix] != 0,
            feature,
            threshold: values[ix],
            a,
            b,
            set: (0, 0),
        });
    }
    let w_trees = ints(node, &format!("{prefix}_treeids"))?;
    let w_nodes = ints(node, &format!("{prefix}_nodeids"))?;
    let w_ids = ints(node, &format!("{prefix}_ids"))?;
    let w_values = floats_or_tensor(ctx, node, &format!("{prefix}_weights"))?.unwrap_or_default();
    same_lengths(
        node,
        &[
            ("treeids", w_trees.len()),
            ("nodeids", w_nodes.len()),
            ("ids", w_ids.len()),
            ("weights", w_values.len()),
        ],
    )?;
    let mut per_leaf: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    for k in 0..w_trees.len() {
        let leaf = find(w_trees[k], w_nodes[k])? as usize;
        ensure!(
            nodes[leaf].mode == Mode::Leaf,
            "{}: a weight is attached to branch node {}",
            node.name,
            w_nodes[k]
        );
        let target = u32::try_from(w_ids[k])
            .map_err(|_| format_err!("{}: negative {prefix} id", node.name))?;
        per_leaf[leaf].push((target, w_values[k]));
    }
    let mut weights = Vec::with_capacity(w_trees.len());
    for (ix, leaf_weights) in per_leaf.into_iter().enumerate() {
        if nodes[ix].mode == Mode::Leaf {
            nodes[ix].a = weights.len() as u32;
            nodes[ix].b = leaf_weights.len() as u32;
            weights.extend(leaf_weights);
        }
    }
    let roots = (0..n as u32).filter(|ix| !is_child[*ix as usize]).collect();
    let ensemble = Ensemble {
        nodes,
        roots,
        weights,
        members: vec![],
        n_outputs,
    };
    ensemble
        .check()
        .map_err(|e| format_err!("{}: {e}", node.name))?;
    Ok(ensemble)
}

/// Reads the TreeEnsemble (ai.onnx.ml opset 5) encoding: interior nodes, then leaves.
pub fn v5(ctx: &ParsingContext, node: &NodeProto, n_targets: usize) -> TractResult<Ensemble> {
    let features = ints(node, "nodes_featureids")?;
    let n = features.len();
    let splits = tensor_f64(ctx, node, "nodes_splits")?.unwrap_or_default();
    let modes = tensor_i64(ctx, node, "nodes_modes")?.unwrap_or_default();
    let trues = ints(node, "nodes_truenodeids")?;
    let true_leafs = ints(node, "nodes_trueleafs")?;
    let falses = ints(node, "nodes_falsenodeids")?;
    let false_leafs = ints(node, "nodes_falseleafs")?;
    let mut missing = ints(node, "nodes_missing_value_tracks_true")?;
    if missing.is_empty() {
        missing = vec![0; n];
    }
    same_lengths(
        node,
        &[
            ("nodes_featureids", n),
            ("nodes_splits", splits.len()),
            ("nodes_modes", modes.len()),
            ("nodes_truenodeids", trues.len()),
            ("nodes_trueleafs", true_leafs.len()),
            ("nodes_falsenodeids", falses.len()),
            ("nodes_falseleafs", false_leafs.len()),
            ("nodes_missing_value_tracks_true", missing.len()),
        ],
    )?;
    let leaf_targets = ints(node, "leaf_targetids")?;
    let leaf_weights = tensor_f64(ctx, node, "leaf_weights")?.unwrap_or_default();
    same_lengths(
        node,
        &[
            ("leaf_targetids", leaf_targets.len()),
            ("leaf_weights", leaf_weights.len()),
        ],
    )?;
    let members_all = tensor_f64(ctx, node, "membership_values")?.unwrap_or_default();
    let n_leaves = leaf_targets.len();
    let child = |id: i64, leaf: i64| -> TractResult<u32> {
        let (base, limit) = if leaf != 0 { (n, n_leaves) } else { (0, n) };
        let id = usize::try_from(id).ok().filter(|i| *i < limit);
        let id = id.ok_or_else(|| format_err!("{}: a child index is out of range", node.name))?;
        Ok((base + id) as u32)
    };
    let mut nodes = Vec::with_capacity(n + n_leaves);
    let mut members = Vec::new();
    let mut cursor = 0usize;
    for ix in 0..n {
        let mode = Mode::from_code(modes[ix])?;
        let mut set = (0, 0);
        if mode == Mode::Member {
            let start = members.len() as u32;
            while let Some(v) = members_all.get(cursor) {
                cursor += 1;
                if v.is_nan() {
                    break;
                }
                members.push(*v);
            }
            set = (start, members.len() as u32);
        }
        let feature = u32::try_from(features[ix])
            .map_err(|_| format_err!("{}: negative feature id", node.name))?;
        nodes.push(FlatNode {
            mode,
            missing_true: missing[ix] != 0,
            feature,
            threshold: splits[ix],
            a: child(trues[ix], true_leafs[ix])?,
            b: child(falses[ix], false_leafs[ix])?,
            set,
        });
    }
    let mut weights = Vec::with_capacity(n_leaves);
    for (k, (target, weight)) in leaf_targets.iter().zip(&leaf_weights).enumerate() {
        let target = u32::try_from(*target)
            .map_err(|_| format_err!("{}: negative leaf target", node.name))?;
        weights.push((target, *weight));
        nodes.push(FlatNode {
            mode: Mode::Leaf,
            missing_true: false,
            feature: 0,
            threshold: 0.0,
            a: k as u32,
            b: 1,
            set: (0, 0),
        });
    }
    let roots = ints(node, "tree_roots")?
        .into_iter()
        .map(|r| {
            u32::try_from(r)
                .ok()
                .filter(|r| (*r as usize) < n.max(1))
                .ok_or_else(|| format_err!("{}: bad tree root", node.name))
        })
        .collect::<TractResult<Vec<u32>>>()?;
    let ensemble = Ensemble {
        nodes,
        roots,
        weights,
        members,
        n_outputs: n_targets,
    };
    ensemble
        .check()
        .map_err(|e| format_err!("{}: {e}", node.name))?;
    Ok(ensemble)
}
