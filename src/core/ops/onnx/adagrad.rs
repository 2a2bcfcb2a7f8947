//! Adagrad, ai.onnx.preview.training opset 1: the ADAGRAD update with a decaying learning rate
//! over one or more tensors. Computed in f64.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::momentum::{optimizer_eval, optimizer_facts, tensor_count};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Adagrad.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Adagrad", build);
}

/// The ADAGRAD optimizer step.
#[derive(Clone, Debug, PartialEq)]
pub struct Adagrad {
    decay: f32,
    epsilon: f32,
    norm: f32,
    tensors: usize,
}

impl Eq for Adagrad {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let attr =
        |name: &str| -> TractResult<f32> { Ok(node.get_attr_opt::<f32>(name)?.unwrap_or(0.0)) };
    boxed(Adagrad {
        decay: attr("decay_factor")?,
        epsilon: attr("epsilon")?,
        norm: attr("norm_coefficient")?,
        tensors: tensor_count(node, 3, 2)?,
    })
}

impl Kernel for Adagrad {
    fn name(&self) -> &'static str {
        "Adagrad"
    }

    fn outputs(&self) -> usize {
        2 * self.tensors
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        optimizer_facts(inputs, self.tensors, 3, 2)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let [decay, eps, norm] = [self.decay, self.epsilon, self.norm].map(f64::from);
        optimizer_eval(&inputs, self.tensors, 3, 2, |r, t, a| {
            let (x, g, h) = (a[0], a[1], a[2]);
            let r = r / (1.0 + t as f64 * decay);
            let g = norm * x + g;
            let h = h + g * g;
            tvec![x - r * g / (h.sqrt() + eps), h]
        })
    }
}
