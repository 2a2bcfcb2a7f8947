//! AffineGrid, ONNX opset 20: the sampling grid [N, H, W, 2] (or [N, D, H, W, 3]) of the affine
//! maps theta [N, 2, 3] (or [N, 3, 4]) over the normalised coordinates of an image of `size`
//! (N, C, H, W) or (N, C, D, H, W), `align_corners` placing -1 and 1 on the corner pixels'
//! centres (else on their edges). The spatial dims come from `size` when it is constant, else
//! are fresh symbols until the run. Computed in f64, returned in theta's float type.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{bound_fact, boxed, partial_fact, Kernel};

/// Registers AffineGrid.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("AffineGrid", build);
}

/// Affine sampling grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffineGrid {
    align_corners: bool,
    /// D (3-d only), H, W, bound when the node is typed (used when `size` is not constant).
    dims: Vec<Symbol>,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(AffineGrid {
        align_corners: node.get_attr_opt::<i64>("align_corners")?.unwrap_or(0) != 0,
        dims: vec![],
    })
}

/// The number of spatial axes (2 or 3), from theta's shape [N, 2, 3] or [N, 3, 4].
fn spatial_rank(theta: &TypedFact) -> TractResult<usize> {
    ensure!(theta.rank() == 3, "theta must be [N, 2, 3] or [N, 3, 4]");
    match (theta.shape[1].to_usize(), theta.shape[2].to_usize()) {
        (Ok(2), Ok(3)) => Ok(2),
        (Ok(3), Ok(4)) => Ok(3),
        _ => bail!(
            "theta must be [N, 2, 3] or [N, 3, 4], got {:?}",
            theta.shape
        ),
    }
}

/// The spatial sizes in `size` (N, C, then 2 or 3 of them).
fn spatial_sizes(size: &Tensor, rank: usize) -> TractResult<Vec<usize>> {
    let v = size.cast_to::<i64>()?;
    let v = v.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
    ensure!(
        v.len() == rank + 2,
        "size must have {} values for this theta, got {}",
        rank + 2,
        v.len()
    );
    v[2..]
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| format_err!("negative size {d}")))
        .collect()
}

impl AffineGrid {
    /// Output dims (None: unknown), with `fresh(i)` for spatial dim i when `size` is unknown.
    fn dims(
        &self,
        inputs: &[&TypedFact],
        fresh: impl Fn(usize) -> Option<TDim>,
    ) -> TractResult<TVec<Option<TDim>>> {
        ensure!(inputs.len() == 2, "AffineGrid takes theta and size");
        let theta = inputs[0];
        ensure!(theta.datum_type.is_float(), "theta must be floats");
        let rank = spatial_rank(theta)?;
        let mut dims = tvec![Some(theta.shape[0].clone())];
        match &inputs[1].konst {
            Some(size) => dims.extend(
                spatial_sizes(size, rank)?
                    .into_iter()
                    .map(|d| Some(d.to_dim())),
            ),
            None => dims.extend((0..rank).map(&fresh)),
        }
        dims.push(Some(rank.to_dim()));
        Ok(dims)
    }

    /// The normalised coordinates of `len` points along one axis.
    fn coords(&self, len: usize) -> Vec<f64> {
        (0..len)
            .map(|i| {
                let i = i as f64;
                if !self.align_corners {
                    -1.0 + (2.0 * i + 1.0) / len as f64
                } else if len > 1 {
                    -1.0 + 2.0 * i / (len - 1) as f64
                } else {
                    -1.0
                }
            })
            .collect()
    }
}

impl Kernel for AffineGrid {
    fn name(&self) -> &'static str {
        "AffineGrid"
    }

    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        let dims = self.dims(inputs, |_| None)?;
        Ok(tvec![partial_fact(inputs[0].datum_type, dims)])
    }

    fn bind_symbols(&mut self, symbols: &SymbolScope, inputs: &[&TypedFact]) {
        let rank = inputs
            .first()
            .and_then(|t| spatial_rank(t).ok())
            .unwrap_or(0);
        self.dims = (0..rank).map(|_| symbols.new_with_prefix("grid")).collect();
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let dims = self.dims(inputs, |i| self.dims.get(i).cloned().map(TDim::from))?;
        Ok(tvec![bound_fact("AffineGrid", inputs[0].datum_type, dims)?])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let theta = &inputs[0];
        let dt = theta.datum_type();
        ensure!(dt.is_float(), "theta must be floats, got {dt:?}");
        let (n, rank) = match theta.shape() {
            &[n, 2, 3] => (n, 2),
            &[n, 3, 4] => (n, 3),
            other => bail!("theta must be [N, 2, 3] or [N, 3, 4], got {other:?}"),
        };
        let sizes = spatial_sizes(&inputs[1], rank)?;
        // Points as (x, y[, z]) with x along the last axis: sizes reversed.
        let axes: Vec<Vec<f64>> = sizes.iter().rev().map(|&l| self.coords(l)).collect();
        let t = theta.cast_to::<f64>()?;
        let t = t.try_as_plain_ram()?.as_slice::<f64>()?.to_vec();
        let mut shape = vec![n];
        shape.extend(&sizes);
        shape.push(rank);
        let mut out = zeros::<f64>(&shape)?;
        let points: usize = out.len() / (n * rank).max(1);
        let cols = rank + 1;
        let mut ix = 0;
        for b in 0..n {
            let m = &t[b * rank * cols..(b + 1) * rank * cols];
            for p in 0..points {
                // Row-major position p over the spatial sizes, x varying fastest.
                let mut rest = p;
                let mut point = [0f64; 4];
                for (k, coords) in axes.iter().enumerate() {
                    point[k] = coords[rest % coords.len()];
                    rest /= coords.len();
                }
                point[rank] = 1.0;
                for r in 0..rank {
                    out[ix] = (0..cols).map(|c| m[r * cols + c] * point[c]).sum();
                    ix += 1;
                }
            }
        }
        let y = Tensor::from_shape(&shape, &out)?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
