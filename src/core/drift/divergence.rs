//! Distances between a reference and a live distribution over the same bins: population
//! stability index, Jensen-Shannon divergence (base 2, in [0, 1]) and the two-sample
//! Kolmogorov-Smirnov statistic over the binned CDFs.

/// Floor for empty bins, so PSI and JS stay finite (the usual 1e-4 smoothing).
const EPSILON: f64 = 1e-4;

fn proportions(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0.0; counts.len()];
    }
    counts.iter().map(|c| *c as f64 / total as f64).collect()
}

/// PSI = Σ (a - e) · ln(a / e) over bins, with empty bins floored at 1e-4.
/// Common reading: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 significant shift.
pub fn psi(expected: &[u64], actual: &[u64]) -> f64 {
    let (e, a) = (proportions(expected), proportions(actual));
    e.iter()
        .zip(&a)
        .map(|(e, a)| {
            let (e, a) = (e.max(EPSILON), a.max(EPSILON));
            (a - e) * (a / e).ln()
        })
        .sum()
}

/// Jensen-Shannon divergence in bits (0 identical, 1 disjoint); its square root is the
/// Jensen-Shannon distance that scipy.spatial.distance.jensenshannon(base=2) returns.
pub fn jensen_shannon(expected: &[u64], actual: &[u64]) -> f64 {
    let (p, q) = (proportions(expected), proportions(actual));
    let kl = |x: &[f64], m: &[f64]| -> f64 {
        x.iter()
            .zip(m)
            .filter(|(x, _)| **x > 0.0)
            .map(|(x, m)| x * (x / m).log2())
            .sum()
    };
    let m: Vec<f64> = p.iter().zip(&q).map(|(p, q)| (p + q) / 2.0).collect();
    (0.5 * kl(&p, &m) + 0.5 * kl(&q, &m)).max(0.0)
}

/// The largest gap between the two cumulative distributions at the bin edges.
pub fn ks_statistic(expected: &[u64], actual: &[u64]) -> f64 {
    let (p, q) = (proportions(expected), proportions(actual));
    let (mut cp, mut cq, mut max) = (0.0, 0.0, 0.0f64);
    for (p, q) in p.iter().zip(&q) {
        cp += p;
        cq += q;
        max = max.max((cp - cq).abs());
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_distributions_are_at_zero() {
        let c = [10, 20, 30, 40];
        assert!(psi(&c, &c).abs() < 1e-12);
        assert!(jensen_shannon(&c, &c).abs() < 1e-12);
        assert_eq!(ks_statistic(&c, &c), 0.0);
    }

    #[test]
    fn disjoint_distributions_are_at_the_top() {
        let (a, b) = ([10, 0], [0, 10]);
        assert!((jensen_shannon(&a, &b) - 1.0).abs() < 1e-12);
        assert!((ks_statistic(&a, &b) - 1.0).abs() < 1e-12);
        assert!(psi(&a, &b) > 1.0);
    }
}
