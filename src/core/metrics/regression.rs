//! Mean absolute error and root mean squared error.
use serde::Serialize;

/// Regression quality over (predicted, actual) pairs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegressionMetrics {
    /// Pairs counted.
    pub count: u64,
    /// Mean |predicted - actual|.
    pub mae: f64,
    /// sqrt(mean (predicted - actual)^2).
    pub rmse: f64,
}

/// Metrics of `predicted` against `actual`.
pub fn regression_metrics(predicted: &[f64], actual: &[f64]) -> RegressionMetrics {
    let n = predicted.len().min(actual.len());
    if n == 0 {
        return RegressionMetrics {
            count: 0,
            mae: 0.0,
            rmse: 0.0,
        };
    }
    let (abs, sq) = predicted[..n]
        .iter()
        .zip(&actual[..n])
        .fold((0.0, 0.0), |(a, s), (p, y)| {
            (a + (p - y).abs(), s + (p - y) * (p - y))
        });
    RegressionMetrics {
        count: n as u64,
        mae: abs / n as f64,
        rmse: (sq / n as f64).sqrt(),
    }
}
