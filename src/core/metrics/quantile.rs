//! Quantiles of a sliding window of values (latency p50/p95/p99), with numpy's default
//! ("linear") interpolation.
use std::collections::VecDeque;

/// The q-quantile (0 <= q <= 1) of sorted values, numpy's `method="linear"`; 0 when empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The last `capacity` values, for quantiles over a bounded window.
pub struct SlidingQuantiles {
    values: VecDeque<f64>,
    capacity: usize,
}

impl SlidingQuantiles {
    /// A window of at most `capacity` values.
    pub fn new(capacity: usize) -> SlidingQuantiles {
        SlidingQuantiles {
            values: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Adds a value, forgetting the oldest beyond the capacity.
    pub fn push(&mut self, v: f64) {
        if self.values.len() == self.capacity {
            self.values.pop_front();
        }
        self.values.push_back(v);
    }

    /// Values held.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when no value is held.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The quantiles `qs` of the window.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        let mut sorted: Vec<f64> = self.values.iter().copied().collect();
        sorted.sort_by(f64::total_cmp);
        qs.iter().map(|q| quantile(&sorted, *q)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_linear_quantiles() {
        // numpy.quantile([1, 2, 3, 4], [0.5, 0.95]) == [2.5, 3.85]
        let s = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&s, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&s, 0.95) - 3.85).abs() < 1e-12);
        let mut w = SlidingQuantiles::new(3);
        for v in [10.0, 1.0, 2.0, 3.0] {
            w.push(v);
        }
        assert_eq!(w.quantiles(&[0.0, 1.0]), vec![1.0, 3.0]);
    }
}
