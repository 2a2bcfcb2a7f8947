//! Leaf weights as one dense f32 row per leaf, for the common case: a sum or average whose every
//! output is weighted in every leaf (a random forest's class probabilities) or in none (a
//! boosted classifier's unused class). A row's scores are then `n_outputs` adds per tree with no
//! lookup of which output a weight is for, and which outputs have a score is known at load.
use super::ensemble::{Ensemble, Mode};

/// The dense weights of an ensemble's leaves.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseLeaves {
    n_outputs: usize,
    /// `weights[row * n_outputs + k]`: the f32 weight of output k in the leaf of that row.
    weights: Vec<f32>,
    /// The weight row of each node (0 for branches, never read).
    row_of: Vec<u32>,
    /// Whether each output has a score (is weighted in the leaves).
    pub has: Vec<bool>,
}

impl DenseLeaves {
    /// The dense form, when every leaf weights the same outputs, each at most once.
    pub fn build(ensemble: &Ensemble) -> Option<DenseLeaves> {
        let n = ensemble.n_outputs;
        let mut has: Option<Vec<bool>> = None;
        let mut weights = Vec::new();
        let mut row_of = vec![0u32; ensemble.nodes.len()];
        for (ix, node) in ensemble.nodes.iter().enumerate() {
            if node.mode != Mode::Leaf {
                continue;
            }
            let mut row = vec![0f32; n];
            let mut seen = vec![false; n];
            for (target, w) in ensemble.leaf_weights(node) {
                let t = *target as usize;
                if *seen.get(t)? {
                    // Two weights for one output: summing them first would round differently.
                    return None;
                }
                seen[t] = true;
                row[t] = *w as f32;
            }
            match &has {
                Some(h) if *h != seen => return None,
                Some(_) => {}
                None => has = Some(seen),
            }
            row_of[ix] = u32::try_from(weights.len() / n.max(1)).ok()?;
            weights.extend(row);
        }
        Some(DenseLeaves {
            n_outputs: n,
            weights,
            row_of,
            has: has.unwrap_or_else(|| vec![false; n]),
        })
    }

    /// Adds the weights of leaf node `leaf` (an ensemble index a walk returned) to `scores`,
    /// output by output.
    ///
    /// # Panics
    /// When `leaf` is not a node of the ensemble or `scores` is not `n_outputs` long.
    #[inline]
    pub fn add(&self, leaf: usize, scores: &mut [f32]) {
        assert!(leaf < self.row_of.len() && scores.len() == self.n_outputs);
        // SAFETY: `leaf` indexes `row_of` (asserted); every row number in `row_of` was given to
        // a row of `n_outputs` weights pushed in `build` (branches get row 0, which exists when
        // any leaf does, and a walk only returns leaves); `scores` holds `n_outputs` (asserted).
        unsafe {
            let start = *self.row_of.get_unchecked(leaf) as usize * self.n_outputs;
            let row = self.weights.get_unchecked(start..start + self.n_outputs);
            for (k, w) in row.iter().enumerate() {
                *scores.get_unchecked_mut(k) += *w;
            }
        }
    }
}
