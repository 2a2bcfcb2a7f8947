//! com.microsoft FusedConv (onnxruntime contrib, version 1): Conv, then an optional sum input Z,
//! then the activation named by `activation` with `activation_params`.
use tract_onnx::pb::NodeProto;

use super::emit::{attr, attr_str, input, Attr, Emit};
use crate::core::model::ModelError;

/// Emits Conv (+ Add Z) + activation.
pub fn rewrite(node: &NodeProto, e: &mut Emit) -> Result<Option<()>, ModelError> {
    let (Some(x), Some(w)) = (input(node, 0), input(node, 1)) else {
        return Ok(None);
    };
    let mut inputs = vec![x, w];
    if let Some(b) = input(node, 2) {
        inputs.push(b);
    }
    let conv_attrs: Vec<_> = node
        .attribute
        .iter()
        .filter(|a| a.name != "activation" && a.name != "activation_params")
        .cloned()
        .collect();
    let mut y = e.one("Conv", &inputs, vec![]);
    if let Some(conv) = e.nodes.last_mut() {
        conv.attribute = conv_attrs;
    }
    if let Some(z) = input(node, 3) {
        y = e.one("Add", &[&y, z], vec![]);
    }
    let params: Vec<f32> = attr(node, "activation_params")
        .map(|a| a.floats.clone())
        .unwrap_or_default();
    let p = |i: usize, default: f32| params.get(i).copied().unwrap_or(default);
    let out = [node.output[0].as_str()];
    match attr_str(node, "activation", "").as_str() {
        "" => e.node_into("Identity", &[&y], &out, vec![]),
        op @ ("Relu" | "Tanh" | "Sigmoid") => e.node_into(op, &[&y], &out, vec![]),
        "LeakyRelu" => e.node_into(
            "LeakyRelu",
            &[&y],
            &out,
            vec![("alpha", Attr::Float(p(0, 0.01)))],
        ),
        "HardSigmoid" => e.node_into(
            "HardSigmoid",
            &[&y],
            &out,
            vec![
                ("alpha", Attr::Float(p(0, 0.2))),
                ("beta", Attr::Float(p(1, 0.5))),
            ],
        ),
        "Clip" => {
            let (lo, hi) = (
                e.floats(&[p(0, f32::MIN)], &[]),
                e.floats(&[p(1, f32::MAX)], &[]),
            );
            e.node_into("Clip", &[&y, &lo, &hi], &out, vec![]);
        }
        other => {
            return Err(ModelError::unsupported(
                "FusedConv",
                "com.microsoft",
                &node.name,
                1,
                Some(format!("activation '{other}' is not supported")),
            ))
        }
    }
    Ok(Some(()))
}
