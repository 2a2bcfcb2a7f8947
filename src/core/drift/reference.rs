//! Reference statistics per input feature: equal-frequency bin edges (the usual choice for the
//! population stability index) with the reference counts in each bin, plus count, mean and
//! standard deviation.
use serde::{Deserialize, Serialize};

/// Bins per feature unless told otherwise (deciles).
pub const DEFAULT_BINS: usize = 10;

/// One feature's reference distribution. Bin k holds values in (edges[k-1], edges[k]]; the first
/// bin is open below and the last open above, so `counts.len() == edges.len() + 1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureReference {
    /// The model input.
    pub input: String,
    /// The feature's index along the input's last axis.
    pub index: usize,
    /// Interior bin edges, strictly increasing.
    pub edges: Vec<f64>,
    /// Reference values per bin.
    pub counts: Vec<u64>,
    /// Finite values seen.
    pub count: u64,
    /// Values that were NaN or infinite (not binned).
    pub non_finite: u64,
    /// Mean of the finite values.
    pub mean: f64,
    /// Population standard deviation of the finite values.
    pub std: f64,
}

/// The bin of `x` for interior `edges`.
pub fn bin_of(edges: &[f64], x: f64) -> usize {
    edges.partition_point(|e| *e < x)
}

/// Statistics for each feature of a row-major `[rows, features]` input (a 1-D input is one
/// feature; higher ranks flatten all but the last axis into rows).
pub fn feature_references(
    input: &str,
    dims: &[usize],
    values: &[f64],
    bins: usize,
) -> Vec<FeatureReference> {
    let features = if dims.len() <= 1 {
        1
    } else {
        dims[dims.len() - 1].max(1)
    };
    (0..features)
        .map(|f| {
            let column: Vec<f64> = values.iter().skip(f).step_by(features).copied().collect();
            one_feature(input, f, &column, bins.max(1))
        })
        .collect()
}

fn one_feature(input: &str, index: usize, column: &[f64], bins: usize) -> FeatureReference {
    let mut finite: Vec<f64> = column.iter().copied().filter(|v| v.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    let n = finite.len();
    let mut edges: Vec<f64> = Vec::new();
    if n > 0 {
        for k in 1..bins {
            // Nearest-rank quantile k/bins.
            let pos = ((k as f64 / bins as f64) * n as f64).ceil() as usize;
            let edge = finite[pos.clamp(1, n) - 1];
            if edges.last().is_none_or(|last| edge > *last) && edge < finite[n - 1] {
                edges.push(edge);
            }
        }
    }
    let mut counts = vec![0u64; edges.len() + 1];
    for v in &finite {
        counts[bin_of(&edges, *v)] += 1;
    }
    let mean = if n == 0 {
        0.0
    } else {
        finite.iter().sum::<f64>() / n as f64
    };
    let var = if n == 0 {
        0.0
    } else {
        finite.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64
    };
    FeatureReference {
        input: input.to_owned(),
        index,
        edges,
        counts,
        count: n as u64,
        non_finite: (column.len() - n) as u64,
        mean,
        std: var.sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_split_uniform_data_evenly() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let r = &feature_references("x", &[100], &values, 10)[0];
        assert_eq!(
            r.edges,
            vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        );
        assert_eq!(r.counts, vec![10; 10]);
        assert!((r.mean - 50.5).abs() < 1e-12);
    }

    #[test]
    fn columns_constants_and_non_finite_values() {
        let values = [1.0, 5.0, 2.0, 5.0, f64::NAN, 5.0, 3.0, 5.0];
        let refs = feature_references("x", &[4, 2], &values, 4);
        assert_eq!(refs.len(), 2);
        assert_eq!((refs[0].count, refs[0].non_finite), (3, 1));
        assert!(refs[1].edges.is_empty(), "a constant feature has one bin");
        assert_eq!(refs[1].counts, vec![4]);
    }
}
