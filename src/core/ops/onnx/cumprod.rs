//! CumProd, ONNX opset 26: the running product of X along `axis` (a scalar or one-element
//! tensor, negative from the end), `exclusive` starting from 1, `reverse` from the end.
//! Integers wrap on overflow as numpy's do.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::Axis;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers CumProd.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("CumProd", build);
}

/// Cumulative product along one axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CumProd {
    exclusive: bool,
    reverse: bool,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(CumProd {
        exclusive: node.get_attr_opt::<i64>("exclusive")?.unwrap_or(0) != 0,
        reverse: node.get_attr_opt::<i64>("reverse")?.unwrap_or(0) != 0,
    })
}

/// Runs the product along every lane of `axis`, with `mul` and `one` of the type.
fn scan<T: Datum + Copy>(
    x: &Tensor,
    axis: usize,
    op: &CumProd,
    one: T,
    mul: impl Fn(T, T) -> T,
) -> TractResult<Tensor> {
    let mut out = x.to_plain_array_view::<T>()?.to_owned();
    for mut lane in out.lanes_mut(Axis(axis)) {
        let n = lane.len();
        let mut acc = one;
        for i in 0..n {
            let ix = if op.reverse { n - 1 - i } else { i };
            let v = lane[ix];
            if op.exclusive {
                lane[ix] = acc;
                acc = mul(acc, v);
            } else {
                acc = mul(acc, v);
                lane[ix] = acc;
            }
        }
    }
    Ok(out.into_tensor())
}

impl Kernel for CumProd {
    fn name(&self) -> &'static str {
        "CumProd"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() == 2, "CumProd takes x and axis");
        ensure!(
            inputs[1].datum_type.is_integer(),
            "CumProd's axis must be an integer"
        );
        Ok(tvec![inputs[0].without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        ensure!(
            inputs[1].len() == 1,
            "CumProd's axis must hold one value, got shape {:?}",
            inputs[1].shape()
        );
        let axis = inputs[1]
            .cast_to::<i64>()?
            .try_as_plain_ram()?
            .as_slice::<i64>()?[0];
        let rank = x.rank() as i64;
        let axis = if axis < 0 { axis + rank } else { axis };
        ensure!(
            (0..rank).contains(&axis),
            "CumProd axis out of range for rank {rank}"
        );
        let axis = axis as usize;
        let out = match x.datum_type() {
            DatumType::F16 => scan(x, axis, self, f16::from_f32(1.0), |a, b| a * b)?,
            DatumType::F32 => scan(x, axis, self, 1f32, |a, b| a * b)?,
            DatumType::F64 => scan(x, axis, self, 1f64, |a, b| a * b)?,
            DatumType::I32 => scan(x, axis, self, 1i32, i32::wrapping_mul)?,
            DatumType::I64 => scan(x, axis, self, 1i64, i64::wrapping_mul)?,
            DatumType::U32 => scan(x, axis, self, 1u32, u32::wrapping_mul)?,
            DatumType::U64 => scan(x, axis, self, 1u64, u64::wrapping_mul)?,
            other => bail!("CumProd does not take {other:?}"),
        };
        Ok(tvec![out.into_tvalue()])
    }
}
