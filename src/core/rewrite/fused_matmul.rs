//! com.microsoft FusedMatMul (onnxruntime contrib, version 1): alpha * op(A) · op(B), where op
//! transposes the last two axes when `transA` / `transB` is set. `transBatchA/B` are refused.
use tract_onnx::pb::NodeProto;

use super::emit::{attr_float, attr_int, input, Attr, Emit};
use crate::core::model::ModelError;

/// Emits (Transpose) + MatMul + Mul(alpha); `rank` is A's and B's rank when declared.
pub fn rewrite(
    node: &NodeProto,
    e: &mut Emit,
    ranks: [Option<usize>; 2],
) -> Result<Option<()>, ModelError> {
    let (Some(a), Some(b)) = (input(node, 0), input(node, 1)) else {
        return Ok(None);
    };
    let refuse = |why: &str| {
        ModelError::unsupported(
            "FusedMatMul",
            "com.microsoft",
            &node.name,
            1,
            Some(why.to_owned()),
        )
    };
    if attr_int(node, "transBatchA", 0) != 0 || attr_int(node, "transBatchB", 0) != 0 {
        return Err(refuse("transBatchA/transBatchB are not supported"));
    }
    let mut operands = [a.to_owned(), b.to_owned()];
    for (i, flag) in ["transA", "transB"].iter().enumerate() {
        if attr_int(node, flag, 0) == 0 {
            continue;
        }
        let rank = ranks[i].ok_or_else(|| refuse("a transposed operand needs a declared rank"))?;
        if rank < 2 {
            return Err(refuse("a transposed operand needs rank 2 or more"));
        }
        let mut perm: Vec<i64> = (0..rank as i64).collect();
        perm.swap(rank - 2, rank - 1);
        operands[i] = e.one(
            "Transpose",
            &[&operands[i]],
            vec![("perm", Attr::Ints(perm))],
        );
    }
    let alpha = attr_float(node, "alpha", 1.0);
    let out = node.output[0].as_str();
    if alpha == 1.0 {
        e.node_into("MatMul", &[&operands[0], &operands[1]], &[out], vec![]);
    } else {
        let product = e.one("MatMul", &[&operands[0], &operands[1]], vec![]);
        let alpha = e.floats(&[alpha], &[]);
        e.node_into("Mul", &[&product, &alpha], &[out], vec![]);
    }
    Ok(Some(()))
}
