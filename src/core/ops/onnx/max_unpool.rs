//! MaxUnpool, ONNX opset 22 (same as 11), as onnx's reference implementation and backend tests
//! read it: each X value goes to its flat index (over the whole tensor) in a zero tensor of the
//! inferred shape (in - 1) * stride - pads + kernel, which is then placed at the start of a zero
//! tensor of `output_shape` when that input is given. The output dims come from a constant
//! `output_shape`, else are fresh symbols until the run.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::{ArrayD, Slice};

use super::alloc::zeros;
use crate::core::ops::kernel::{bound_fact, boxed, partial_fact, Kernel};

/// Registers MaxUnpool.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("MaxUnpool", build);
}

/// Scatter of pooled values back to their positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxUnpool {
    kernel: Vec<usize>,
    strides: Vec<usize>,
    pads: Vec<usize>,
    /// One symbol per output axis, bound when the node is typed (non-constant output_shape).
    dims: Vec<Symbol>,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let kernel = node.get_attr_vec::<i64>("kernel_shape")?;
    let n = kernel.len();
    let strides = node
        .get_attr_opt_vec::<i64>("strides")?
        .unwrap_or_else(|| vec![1; n]);
    let pads = node
        .get_attr_opt_vec::<i64>("pads")?
        .unwrap_or_else(|| vec![0; 2 * n]);
    ensure!(
        strides.len() == n && pads.len() == 2 * n,
        "strides and pads must match kernel_shape"
    );
    let to_usize = |v: Vec<i64>, name: &str| -> TractResult<Vec<usize>> {
        v.into_iter()
            .map(|x| usize::try_from(x).map_err(|_| format_err!("negative {name} {x}")))
            .collect()
    };
    let op = MaxUnpool {
        kernel: to_usize(kernel, "kernel_shape")?,
        strides: to_usize(strides, "strides")?,
        pads: to_usize(pads, "pads")?,
        dims: vec![],
    };
    ensure!(
        op.kernel.iter().chain(&op.strides).all(|x| *x > 0),
        "kernel_shape and strides must be positive"
    );
    boxed(op)
}

impl MaxUnpool {
    /// The inferred length of spatial axis i from the pooled length.
    fn inferred(&self, i: usize, len: &TDim) -> TDim {
        let n = self.kernel.len();
        (len.clone() - 1) * self.strides[i] as i64 + self.kernel[i] as i64
            - (self.pads[i] + self.pads[i + n]) as i64
    }

    /// Output dims (None: unknown), with `fresh(i)` for axis i when output_shape is unknown.
    fn dims(
        &self,
        inputs: &[&TypedFact],
        fresh: impl Fn(usize) -> Option<TDim>,
    ) -> TractResult<TVec<Option<TDim>>> {
        ensure!(
            (2..=3).contains(&inputs.len()),
            "MaxUnpool takes X, I and maybe output_shape"
        );
        let x = inputs[0];
        ensure!(
            x.rank() == self.kernel.len() + 2,
            "MaxUnpool with a {}-d kernel takes a rank {} X",
            self.kernel.len(),
            self.kernel.len() + 2
        );
        ensure!(
            inputs[1].datum_type.is_integer(),
            "MaxUnpool's indices must be integers"
        );
        let Some(shape) = inputs.get(2) else {
            let mut dims: TVec<Option<TDim>> = x.shape.iter().take(2).cloned().map(Some).collect();
            dims.extend((0..self.kernel.len()).map(|i| Some(self.inferred(i, &x.shape[i + 2]))));
            return Ok(dims);
        };
        Ok(match &shape.konst {
            Some(s) => {
                let v = values(s)?;
                ensure!(
                    v.len() == x.rank(),
                    "output_shape must have {} values",
                    x.rank()
                );
                v.into_iter().map(|d| Some(d.to_dim())).collect()
            }
            None => (0..x.rank()).map(fresh).collect(),
        })
    }
}

fn values(t: &Tensor) -> TractResult<Vec<usize>> {
    let v = t.cast_to::<i64>()?;
    v.try_as_plain_ram()?
        .as_slice::<i64>()?
        .iter()
        .map(|&x| usize::try_from(x).map_err(|_| format_err!("negative output dim {x}")))
        .collect()
}

fn unpool<T: Datum>(
    x: &Tensor,
    indices: &[i64],
    inferred: &[usize],
    shape: &[usize],
) -> TractResult<Tensor> {
    let values = x.to_plain_array_view::<T>()?;
    ensure!(
        indices.len() == values.len(),
        "I has {} values for {} in X",
        indices.len(),
        values.len()
    );
    let mut y = zeros::<T>(inferred)?;
    for (v, &i) in values.iter().zip(indices) {
        let slot = usize::try_from(i)
            .ok()
            .and_then(|i| y.get_mut(i))
            .ok_or_else(|| format_err!("index {i} outside the unpooled tensor {inferred:?}"))?;
        *slot = v.clone();
    }
    if inferred == shape {
        return Ok(ArrayD::from_shape_vec(inferred, y)?.into_tensor());
    }
    let y = ArrayD::from_shape_vec(inferred, y)?;
    let mut out = ArrayD::from_shape_vec(shape, zeros::<T>(shape)?)?;
    out.slice_each_axis_mut(|ax| Slice::from(0..inferred[ax.axis.index()]))
        .assign(&y);
    Ok(out.into_tensor())
}

impl Kernel for MaxUnpool {
    fn name(&self) -> &'static str {
        "MaxUnpool"
    }

    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        let dims = self.dims(inputs, |_| None)?;
        Ok(tvec![partial_fact(inputs[0].datum_type, dims)])
    }

    fn bind_symbols(&mut self, symbols: &SymbolScope, inputs: &[&TypedFact]) {
        let rank = inputs.first().map(|f| f.rank()).unwrap_or(0);
        self.dims = (0..rank)
            .map(|_| symbols.new_with_prefix("unpool"))
            .collect();
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let dims = self.dims(inputs, |i| self.dims.get(i).cloned().map(TDim::from))?;
        Ok(tvec![bound_fact("MaxUnpool", inputs[0].datum_type, dims)?])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let n = self.kernel.len();
        ensure!(x.rank() == n + 2, "MaxUnpool: X has the wrong rank");
        let mut inferred = x.shape()[..2].to_vec();
        for i in 0..n {
            let len = (x.shape()[i + 2].max(1) - 1)
                .checked_mul(self.strides[i])
                .and_then(|l| l.checked_add(self.kernel[i]))
                .and_then(|l| l.checked_sub(self.pads[i] + self.pads[i + n]))
                .ok_or_else(|| format_err!("MaxUnpool axis {i}: no room for the pads"))?;
            inferred.push(len);
        }
        let shape = match inputs.get(2) {
            Some(s) => values(s)?,
            None => inferred.clone(),
        };
        ensure!(
            shape.len() == inferred.len() && shape.iter().zip(&inferred).all(|(s, i)| s >= i),
            "output_shape {shape:?} is smaller than the unpooled shape {inferred:?}"
        );
        let indices = inputs[1].cast_to::<i64>()?;
        let indices = indices.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
        let out = dispatch_datum!(unpool(x.datum_type())(x, &indices, &inferred, &shape))?;
        Ok(tvec![out.into_tvalue()])
    }
}
