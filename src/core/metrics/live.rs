//! Live quality from delayed labels: predictions wait (bounded, oldest dropped and counted) for
//! their label; labelled pairs enter a sliding window over which the metrics are computed.
use std::collections::{HashMap, VecDeque};

use serde::Serialize;

use super::{classification_metrics, regression_metrics, ClassificationMetrics, RegressionMetrics};

/// What the model predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// Class labels (compared as integers).
    Classification,
    /// Numbers.
    Regression,
}

/// The metrics now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveSummary {
    /// Classification metrics, for classifiers.
    pub classification: Option<ClassificationMetrics>,
    /// Regression metrics, for regressors.
    pub regression: Option<RegressionMetrics>,
    /// Predictions waiting for a label.
    pub pending: u64,
    /// Predictions dropped unlabelled because too many were pending.
    pub dropped: u64,
    /// Labels whose prediction was unknown (never recorded, or dropped).
    pub unmatched: u64,
}

/// Pending predictions and the window of labelled pairs.
pub struct LiveMetrics {
    kind: TaskKind,
    pending: HashMap<String, f64>,
    order: VecDeque<String>,
    max_pending: usize,
    window: VecDeque<(f64, f64)>,
    max_window: usize,
    dropped: u64,
    unmatched: u64,
}

impl LiveMetrics {
    /// Keeps at most `max_pending` predictions waiting and `window` labelled pairs.
    pub fn new(kind: TaskKind, max_pending: usize, window: usize) -> LiveMetrics {
        LiveMetrics {
            kind,
            pending: HashMap::new(),
            order: VecDeque::new(),
            max_pending: max_pending.max(1),
            window: VecDeque::new(),
            max_window: window.max(1),
            dropped: 0,
            unmatched: 0,
        }
    }

    /// Records a prediction under `id`.
    pub fn predicted(&mut self, id: &str, value: f64) {
        if self.pending.insert(id.to_owned(), value).is_none() {
            self.order.push_back(id.to_owned());
        }
        while self.pending.len() > self.max_pending {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if self.pending.remove(&oldest).is_some() {
                self.dropped += 1;
            }
        }
    }

    /// Records the label of prediction `id`; false when that prediction is unknown.
    pub fn labelled(&mut self, id: &str, label: f64) -> bool {
        let Some(predicted) = self.pending.remove(id) else {
            self.unmatched += 1;
            return false;
        };
        if let Some(pos) = self.order.iter().position(|o| o == id) {
            self.order.remove(pos);
        }
        self.window.push_back((predicted, label));
        if self.window.len() > self.max_window {
            self.window.pop_front();
        }
        true
    }

    /// The metrics over the window.
    pub fn summary(&self) -> LiveSummary {
        let (p, a): (Vec<f64>, Vec<f64>) = self.window.iter().copied().unzip();
        let (classification, regression) = match self.kind {
            TaskKind::Classification => {
                let p: Vec<i64> = p.iter().map(|v| *v as i64).collect();
                let a: Vec<i64> = a.iter().map(|v| *v as i64).collect();
                (Some(classification_metrics(&p, &a)), None)
            }
            TaskKind::Regression => (None, Some(regression_metrics(&p, &a))),
        };
        LiveSummary {
            classification,
            regression,
            pending: self.pending.len() as u64,
            dropped: self.dropped,
            unmatched: self.unmatched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_is_bounded_and_counts_drops() {
        let mut m = LiveMetrics::new(TaskKind::Classification, 2, 10);
        m.predicted("a", 1.0);
        m.predicted("b", 0.0);
        m.predicted("c", 1.0);
        assert!(!m.labelled("a", 1.0), "a was dropped");
        assert!(m.labelled("b", 0.0));
        assert!(m.labelled("c", 0.0));
        let s = m.summary();
        assert_eq!((s.dropped, s.unmatched, s.pending), (1, 1, 0));
        assert!((s.classification.unwrap().accuracy - 0.5).abs() < 1e-12);
    }
}
