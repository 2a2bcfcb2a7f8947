//! BitCast, ONNX opset 26: the input's bytes read as type `to`, which must be as wide (the
//! shape is kept). Strings are refused; bytes read as bool are true when nonzero.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers BitCast.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("BitCast", build);
}

/// Reinterprets the bytes of a tensor as another type of the same width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitCast {
    to: DatumType,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let to = node.get_attr::<DatumType>("to")?;
    ensure!(castable(to), "BitCast cannot give {to:?}");
    boxed(BitCast { to })
}

/// Types whose values are plain bytes in memory (any bit pattern valid, except bool's).
fn castable(dt: DatumType) -> bool {
    dt.is_number() || dt == DatumType::Bool
}

impl Kernel for BitCast {
    fn name(&self) -> &'static str {
        "BitCast"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let from = inputs[0].datum_type;
        ensure!(castable(from), "BitCast cannot read {from:?}");
        ensure!(
            from.size_of() == self.to.size_of(),
            "BitCast from {from:?} to {:?}: the types differ in width",
            self.to
        );
        Ok(tvec![self.to.fact(inputs[0].shape.clone())])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let from = x.datum_type();
        ensure!(
            castable(from) && from.size_of() == self.to.size_of(),
            "BitCast from {from:?} to {:?} is not possible",
            self.to
        );
        let bytes = x.try_as_plain_ram()?.as_bytes();
        let mut out = Tensor::zero_dt(self.to, x.shape())?;
        if self.to == DatumType::Bool {
            // A bool must be 0 or 1: write bools, not bytes.
            let mut view = out.try_as_plain_ram_mut()?;
            let flags = view.as_slice_mut::<bool>()?;
            ensure!(flags.len() == bytes.len(), "BitCast: size mismatch");
            for (flag, byte) in flags.iter_mut().zip(bytes) {
                *flag = *byte != 0;
            }
        } else {
            let mut view = out.try_as_plain_ram_mut()?;
            let target = view.as_bytes_mut();
            ensure!(target.len() == bytes.len(), "BitCast: size mismatch");
            target.copy_from_slice(bytes);
        }
        Ok(tvec![out.into_tvalue()])
    }
}
