//! CenterCropPad, ONNX opset 18: each axis in `axes` (all by default) cropped or zero-padded to
//! the length in `shape`, centred (an odd difference puts the extra element at the end). The
//! output dims are those of `shape` when it is constant, else fresh symbols until the run.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::Slice;

use super::alloc::zeros;
use crate::core::ops::kernel::{bound_fact, boxed, partial_fact, Kernel};

/// Registers CenterCropPad.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("CenterCropPad", build);
}

/// Centred crop or pad of some axes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CenterCropPad {
    axes: Option<Vec<i64>>,
    /// One symbol per input axis, bound when the node is typed (used when `shape` is not
    /// constant).
    dims: Vec<Symbol>,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(CenterCropPad {
        axes: node.get_attr_opt_vec::<i64>("axes")?,
        dims: vec![],
    })
}

impl CenterCropPad {
    /// The axes in 0..rank.
    fn axes(&self, rank: usize) -> TractResult<Vec<usize>> {
        let Some(axes) = &self.axes else {
            return Ok((0..rank).collect());
        };
        let r = rank as i64;
        let axes: Vec<usize> = axes
            .iter()
            .map(|&a| {
                ensure!(
                    (-r..r).contains(&a),
                    "axis {a} out of range for rank {rank}"
                );
                Ok(if a < 0 { a + r } else { a } as usize)
            })
            .collect::<TractResult<_>>()?;
        let mut seen = axes.clone();
        seen.sort_unstable();
        seen.dedup();
        ensure!(seen.len() == axes.len(), "axes repeat an axis");
        Ok(axes)
    }

    /// Output dims: `shape`'s values when known, else `fresh(axis)`; None where unknown.
    fn dims(
        &self,
        inputs: &[&TypedFact],
        fresh: impl Fn(usize) -> Option<TDim>,
    ) -> TractResult<TVec<Option<TDim>>> {
        ensure!(
            inputs.len() == 2,
            "CenterCropPad takes input_data and shape"
        );
        let x = inputs[0];
        ensure!(
            inputs[1].datum_type.is_integer(),
            "CenterCropPad's shape must be integers"
        );
        let axes = self.axes(x.rank())?;
        let mut dims: TVec<Option<TDim>> = x.shape.iter().cloned().map(Some).collect();
        let shape = match &inputs[1].konst {
            Some(k) => Some(lengths(k, axes.len())?),
            None => None,
        };
        for (i, &axis) in axes.iter().enumerate() {
            dims[axis] = match &shape {
                Some(s) => Some(s[i].to_dim()),
                None => fresh(axis),
            };
        }
        Ok(dims)
    }
}

/// The lengths in `shape`, one per axis.
fn lengths(shape: &Tensor, axes: usize) -> TractResult<Vec<usize>> {
    let v = shape.cast_to::<i64>()?;
    let v = v.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
    ensure!(
        v.len() == axes,
        "shape has {} values for {axes} axes",
        v.len()
    );
    v.into_iter()
        .map(|l| usize::try_from(l).map_err(|_| format_err!("negative length {l} in shape")))
        .collect()
}

fn crop_pad<T: Datum>(x: &Tensor, out_shape: &[usize]) -> TractResult<Tensor> {
    let input = x.to_plain_array_view::<T>()?;
    let mut out = tract_ndarray::ArrayD::from_shape_vec(out_shape, zeros::<T>(out_shape)?)?;
    // Per axis: where the kept part starts in the input and in the output, and its length.
    let ranges: Vec<(usize, usize, usize)> = x
        .shape()
        .iter()
        .zip(out_shape)
        .map(|(&dim, &len)| {
            if len <= dim {
                ((dim - len) / 2, 0, len)
            } else {
                (0, (len - dim) / 2, dim)
            }
        })
        .collect();
    let src = input.slice_each_axis(|ax| {
        let (from, _, n) = ranges[ax.axis.index()];
        Slice::from(from..from + n)
    });
    out.slice_each_axis_mut(|ax| {
        let (_, to, n) = ranges[ax.axis.index()];
        Slice::from(to..to + n)
    })
    .assign(&src);
    Ok(out.into_tensor())
}

impl Kernel for CenterCropPad {
    fn name(&self) -> &'static str {
        "CenterCropPad"
    }

    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        let dims = self.dims(inputs, |_| None)?;
        Ok(tvec![partial_fact(inputs[0].datum_type, dims)])
    }

    fn bind_symbols(&mut self, symbols: &SymbolScope, inputs: &[&TypedFact]) {
        let rank = inputs.first().map(|f| f.rank()).unwrap_or(0);
        self.dims = (0..rank)
            .map(|_| symbols.new_with_prefix("crop_pad"))
            .collect();
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let dims = self.dims(inputs, |axis| self.dims.get(axis).cloned().map(TDim::from))?;
        Ok(tvec![bound_fact(
            "CenterCropPad",
            inputs[0].datum_type,
            dims
        )?])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let axes = self.axes(x.rank())?;
        let shape = lengths(&inputs[1], axes.len())?;
        let mut out_shape = x.shape().to_vec();
        for (axis, len) in axes.iter().zip(shape) {
            out_shape[*axis] = len;
        }
        let out = dispatch_datum!(crop_pad(x.datum_type())(x, &out_shape))?;
        Ok(tvec![out.into_tvalue()])
    }
}
