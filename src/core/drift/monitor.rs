//! Live drift per input feature: counts of recent values in each feature's reference bins over
//! a sliding window (bounded memory whatever the traffic), compared with the reference.
use std::collections::VecDeque;

use serde::Serialize;

use super::divergence::{jensen_shannon, ks_statistic, psi};
use super::reference::{bin_of, FeatureReference};

/// Drift of one feature now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureDrift {
    /// The model input.
    pub input: String,
    /// The feature index along its last axis.
    pub index: usize,
    /// Values in the window.
    pub count: u64,
    /// Population stability index against the reference.
    pub psi: f64,
    /// Kolmogorov-Smirnov statistic over the binned CDFs.
    pub ks: f64,
    /// Jensen-Shannon divergence (bits).
    pub js: f64,
}

struct Feature {
    reference: FeatureReference,
    counts: Vec<u64>,
    /// Bin of each value in the window, oldest first.
    window: VecDeque<u16>,
}

/// The window of recent values of every referenced feature.
pub struct DriftMonitor {
    features: Vec<Feature>,
    window: usize,
}

impl DriftMonitor {
    /// Monitors the given features, keeping the last `window` values of each.
    pub fn new(references: Vec<FeatureReference>, window: usize) -> DriftMonitor {
        let features = references
            .into_iter()
            .map(|reference| {
                let bins = reference.counts.len().max(1);
                Feature {
                    reference,
                    counts: vec![0; bins],
                    window: VecDeque::new(),
                }
            })
            .collect();
        DriftMonitor {
            features,
            window: window.max(1),
        }
    }

    /// Records the values of input `input` ([rows, features] row-major, or 1-D for one feature).
    /// Non-finite values are skipped.
    pub fn observe(&mut self, input: &str, dims: &[usize], values: &[f64]) {
        let width = if dims.len() <= 1 {
            1
        } else {
            dims[dims.len() - 1].max(1)
        };
        for f in self
            .features
            .iter_mut()
            .filter(|f| f.reference.input == input && f.reference.index < width)
        {
            for v in values
                .iter()
                .skip(f.reference.index)
                .step_by(width)
                .filter(|v| v.is_finite())
            {
                let bin = bin_of(&f.reference.edges, *v).min(f.counts.len() - 1);
                f.counts[bin] += 1;
                f.window.push_back(bin as u16);
                if f.window.len() > self.window {
                    if let Some(old) = f.window.pop_front() {
                        f.counts[old as usize] -= 1;
                    }
                }
            }
        }
    }

    /// PSI, KS and Jensen-Shannon per feature over the current window.
    pub fn report(&self) -> Vec<FeatureDrift> {
        self.features
            .iter()
            .map(|f| FeatureDrift {
                input: f.reference.input.clone(),
                index: f.reference.index,
                count: f.window.len() as u64,
                psi: psi(&f.reference.counts, &f.counts),
                ks: ks_statistic(&f.reference.counts, &f.counts),
                js: jensen_shannon(&f.reference.counts, &f.counts),
            })
            .collect()
    }

    /// Forgets the window.
    pub fn reset(&mut self) {
        for f in &mut self.features {
            f.counts.iter_mut().for_each(|c| *c = 0);
            f.window.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::drift::feature_references;

    #[test]
    fn reference_data_gives_no_drift_and_a_shift_trips_only_that_feature() {
        let n = 2000;
        let values: Vec<f64> = (0..n)
            .flat_map(|i| [(i % 100) as f64, ((i * 7) % 100) as f64])
            .collect();
        let refs = feature_references("x", &[n, 2], &values, 10);
        let mut m = DriftMonitor::new(refs, 1000);
        m.observe("x", &[n, 2], &values);
        for d in m.report() {
            assert!(d.psi < 0.01, "{d:?}");
        }
        m.reset();
        let shifted: Vec<f64> = (0..n)
            .flat_map(|i| [(i % 100) as f64 + 40.0, ((i * 7) % 100) as f64])
            .collect();
        m.observe("x", &[n, 2], &shifted);
        let r = m.report();
        assert!(r[0].psi > 0.25, "{:?}", r[0]);
        assert!(r[1].psi < 0.01, "{:?}", r[1]);
        assert_eq!(r[0].count, 1000, "the window is bounded");
    }
}
