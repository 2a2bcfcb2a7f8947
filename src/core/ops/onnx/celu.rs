//! Celu, ONNX opset 12: y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), computed in f64
//! and returned in the input type. tract's float16 Celu returns half the right negative values.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Celu.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Celu", build);
}

/// Continuously differentiable exponential linear unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Celu {
    alpha: f32,
}

impl Eq for Celu {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(Celu {
        alpha: node.get_attr_opt::<f32>("alpha")?.unwrap_or(1.0),
    })
}

impl Kernel for Celu {
    fn name(&self) -> &'static str {
        "Celu"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs[0].datum_type.is_float(), "Celu takes floats");
        Ok(tvec![inputs[0].without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let alpha = f64::from(self.alpha);
        let mut x = inputs[0].cast_to::<f64>()?.into_owned();
        for v in x.try_as_plain_ram_mut()?.as_slice_mut::<f64>()? {
            *v = v.max(0.0) + (alpha * ((*v / alpha).exp() - 1.0)).min(0.0);
        }
        Ok(tvec![x.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
