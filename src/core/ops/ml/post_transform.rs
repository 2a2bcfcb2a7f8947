//! The post transforms of ai.onnx.ml classifiers and regressors, computed as onnxruntime does
//! (in f32, with its logistic, probit and softmax-zero).
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::bail;

use super::exp::{exp, exp_affine};

/// `post_transform` of ai.onnx.ml ops (string form in v1-v4, integer form in TreeEnsemble v5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PostTransform {
    /// Scores as they are.
    None,
    /// Softmax over the scores of a row.
    Softmax,
    /// 1 / (1 + e^-x) per score.
    Logistic,
    /// Softmax that leaves zero scores at zero weight.
    SoftmaxZero,
    /// sqrt(2) * erfinv(2x - 1) per score.
    Probit,
}

impl PostTransform {
    /// Parses the string form.
    pub fn parse(s: &str) -> TractResult<PostTransform> {
        Ok(match s {
            "NONE" => PostTransform::None,
            "SOFTMAX" => PostTransform::Softmax,
            "LOGISTIC" => PostTransform::Logistic,
            "SOFTMAX_ZERO" => PostTransform::SoftmaxZero,
            "PROBIT" => PostTransform::Probit,
            other => bail!("unknown post_transform '{other}'"),
        })
    }

    /// Parses the integer form of TreeEnsemble (ai.onnx.ml opset 5).
    pub fn from_code(code: i64) -> TractResult<PostTransform> {
        Ok(match code {
            0 => PostTransform::None,
            1 => PostTransform::Softmax,
            2 => PostTransform::Logistic,
            3 => PostTransform::SoftmaxZero,
            4 => PostTransform::Probit,
            other => bail!("unknown post_transform {other}"),
        })
    }

    /// Applies the transform to a row of two or more scores, in place.
    pub fn apply(self, scores: &mut [f32]) {
        match self {
            PostTransform::None => {}
            PostTransform::Logistic => scores.iter_mut().for_each(|s| *s = logistic(*s)),
            PostTransform::Probit => scores.iter_mut().for_each(|s| *s = probit(*s)),
            PostTransform::Softmax => softmax(scores),
            PostTransform::SoftmaxZero => softmax_zero(scores),
        }
    }
}

impl PostTransform {
    /// Applies the transform to every row of `cols` scores of a batch, as onnxruntime's batched
    /// form does for linear models and SVMs: softmax and logistic with a vectorized `exp`
    /// ([`exp_affine`], within 2 ulp, where onnxruntime uses MLAS's approximations), the other
    /// transforms as [`Self::apply`]. Tree ensembles keep [`Self::apply`], whose libm `exp`
    /// matches onnxruntime's per-row form to the bit.
    pub fn apply_rows(self, scores: &mut [f32], cols: usize) {
        match self {
            PostTransform::Softmax => {
                // Each row less its max, then one `exp` over the whole batch: a row of a few
                // classes alone would leave the four-lane `exp` its scalar remainder only.
                // `exp(v - max)` is what `exp_affine(row, 1.0, -max)` computes per row.
                for row in scores.chunks_mut(cols.max(1)) {
                    let max = row_max(row);
                    row.iter_mut().for_each(|s| *s -= max);
                }
                exp_affine(scores, 1.0, 0.0);
                for row in scores.chunks_mut(cols.max(1)) {
                    let sum: f32 = row.iter().sum();
                    row.iter_mut().for_each(|s| *s /= sum);
                }
            }
            PostTransform::Logistic => scores.iter_mut().for_each(|s| {
                let v = 1.0 / (1.0 + exp(-s.abs()));
                *s = if *s < 0.0 { 1.0 - v } else { v };
            }),
            _ => scores
                .chunks_mut(cols.max(1))
                .for_each(|row| self.apply(row)),
        }
    }
}

/// The largest value (NaNs skipped, as `f32::max` does), at least `-f32::MAX`, without a call
/// to libm's `fmaxf` per value in wasm.
#[inline]
fn row_max(row: &[f32]) -> f32 {
    row.iter()
        .fold(-f32::MAX, |m, v| if *v > m { *v } else { m })
}

/// onnxruntime's ComputeLogistic: symmetric, so large negative inputs do not overflow.
pub fn logistic(x: f32) -> f32 {
    let v = 1.0 / (1.0 + (-x.abs()).exp());
    if x < 0.0 {
        1.0 - v
    } else {
        v
    }
}

/// onnxruntime's ComputeProbit, with its closed-form erfinv approximation.
pub fn probit(x: f32) -> f32 {
    std::f32::consts::SQRT_2 * erf_inv(2.0 * x - 1.0)
}

fn erf_inv(x: f32) -> f32 {
    let sgn = if x < 0.0 { -1.0f32 } else { 1.0 };
    let x = (1.0 - x) * (1.0 + x);
    let log = x.ln();
    let v = 2.0 / (std::f32::consts::PI * 0.147) + 0.5 * log;
    let v2 = 1.0 / 0.147 * log;
    let v3 = -v + (v * v - v2).sqrt();
    sgn * v3.sqrt()
}

fn softmax(scores: &mut [f32]) {
    let max = row_max(scores);
    let mut sum = 0.0f32;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    scores.iter_mut().for_each(|s| *s /= sum);
}

fn softmax_zero(scores: &mut [f32]) {
    let max = row_max(scores);
    let exp_neg_max = (-max).exp();
    let mut sum = 0.0f32;
    for s in scores.iter_mut() {
        if s.abs() > 1e-7 {
            *s = (*s - max).exp();
            sum += *s;
        } else {
            *s *= exp_neg_max;
        }
    }
    scores.iter_mut().for_each(|s| *s /= sum);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_is_symmetric_and_bounded() {
        assert!((logistic(0.0) - 0.5).abs() < 1e-7);
        assert!((logistic(3.0) + logistic(-3.0) - 1.0).abs() < 1e-6);
        assert_eq!(logistic(-1000.0), 0.0);
    }

    #[test]
    fn softmax_sums_to_one() {
        let mut v = [1.0, 2.0, 3.0];
        softmax(&mut v);
        assert!((v.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(v[2] > v[1] && v[1] > v[0]);
    }

    #[test]
    fn probit_matches_normal_quantiles() {
        // Phi^-1(0.975) = 1.95996; the approximation is good to about 1e-3.
        assert!((probit(0.975) - 1.95996).abs() < 5e-3);
        assert!(probit(0.5).abs() < 1e-6);
    }
}
