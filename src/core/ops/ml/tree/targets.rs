//! The output each tree weights, for the other common case: every leaf has exactly one weight and
//! all leaves of a tree weight the same output. Gradient boosting exports this shape (one tree per
//! class and round), and so does every single-output ensemble. With the weight kept in the
//! compact leaf, a row's score for a tree is then one add to a known output.
use super::ensemble::{Ensemble, Mode};

/// The output of every tree of an ensemble.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeTargets {
    /// `targets[t]`: the output every leaf of tree `t` weights, always below `n_outputs`.
    pub targets: Vec<u32>,
    /// Whether each output has a score (some tree weights it).
    pub has: Vec<bool>,
}

impl TreeTargets {
    /// The per-tree outputs, when every leaf has one weight and each tree weights one output.
    /// `ensemble` must have passed [`Ensemble::check`], so every walk down a tree ends.
    pub fn build(ensemble: &Ensemble) -> Option<TreeTargets> {
        let mut targets = Vec::with_capacity(ensemble.roots.len());
        let mut has = vec![false; ensemble.n_outputs];
        let mut stack = Vec::new();
        for root in &ensemble.roots {
            let mut target = None;
            stack.push(*root);
            while let Some(ix) = stack.pop() {
                let node = ensemble.nodes.get(ix as usize)?;
                if node.mode != Mode::Leaf {
                    stack.extend([node.a, node.b]);
                    continue;
                }
                let [(t, _)] = ensemble.leaf_weights(node) else {
                    return None;
                };
                match target {
                    Some(seen) if seen != *t => return None,
                    _ => target = Some(*t),
                }
            }
            let target = target?;
            *has.get_mut(target as usize)? = true;
            targets.push(target);
        }
        Some(TreeTargets { targets, has })
    }
}

#[cfg(test)]
mod tests {
    use super::super::ensemble::FlatNode;
    use super::*;

    fn node(mode: Mode, a: u32, b: u32) -> FlatNode {
        FlatNode {
            mode,
            missing_true: false,
            feature: 0,
            threshold: 0.0,
            a,
            b,
            set: (0, 0),
        }
    }

    fn ensemble(weights: Vec<(u32, f64)>, leaf_counts: [u32; 3]) -> Ensemble {
        // Tree 0: a branch over leaves 1 and 2; tree 1: leaf 3 alone.
        let mut start = 0;
        let mut leaf = |count: u32| {
            let n = node(Mode::Leaf, start, count);
            start += count;
            n
        };
        let nodes = vec![
            node(Mode::Leq, 1, 2),
            leaf(leaf_counts[0]),
            leaf(leaf_counts[1]),
            leaf(leaf_counts[2]),
        ];
        let e = Ensemble {
            nodes,
            roots: vec![0, 3],
            weights,
            members: vec![],
            n_outputs: 3,
        };
        e.check().unwrap();
        e
    }

    #[test]
    fn per_tree_outputs_when_each_tree_weights_one() {
        let e = ensemble(vec![(2, 0.5), (2, -1.0), (0, 3.0)], [1, 1, 1]);
        let t = TreeTargets::build(&e).unwrap();
        assert_eq!(t.targets, vec![2, 0]);
        assert_eq!(t.has, vec![true, false, true]);
    }

    #[test]
    fn refused_when_a_tree_mixes_outputs_or_a_leaf_has_two_weights() {
        let mixed = ensemble(vec![(2, 0.5), (1, -1.0), (0, 3.0)], [1, 1, 1]);
        assert!(TreeTargets::build(&mixed).is_none());
        let two = ensemble(vec![(2, 0.5), (2, 1.0), (2, -1.0), (0, 3.0)], [2, 1, 1]);
        assert!(TreeTargets::build(&two).is_none());
    }
}
