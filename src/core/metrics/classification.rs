//! Accuracy and macro-averaged precision, recall and F1, as scikit-learn computes them with
//! `average="macro"` and `zero_division=0` over the labels seen in either list.
use serde::Serialize;

/// Classification quality over a set of (predicted, actual) label pairs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassificationMetrics {
    /// Pairs counted.
    pub count: u64,
    /// Share of exact matches.
    pub accuracy: f64,
    /// Macro-averaged precision.
    pub precision: f64,
    /// Macro-averaged recall.
    pub recall: f64,
    /// Macro-averaged F1.
    pub f1: f64,
}

/// Metrics of `predicted` against `actual` (labels compared as integers).
pub fn classification_metrics(predicted: &[i64], actual: &[i64]) -> ClassificationMetrics {
    let n = predicted.len().min(actual.len());
    let mut labels: Vec<i64> = predicted[..n].iter().chain(&actual[..n]).copied().collect();
    labels.sort_unstable();
    labels.dedup();
    let (mut p_sum, mut r_sum, mut f_sum) = (0.0, 0.0, 0.0);
    for label in &labels {
        let mut tp = 0u64;
        let (mut fp, mut fneg) = (0u64, 0u64);
        for (p, a) in predicted[..n].iter().zip(&actual[..n]) {
            match (p == label, a == label) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fneg += 1,
                _ => {}
            }
        }
        let precision = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let recall = if tp + fneg == 0 {
            0.0
        } else {
            tp as f64 / (tp + fneg) as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        p_sum += precision;
        r_sum += recall;
        f_sum += f1;
    }
    let k = labels.len().max(1) as f64;
    let correct = predicted[..n]
        .iter()
        .zip(&actual[..n])
        .filter(|(p, a)| p == a)
        .count();
    ClassificationMetrics {
        count: n as u64,
        accuracy: if n == 0 {
            0.0
        } else {
            correct as f64 / n as f64
        },
        precision: p_sum / k,
        recall: r_sum / k,
        f1: f_sum / k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_hand_computed_case() {
        // sklearn: accuracy 0.6, macro precision (1 + 0.5 + 0.5)/3, recall (0.5 + 1 + 0.5)/3.
        let m = classification_metrics(&[0, 1, 1, 2, 0], &[0, 1, 2, 2, 1]);
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-12);
    }
}
