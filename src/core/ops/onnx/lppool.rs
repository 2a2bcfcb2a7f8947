//! LpPool, ONNX opset 22 (same as 18): y = (sum of |x|^p over each window)^(1/p) on the spatial
//! axes of [N, C, D1, ...], padding counting as zeros; `auto_pad`, `ceil_mode`, `dilations`,
//! `pads` and `strides` as for the other pools. Computed in f64, returned in X's float type.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers LpPool.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("LpPool", build);
}

/// Spatial axes handled (the window's coordinates live in a fixed array).
const MAX_RANK: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AutoPad {
    NotSet,
    SameUpper,
    SameLower,
    Valid,
}

/// Lp norm over sliding windows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LpPool {
    kernel: Vec<usize>,
    strides: Vec<usize>,
    dilations: Vec<usize>,
    /// Begin pads then end pads, as in the attribute.
    pads: Vec<usize>,
    auto_pad: AutoPad,
    ceil_mode: bool,
    p: i64,
}

fn positive(node: &NodeProto, name: &str, rank: usize) -> TractResult<Vec<usize>> {
    match node.get_attr_opt_vec::<i64>(name)? {
        None => Ok(vec![1; rank]),
        Some(v) => {
            ensure!(
                v.len() == rank && v.iter().all(|x| *x > 0),
                "{name} must be {rank} positive values"
            );
            Ok(v.into_iter().map(|x| x as usize).collect())
        }
    }
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let kernel = node.get_attr_vec::<i64>("kernel_shape")?;
    ensure!(
        !kernel.is_empty() && kernel.iter().all(|k| *k > 0),
        "kernel_shape must be positive"
    );
    let rank = kernel.len();
    ensure!(
        rank <= MAX_RANK,
        "LpPool takes at most {MAX_RANK} spatial axes"
    );
    let pads = match node.get_attr_opt_vec::<i64>("pads")? {
        None => vec![0; 2 * rank],
        Some(p) => {
            ensure!(
                p.len() == 2 * rank && p.iter().all(|x| *x >= 0),
                "pads must be {} non-negative values",
                2 * rank
            );
            p.into_iter().map(|x| x as usize).collect()
        }
    };
    let auto_pad = match node.get_attr_opt::<&str>("auto_pad")?.unwrap_or("NOTSET") {
        "NOTSET" => AutoPad::NotSet,
        "SAME_UPPER" => AutoPad::SameUpper,
        "SAME_LOWER" => AutoPad::SameLower,
        "VALID" => AutoPad::Valid,
        other => bail!("auto_pad {other:?} is unknown"),
    };
    let p = node.get_attr_opt::<i64>("p")?.unwrap_or(2);
    ensure!(p > 0, "p must be positive, got {p}");
    boxed(LpPool {
        kernel: kernel.into_iter().map(|k| k as usize).collect(),
        strides: positive(node, "strides", rank)?,
        dilations: positive(node, "dilations", rank)?,
        pads,
        auto_pad,
        ceil_mode: node.get_attr_opt::<i64>("ceil_mode")?.unwrap_or(0) != 0,
        p,
    })
}

impl LpPool {
    /// Output length and begin pad of spatial axis `i` of length `len`.
    fn geometry(&self, i: usize, len: usize) -> TractResult<(usize, usize)> {
        let (s, span) = (
            self.strides[i],
            (self.kernel[i] - 1) * self.dilations[i] + 1,
        );
        match self.auto_pad {
            AutoPad::SameUpper | AutoPad::SameLower => {
                let out = len.div_ceil(s);
                let total = ((out.max(1) - 1) * s + span).saturating_sub(len);
                let begin = match self.auto_pad {
                    AutoPad::SameUpper => total / 2,
                    _ => total - total / 2,
                };
                Ok((out, begin))
            }
            AutoPad::Valid => {
                ensure!(len >= span, "window {span} is longer than the input {len}");
                Ok(((len - span) / s + 1, 0))
            }
            AutoPad::NotSet => {
                let (begin, end) = (self.pads[i], self.pads[i + self.kernel.len()]);
                let padded = len + begin + end;
                ensure!(
                    padded >= span,
                    "window {span} is longer than the padded input {padded}"
                );
                let mut out = if self.ceil_mode {
                    (padded - span).div_ceil(s) + 1
                } else {
                    (padded - span) / s + 1
                };
                // A last window starting in the end padding is dropped.
                if self.ceil_mode && (out - 1) * s >= len + begin {
                    out -= 1;
                }
                Ok((out, begin))
            }
        }
    }
}

impl LpPool {
    /// Output length of spatial axis `i` when its input length is symbolic.
    fn symbolic_len(&self, i: usize, len: &TDim) -> TractResult<TDim> {
        let (s, span) = (
            self.strides[i],
            (self.kernel[i] - 1) * self.dilations[i] + 1,
        );
        let s64 = s as u64;
        Ok(match self.auto_pad {
            AutoPad::SameUpper | AutoPad::SameLower => (len.clone() + (s - 1)) / s64,
            AutoPad::Valid => (len.clone() - span) / s64 + 1,
            AutoPad::NotSet if !self.ceil_mode => {
                let pads = self.pads[i] + self.pads[i + self.kernel.len()];
                (len.clone() + pads - span) / s64 + 1
            }
            AutoPad::NotSet => bail!("LpPool with ceil_mode needs known spatial dims"),
        })
    }
}

impl Kernel for LpPool {
    fn name(&self) -> &'static str {
        "LpPool"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let x = inputs[0];
        ensure!(x.datum_type.is_float(), "LpPool takes floats");
        let rank = self.kernel.len();
        ensure!(
            x.rank() == rank + 2,
            "LpPool with a {rank}-d kernel takes a rank {} input",
            rank + 2
        );
        let mut shape: TVec<TDim> = x.shape.iter().take(2).cloned().collect();
        for i in 0..rank {
            let dim = &x.shape[i + 2];
            shape.push(match dim.to_usize() {
                Ok(len) => self.geometry(i, len)?.0.to_dim(),
                Err(_) => self.symbolic_len(i, dim)?,
            });
        }
        Ok(tvec![x.datum_type.fact(shape)])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let dt = x.datum_type();
        let rank = self.kernel.len();
        ensure!(x.rank() == rank + 2, "LpPool: wrong input rank");
        let xs = x.cast_to::<f64>()?;
        let data = xs.try_as_plain_ram()?.as_slice::<f64>()?.to_vec();
        let spatial = &x.shape()[2..];
        let geo: Vec<(usize, usize)> = (0..rank)
            .map(|i| self.geometry(i, spatial[i]))
            .collect::<TractResult<_>>()?;
        let out_spatial: Vec<usize> = geo.iter().map(|g| g.0).collect();
        let planes = x.shape()[0] * x.shape()[1];
        let in_plane: usize = spatial.iter().product();
        let out_plane: usize = out_spatial.iter().product();
        let windows: usize = self.kernel.iter().product();
        let p = self.p as f64;
        let mut out = Vec::with_capacity(planes * out_plane);
        for plane in 0..planes {
            let base = plane * in_plane;
            for o in 0..out_plane {
                let mut sum = 0f64;
                'window: for w in 0..windows {
                    // Row-major decomposition of o (output) and w (kernel) per axis.
                    let (mut oi, mut wi, mut offset) = (o, w, 0usize);
                    let mut coords = [0usize; MAX_RANK];
                    for axis in (0..rank).rev() {
                        coords[axis] = oi % out_spatial[axis];
                        oi /= out_spatial[axis];
                        let k = wi % self.kernel[axis];
                        wi /= self.kernel[axis];
                        let pos = (coords[axis] * self.strides[axis] + k * self.dilations[axis])
                            as i64
                            - geo[axis].1 as i64;
                        if pos < 0 || pos >= spatial[axis] as i64 {
                            continue 'window;
                        }
                        coords[axis] = pos as usize;
                    }
                    for axis in 0..rank {
                        offset = offset * spatial[axis] + coords[axis];
                    }
                    sum += data[base + offset].abs().powf(p);
                }
                out.push(sum.powf(1.0 / p));
            }
        }
        let mut shape = x.shape()[..2].to_vec();
        shape.extend(out_spatial);
        let y = Tensor::from_shape(&shape, &out)?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
