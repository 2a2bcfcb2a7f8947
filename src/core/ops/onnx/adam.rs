//! Adam, ai.onnx.preview.training opset 1: the Adam update (with bias correction once T > 0 and
//! optional weight decay before and after) over one or more tensors. Computed in f64.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::momentum::{optimizer_eval, optimizer_facts, tensor_count};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Adam.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Adam", build);
}

/// The Adam optimizer step.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    alpha: f32,
    beta: f32,
    epsilon: f32,
    norm: f32,
    norm_post: f32,
    tensors: usize,
}

impl Eq for Adam {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let attr = |name: &str, default: f32| -> TractResult<f32> {
        Ok(node.get_attr_opt::<f32>(name)?.unwrap_or(default))
    };
    boxed(Adam {
        alpha: attr("alpha", 0.9)?,
        beta: attr("beta", 0.999)?,
        epsilon: attr("epsilon", 0.0)?,
        norm: attr("norm_coefficient", 0.0)?,
        norm_post: attr("norm_coefficient_post", 0.0)?,
        tensors: tensor_count(node, 4, 3)?,
    })
}

impl Kernel for Adam {
    fn name(&self) -> &'static str {
        "Adam"
    }

    fn outputs(&self) -> usize {
        3 * self.tensors
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        optimizer_facts(inputs, self.tensors, 4, 3)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let [alpha, beta, eps, norm, post] = [
            self.alpha,
            self.beta,
            self.epsilon,
            self.norm,
            self.norm_post,
        ]
        .map(f64::from);
        optimizer_eval(&inputs, self.tensors, 4, 3, |r, t, a| {
            let (x, g, v, h) = (a[0], a[1], a[2], a[3]);
            let g = norm * x + g;
            let v = alpha * v + (1.0 - alpha) * g;
            let h = beta * h + (1.0 - beta) * g * g;
            let r = if t > 0 {
                // Bias correction of both momenta.
                let t = t as f64;
                r * (1.0 - beta.powf(t)).sqrt() / (1.0 - alpha.powf(t))
            } else {
                r
            };
            let x = (x - r * (v / (h.sqrt() + eps))) * (1.0 - post);
            tvec![x, v, h]
        })
    }
}
