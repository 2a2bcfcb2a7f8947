//! RoiAlign, ONNX opset 16 (and 10, whose only coordinate mode is output_half_pixel): pools
//! each region of interest of an NCHW map into output_height x output_width bins, averaging (or
//! taking the max of) bilinear samples. Follows onnx's reference and onnxruntime, including their
//! max mode, which takes the max of the four weighted corners of each sample.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers RoiAlign.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("RoiAlign", build);
}

/// Region-of-interest pooling with bilinear sampling.
#[derive(Clone, Debug, PartialEq)]
pub struct RoiAlign {
    max: bool,
    half_pixel: bool,
    out_h: usize,
    out_w: usize,
    sampling_ratio: usize,
    spatial_scale: f32,
}

impl Eq for RoiAlign {}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let max = match node.get_attr_opt::<&str>("mode")?.unwrap_or("avg") {
        "avg" => false,
        "max" => true,
        other => bail!("RoiAlign: mode {other:?} is not avg or max"),
    };
    let default_mode = if ctx.onnx_operator_set_version >= 16 {
        "half_pixel"
    } else {
        "output_half_pixel"
    };
    let half_pixel = match node
        .get_attr_opt::<&str>("coordinate_transformation_mode")?
        .unwrap_or(default_mode)
    {
        "half_pixel" => true,
        "output_half_pixel" => false,
        other => bail!("RoiAlign: coordinate_transformation_mode {other:?} is not supported"),
    };
    let positive = |name: &str, default: i64| -> TractResult<usize> {
        let v = node.get_attr_opt::<i64>(name)?.unwrap_or(default);
        ensure!(v >= 0, "RoiAlign: {name} is negative ({v})");
        Ok(v as usize)
    };
    let (out_h, out_w) = (positive("output_height", 1)?, positive("output_width", 1)?);
    ensure!(
        out_h > 0 && out_w > 0,
        "RoiAlign: output size must be positive"
    );
    boxed(RoiAlign {
        max,
        half_pixel,
        out_h,
        out_w,
        sampling_ratio: positive("sampling_ratio", 0)?,
        spatial_scale: node.get_attr_opt::<f32>("spatial_scale")?.unwrap_or(1.0),
    })
}

/// One bilinear sample: four flat positions in an H x W plane and their weights.
#[derive(Clone, Copy, Default)]
struct Sample {
    pos: [usize; 4],
    w: [f64; 4],
}

/// The sample at (y, x), or all-zero weights when it falls outside the map (as the reference).
fn sample(y: f64, x: f64, h: usize, w: usize) -> Sample {
    if y < -1.0 || y > h as f64 || x < -1.0 || x > w as f64 {
        return Sample::default();
    }
    let (mut y, mut x) = (y.max(0.0), x.max(0.0));
    let (mut y0, mut x0) = (y as usize, x as usize);
    let y1 = if y0 >= h - 1 {
        y0 = h - 1;
        y = y0 as f64;
        y0
    } else {
        y0 + 1
    };
    let x1 = if x0 >= w - 1 {
        x0 = w - 1;
        x = x0 as f64;
        x0
    } else {
        x0 + 1
    };
    let (ly, lx) = (y - y0 as f64, x - x0 as f64);
    let (hy, hx) = (1.0 - ly, 1.0 - lx);
    Sample {
        pos: [y0 * w + x0, y0 * w + x1, y1 * w + x0, y1 * w + x1],
        w: [hy * hx, hy * lx, ly * hx, ly * lx],
    }
}

impl Kernel for RoiAlign {
    fn name(&self) -> &'static str {
        "RoiAlign"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() == 3,
            "RoiAlign takes X, rois and batch_indices"
        );
        let (x, rois) = (inputs[0], inputs[1]);
        ensure!(
            x.datum_type.is_float() && x.rank() == 4 && rois.rank() == 2,
            "RoiAlign takes a float NCHW X and (num_rois, 4) rois"
        );
        let shape = [
            rois.shape[0].clone(),
            x.shape[1].clone(),
            self.out_h.to_dim(),
            self.out_w.to_dim(),
        ];
        Ok(tvec![x.datum_type.fact(shape)])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let (n, c, h, w) = match inputs[0].shape() {
            [n, c, h, w] => (*n, *c, *h, *w),
            s => bail!("RoiAlign: X must be NCHW, got {s:?}"),
        };
        let rois_n = match inputs[1].shape() {
            [r, 4] => *r,
            s => bail!("RoiAlign: rois must be (num_rois, 4), got {s:?}"),
        };
        ensure!(
            inputs[2].shape() == [rois_n],
            "RoiAlign: batch_indices must be ({rois_n}), got {:?}",
            inputs[2].shape()
        );
        let x = inputs[0].cast_to::<f64>()?;
        let x = x.try_as_plain_ram()?;
        let x = x.as_slice::<f64>()?;
        let rois = inputs[1].cast_to::<f64>()?;
        let rois = rois.try_as_plain_ram()?;
        let rois = rois.as_slice::<f64>()?;
        let batch = inputs[2].cast_to::<i64>()?;
        let batch = batch.try_as_plain_ram()?;
        let batch = batch.as_slice::<i64>()?;
        let (oh, ow) = (self.out_h, self.out_w);
        let mut y = zeros::<f64>(&[rois_n, c, oh, ow])?;
        if h == 0 || w == 0 {
            bail!("RoiAlign: X has an empty spatial dim");
        }
        let scale = f64::from(self.spatial_scale);
        let offset = if self.half_pixel { 0.5 } else { 0.0 };
        for r in 0..rois_n {
            let b = batch[r];
            ensure!(
                (0..n as i64).contains(&b),
                "RoiAlign: batch index {b} is outside [0, {n})"
            );
            let roi = &rois[r * 4..][..4];
            let (x0, y0) = (roi[0] * scale - offset, roi[1] * scale - offset);
            let (mut rw, mut rh) = (roi[2] * scale - offset - x0, roi[3] * scale - offset - y0);
            if !self.half_pixel {
                // Malformed regions become 1 x 1.
                rw = rw.max(1.0);
                rh = rh.max(1.0);
            }
            let (bin_h, bin_w) = (rh / oh as f64, rw / ow as f64);
            let grid = |bin: f64| -> usize {
                if self.sampling_ratio > 0 {
                    self.sampling_ratio
                } else {
                    bin.ceil().max(0.0) as usize
                }
            };
            let (gh, gw) = (grid(bin_h), grid(bin_w));
            ensure!(
                gh.saturating_mul(gw) <= 1 << 20,
                "RoiAlign: region {r} asks for {gh} x {gw} samples per bin"
            );
            let count = (gh * gw).max(1) as f64;
            let mut samples = zeros::<Sample>(&[oh, ow, gh, gw])?;
            let mut at = 0;
            for ph in 0..oh {
                for pw in 0..ow {
                    for iy in 0..gh {
                        let sy = y0 + ph as f64 * bin_h + (iy as f64 + 0.5) * bin_h / gh as f64;
                        for ix in 0..gw {
                            let sx = x0 + pw as f64 * bin_w + (ix as f64 + 0.5) * bin_w / gw as f64;
                            samples[at] = sample(sy, sx, h, w);
                            at += 1;
                        }
                    }
                }
            }
            for ch in 0..c {
                let plane = &x[(b as usize * c + ch) * h * w..][..h * w];
                let out = &mut y[(r * c + ch) * oh * ow..][..oh * ow];
                for (bin, o) in out.iter_mut().enumerate() {
                    let bin_samples = &samples[bin * gh * gw..][..gh * gw];
                    let terms = bin_samples
                        .iter()
                        .map(|s| (0..4).map(move |k| s.w[k] * plane[s.pos[k]]));
                    *o = if self.max {
                        terms
                            .map(|t| t.fold(f64::NEG_INFINITY, f64::max))
                            .reduce(f64::max)
                            .unwrap_or(0.0)
                    } else {
                        terms.map(|t| t.sum::<f64>()).sum::<f64>() / count
                    };
                }
            }
        }
        let y = tensor1(&y).into_shape(&[rois_n, c, oh, ow])?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
