//! Momentum, ai.onnx.preview.training opset 1: stochastic gradient descent with (standard or
//! Nesterov) momentum over one or more tensors. Also holds the multi-tensor plumbing that Adam
//! and Adagrad share: inputs R, T, then `groups` runs of n tensors (X..., G..., V...), outputs
//! `outs` runs of n tensors (X_new..., V_new...), each shaped and typed like its X.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Momentum.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Momentum", build);
}

/// SGD with momentum.
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    alpha: f32,
    beta: f32,
    norm: f32,
    nesterov: bool,
    tensors: usize,
}

impl Eq for Momentum {}

/// A required float attribute.
pub fn float_attr(node: &NodeProto, name: &str) -> TractResult<f32> {
    node.get_attr_opt::<f32>(name)?
        .with_context(|| format!("{} needs the {name} attribute", node.op_type))
}

/// How many tensors an optimizer node updates: (inputs - 2) / groups, checked.
pub fn tensor_count(node: &NodeProto, groups: usize, outs: usize) -> TractResult<usize> {
    let inputs = node.input.len();
    ensure!(
        inputs > 2 && (inputs - 2) % groups == 0,
        "{} takes R, T and {groups} runs of tensors, got {inputs} inputs",
        node.op_type
    );
    let n = (inputs - 2) / groups;
    ensure!(
        node.output.len() == n * outs,
        "{} updates {n} tensors into {} outputs, got {}",
        node.op_type,
        n * outs,
        node.output.len()
    );
    Ok(n)
}

/// Output facts: `outs` runs of the n X facts.
pub fn optimizer_facts(
    inputs: &[&TypedFact],
    n: usize,
    groups: usize,
    outs: usize,
) -> TractResult<TVec<TypedFact>> {
    ensure!(
        inputs.len() == 2 + n * groups,
        "optimizer: wrong number of inputs"
    );
    ensure!(
        inputs[2..].iter().all(|f| f.datum_type.is_float()),
        "optimizer: tensors must be floats"
    );
    Ok((0..outs * n)
        .map(|j| inputs[2 + j % n].without_value())
        .collect())
}

/// Runs `step` on every element of every tensor: it gets (R, T, the element of each input run)
/// and returns the element of each output run.
pub fn optimizer_eval(
    inputs: &[TValue],
    n: usize,
    groups: usize,
    outs: usize,
    step: impl Fn(f64, i64, &[f64]) -> TVec<f64>,
) -> TractResult<TVec<TValue>> {
    ensure!(
        inputs.len() == 2 + n * groups,
        "optimizer: wrong number of inputs"
    );
    let r = inputs[0]
        .cast_to_scalar::<f64>()
        .context("R must be a scalar")?;
    let t = inputs[1]
        .cast_to_scalar::<i64>()
        .context("T must be a scalar")?;
    let mut results: Vec<Vec<Tensor>> = vec![vec![]; outs];
    for i in 0..n {
        let x = &inputs[2 + i];
        let runs: Vec<Vec<f64>> = (0..groups)
            .map(|g| {
                let v = &inputs[2 + g * n + i];
                ensure!(
                    v.shape() == x.shape(),
                    "optimizer: tensor {i} has shapes {:?} and {:?}",
                    x.shape(),
                    v.shape()
                );
                Ok(v.cast_to::<f64>()?
                    .try_as_plain_ram()?
                    .as_slice::<f64>()?
                    .to_vec())
            })
            .collect::<TractResult<_>>()?;
        let mut out = vec![Vec::with_capacity(x.len()); outs];
        let mut args = vec![0f64; groups];
        for e in 0..x.len() {
            for (a, run) in args.iter_mut().zip(&runs) {
                *a = run[e];
            }
            for (o, v) in out.iter_mut().zip(step(r, t, &args)) {
                o.push(v);
            }
        }
        for (res, o) in results.iter_mut().zip(out) {
            let t = tensor1(&o).into_shape(x.shape())?;
            res.push(t.cast_to_dt(x.datum_type())?.into_owned());
        }
    }
    Ok(results
        .into_iter()
        .flatten()
        .map(|t| t.into_tvalue())
        .collect())
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let nesterov = match node
        .get_attr_opt::<&str>("mode")?
        .context("Momentum needs mode")?
    {
        "standard" => false,
        "nesterov" => true,
        other => bail!("Momentum: mode {other:?} is not standard or nesterov"),
    };
    boxed(Momentum {
        alpha: float_attr(node, "alpha")?,
        beta: float_attr(node, "beta")?,
        norm: float_attr(node, "norm_coefficient")?,
        nesterov,
        tensors: tensor_count(node, 3, 2)?,
    })
}

impl Kernel for Momentum {
    fn name(&self) -> &'static str {
        "Momentum"
    }

    fn outputs(&self) -> usize {
        2 * self.tensors
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        optimizer_facts(inputs, self.tensors, 3, 2)
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (alpha, norm) = (f64::from(self.alpha), f64::from(self.norm));
        optimizer_eval(&inputs, self.tensors, 3, 2, |r, t, a| {
            let (x, g, v) = (a[0], a[1], a[2]);
            let g = norm * x + g;
            // The gradient's coefficient is 1 at the first iteration.
            let beta = if t > 0 { f64::from(self.beta) } else { 1.0 };
            let v = alpha * v + beta * g;
            let x = if self.nesterov {
                x - r * (g + alpha * v)
            } else {
                x - r * v
            };
            tvec![x, v]
        })
    }
}
