//! com.microsoft Attention (onnxruntime contrib, version 1) without past state: packed QKV
//! projection, scaled dot product per head, additive masks (`mask_index` as a raw [B, S] 0/1 mask
//! or [B] valid lengths, `unidirectional` as a causal mask, both with `mask_filter_value`).
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::NodeProto;

use super::emit::{attr, attr_float, attr_int, input, Attr, Emit};
use crate::core::model::ModelError;

fn refuse(node: &NodeProto, why: &str) -> ModelError {
    ModelError::unsupported(
        "Attention",
        "com.microsoft",
        &node.name,
        1,
        Some(why.to_owned()),
    )
}

/// Emits the attention subgraph; `hidden` comes from the weights' initializer shape.
pub fn rewrite(
    node: &NodeProto,
    e: &mut Emit,
    weight_dims: Option<&[i64]>,
    mask_rank: Option<usize>,
) -> Result<Option<()>, ModelError> {
    let (Some(x), Some(w)) = (input(node, 0), input(node, 1)) else {
        return Ok(None);
    };
    if input(node, 4).is_some() || node.output.get(1).is_some_and(|o| !o.is_empty()) {
        return Err(refuse(node, "past/present state is not supported"));
    }
    if input(node, 5).is_some() {
        return Err(refuse(node, "relative_position_bias is not supported"));
    }
    if attr(node, "qkv_hidden_sizes").is_some_and(|a| a.ints.windows(2).any(|p| p[0] != p[1])) {
        return Err(refuse(
            node,
            "different Q, K and V hidden sizes are not supported",
        ));
    }
    let Some([_, three_hidden]) = weight_dims.and_then(|d| <[i64; 2]>::try_from(d).ok()) else {
        return Err(refuse(node, "the weights must be a 2-D initializer"));
    };
    let hidden = three_hidden / 3;
    let heads = attr_int(node, "num_heads", 1).max(1);
    let head = hidden / heads;
    let scale = attr_float(node, "scale", 1.0 / (head as f32).sqrt());
    let filter = attr_float(node, "mask_filter_value", -10000.0);

    let mut qkv = e.one("MatMul", &[x, w], vec![]);
    if let Some(b) = input(node, 2) {
        qkv = e.one("Add", &[&qkv, b], vec![]);
    }
    let split_shape = e.ints(&[0, 0, heads, head], &[4]);
    let part = |e: &mut Emit, i: i64, perm: [i64; 4]| {
        let p = e.slice(&qkv, 2, i * hidden, (i + 1) * hidden);
        let p = e.one("Reshape", &[&p, &split_shape], vec![]);
        e.one(
            "Transpose",
            &[&p],
            vec![("perm", Attr::Ints(perm.to_vec()))],
        )
    };
    let q = part(e, 0, [0, 2, 1, 3]);
    let k = part(e, 1, [0, 2, 3, 1]);
    let v = part(e, 2, [0, 2, 1, 3]);
    let scores = e.one("MatMul", &[&q, &k], vec![]);
    let scale = e.floats(&[scale], &[]);
    let mut scores = e.one("Mul", &[&scores, &scale], vec![]);
    let filter_value = e.floats(&[filter], &[]);
    let zero = e.floats(&[0.0], &[]);
    if let Some(mask) = input(node, 3) {
        // Both forms become a [B, 1, 1, S] additive mask. A 1-D mask holds valid lengths.
        // Guessing the form would broadcast a 1-D mask over the heads: a silent wrong answer.
        let Some(mask_rank) = mask_rank else {
            return Err(refuse(
                node,
                "the rank of mask_index cannot be known before planning",
            ));
        };
        let keep = if mask_rank == 1 {
            let shape = e.one("Shape", &[x], vec![]);
            let seq = e.slice(&shape, 0, 1, 2);
            let seq = e.one("Squeeze", &[&seq], vec![]);
            let (start, step) = (e.ints(&[0], &[]), e.ints(&[1], &[]));
            let range = e.one("Range", &[&start, &seq, &step], vec![]);
            let lengths = e.one(
                "Cast",
                &[mask],
                vec![("to", Attr::Int(DataType::Int64 as i64))],
            );
            let lengths = e.unsqueeze(&lengths, &[1]);
            e.one("Less", &[&range, &lengths], vec![])
        } else {
            let one = e.ints(&[1], &[]);
            let m = e.one(
                "Cast",
                &[mask],
                vec![("to", Attr::Int(DataType::Int64 as i64))],
            );
            e.one("Equal", &[&m, &one], vec![])
        };
        let additive = e.one("Where", &[&keep, &zero, &filter_value], vec![]);
        let additive = e.unsqueeze(&additive, &[1, 2]);
        scores = e.one("Add", &[&scores, &additive], vec![]);
    }
    if attr_int(node, "unidirectional", 0) != 0 {
        let shape = e.one("Shape", &[x], vec![]);
        let seq = e.slice(&shape, 0, 1, 2);
        let seq = e.one("Squeeze", &[&seq], vec![]);
        let (start, step) = (e.ints(&[0], &[]), e.ints(&[1], &[]));
        let range = e.one("Range", &[&start, &seq, &step], vec![]);
        let rows = e.unsqueeze(&range, &[1]);
        let cols = e.unsqueeze(&range, &[0]);
        let future = e.one("Greater", &[&cols, &rows], vec![]);
        let causal = e.one("Where", &[&future, &filter_value, &zero], vec![]);
        scores = e.one("Add", &[&scores, &causal], vec![]);
    }
    let probs = e.one("Softmax", &[&scores], vec![("axis", Attr::Int(3))]);
    let context = e.one("MatMul", &[&probs, &v], vec![]);
    let context = e.one(
        "Transpose",
        &[&context],
        vec![("perm", Attr::Ints(vec![0, 2, 1, 3]))],
    );
    let merged = e.ints(&[0, 0, hidden], &[3]);
    e.node_into("Reshape", &[&context, &merged], &[&node.output[0]], vec![]);
    Ok(Some(()))
}
