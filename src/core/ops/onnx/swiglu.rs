//! SwiGLU, ONNX opset 28: y = Swish_alpha(a) * b for a and b of one shape (no broadcasting),
//! each step rounded to the input type as onnx's reference does.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::swish::{map_floats, rounder, swish};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers SwiGLU.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("SwiGLU", build);
}

/// Swish-gated linear unit.
#[derive(Clone, Debug, PartialEq)]
pub struct SwiGlu {
    alpha: f32,
}

impl Eq for SwiGlu {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(SwiGlu {
        alpha: node.get_attr_opt::<f32>("alpha")?.unwrap_or(1.0),
    })
}

impl Kernel for SwiGlu {
    fn name(&self) -> &'static str {
        "SwiGLU"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() == 2, "SwiGLU takes two inputs");
        let (a, b) = (inputs[0], inputs[1]);
        ensure!(
            a.datum_type == b.datum_type && a.rank() == b.rank(),
            "SwiGLU: A and B differ in type or rank"
        );
        rounder(a.datum_type)?;
        Ok(tvec![a.without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (a, b) = (&inputs[0], &inputs[1]);
        ensure!(
            a.shape() == b.shape() && a.datum_type() == b.datum_type(),
            "SwiGLU: A {:?} and B {:?} must have one shape and type",
            a.shape(),
            b.shape()
        );
        let round = rounder(a.datum_type())?;
        let alpha = f64::from(self.alpha);
        let b = b.cast_to::<f64>()?;
        let b = b.try_as_plain_ram()?;
        let b = b.as_slice::<f64>()?;
        let y = map_floats(a, |i, x| round(swish(x, alpha, round) * b[i]))?;
        Ok(tvec![y.into_tvalue()])
    }
}
