//! com.microsoft EmbedLayerNormalization (onnxruntime contrib, version 1): word + position
//! (+ segment) embeddings, then LayerNormalization; mask_index is the row sums of the mask.
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::NodeProto;

use super::emit::{attr_float, input, Attr, Emit};

/// Emits Gather/Add/LayerNormalization and the mask sum.
pub fn rewrite(node: &NodeProto, e: &mut Emit) -> Option<()> {
    let (ids, word, pos, gamma, beta) = (
        input(node, 0)?,
        input(node, 2)?,
        input(node, 3)?,
        input(node, 5)?,
        input(node, 6)?,
    );
    let words = e.one("Gather", &[word, ids], vec![]);
    let positions = match input(node, 8) {
        Some(position_ids) => e.one("Gather", &[pos, position_ids], vec![]),
        None => {
            let shape = e.one("Shape", &[ids], vec![]);
            let seq = e.slice(&shape, 0, 1, 2);
            let zero = e.ints(&[0], &[1]);
            let axis = e.ints(&[0], &[1]);
            e.one("Slice", &[pos, &zero, &seq, &axis], vec![])
        }
    };
    let mut sum = e.one("Add", &[&words, &positions], vec![]);
    if let (Some(seg_ids), Some(seg_emb)) = (input(node, 1), input(node, 4)) {
        let segs = e.one("Gather", &[seg_emb, seg_ids], vec![]);
        sum = e.one("Add", &[&sum, &segs], vec![]);
    }
    let epsilon = attr_float(node, "epsilon", 1e-12);
    e.node_into(
        "LayerNormalization",
        &[&sum, gamma, beta],
        &[&node.output[0]],
        vec![("axis", Attr::Int(-1)), ("epsilon", Attr::Float(epsilon))],
    );
    if let Some(mask_out) = node.output.get(1).filter(|s| !s.is_empty()) {
        let int32 = ("to", Attr::Int(DataType::Int32 as i64));
        match input(node, 7) {
            Some(mask) => {
                let total = e.reduce_sum(mask, &[1], false);
                e.node_into("Cast", &[&total], &[mask_out], vec![int32]);
            }
            None => {
                let shape = e.one("Shape", &[ids], vec![]);
                let batch = e.slice(&shape, 0, 0, 1);
                let zeros = e.one("ConstantOfShape", &[&batch], vec![]);
                e.node_into("Cast", &[&zeros], &[mask_out], vec![int32]);
            }
        }
    }
    if let Some(sum_out) = node.output.get(2).filter(|s| !s.is_empty()) {
        e.node_into("Identity", &[&sum], &[sum_out], vec![]);
    }
    Some(())
}
