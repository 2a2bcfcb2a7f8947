//! NegativeLogLikelihoodLoss (ONNX opset 13, same as 22) and SoftmaxCrossEntropyLoss (ONNX
//! opset 13), which tract does not have. Computed in f64, returned in the input's float type.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers the two losses.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("NegativeLogLikelihoodLoss", build_nll);
    reg.insert("SoftmaxCrossEntropyLoss", build_sce);
}

type Built = TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reduction {
    None,
    Sum,
    Mean,
}

/// Loss over classes on axis 1: NLL on given log-probabilities, or SCE on scores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    softmax: bool,
    reduction: Reduction,
    ignore_index: Option<i64>,
    outputs: usize,
}

fn parse(node: &NodeProto, softmax: bool) -> TractResult<Loss> {
    let reduction = match node.get_attr_opt::<&str>("reduction")?.unwrap_or("mean") {
        "none" => Reduction::None,
        "sum" => Reduction::Sum,
        "mean" => Reduction::Mean,
        other => bail!("reduction {other:?} is not one of none, sum, mean"),
    };
    Ok(Loss {
        softmax,
        reduction,
        ignore_index: node.get_attr_opt::<i64>("ignore_index")?,
        outputs: node.output.iter().filter(|o| !o.is_empty()).count().max(1),
    })
}

fn build_nll(_: &ParsingContext, node: &NodeProto) -> Built {
    boxed(parse(node, false)?)
}

fn build_sce(_: &ParsingContext, node: &NodeProto) -> Built {
    boxed(parse(node, true)?)
}

impl Kernel for Loss {
    fn name(&self) -> &'static str {
        if self.softmax {
            "SoftmaxCrossEntropyLoss"
        } else {
            "NegativeLogLikelihoodLoss"
        }
    }

    fn outputs(&self) -> usize {
        self.outputs
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() >= 2, "{} needs input and target", self.name());
        let dt = inputs[0].datum_type;
        ensure!(
            dt.is_float(),
            "{} takes float scores, got {dt:?}",
            self.name()
        );
        let loss = match self.reduction {
            Reduction::None => dt.fact(inputs[1].shape.clone()),
            _ => dt.scalar_fact(),
        };
        let mut facts = tvec![loss];
        if self.outputs > 1 {
            facts.push(inputs[0].without_value());
        }
        Ok(facts)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let shape = inputs[0].shape().to_vec();
        ensure!(shape.len() >= 2, "the input must be [N, C, ...]");
        let (n, c) = (shape[0], shape[1]);
        let inner: usize = shape[2..].iter().product();
        let x = inputs[0].cast_to::<f64>()?;
        let mut x = x.try_as_plain_ram()?.as_slice::<f64>()?.to_vec();
        let target = inputs[1].cast_to::<i64>()?;
        let target = target.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
        ensure!(
            target.len() == n * inner,
            "target has {} values for {n}x{inner}",
            target.len()
        );
        let weight = match inputs.get(2) {
            Some(w) => Some(
                w.cast_to::<f64>()?
                    .try_as_plain_ram()?
                    .as_slice::<f64>()?
                    .to_vec(),
            ),
            None => None,
        };
        if self.softmax {
            log_softmax_axis1(&mut x, n, c, inner);
        }
        let mut losses = vec![0f64; n * inner];
        let mut weights = vec![0f64; n * inner];
        for b in 0..n {
            for i in 0..inner {
                let t = target[b * inner + i];
                if Some(t) == self.ignore_index {
                    continue;
                }
                ensure!((0..c as i64).contains(&t), "target {t} is outside [0, {c})");
                let w = weight.as_ref().map_or(1.0, |w| w[t as usize]);
                losses[b * inner + i] = -x[(b * c + t as usize) * inner + i] * w;
                weights[b * inner + i] = w;
            }
        }
        let loss = match self.reduction {
            Reduction::None => {
                tract_ndarray::ArrayD::from_shape_vec(inputs[1].shape(), losses)?.into_tensor()
            }
            Reduction::Sum => tensor0(losses.iter().sum::<f64>()),
            Reduction::Mean => tensor0(losses.iter().sum::<f64>() / weights.iter().sum::<f64>()),
        };
        let mut outputs = tvec![loss.cast_to_dt(dt)?.into_owned().into_tvalue()];
        if self.outputs > 1 {
            let log_prob = tract_ndarray::ArrayD::from_shape_vec(shape, x)?.into_tensor();
            outputs.push(log_prob.cast_to_dt(dt)?.into_owned().into_tvalue());
        }
        Ok(outputs)
    }
}

/// log(softmax(x)) over axis 1 of an [N, C, inner] buffer, stable (max subtracted).
fn log_softmax_axis1(x: &mut [f64], n: usize, c: usize, inner: usize) {
    for b in 0..n {
        for i in 0..inner {
            let at = |k: usize| (b * c + k) * inner + i;
            let max = (0..c).map(|k| x[at(k)]).fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = (0..c).map(|k| (x[at(k)] - max).exp()).sum();
            let log_sum = sum.ln() + max;
            for k in 0..c {
                x[at(k)] -= log_sum;
            }
        }
    }
}
