//! com.microsoft MatMulIntegerToFloat and DynamicQuantizeMatMul (onnxruntime contrib, version 1),
//! written by onnxruntime.quantization.quantize_dynamic: integer matmul, then the product of the
//! scales, then the bias.
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::NodeProto;

use super::emit::{input, Attr, Emit};

/// (A - a_zp)·(B - b_zp) as f32, times a_scale·b_scale, plus bias, into the node's output.
/// Each pair is (for A, for B).
fn scaled_product(
    e: &mut Emit,
    node: &NodeProto,
    [a, b]: [&str; 2],
    [a_scale, b_scale]: [&str; 2],
    [a_zp, b_zp]: [&str; 2],
    bias: Option<&str>,
) {
    let product = e.one("MatMulInteger", &[a, b, a_zp, b_zp], vec![]);
    let product = e.one(
        "Cast",
        &[&product],
        vec![("to", Attr::Int(DataType::Float as i64))],
    );
    let scale = e.one("Mul", &[a_scale, b_scale], vec![]);
    let out = node.output[0].as_str();
    match bias {
        Some(bias) => {
            let scaled = e.one("Mul", &[&product, &scale], vec![]);
            e.node_into("Add", &[&scaled, bias], &[out], vec![]);
        }
        None => e.node_into("Mul", &[&product, &scale], &[out], vec![]),
    }
}

/// MatMulIntegerToFloat(A, B, a_scale, b_scale, a_zero_point?, b_zero_point?, bias?).
pub fn matmul_integer_to_float(node: &NodeProto, e: &mut Emit) -> Option<()> {
    let (a, b, a_scale, b_scale) = (
        input(node, 0)?,
        input(node, 1)?,
        input(node, 2)?,
        input(node, 3)?,
    );
    let (a_zp, b_zp) = (input(node, 4).unwrap_or(""), input(node, 5).unwrap_or(""));
    scaled_product(
        e,
        node,
        [a, b],
        [a_scale, b_scale],
        [a_zp, b_zp],
        input(node, 6),
    );
    Some(())
}

/// DynamicQuantizeMatMul(A, B, b_scale, b_zero_point?, bias?): A is quantized to uint8 per call.
pub fn dynamic_quantize_matmul(node: &NodeProto, e: &mut Emit) -> Option<()> {
    let (a, b, b_scale) = (input(node, 0)?, input(node, 1)?, input(node, 2)?);
    let q = e.node("DynamicQuantizeLinear", &[a], 3, vec![]);
    let b_zp = input(node, 3).unwrap_or("");
    scaled_product(
        e,
        node,
        [&q[0], b],
        [&q[1], b_scale],
        [&q[2], b_zp],
        input(node, 4),
    );
    Some(())
}
