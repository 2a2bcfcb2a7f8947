//! Col2Im, ONNX opset 18: rearranges column blocks [N, C * prod(block_shape), L] into an image
//! [N, C, *image_shape], summing where blocks overlap (`dilations`, `pads`, `strides` as for
//! Conv). Output dims come from constant shape inputs, else are fresh symbols until the run.
//! Float types only.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{bound_fact, boxed, partial_fact, Kernel};

/// Registers Col2Im.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Col2Im", build);
}

/// Column blocks back to an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Col2Im {
    dilations: Option<Vec<i64>>,
    pads: Option<Vec<i64>>,
    strides: Option<Vec<i64>>,
    /// C then the spatial dims, bound when the node is typed (for non-constant shapes).
    dims: Vec<Symbol>,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(Col2Im {
        dilations: node.get_attr_opt_vec::<i64>("dilations")?,
        pads: node.get_attr_opt_vec::<i64>("pads")?,
        strides: node.get_attr_opt_vec::<i64>("strides")?,
        dims: vec![],
    })
}

/// The product of sizes given as values, an error on overflow.
fn product(v: &[usize]) -> TractResult<usize> {
    v.iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d))
        .ok_or_else(|| format_err!("sizes {v:?} overflow"))
}

fn values(t: &Tensor) -> TractResult<Vec<usize>> {
    let v = t.cast_to::<i64>()?;
    v.try_as_plain_ram()?
        .as_slice::<i64>()?
        .iter()
        .map(|&x| usize::try_from(x).map_err(|_| format_err!("negative value {x}")))
        .collect()
}

/// Per spatial axis: image length, block length, dilation, begin pad, end pad, stride.
struct Axes {
    image: Vec<usize>,
    block: Vec<usize>,
    dilations: Vec<usize>,
    pads: Vec<usize>,
    strides: Vec<usize>,
}

impl Axes {
    /// Number of block positions along axis `i`.
    fn blocks(&self, i: usize) -> TractResult<usize> {
        let n = self.image.len();
        let padded = self.image[i]
            .checked_add(self.pads[i])
            .and_then(|p| p.checked_add(self.pads[i + n]));
        let span = self.dilations[i]
            .checked_mul(self.block[i].max(1) - 1)
            .and_then(|s| s.checked_add(1));
        let (Some(padded), Some(span)) = (padded, span) else {
            bail!("Col2Im axis {i}: sizes overflow")
        };
        ensure!(padded >= span, "block {i} does not fit in the padded image");
        Ok((padded - span) / self.strides[i] + 1)
    }
}

impl Col2Im {
    fn axes(&self, image: Vec<usize>, block: Vec<usize>) -> TractResult<Axes> {
        let n = image.len();
        ensure!(
            block.len() == n,
            "image_shape and block_shape differ in length"
        );
        let attr = |v: &Option<Vec<i64>>, len: usize, default: usize, name: &str| {
            let v = match v {
                None => vec![default; len],
                Some(v) => v
                    .iter()
                    .map(|&x| usize::try_from(x).map_err(|_| format_err!("negative {name}")))
                    .collect::<TractResult<Vec<usize>>>()?,
            };
            ensure!(v.len() == len, "{name} must have {len} values");
            Ok(v)
        };
        let axes = Axes {
            dilations: attr(&self.dilations, n, 1, "dilations")?,
            pads: attr(&self.pads, 2 * n, 0, "pads")?,
            strides: attr(&self.strides, n, 1, "strides")?,
            image,
            block,
        };
        ensure!(
            axes.strides.iter().chain(&axes.dilations).all(|x| *x > 0),
            "strides and dilations must be positive"
        );
        Ok(axes)
    }

    /// Output dims (None: unknown), with `fresh(i)` for dim i when the shapes are not constant.
    fn dims(
        &self,
        inputs: &[&TypedFact],
        fresh: impl Fn(usize) -> Option<TDim>,
    ) -> TractResult<TVec<Option<TDim>>> {
        ensure!(
            inputs.len() == 3,
            "Col2Im takes input, image_shape, block_shape"
        );
        let x = inputs[0];
        ensure!(x.rank() == 3, "Col2Im takes a [N, C * block, L] input");
        ensure!(x.datum_type.is_float(), "Col2Im takes floats");
        let spatial = inputs[1]
            .shape
            .iter()
            .next()
            .and_then(|d| d.to_usize().ok())
            .filter(|_| inputs[1].rank() == 1)
            .ok_or_else(|| format_err!("image_shape must be 1-D of known length"))?;
        let mut dims = tvec![Some(x.shape[0].clone())];
        let channels = match &inputs[2].konst {
            Some(b) => {
                let bl = product(&values(b)?)?;
                ensure!(bl > 0, "block_shape must be positive");
                Some(x.shape[1].clone() / bl as u64)
            }
            None => fresh(0),
        };
        dims.push(channels);
        match &inputs[1].konst {
            Some(image) => dims.extend(values(image)?.into_iter().map(|d| Some(d.to_dim()))),
            None => dims.extend((0..spatial).map(|i| fresh(i + 1))),
        }
        Ok(dims)
    }
}

impl Kernel for Col2Im {
    fn name(&self) -> &'static str {
        "Col2Im"
    }

    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        let dims = self.dims(inputs, |_| None)?;
        Ok(tvec![partial_fact(inputs[0].datum_type, dims)])
    }

    fn bind_symbols(&mut self, symbols: &SymbolScope, inputs: &[&TypedFact]) {
        let spatial = inputs
            .get(1)
            .and_then(|f| f.shape.iter().next())
            .and_then(|d| d.to_usize().ok())
            .unwrap_or(0);
        self.dims = (0..=spatial)
            .map(|_| symbols.new_with_prefix("col2im"))
            .collect();
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let dims = self.dims(inputs, |i| self.dims.get(i).cloned().map(TDim::from))?;
        Ok(tvec![bound_fact("Col2Im", inputs[0].datum_type, dims)?])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let dt = x.datum_type();
        ensure!(dt.is_float(), "Col2Im takes floats, got {dt:?}");
        let &[n, cb, l] = x.shape() else {
            bail!("Col2Im takes a [N, C * block, L] input")
        };
        let axes = self.axes(values(&inputs[1])?, values(&inputs[2])?)?;
        let rank = axes.image.len();
        let bl = product(&axes.block)?;
        ensure!(
            bl > 0 && cb % bl == 0,
            "input dim 1 ({cb}) is not a multiple of the block size {bl}"
        );
        let blocks: Vec<usize> = (0..rank)
            .map(|i| axes.blocks(i))
            .collect::<TractResult<_>>()?;
        ensure!(
            product(&blocks)? == l,
            "input dim 2 ({l}) is not the number of blocks {blocks:?}"
        );
        let c = cb / bl;
        let data = x.cast_to::<f64>()?;
        let data = data.try_as_plain_ram()?.as_slice::<f64>()?.to_vec();
        let mut shape = vec![n, c];
        shape.extend(&axes.image);
        let mut out = zeros::<f64>(&shape)?;
        // No overflow: the whole output's size was checked (and no plane when n * c is 0).
        let plane = out.len() / (n * c).max(1);
        for nc in 0..n * c {
            for k in 0..bl {
                for col in 0..l {
                    // Row-major decomposition of the kernel offset k and block position col.
                    let (mut ki, mut ci, mut offset, mut inside) = (k, col, 0usize, true);
                    let mut pos = vec![0usize; rank];
                    for i in (0..rank).rev() {
                        let (kk, cc) = (ki % axes.block[i], ci % blocks[i]);
                        ki /= axes.block[i];
                        ci /= blocks[i];
                        let p = (cc * axes.strides[i] + kk * axes.dilations[i]) as i64
                            - axes.pads[i] as i64;
                        if p < 0 || p >= axes.image[i] as i64 {
                            inside = false;
                            break;
                        }
                        pos[i] = p as usize;
                    }
                    if !inside {
                        continue;
                    }
                    for (len, p) in axes.image.iter().zip(&pos) {
                        offset = offset * len + p;
                    }
                    out[nc * plane + offset] += data[(nc * bl + k) * l + col];
                }
            }
        }
        let y = Tensor::from_shape(&shape, &out)?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
