//! Attention, ONNX opsets 23 and 24 (with the opset 25 window attributes), following onnx's
//! reference implementation (onnx/reference/ops/op_attention.py) step by step: 3-D inputs split
//! into heads, past key/value concatenated, a bias from the mask (float or bool, padded with
//! -inf up to the total key length), `is_causal` aligned bottom-right (after the past keys, or
//! per batch at nonpad_kv_seqlen - q_len), sliding windows, the nonpad_kv_seqlen padding mask,
//! grouped-query heads, softcap, softmax_precision, all four qk_matmul_output modes, and rows
//! whose bias is all -inf giving 0. Computed in f64, rounded to the input type where the
//! reference holds its intermediates, so float16 models round as onnx's do.
//!
//! tract 0.23.9's Attention refuses softcap, qk_matmul_output_mode, nonpad_kv_seqlen and the
//! qk_matmul_output output, fails to type bool masks, ignores windows, aligns the causal mask
//! top-left when there are past keys, and gives NaN for fully masked rows.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::quant::{onnx_dt, round_to};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Attention.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Attention", build);
}

/// Scaled dot-product attention with every attribute of the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    is_causal: bool,
    scale: Option<f32>,
    q_num_heads: Option<usize>,
    kv_num_heads: Option<usize>,
    softcap: Option<f32>,
    qk_mode: i64,
    softmax_precision: Option<DatumType>,
    left_window: i64,
    right_window: i64,
    /// Positions among the (non-empty) inputs.
    mask: Option<usize>,
    past_key: Option<usize>,
    past_value: Option<usize>,
    nonpad: Option<usize>,
    /// Which of present_key, present_value, qk_matmul_output are wired.
    present_key: bool,
    present_value: bool,
    qk_output: bool,
}

impl Eq for Attention {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let given = |i: usize| node.input.get(i).is_some_and(|s| !s.is_empty());
    let mut next = 3;
    let mut slot = |i: usize| {
        given(i).then(|| {
            next += 1;
            next - 1
        })
    };
    let (mask, past_key, past_value, nonpad) = (slot(3), slot(4), slot(5), slot(6));
    ensure!(
        past_key.is_some() == past_value.is_some(),
        "past_key and past_value must be given together"
    );
    ensure!(
        !(nonpad.is_some() && past_key.is_some()),
        "nonpad_kv_seqlen cannot be combined with past_key/past_value"
    );
    let out = |i: usize| node.output.get(i).is_some_and(|s| !s.is_empty());
    let heads = |name: &str| -> TractResult<Option<usize>> {
        match node.get_attr_opt::<i64>(name)? {
            Some(h) if h > 0 => Ok(Some(h as usize)),
            Some(h) => bail!("{name} must be positive, got {h}"),
            None => Ok(None),
        }
    };
    let window = |name: &str| -> TractResult<i64> {
        let w = node.get_attr_opt::<i64>(name)?.unwrap_or(-1);
        ensure!(w >= -1, "{name} must be -1 or nonnegative, got {w}");
        Ok(w)
    };
    let qk_mode = node
        .get_attr_opt::<i64>("qk_matmul_output_mode")?
        .unwrap_or(0);
    ensure!(
        (0..=3).contains(&qk_mode),
        "qk_matmul_output_mode must be 0 to 3, got {qk_mode}"
    );
    boxed(Attention {
        is_causal: node.get_attr_opt::<i64>("is_causal")?.unwrap_or(0) != 0,
        scale: node.get_attr_opt::<f32>("scale")?,
        q_num_heads: heads("q_num_heads")?,
        kv_num_heads: heads("kv_num_heads")?,
        softcap: node.get_attr_opt::<f32>("softcap")?,
        qk_mode,
        softmax_precision: match node.get_attr_opt::<i64>("softmax_precision")? {
            Some(p) => Some(onnx_dt(p as i32)?),
            None => None,
        },
        left_window: window("left_window_size")?,
        right_window: window("right_window_size")?,
        mask,
        past_key,
        past_value,
        nonpad,
        present_key: out(1),
        present_value: out(2),
        qk_output: out(3),
    })
}

/// A dense rank-4 f64 array.
struct A4 {
    data: Vec<f64>,
    shape: [usize; 4],
}

impl A4 {
    fn at(&self, a: usize, b: usize, c: usize, d: usize) -> f64 {
        let [_, n1, n2, n3] = self.shape;
        self.data[((a * n1 + b) * n2 + c) * n3 + d]
    }

    fn into_tensor(self, dt: DatumType) -> TractResult<TValue> {
        let t =
            tract_ndarray::ArrayD::from_shape_vec(self.shape.to_vec(), self.data)?.into_tensor();
        Ok(t.cast_to_dt(dt)?.into_owned().into_tvalue())
    }
}

fn values(t: &Tensor) -> TractResult<Vec<f64>> {
    Ok(t.cast_to::<f64>()?
        .try_as_plain_ram()?
        .as_slice::<f64>()?
        .to_vec())
}

/// Q, K or V as (batch, heads, seq, head_size): 4-D as is, 3-D split into `heads`.
fn to_4d(t: &Tensor, heads: Option<usize>, what: &str) -> TractResult<A4> {
    let data = values(t)?;
    match *t.shape() {
        [b, h, s, d] => Ok(A4 {
            data,
            shape: [b, h, s, d],
        }),
        [b, s, hidden] => {
            let h = heads.with_context(|| format!("3-D {what} needs its num_heads attribute"))?;
            ensure!(
                hidden % h == 0,
                "{what} hidden size {hidden} is not a multiple of {h} heads"
            );
            let d = hidden / h;
            let mut out = vec![0.0; data.len()];
            for bi in 0..b {
                for si in 0..s {
                    for hi in 0..h {
                        for di in 0..d {
                            out[((bi * h + hi) * s + si) * d + di] =
                                data[(bi * s + si) * hidden + hi * d + di];
                        }
                    }
                }
            }
            Ok(A4 {
                data: out,
                shape: [b, h, s, d],
            })
        }
        ref other => bail!("{what} must be 3-D or 4-D, got shape {other:?}"),
    }
}

/// Past and current keys (or values) concatenated on the sequence axis.
fn concat_seq(past: Option<A4>, cur: A4, what: &str) -> TractResult<A4> {
    let Some(past) = past else { return Ok(cur) };
    let [b, h, sp, d] = past.shape;
    let [cb, ch, sc, cd] = cur.shape;
    ensure!(
        (b, h, d) == (cb, ch, cd),
        "past_{what} {:?} does not match {what} {:?}",
        past.shape,
        cur.shape
    );
    let mut data = Vec::with_capacity(b * h * (sp + sc) * d);
    for i in 0..b * h {
        data.extend_from_slice(&past.data[i * sp * d..(i + 1) * sp * d]);
        data.extend_from_slice(&cur.data[i * sc * d..(i + 1) * sc * d]);
    }
    Ok(A4 {
        data,
        shape: [b, h, sp + sc, d],
    })
}

impl Attention {
    fn head_counts(&self, q: &TypedFact, k: &TypedFact) -> TractResult<(TDim, TDim)> {
        if q.rank() == 4 {
            Ok((q.shape[1].clone(), k.shape[1].clone()))
        } else {
            let qh = self
                .q_num_heads
                .context("3-D Attention needs q_num_heads")?;
            let kh = self
                .kv_num_heads
                .context("3-D Attention needs kv_num_heads")?;
            Ok((qh.to_dim(), kh.to_dim()))
        }
    }

    /// The additive bias for (batch b, head h, query i, key j), as the reference builds it.
    fn bias(&self, mask: Option<(&[f64], &[usize])>, offset: i64, idx: [usize; 4]) -> f64 {
        let [_, _, i, j] = idx;
        let mut v = 0.0;
        if let Some((m, shape)) = mask {
            let last = shape.last().copied().unwrap_or(1);
            if j >= last {
                return f64::NEG_INFINITY;
            }
            let r = shape.len();
            let mut flat = 0;
            for (k, &n) in shape.iter().enumerate() {
                let want = idx[4 - r + k];
                flat = flat * n + if n == 1 { 0 } else { want };
            }
            v += m[flat];
        }
        let diff = (i as i64 + offset) - j as i64;
        if self.is_causal && diff < 0 {
            return f64::NEG_INFINITY;
        }
        if (self.left_window >= 0 && diff > self.left_window)
            || (self.right_window >= 0 && -diff > self.right_window)
        {
            return f64::NEG_INFINITY;
        }
        v
    }
}

impl Kernel for Attention {
    fn name(&self) -> &'static str {
        "Attention"
    }

    fn outputs(&self) -> usize {
        1 + self.present_key as usize + self.present_value as usize + self.qk_output as usize
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() >= 3, "Attention needs Q, K and V");
        let (q, k, v) = (inputs[0], inputs[1], inputs[2]);
        let dt = q.datum_type;
        ensure!(dt.is_float(), "Attention takes floats, got {dt:?}");
        ensure!(
            q.rank() == k.rank() && q.rank() == v.rank() && (q.rank() == 3 || q.rank() == 4),
            "Q, K and V must all be 3-D or all 4-D"
        );
        let (qh, kh) = self.head_counts(q, k)?;
        let (batch, q_len, kv_len) = if q.rank() == 4 {
            (q.shape[0].clone(), q.shape[2].clone(), k.shape[2].clone())
        } else {
            (q.shape[0].clone(), q.shape[1].clone(), k.shape[1].clone())
        };
        let (k_head, v_head) = if q.rank() == 4 {
            (k.shape[3].clone(), v.shape[3].clone())
        } else {
            let n = self
                .kv_num_heads
                .context("3-D Attention needs kv_num_heads")?;
            (k.shape[2].clone() / n, v.shape[2].clone() / n)
        };
        let past_len = match self.past_key {
            Some(i) => inputs.get(i).context("past_key is missing")?.shape[2].clone(),
            None => 0.to_dim(),
        };
        let total = past_len + kv_len;
        let y = if q.rank() == 4 {
            dt.fact([batch.clone(), qh.clone(), q_len.clone(), v_head.clone()])
        } else {
            dt.fact([batch.clone(), q_len.clone(), qh.clone() * &v_head])
        };
        let mut facts = tvec![y];
        if self.present_key {
            facts.push(dt.fact([batch.clone(), kh.clone(), total.clone(), k_head]));
        }
        if self.present_value {
            facts.push(dt.fact([batch.clone(), kh, total.clone(), v_head]));
        }
        if self.qk_output {
            facts.push(dt.fact([batch, qh, q_len, total]));
        }
        Ok(facts)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let rank = inputs[0].rank();
        let q = to_4d(&inputs[0], self.q_num_heads, "Q")?;
        let k = to_4d(&inputs[1], self.kv_num_heads, "K")?;
        let v = to_4d(&inputs[2], self.kv_num_heads, "V")?;
        let past = |i: Option<usize>, what: &str| -> TractResult<Option<A4>> {
            match i {
                Some(i) => {
                    let t = inputs
                        .get(i)
                        .with_context(|| format!("{what} is missing"))?;
                    ensure!(t.rank() == 4, "{what} must be 4-D");
                    Ok(Some(to_4d(t, None, what)?))
                }
                None => Ok(None),
            }
        };
        let past_len = past(self.past_key, "past_key")?.map_or(0, |p| p.shape[2]);
        let k = concat_seq(past(self.past_key, "past_key")?, k, "key")?;
        let v = concat_seq(past(self.past_value, "past_value")?, v, "value")?;
        let [batch, qh, q_len, head] = q.shape;
        let [kb, kh, kv_len, k_head] = k.shape;
        let [vb, vh, v_len, v_head] = v.shape;
        ensure!(
            kb == batch && vb == batch && vh == kh && v_len == kv_len && k_head == head,
            "Q {:?}, K {:?} and V {:?} do not fit together",
            q.shape,
            k.shape,
            v.shape
        );
        ensure!(
            kh > 0 && qh % kh == 0,
            "{qh} query heads are not a multiple of {kh} key/value heads"
        );
        let reps = qh / kh;

        // Mask as f64 bias values: bool true -> 0, false -> -inf.
        let mask = match self.mask {
            Some(i) => {
                let t = inputs.get(i).context("attn_mask is missing")?;
                let m: Vec<f64> = if t.datum_type() == bool::datum_type() {
                    t.try_as_plain_ram()?
                        .as_slice::<bool>()?
                        .iter()
                        .map(|&b| if b { 0.0 } else { f64::NEG_INFINITY })
                        .collect()
                } else {
                    values(t)?
                };
                let shape = t.shape().to_vec();
                ensure!(
                    (1..=4).contains(&shape.len()),
                    "attn_mask must be 1-D to 4-D, got {shape:?}"
                );
                ensure!(
                    shape[shape.len() - 1] <= kv_len,
                    "attn_mask is longer ({}) than the keys ({kv_len})",
                    shape[shape.len() - 1]
                );
                let target = [batch, qh, q_len, kv_len];
                for (k, &n) in shape.iter().enumerate().take(shape.len() - 1) {
                    let want = target[4 - shape.len() + k];
                    ensure!(
                        n == 1 || n == want,
                        "attn_mask {shape:?} does not broadcast to {target:?}"
                    );
                }
                Some((m, shape))
            }
            None => None,
        };
        let nonpad: Option<Vec<i64>> = match self.nonpad {
            Some(i) => {
                let t = inputs.get(i).context("nonpad_kv_seqlen is missing")?;
                let n = t
                    .cast_to::<i64>()?
                    .try_as_plain_ram()?
                    .as_slice::<i64>()?
                    .to_vec();
                ensure!(
                    n.len() == batch,
                    "nonpad_kv_seqlen has {} values for batch {batch}",
                    n.len()
                );
                Some(n)
            }
            None => None,
        };

        let r = |x: f64| round_to(x, dt);
        let scale = match self.scale {
            Some(s) => f64::from(s),
            None => 1.0 / (head as f64).sqrt(),
        };
        let scale = r(scale.sqrt());
        let qs: Vec<f64> = q.data.iter().map(|&x| r(x * scale)).collect();
        let ks: Vec<f64> = k.data.iter().map(|&x| r(x * scale)).collect();
        let p_dt = self.softmax_precision.unwrap_or(dt);

        let mut y = vec![0.0; batch * qh * q_len * v_head];
        let mut qk_out = vec![0.0; batch * qh * q_len * kv_len];
        let mut scores = vec![0.0; kv_len];
        let mut biases = vec![0.0; kv_len];
        for b in 0..batch {
            let offset = match &nonpad {
                Some(n) => n[b] - q_len as i64,
                None => past_len as i64,
            };
            for h in 0..qh {
                let g = h / reps;
                for i in 0..q_len {
                    let qrow = &qs[((b * qh + h) * q_len + i) * head..][..head];
                    for j in 0..kv_len {
                        let krow = &ks[((b * kh + g) * kv_len + j) * head..][..head];
                        let mut s = r(qrow.iter().zip(krow).map(|(a, c)| a * c).sum());
                        if let Some(cap) = self.softcap.filter(|c| *c > 0.0).map(f64::from) {
                            s = r(cap * (s / cap).tanh());
                        }
                        let mut bias = self.bias(
                            mask.as_ref().map(|(m, s)| (m.as_slice(), s.as_slice())),
                            offset,
                            [b, h, i, j],
                        );
                        if let Some(n) = &nonpad {
                            if j as i64 >= n[b] {
                                bias = f64::NEG_INFINITY;
                            }
                        }
                        biases[j] = bias;
                        let at = ((b * qh + h) * q_len + i) * kv_len + j;
                        let with_bias = r(s + bias);
                        qk_out[at] = if self.qk_mode == 2 { with_bias } else { s };
                        scores[j] = round_to(with_bias, p_dt);
                    }
                    let all_masked = biases.iter().all(|&x| x == f64::NEG_INFINITY);
                    softmax(&mut scores, all_masked, p_dt);
                    for (j, p) in scores.iter_mut().enumerate() {
                        *p = r(*p);
                        if self.qk_mode == 3 {
                            qk_out[((b * qh + h) * q_len + i) * kv_len + j] = *p;
                        }
                    }
                    let yrow = &mut y[((b * qh + h) * q_len + i) * v_head..][..v_head];
                    for (d, out) in yrow.iter_mut().enumerate() {
                        let acc: f64 = (0..kv_len).map(|j| scores[j] * v.at(b, g, j, d)).sum();
                        *out = r(acc);
                    }
                }
            }
        }

        let y = if rank == 3 {
            let mut out = vec![0.0; y.len()];
            for b in 0..batch {
                for h in 0..qh {
                    for i in 0..q_len {
                        for d in 0..v_head {
                            out[(b * q_len + i) * qh * v_head + h * v_head + d] =
                                y[((b * qh + h) * q_len + i) * v_head + d];
                        }
                    }
                }
            }
            let t = tract_ndarray::ArrayD::from_shape_vec(vec![batch, q_len, qh * v_head], out)?
                .into_tensor();
            t.cast_to_dt(dt)?.into_owned().into_tvalue()
        } else {
            A4 {
                data: y,
                shape: [batch, qh, q_len, v_head],
            }
            .into_tensor(dt)?
        };
        let mut outputs = tvec![y];
        if self.present_key {
            outputs.push(k.into_tensor(dt)?);
        }
        if self.present_value {
            outputs.push(v.into_tensor(dt)?);
        }
        if self.qk_output {
            outputs.push(
                A4 {
                    data: qk_out,
                    shape: [batch, qh, q_len, kv_len],
                }
                .into_tensor(dt)?,
            );
        }
        Ok(outputs)
    }
}

/// Softmax of one row in place, rounded to `dt`; 0 everywhere for a row whose max is -inf or
/// whose bias is all -inf (the reference's fully-masked-row guard).
fn softmax(row: &mut [f64], all_masked: bool, dt: DatumType) {
    let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if all_masked || max == f64::NEG_INFINITY {
        row.iter_mut().for_each(|x| *x = 0.0);
        return;
    }
    for x in row.iter_mut() {
        *x = round_to((*x - max).exp(), dt);
    }
    let sum = round_to(row.iter().sum(), dt);
    for x in row.iter_mut() {
        *x = round_to(*x / sum, dt);
    }
}
