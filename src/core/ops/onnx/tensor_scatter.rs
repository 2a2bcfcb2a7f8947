//! TensorScatter, ONNX opset 24: writes `update` into a copy of `past_cache` along the sequence
//! axis, at each batch's write index (linear), or modulo the cache length (circular).
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers TensorScatter.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("TensorScatter", build);
}

/// KV-cache style update of a fixed-size buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorScatter {
    circular: bool,
    axis: i64,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let circular = match node.get_attr_opt::<&str>("mode")?.unwrap_or("linear") {
        "linear" => false,
        "circular" => true,
        other => bail!("TensorScatter: mode {other:?} is not linear or circular"),
    };
    boxed(TensorScatter {
        circular,
        axis: node.get_attr_opt::<i64>("axis")?.unwrap_or(-2),
    })
}

impl TensorScatter {
    /// The sequence axis, which must not be the batch axis.
    fn axis(&self, rank: usize) -> TractResult<usize> {
        let axis = if self.axis < 0 {
            self.axis + rank as i64
        } else {
            self.axis
        };
        ensure!(
            (1..rank as i64).contains(&axis),
            "TensorScatter: axis {} is not a non-batch axis of a rank {rank} cache",
            self.axis
        );
        Ok(axis as usize)
    }
}

impl Kernel for TensorScatter {
    fn name(&self) -> &'static str {
        "TensorScatter"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() >= 2,
            "TensorScatter needs past_cache and update"
        );
        ensure!(
            inputs[0].datum_type == inputs[1].datum_type && inputs[0].rank() == inputs[1].rank(),
            "TensorScatter: past_cache and update differ in type or rank"
        );
        self.axis(inputs[0].rank())?;
        Ok(tvec![inputs[0].without_value()])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (past, update) = (&inputs[0], &inputs[1]);
        let axis = self.axis(past.rank())?;
        let (shape, ushape) = (past.shape(), update.shape());
        ensure!(
            past.datum_type() == update.datum_type() && shape.len() == ushape.len(),
            "TensorScatter: past_cache and update differ in type or rank"
        );
        for (i, (c, u)) in shape.iter().zip(ushape).enumerate() {
            ensure!(
                if i == axis { u <= c } else { u == c },
                "TensorScatter: update shape {ushape:?} does not fit cache shape {shape:?}"
            );
        }
        let (batch, max_len, seq_len) = (shape[0], shape[axis], ushape[axis]);
        let writes: Vec<i64> = match inputs.get(2) {
            Some(w) => {
                let w = w.cast_to::<i64>()?;
                let w = w.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
                ensure!(
                    w.len() == batch,
                    "TensorScatter: write_indices has {} values for batch {batch}",
                    w.len()
                );
                w
            }
            None => vec![0; batch],
        };
        let mut present = past.clone().into_tensor();
        for (b, &start) in writes.iter().enumerate() {
            for s in 0..seq_len {
                let at = start
                    .checked_add(s as i64)
                    .context("TensorScatter: write index overflows")?;
                let at = if self.circular && max_len > 0 {
                    at.rem_euclid(max_len as i64)
                } else {
                    at
                };
                ensure!(
                    (0..max_len as i64).contains(&at),
                    "TensorScatter: write index {start} + {s} is outside the cache length {max_len}"
                );
                let at = at as usize;
                present.assign_slice_at_prefix(&[b], at..at + 1, update, &[b], s..s + 1, axis)?;
            }
        }
        Ok(tvec![present.into_tvalue()])
    }
}
