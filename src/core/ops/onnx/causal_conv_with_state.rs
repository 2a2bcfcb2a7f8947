//! CausalConvWithState, ONNX opset 27: a causal depthwise 1D convolution over
//! concat(past_state or zeros, input), with optional bias and fused SiLU/Swish, that also returns
//! the last k - 1 positions as the next state. Computed in f32 as onnx's reference does.
use tract_onnx::model::{optional_inputs, optional_outputs, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers CausalConvWithState.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("CausalConvWithState", build);
}

/// Stateful causal depthwise convolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CausalConvWithState {
    silu: bool,
    /// Positions among the wired inputs of bias and past_state (None when omitted).
    bias: Option<usize>,
    past: Option<usize>,
    /// Which of output, present_state the node asks for.
    wanted: [bool; 2],
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let silu = match node.get_attr_opt::<&str>("activation")?.unwrap_or("none") {
        "none" => false,
        "silu" | "swish" => true,
        other => bail!("CausalConvWithState: activation {other:?} is not none, silu or swish"),
    };
    let slots: Vec<Option<usize>> = optional_inputs(node).take(4).collect();
    ensure!(
        slots[0].is_some() && slots[1].is_some(),
        "CausalConvWithState needs input and weight"
    );
    let outs: Vec<Option<usize>> = optional_outputs(node).take(2).collect();
    boxed(CausalConvWithState {
        silu,
        bias: slots[2],
        past: slots[3],
        wanted: [outs[0].is_some(), outs[1].is_some()],
    })
}

fn floats(t: &Tensor) -> TractResult<Vec<f32>> {
    Ok(t.cast_to::<f32>()?
        .try_as_plain_ram()?
        .as_slice::<f32>()?
        .to_vec())
}

impl Kernel for CausalConvWithState {
    fn name(&self) -> &'static str {
        "CausalConvWithState"
    }

    fn outputs(&self) -> usize {
        self.wanted.iter().filter(|w| **w).count()
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() >= 2,
            "CausalConvWithState needs input and weight"
        );
        let (x, w) = (inputs[0], inputs[1]);
        ensure!(
            x.datum_type.is_float() && x.rank() == 3 && w.rank() == 3,
            "CausalConvWithState takes a rank 3 float input and a (C, 1, k) weight"
        );
        let mut facts = tvec![];
        if self.wanted[0] {
            facts.push(x.datum_type.fact(x.shape.clone()));
        }
        if self.wanted[1] {
            let k = w.shape[2].clone() - 1;
            facts.push(
                x.datum_type
                    .fact([x.shape[0].clone(), x.shape[1].clone(), k]),
            );
        }
        Ok(facts)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let (b, c, l) = match inputs[0].shape() {
            [b, c, l] => (*b, *c, *l),
            s => bail!("CausalConvWithState: input must be (B, C, L), got {s:?}"),
        };
        let k = match inputs[1].shape() {
            [wc, 1, k] if *wc == c && *k >= 1 => *k,
            s => bail!("CausalConvWithState: weight must be ({c}, 1, k >= 1), got {s:?}"),
        };
        let x = floats(&inputs[0])?;
        let w = floats(&inputs[1])?;
        let bias = match self.bias {
            Some(ix) => {
                ensure!(
                    inputs[ix].shape() == [c],
                    "CausalConvWithState: bias must be ({c}), got {:?}",
                    inputs[ix].shape()
                );
                floats(&inputs[ix])?
            }
            None => vec![0.0; c],
        };
        let past = match self.past {
            Some(ix) => {
                ensure!(
                    inputs[ix].shape() == [b, c, k - 1],
                    "CausalConvWithState: past_state must be ({b}, {c}, {}), got {:?}",
                    k - 1,
                    inputs[ix].shape()
                );
                floats(&inputs[ix])?
            }
            None => zeros(&[b, c, k - 1])?,
        };
        let width = l + k - 1;
        let mut out = zeros::<f32>(&[b, c, l])?;
        let mut present = zeros::<f32>(&[b, c, k - 1])?;
        let mut padded = vec![0f32; width];
        for bc in 0..b * c {
            let ch = bc % c;
            let row = &mut out[bc * l..][..l];
            padded[..k - 1].copy_from_slice(&past[bc * (k - 1)..][..k - 1]);
            padded[k - 1..].copy_from_slice(&x[bc * l..][..l]);
            let wk = &w[ch * k..][..k];
            for (i, y) in row.iter_mut().enumerate() {
                *y = bias[ch] + (0..k).map(|j| wk[j] * padded[i + j]).sum::<f32>();
            }
            present[bc * (k - 1)..][..k - 1].copy_from_slice(&padded[width - (k - 1)..]);
        }
        // The reference rounds the convolution to the input type before the activation.
        let mut y = tensor1(&out)
            .into_shape(&[b, c, l])?
            .cast_to_dt(dt)?
            .into_owned();
        if self.silu {
            let mut f = y.cast_to::<f32>()?.into_owned();
            for v in f.try_as_plain_ram_mut()?.as_slice_mut::<f32>()? {
                *v *= 1.0 / (1.0 + (-*v).exp());
            }
            y = f.cast_to_dt(dt)?.into_owned();
        }
        let mut results = tvec![];
        if self.wanted[0] {
            results.push(y.into_tvalue());
        }
        if self.wanted[1] {
            let s = tensor1(&present).into_shape(&[b, c, k - 1])?;
            results.push(s.cast_to_dt(dt)?.into_owned().into_tvalue());
        }
        Ok(results)
    }
}
