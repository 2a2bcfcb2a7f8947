//! ReverseSequence, ONNX opset 10: for each batch entry b (along `batch_axis`, 1 by default),
//! the first sequence_lens[b] elements along `time_axis` (0 by default) in reverse order, the
//! rest unchanged.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::Axis;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers ReverseSequence.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("ReverseSequence", build);
}

/// Per-batch reversal of sequence prefixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReverseSequence {
    batch_axis: usize,
    time_axis: usize,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let batch = node.get_attr_opt::<i64>("batch_axis")?.unwrap_or(1);
    let time = node.get_attr_opt::<i64>("time_axis")?.unwrap_or(0);
    ensure!(
        matches!((batch, time), (0, 1) | (1, 0)),
        "batch_axis and time_axis must be 0 and 1 in some order, got {batch} and {time}"
    );
    boxed(ReverseSequence {
        batch_axis: batch as usize,
        time_axis: time as usize,
    })
}

fn reverse<T: Datum>(x: &Tensor, lens: &[i64], op: &ReverseSequence) -> TractResult<Tensor> {
    let input = x.to_plain_array_view::<T>()?;
    let mut out = input.to_owned();
    let (batch, time) = (x.shape()[op.batch_axis], x.shape()[op.time_axis]);
    ensure!(
        lens.len() == batch,
        "sequence_lens has {} values for a batch of {batch}",
        lens.len()
    );
    // With the batch axis taken out, the time axis is 0 either way.
    for (b, &len) in lens.iter().enumerate() {
        let len = usize::try_from(len)
            .ok()
            .filter(|l| *l <= time)
            .ok_or_else(|| format_err!("sequence length {len} not in 0..={time}"))?;
        let src = input.index_axis(Axis(op.batch_axis), b);
        let mut dst = out.index_axis_mut(Axis(op.batch_axis), b);
        for t in 0..len {
            dst.index_axis_mut(Axis(0), t)
                .assign(&src.index_axis(Axis(0), len - 1 - t));
        }
    }
    Ok(out.into_tensor())
}

impl Kernel for ReverseSequence {
    fn name(&self) -> &'static str {
        "ReverseSequence"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() == 2,
            "ReverseSequence takes input and sequence_lens"
        );
        ensure!(
            inputs[0].rank() >= 2,
            "ReverseSequence takes rank 2 or more"
        );
        ensure!(
            inputs[1].datum_type.is_integer() && inputs[1].rank() == 1,
            "sequence_lens must be a 1-D integer tensor"
        );
        Ok(tvec![inputs[0].without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        ensure!(x.rank() >= 2, "ReverseSequence takes rank 2 or more");
        let lens = inputs[1].cast_to::<i64>()?;
        let lens = lens.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
        let out = dispatch_datum!(reverse(x.datum_type())(x, &lens, self))?;
        Ok(tvec![out.into_tvalue()])
    }
}
