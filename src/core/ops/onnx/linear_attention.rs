//! LinearAttention, ONNX opset 27: the recurrent linear-attention update (linear, gated, delta,
//! gated_delta) over packed [B, T, H*D] inputs, with grouped-query heads. Computed token by token
//! in f32 as onnx's reference does; `chunk_size` is a tuning hint and changes nothing.
use tract_onnx::model::{optional_inputs, optional_outputs, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers LinearAttention.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("LinearAttention", build);
}

/// Linear attention with a recurrent (B, H_kv, d_k, d_v) state.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearAttention {
    q_heads: usize,
    kv_heads: usize,
    /// 0 means 1/sqrt(d_k).
    scale: f32,
    gating: bool,
    delta: bool,
    /// Position among the wired inputs of past_state, decay, beta (None when omitted).
    past: Option<usize>,
    decay: Option<usize>,
    beta: Option<usize>,
    /// Which of output, present_state the node asks for.
    wanted: [bool; 2],
}

impl Eq for LinearAttention {}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let heads = |name: &str| -> TractResult<usize> {
        let h: i64 = node
            .get_attr_opt(name)?
            .with_context(|| format!("LinearAttention needs the {name} attribute"))?;
        ensure!(h > 0, "LinearAttention: {name} must be positive, got {h}");
        Ok(h as usize)
    };
    let (q_heads, kv_heads) = (heads("q_num_heads")?, heads("kv_num_heads")?);
    ensure!(
        q_heads % kv_heads == 0,
        "LinearAttention: q_num_heads {q_heads} is not a multiple of kv_num_heads {kv_heads}"
    );
    let rule = node
        .get_attr_opt::<&str>("update_rule")?
        .unwrap_or("gated_delta");
    let (gating, delta) = match rule {
        "linear" => (false, false),
        "gated" => (true, false),
        "delta" => (false, true),
        "gated_delta" => (true, true),
        other => bail!(
            "LinearAttention: update_rule {other:?} is not linear, gated, delta or gated_delta"
        ),
    };
    let slots: Vec<Option<usize>> = optional_inputs(node).take(6).collect();
    ensure!(
        slots[..3].iter().all(Option::is_some),
        "LinearAttention needs query, key and value"
    );
    let (decay, beta) = (slots[4], slots[5]);
    ensure!(
        gating == decay.is_some(),
        "LinearAttention: update_rule {rule:?} {} the decay input",
        if gating { "requires" } else { "forbids" }
    );
    ensure!(
        delta == beta.is_some(),
        "LinearAttention: update_rule {rule:?} {} the beta input",
        if delta { "requires" } else { "forbids" }
    );
    let outs: Vec<Option<usize>> = optional_outputs(node).take(2).collect();
    boxed(LinearAttention {
        q_heads,
        kv_heads,
        scale: node.get_attr_opt::<f32>("scale")?.unwrap_or(0.0),
        gating,
        delta,
        past: slots[3],
        decay,
        beta,
        wanted: [outs[0].is_some(), outs[1].is_some()],
    })
}

/// Dims of one run, checked against each other.
struct Dims {
    b: usize,
    t: usize,
    dk: usize,
    dv: usize,
    /// Width of decay's last dim per kv head: 1 (per head) or d_k.
    decay_w: usize,
    /// beta's last dim: 1 or H_kv.
    beta_w: usize,
}

fn floats(t: &Tensor) -> TractResult<Vec<f32>> {
    Ok(t.cast_to::<f32>()?
        .try_as_plain_ram()?
        .as_slice::<f32>()?
        .to_vec())
}

impl LinearAttention {
    fn dims(&self, inputs: &[TValue]) -> TractResult<Dims> {
        let rank3 = |ix: usize, name: &str| -> TractResult<[usize; 3]> {
            match inputs[ix].shape() {
                [a, b, c] => Ok([*a, *b, *c]),
                s => bail!("LinearAttention: {name} must be rank 3 (B, T, H*D), got {s:?}"),
            }
        };
        let [b, t, qd] = rank3(0, "query")?;
        let [kb, kt, kd] = rank3(1, "key")?;
        let [vb, vt, vd] = rank3(2, "value")?;
        ensure!(
            (kb, kt, vb, vt) == (b, t, b, t),
            "LinearAttention: query, key and value disagree on (B, T)"
        );
        ensure!(
            qd % self.q_heads == 0 && vd % self.kv_heads == 0,
            "LinearAttention: query dim {qd} or value dim {vd} does not split into heads"
        );
        let (dk, dv) = (qd / self.q_heads, vd / self.kv_heads);
        let kv_dk = self.kv_heads.saturating_mul(dk);
        ensure!(
            kd == kv_dk,
            "LinearAttention: key dim {kd} is not kv_num_heads x d_k = {kv_dk}"
        );
        let mut decay_w = 1;
        if let Some(ix) = self.decay {
            let [db, dt, dl] = rank3(ix, "decay")?;
            ensure!(
                (db, dt) == (b, t),
                "LinearAttention: decay is not (B, T, ...)"
            );
            decay_w = if dl == self.kv_heads {
                1
            } else if dl == kv_dk {
                dk
            } else {
                bail!("LinearAttention: decay last dim {dl} is neither H_kv nor H_kv x d_k")
            };
        }
        let mut beta_w = 1;
        if let Some(ix) = self.beta {
            let [bb, bt, bl] = rank3(ix, "beta")?;
            ensure!(
                (bb, bt) == (b, t),
                "LinearAttention: beta is not (B, T, ...)"
            );
            ensure!(
                bl == 1 || bl == self.kv_heads,
                "LinearAttention: beta last dim {bl} is neither 1 nor H_kv"
            );
            beta_w = bl;
        }
        if let Some(ix) = self.past {
            let want = [b, self.kv_heads, dk, dv];
            ensure!(
                inputs[ix].shape() == want,
                "LinearAttention: past_state is {:?}, expected {want:?}",
                inputs[ix].shape()
            );
        }
        Ok(Dims {
            b,
            t,
            dk,
            dv,
            decay_w,
            beta_w,
        })
    }
}

impl Kernel for LinearAttention {
    fn name(&self) -> &'static str {
        "LinearAttention"
    }

    fn outputs(&self) -> usize {
        self.wanted.iter().filter(|w| **w).count()
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() >= 3,
            "LinearAttention needs query, key and value"
        );
        let (q, v) = (inputs[0], inputs[2]);
        ensure!(
            q.datum_type.is_float() && q.rank() == 3 && v.rank() == 3,
            "LinearAttention takes rank 3 float query, key and value"
        );
        let dk = q.shape[2].clone() / self.q_heads;
        let dv = v.shape[2].clone() / self.kv_heads;
        let mut facts = tvec![];
        if self.wanted[0] {
            let shape = [
                q.shape[0].clone(),
                q.shape[1].clone(),
                dv.clone() * self.q_heads,
            ];
            facts.push(q.datum_type.fact(shape));
        }
        if self.wanted[1] {
            let dt = match self.past {
                Some(ix) => inputs.get(ix).context("past_state is missing")?.datum_type,
                None => q.datum_type,
            };
            facts.push(dt.fact([q.shape[0].clone(), self.kv_heads.to_dim(), dk, dv]));
        }
        Ok(facts)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let d = self.dims(&inputs)?;
        let (hq, hkv, dk, dv) = (self.q_heads, self.kv_heads, d.dk, d.dv);
        let group = hq / hkv;
        let q = floats(&inputs[0])?;
        let k = floats(&inputs[1])?;
        let v = floats(&inputs[2])?;
        let decay = self.decay.map(|ix| floats(&inputs[ix])).transpose()?;
        let beta = self.beta.map(|ix| floats(&inputs[ix])).transpose()?;
        let mut state = match self.past {
            Some(ix) => floats(&inputs[ix])?,
            None => zeros(&[d.b, hkv, dk, dv])?,
        };
        let scale = if self.scale == 0.0 {
            1.0 / (dk as f64).sqrt()
        } else {
            f64::from(self.scale)
        };
        let mut out = zeros::<f32>(&[d.b, d.t, hq, dv])?;
        let mut vt = vec![0f32; dv];
        for b in 0..d.b {
            for t in 0..d.t {
                let row = b * d.t + t;
                for h in 0..hkv {
                    let s = &mut state[(b * hkv + h) * dk * dv..][..dk * dv];
                    if let Some(decay) = &decay {
                        let g = &decay[(row * hkv + h) * d.decay_w..][..d.decay_w];
                        for i in 0..dk {
                            let f = g[if d.decay_w == 1 { 0 } else { i }].exp();
                            s[i * dv..][..dv].iter_mut().for_each(|x| *x *= f);
                        }
                    }
                    let kt = &k[(row * hkv + h) * dk..][..dk];
                    vt.copy_from_slice(&v[(row * hkv + h) * dv..][..dv]);
                    if let Some(beta) = &beta {
                        let bt = beta[row * d.beta_w + if d.beta_w == 1 { 0 } else { h }];
                        for (m, x) in vt.iter_mut().enumerate() {
                            let got: f32 = (0..dk).map(|i| s[i * dv + m] * kt[i]).sum();
                            *x = bt * (*x - got);
                        }
                    }
                    for i in 0..dk {
                        for m in 0..dv {
                            s[i * dv + m] += kt[i] * vt[m];
                        }
                    }
                }
                for h in 0..hq {
                    let s = &state[(b * hkv + h / group) * dk * dv..][..dk * dv];
                    let qt = &q[(row * hq + h) * dk..][..dk];
                    for m in 0..dv {
                        let dot: f32 = (0..dk).map(|i| qt[i] * s[i * dv + m]).sum();
                        out[(row * hq + h) * dv + m] = (scale * f64::from(dot)) as f32;
                    }
                }
            }
        }
        let mut results = tvec![];
        if self.wanted[0] {
            let t = tensor1(&out).into_shape(&[d.b, d.t, hq * dv])?;
            results.push(
                t.cast_to_dt(inputs[0].datum_type())?
                    .into_owned()
                    .into_tvalue(),
            );
        }
        if self.wanted[1] {
            let dt = self
                .past
                .map_or(inputs[0].datum_type(), |ix| inputs[ix].datum_type());
            let t = tensor1(&state).into_shape(&[d.b, hkv, dk, dv])?;
            results.push(t.cast_to_dt(dt)?.into_owned().into_tvalue());
        }
        Ok(results)
    }
}
