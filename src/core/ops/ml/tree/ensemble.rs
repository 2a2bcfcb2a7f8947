//! A tree ensemble as one flat node array, evaluated without allocation or error values.
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::{bail, ensure};

/// How a node compares the feature with its threshold; `Leaf` ends the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// x <= t
    Leq,
    /// x < t
    Lt,
    /// x >= t
    Gte,
    /// x > t
    Gt,
    /// x == t
    Eq,
    /// x != t
    Neq,
    /// x is one of a set (TreeEnsemble v5 `BRANCH_MEMBER`).
    Member,
    /// A leaf.
    Leaf,
}

impl Mode {
    /// Parses the string modes of TreeEnsembleClassifier/Regressor.
    pub fn parse(s: &str) -> TractResult<Mode> {
        Ok(match s {
            "BRANCH_LEQ" => Mode::Leq,
            "BRANCH_LT" => Mode::Lt,
            "BRANCH_GTE" => Mode::Gte,
            "BRANCH_GT" => Mode::Gt,
            "BRANCH_EQ" => Mode::Eq,
            "BRANCH_NEQ" => Mode::Neq,
            "LEAF" => Mode::Leaf,
            other => bail!("unknown node mode '{other}'"),
        })
    }

    /// Parses the integer modes of TreeEnsemble (ai.onnx.ml opset 5).
    pub fn from_code(code: i64) -> TractResult<Mode> {
        Ok(match code {
            0 => Mode::Leq,
            1 => Mode::Lt,
            2 => Mode::Gte,
            3 => Mode::Gt,
            4 => Mode::Eq,
            5 => Mode::Neq,
            6 => Mode::Member,
            other => bail!("unknown node mode {other}"),
        })
    }
}

/// One node. For a branch, `a` and `b` are the true and false children; for a leaf they are the
/// range of its weights; for a `Member` branch `threshold` is unused and `set` indexes `members`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlatNode {
    /// Comparison, or `Leaf`.
    pub mode: Mode,
    /// A NaN feature goes to the true child.
    pub missing_true: bool,
    /// Feature index.
    pub feature: u32,
    /// Split value.
    pub threshold: f64,
    /// True child, or first weight of a leaf.
    pub a: u32,
    /// False child, or number of weights of a leaf.
    pub b: u32,
    /// For `Member`: start and end in `members`.
    pub set: (u32, u32),
}

/// The trees of one op.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ensemble {
    /// Every node of every tree.
    pub nodes: Vec<FlatNode>,
    /// The root node of each tree.
    pub roots: Vec<u32>,
    /// Leaf weights: (target or class index, weight).
    pub weights: Vec<(u32, f64)>,
    /// Set members of `Member` nodes.
    pub members: Vec<f64>,
    /// Number of targets (regressors) or classes (classifiers).
    pub n_outputs: usize,
}

impl Ensemble {
    /// Features the trees read: an input needs at least this many columns.
    pub fn features_needed(&self) -> usize {
        self.nodes
            .iter()
            .filter(|n| n.mode != Mode::Leaf)
            .map(|n| n.feature as usize + 1)
            .max()
            .unwrap_or(0)
    }

    /// Checks that every walk ends at a leaf: children in range, no node with two parents
    /// (so no cycle is reachable from a root), weights aimed at existing outputs.
    pub fn check(&self) -> TractResult<()> {
        let n = self.nodes.len();
        let mut parent: Vec<Option<usize>> = vec![None; n];
        for (ix, node) in self.nodes.iter().enumerate() {
            if node.mode == Mode::Leaf {
                let end = node.a as usize + node.b as usize;
                ensure!(end <= self.weights.len(), "leaf {ix}: weights out of range");
                continue;
            }
            for child in [node.a as usize, node.b as usize] {
                ensure!(child < n, "node {ix}: child {child} does not exist");
                ensure!(child != ix, "node {ix} is its own child");
                match parent[child] {
                    Some(p) if p != ix => bail!("node {child} has two parents ({p} and {ix})"),
                    _ => parent[child] = Some(ix),
                }
            }
            if node.mode == Mode::Member {
                ensure!(
                    node.set.0 <= node.set.1 && node.set.1 as usize <= self.members.len(),
                    "node {ix}: bad member set"
                );
            }
        }
        for root in &self.roots {
            ensure!((*root as usize) < n, "root {root} does not exist");
            ensure!(parent[*root as usize].is_none(), "root {root} has a parent");
        }
        for (target, _) in &self.weights {
            ensure!(
                (*target as usize) < self.n_outputs,
                "a leaf weight targets output {target} of {}",
                self.n_outputs
            );
        }
        Ok(())
    }

    /// True when every branch is `BRANCH_LEQ` (what scikit-learn exports), for [`Self::leaf_leq`].
    pub fn all_leq(&self) -> bool {
        self.nodes
            .iter()
            .all(|n| matches!(n.mode, Mode::Leq | Mode::Leaf))
    }

    /// [`Self::leaf`] for an ensemble whose branches are all `BRANCH_LEQ`: one comparison per
    /// node instead of a dispatch on the mode.
    #[inline]
    pub fn leaf_leq(&self, root: u32, row: &[f64]) -> &FlatNode {
        let mut node = &self.nodes[root as usize];
        while node.mode != Mode::Leaf {
            let x = row[node.feature as usize];
            let go_true = x <= node.threshold || (node.missing_true && x.is_nan());
            node = &self.nodes[if go_true { node.a } else { node.b } as usize];
        }
        node
    }

    /// The leaf a row reaches from `root`.
    #[inline]
    pub fn leaf(&self, root: u32, row: &[f64]) -> &FlatNode {
        let mut node = &self.nodes[root as usize];
        while node.mode != Mode::Leaf {
            let x = row[node.feature as usize];
            let compared = match node.mode {
                Mode::Leq => x <= node.threshold,
                Mode::Lt => x < node.threshold,
                Mode::Gte => x >= node.threshold,
                Mode::Gt => x > node.threshold,
                Mode::Eq => x == node.threshold,
                Mode::Neq => x != node.threshold,
                Mode::Member => self.members[node.set.0 as usize..node.set.1 as usize].contains(&x),
                Mode::Leaf => false,
            };
            // As onnxruntime: the comparison, or a NaN that tracks the true child.
            let go_true = compared || (node.missing_true && x.is_nan());
            node = &self.nodes[if go_true { node.a } else { node.b } as usize];
        }
        node
    }

    /// The weights of a leaf.
    #[inline]
    pub fn leaf_weights(&self, leaf: &FlatNode) -> &[(u32, f64)] {
        &self.weights[leaf.a as usize..(leaf.a + leaf.b) as usize]
    }
}
