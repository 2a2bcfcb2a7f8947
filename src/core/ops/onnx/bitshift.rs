//! BitShift, ONNX opset 28 (signed types; a shift that is negative or at least the bit width
//! gives what the sign extension alone gives: -1 for a right shift of a negative X, else 0).
//! tract masks the shift count as the hardware does, which gives other values for those shifts.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::broadcast::{broadcast_shape, broadcast_typed, broadcast_zip};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers BitShift.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("BitShift", build);
}

/// Element-wise X shifted by Y bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitShift {
    left: bool,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let left = match node.get_attr::<&str>("direction")? {
        "LEFT" => true,
        "RIGHT" => false,
        other => bail!("direction {other:?} is neither LEFT nor RIGHT"),
    };
    boxed(BitShift { left })
}

/// Shifts one value of a type `bits` wide, held in an i128 (its type's value, sign included).
fn shift(x: i128, y: i128, bits: u32, signed: bool, left: bool) -> i128 {
    let out_of_range = y < 0 || y >= i128::from(bits);
    let value = if left {
        if out_of_range {
            0
        } else {
            x << y
        }
    } else if out_of_range {
        if x < 0 {
            -1
        } else {
            0
        }
    } else {
        x >> y
    };
    // Wrap to the type's width (bits shifted past the sign bit are discarded).
    let mask = (1i128 << bits) - 1;
    let raw = value & mask;
    if signed && raw >> (bits - 1) & 1 == 1 {
        raw - (1i128 << bits)
    } else {
        raw
    }
}

macro_rules! shift_as {
    ($t:ty, $a:expr, $b:expr, $shape:expr, $left:expr) => {{
        let bits = <$t>::BITS;
        let signed = <$t>::MIN != 0;
        let a = $a.to_plain_array_view::<$t>()?;
        let b = $b.to_plain_array_view::<$t>()?;
        let out: Vec<$t> = broadcast_zip(&a, &b, &$shape)?
            .map(|(x, y)| shift(i128::from(*x), i128::from(*y), bits, signed, $left) as $t)
            .collect();
        tract_ndarray::ArrayD::from_shape_vec($shape, out)?.into_tensor()
    }};
}

impl Kernel for BitShift {
    fn name(&self) -> &'static str {
        "BitShift"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() == 2, "BitShift takes X and Y");
        ensure!(
            inputs[0].datum_type == inputs[1].datum_type,
            "X and Y must have one type"
        );
        broadcast_typed(inputs[0], inputs[1])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (a, b) = (&inputs[0], &inputs[1]);
        let shape = broadcast_shape(a.shape(), b.shape())?;
        let out = match a.datum_type() {
            DatumType::U8 => shift_as!(u8, a, b, shape, self.left),
            DatumType::U16 => shift_as!(u16, a, b, shape, self.left),
            DatumType::U32 => shift_as!(u32, a, b, shape, self.left),
            DatumType::U64 => shift_as!(u64, a, b, shape, self.left),
            DatumType::I8 => shift_as!(i8, a, b, shape, self.left),
            DatumType::I16 => shift_as!(i16, a, b, shape, self.left),
            DatumType::I32 => shift_as!(i32, a, b, shape, self.left),
            DatumType::I64 => shift_as!(i64, a, b, shape, self.left),
            other => bail!("BitShift takes integers, got {other:?}"),
        };
        Ok(tvec![out.into_tvalue()])
    }
}
