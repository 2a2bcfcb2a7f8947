//! LinearClassifier and LinearRegressor (ai.onnx.ml opset 1), as onnxruntime computes them:
//! scores = X·Wᵀ + b in f32, its two-class expansion and post transforms.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::labels::{Labels, Pick};
use super::lanes;
use super::post_transform::PostTransform;
use crate::core::ops::kernel::{batch_dim, boxed, f32_slice, rows_f32, Kernel};

/// Registers both ops.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("LinearClassifier", build_classifier);
    reg.insert("LinearRegressor", build_regressor);
}

fn floats(node: &NodeProto, name: &str) -> TractResult<Vec<f32>> {
    Ok(node.get_attr_opt_vec::<f32>(name)?.unwrap_or_default())
}

fn post(node: &NodeProto) -> TractResult<PostTransform> {
    PostTransform::parse(
        &node
            .get_attr_opt::<String>("post_transform")?
            .unwrap_or_else(|| "NONE".into()),
    )
}

/// Coefficients [targets, features] and intercepts.
///
/// The products are direct dots ([`lanes::dot`]). tract's GEMM plan (used here before) packs
/// every row for a kernel eight targets wide, which costs more than the product at the target
/// counts these models have: measured in wasm at 1,000 rows, LinearSVC on breast_cancer (1
/// target) went from 0.24 to 0.12 ms, and logistic regression on digits (10 targets, 64
/// features) spent 0.34 ms per call in packing and GEMM against 0.19 ms in these dots. (Four
/// targets per pass, sharing the row's loads, measured slower at 1 to 10 targets.)
#[derive(Clone, Debug, PartialEq)]
struct Affine {
    coefficients: Vec<f32>,
    intercepts: Vec<f32>,
    targets: usize,
}

impl Affine {
    fn new(coefficients: Vec<f32>, intercepts: Vec<f32>, targets: usize) -> TractResult<Affine> {
        Ok(Affine {
            coefficients,
            intercepts,
            targets,
        })
    }

    /// X·Wᵀ + b for every row of `x` [n, f].
    fn apply(&self, x: &[f32], n: usize, f: usize) -> TractResult<Vec<f32>> {
        let (w, b, targets) = (&self.coefficients, &self.intercepts, self.targets);
        ensure!(
            w.len() == targets * f,
            "coefficients hold {} values, expected {targets} x {f} features",
            w.len()
        );
        ensure!(
            x.len() >= n * f,
            "{} values do not hold {n} rows of {f}",
            x.len()
        );
        let mut out = vec![0f32; n * targets];
        if targets == 0 {
            return Ok(out);
        }
        for (row, out_row) in x.chunks_exact(f.max(1)).zip(out.chunks_exact_mut(targets)) {
            for (t, slot) in out_row.iter_mut().enumerate() {
                *slot = lanes::dot(row, &w[t * f..(t + 1) * f]) + b.get(t).copied().unwrap_or(0.0);
            }
        }
        Ok(out)
    }
}

/// LinearClassifier.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearClassifier {
    affine: Affine,
    labels: Labels,
    post: PostTransform,
}

fn build_classifier(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let intercepts = floats(node, "intercepts")?;
    ensure!(
        !intercepts.is_empty(),
        "{}: LinearClassifier needs intercepts",
        node.name
    );
    let classes = intercepts.len();
    boxed(LinearClassifier {
        affine: Affine::new(floats(node, "coefficients")?, intercepts, classes)?,
        labels: Labels::read(node, "classlabels_ints", "classlabels_strings")?,
        post: post(node)?,
    })
}

impl LinearClassifier {
    fn classes(&self) -> usize {
        self.affine.targets
    }

    /// onnxruntime widens one score to two columns when the model has two labels.
    fn add_second_class(&self) -> bool {
        self.classes() == 1 && self.labels.len() == 2
    }
}

impl Kernel for LinearClassifier {
    fn name(&self) -> &'static str {
        "LinearClassifier"
    }

    fn outputs(&self) -> usize {
        2
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let n = batch_dim(inputs[0])?;
        let cols = if self.add_second_class() {
            2
        } else {
            self.classes()
        };
        Ok(tvec!(
            self.labels.datum_type().fact([n.clone()]),
            f32::fact([n, cols.to_dim()])
        ))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (n, f, x) = rows_f32(&inputs[0])?;
        let x = f32_slice(&x)?;
        let k = self.classes();
        let scores = self.affine.apply(x, n, f)?;
        let picks: Vec<Pick> = (0..n)
            .map(|r| {
                let row = &scores[r * k..(r + 1) * k];
                if k == 1 {
                    if self.labels.len() == 2 {
                        Pick::Index(usize::from(row[0] > 0.0))
                    } else {
                        Pick::Literal(i64::from(row[0] > 0.0))
                    }
                } else {
                    let mut best = 0;
                    for j in 1..k {
                        if row[j] > row[best] {
                            best = j;
                        }
                    }
                    Pick::Index(best)
                }
            })
            .collect();
        let z = if k == 1 {
            let mut z = Vec::with_capacity(n * 2);
            for s in &scores {
                if self.post == PostTransform::Probit {
                    z.push(super::post_transform::probit(*s));
                } else if self.add_second_class() {
                    z.extend([1.0 - s, *s]);
                } else {
                    z.push(*s);
                }
            }
            z
        } else {
            let mut z = scores;
            self.post.apply_rows(&mut z, k);
            z
        };
        let cols = z.len() / n.max(1);
        let label = self.labels.pick(&picks)?;
        Ok(tvec!(
            label.into_tvalue(),
            Tensor::from_shape(&[n, cols], &z)?.into_tvalue()
        ))
    }
}

/// LinearRegressor.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearRegressor {
    affine: Affine,
    targets: usize,
    post: PostTransform,
}

fn build_regressor(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let targets: i64 = node.get_attr_opt("targets")?.unwrap_or(1);
    let targets = usize::try_from(targets).ok().filter(|t| *t >= 1);
    let targets =
        targets.ok_or_else(|| format_err!("{}: targets must be at least 1", node.name))?;
    boxed(LinearRegressor {
        affine: Affine::new(
            floats(node, "coefficients")?,
            floats(node, "intercepts")?,
            targets,
        )?,
        targets,
        post: post(node)?,
    })
}

impl Kernel for LinearRegressor {
    fn name(&self) -> &'static str {
        "LinearRegressor"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(f32::fact([
            batch_dim(inputs[0])?,
            self.targets.to_dim()
        ])))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (n, f, x) = rows_f32(&inputs[0])?;
        let x = f32_slice(&x)?;
        let mut y = self.affine.apply(x, n, f)?;
        if self.targets == 1 {
            if self.post == PostTransform::Probit {
                y.iter_mut()
                    .for_each(|v| *v = super::post_transform::probit(*v));
            }
        } else {
            self.post.apply_rows(&mut y, self.targets);
        }
        Ok(tvec!(
            Tensor::from_shape(&[n, self.targets], &y)?.into_tvalue()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affine_matches_a_plain_loop() {
        for targets in 1..=9 {
            let f = 7;
            let w: Vec<f32> = (0..targets * f).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..targets).map(|t| t as f32 - 1.5).collect();
            let affine = Affine::new(w.clone(), b.clone(), targets).unwrap();
            let n = 5;
            let x: Vec<f32> = (0..n * f).map(|i| (i as f32 * 0.11).cos() * 3.0).collect();
            let got = affine.apply(&x, n, f).unwrap();
            for r in 0..n {
                for t in 0..targets {
                    let want: f64 = (0..f)
                        .map(|k| f64::from(x[r * f + k]) * f64::from(w[t * f + k]))
                        .sum::<f64>()
                        + f64::from(b[t]);
                    let g = got[r * targets + t];
                    assert!(
                        (f64::from(g) - want).abs() <= 1e-5,
                        "{targets}: {g} vs {want}"
                    );
                }
            }
        }
    }
}
