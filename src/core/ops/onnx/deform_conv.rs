//! DeformConv, ONNX opset 22 (same as 19), 2D: a grouped convolution whose kernel taps are moved
//! by per-position offsets (and optionally scaled by a mask), sampled bilinearly with zeros
//! outside X, as onnx's reference does with GridSample (align_corners). Other ranks are refused.
use tract_onnx::model::{optional_inputs, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers DeformConv.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("DeformConv", build);
}

/// Deformable 2D convolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeformConv {
    dilations: [usize; 2],
    strides: [usize; 2],
    /// top, left (bottom and right only matter to the output size, given by offset).
    pads: [usize; 4],
    group: usize,
    offset_group: usize,
    kernel: Option<[usize; 2]>,
    /// Positions among the wired inputs of B and mask (None when omitted).
    bias: Option<usize>,
    mask: Option<usize>,
}

fn pair(node: &NodeProto, name: &str, default: usize) -> TractResult<[usize; 2]> {
    match node.get_attr_opt_vec::<i64>(name)? {
        None => Ok([default; 2]),
        Some(v) if v.len() == 2 && v.iter().all(|x| *x > 0) => Ok([v[0] as usize, v[1] as usize]),
        Some(v) => bail!("DeformConv: {name} {v:?} is not two positive values (2D only)"),
    }
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let pads = match node.get_attr_opt_vec::<i64>("pads")? {
        None => [0; 4],
        Some(v) if v.len() == 4 && v.iter().all(|x| *x >= 0) => {
            [v[0] as usize, v[1] as usize, v[2] as usize, v[3] as usize]
        }
        Some(v) => bail!("DeformConv: pads {v:?} are not four non-negative values (2D only)"),
    };
    let count = |name: &str| -> TractResult<usize> {
        let v = node.get_attr_opt::<i64>(name)?.unwrap_or(1);
        ensure!(v > 0, "DeformConv: {name} must be positive, got {v}");
        Ok(v as usize)
    };
    let kernel = match node.get_attr_opt_vec::<i64>("kernel_shape")? {
        None => None,
        Some(_) => Some(pair(node, "kernel_shape", 1)?),
    };
    let slots: Vec<Option<usize>> = optional_inputs(node).take(5).collect();
    ensure!(
        slots[..3].iter().all(Option::is_some),
        "DeformConv needs X, W and offset"
    );
    boxed(DeformConv {
        dilations: pair(node, "dilations", 1)?,
        strides: pair(node, "strides", 1)?,
        pads,
        group: count("group")?,
        offset_group: count("offset_group")?,
        kernel,
        bias: slots[3],
        mask: slots[4],
    })
}

fn floats(t: &Tensor) -> TractResult<Vec<f64>> {
    Ok(t.cast_to::<f64>()?
        .try_as_plain_ram()?
        .as_slice::<f64>()?
        .to_vec())
}

/// Bilinear sample of an H x W plane at (y, x), zero outside.
fn bilinear(plane: &[f64], h: usize, w: usize, y: f64, x: f64) -> f64 {
    let (y0, x0) = (y.floor(), x.floor());
    let (ly, lx) = (y - y0, x - x0);
    let at = |yy: f64, xx: f64| -> f64 {
        if yy >= 0.0 && xx >= 0.0 && yy < h as f64 && xx < w as f64 {
            plane[yy as usize * w + xx as usize]
        } else {
            0.0
        }
    };
    at(y0, x0) * (1.0 - ly) * (1.0 - lx)
        + at(y0, x0 + 1.0) * (1.0 - ly) * lx
        + at(y0 + 1.0, x0) * ly * (1.0 - lx)
        + at(y0 + 1.0, x0 + 1.0) * ly * lx
}

impl Kernel for DeformConv {
    fn name(&self) -> &'static str {
        "DeformConv"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() >= 3, "DeformConv needs X, W and offset");
        let (x, w, off) = (inputs[0], inputs[1], inputs[2]);
        ensure!(
            x.datum_type.is_float() && x.rank() == 4 && w.rank() == 4 && off.rank() == 4,
            "DeformConv runs 2D only: X, W and offset must be rank 4 floats"
        );
        let shape = [
            x.shape[0].clone(),
            w.shape[0].clone(),
            off.shape[2].clone(),
            off.shape[3].clone(),
        ];
        Ok(tvec![x.datum_type.fact(shape)])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let dims = |ix: usize, name: &str| -> TractResult<[usize; 4]> {
            match inputs[ix].shape() {
                [a, b, c, d] => Ok([*a, *b, *c, *d]),
                s => bail!("DeformConv runs 2D only: {name} must be rank 4, got {s:?}"),
            }
        };
        let [n, ic, ih, iw] = dims(0, "X")?;
        let [oc, icg, kh, kw] = dims(1, "W")?;
        let [on, och, oh, ow] = dims(2, "offset")?;
        let (group, og) = (self.group, self.offset_group);
        ensure!(
            ic == icg * group && oc % group == 0,
            "DeformConv: X has {ic} channels, W {icg} per group, {oc} outputs, group {group}"
        );
        ensure!(
            ic % og == 0,
            "DeformConv: {ic} channels do not split into {og} offset groups"
        );
        if let Some(k) = self.kernel {
            ensure!(
                k == [kh, kw],
                "DeformConv: kernel_shape {k:?} is not W's {kh}x{kw}"
            );
        }
        let taps = kh * kw;
        ensure!(
            on == n && och == og * taps * 2,
            "DeformConv: offset {:?} is not ({n}, {}, oh, ow)",
            inputs[2].shape(),
            og * taps * 2
        );
        let [dh, dw] = self.dilations;
        let [sh, sw] = self.strides;
        let p = self.pads;
        // Checked: attributes may be huge. Once the output size matches, every tap is in range.
        let want = |i: usize, k: usize, d: usize, a: usize, b: usize, s: usize| {
            let span = (k.checked_sub(1)?).checked_mul(d)?.checked_add(1)?;
            let padded = i.checked_add(a)?.checked_add(b)?;
            padded.checked_sub(span).map(|v| v / s + 1)
        };
        ensure!(
            want(ih, kh, dh, p[0], p[2], sh) == Some(oh)
                && want(iw, kw, dw, p[1], p[3], sw) == Some(ow),
            "DeformConv: pads, dilations, strides and kernel do not give offset's {oh}x{ow}"
        );
        let x = floats(&inputs[0])?;
        let wt = floats(&inputs[1])?;
        let off = floats(&inputs[2])?;
        let bias = match self.bias {
            Some(ix) => {
                let b = floats(&inputs[ix])?;
                ensure!(
                    b.len() == oc,
                    "DeformConv: B has {} values for {oc}",
                    b.len()
                );
                b
            }
            None => vec![0.0; oc],
        };
        let mask = match self.mask {
            Some(ix) => {
                ensure!(
                    inputs[ix].shape() == [n, og * taps, oh, ow],
                    "DeformConv: mask {:?} is not ({n}, {}, {oh}, {ow})",
                    inputs[ix].shape(),
                    og * taps
                );
                Some(floats(&inputs[ix])?)
            }
            None => None,
        };
        let (ocg, icpog) = (oc / group, ic / og);
        let mut y = zeros::<f64>(&[n, oc, oh, ow])?;
        for b in 0..n {
            for o in 0..oc {
                let g = o / ocg;
                for i in 0..oh {
                    for j in 0..ow {
                        let mut acc = bias[o];
                        for c in g * icg..(g + 1) * icg {
                            let ogi = c / icpog;
                            let plane = &x[(b * ic + c) * ih * iw..][..ih * iw];
                            for t in 0..taps {
                                let (ki, kj) = (t / kw, t % kw);
                                let ch = ((b * og + ogi) * taps + t) * 2;
                                let dy = off[(ch * oh + i) * ow + j];
                                let dx = off[((ch + 1) * oh + i) * ow + j];
                                let sy = (i * sh + ki * dh) as f64 - p[0] as f64 + dy;
                                let sx = (j * sw + kj * dw) as f64 - p[1] as f64 + dx;
                                let m = mask.as_ref().map_or(1.0, |m| {
                                    m[(((b * og + ogi) * taps + t) * oh + i) * ow + j]
                                });
                                let wv = wt[((o * icg + c - g * icg) * kh + ki) * kw + kj];
                                acc += bilinear(plane, ih, iw, sy, sx) * wv * m;
                            }
                        }
                        y[((b * oc + o) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        let y = tensor1(&y).into_shape(&[n, oc, oh, ow])?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
