//! Swish, ONNX opset 24: y = x * sigmoid(alpha * x). tract's Swish is SiLU and ignores alpha, so
//! alpha = 1 keeps tract's SiLU and any other alpha runs here, rounding each step to the input
//! type as onnx's reference (numpy in that type) does.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Swish.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Swish", build);
}

/// Swish with a non-unit alpha.
#[derive(Clone, Debug, PartialEq)]
pub struct Swish {
    alpha: f32,
}

impl Eq for Swish {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let alpha = node.get_attr_opt::<f32>("alpha")?.unwrap_or(1.0);
    if alpha == 1.0 {
        return Ok((
            tract_onnx::tract_core::ops::nn::silu::silu().into_hir(),
            vec![],
        ));
    }
    boxed(Swish { alpha })
}

/// Rounds an f64 to the precision of `dt` (f16, f32 or f64).
pub fn rounder(dt: DatumType) -> TractResult<fn(f64) -> f64> {
    Ok(match dt {
        DatumType::F16 => |x| f16::from_f64(x).to_f64(),
        DatumType::F32 => |x| x as f32 as f64,
        DatumType::F64 => |x| x,
        other => bail!("expected float16, float or double, got {other:?}"),
    })
}

/// x * sigmoid(alpha * x), each operation rounded by `round` as numpy does in the input type.
pub fn swish(x: f64, alpha: f64, round: fn(f64) -> f64) -> f64 {
    let e = round((round(round(-alpha) * x)).exp());
    let sigmoid = round(1.0 / round(1.0 + e));
    round(x * sigmoid)
}

/// Applies `f` to every value of a float tensor, computed in f64, returned in its type.
pub fn map_floats(x: &Tensor, mut f: impl FnMut(usize, f64) -> f64) -> TractResult<Tensor> {
    let dt = x.datum_type();
    let mut y = x.cast_to::<f64>()?.into_owned();
    for (i, v) in y
        .try_as_plain_ram_mut()?
        .as_slice_mut::<f64>()?
        .iter_mut()
        .enumerate()
    {
        *v = f(i, *v);
    }
    Ok(y.cast_to_dt(dt)?.into_owned())
}

impl Kernel for Swish {
    fn name(&self) -> &'static str {
        "Swish"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() == 1, "Swish takes one input");
        rounder(inputs[0].datum_type)?;
        Ok(tvec![inputs[0].without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let round = rounder(inputs[0].datum_type())?;
        let alpha = f64::from(self.alpha);
        let y = map_floats(&inputs[0], |_, x| swish(x, alpha, round))?;
        Ok(tvec![y.into_tvalue()])
    }
}
