//! TreeEnsembleClassifier and TreeEnsembleRegressor (ai.onnx.ml opsets 1-3) and TreeEnsemble
//! (ai.onnx.ml opset 5), computed as onnxruntime 1.x computes them: the same aggregation, base
//! values, binary-classifier special cases and post transforms.
//!
//! Replaces tract's TreeEnsembleClassifier, which refuses skl2onnx's binary models, builds an
//! error value at every visited leaf and restarts each walk from the first node.
use std::sync::Arc;

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::compact::CompactTrees;
use super::dense::DenseLeaves;
use super::ensemble::Ensemble;
use super::parse;
use super::score::Score;
use super::targets::TreeTargets;
use crate::core::ops::ml::attrs::{floats_or_tensor, ints};
use crate::core::ops::ml::labels::{Labels, Pick};
use crate::core::ops::ml::post_transform::{probit, PostTransform};
use crate::core::ops::ml::slots::clear;

/// How leaf values of one output combine across trees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// Sum over trees.
    Sum,
    /// Sum divided by the number of trees.
    Average,
    /// Smallest leaf value.
    Min,
    /// Largest leaf value.
    Max,
}

impl Aggregate {
    fn parse(s: &str) -> TractResult<Aggregate> {
        Ok(match s {
            "SUM" => Aggregate::Sum,
            "AVERAGE" => Aggregate::Average,
            "MIN" => Aggregate::Min,
            "MAX" => Aggregate::Max,
            other => bail!("unknown aggregate_function '{other}'"),
        })
    }

    fn from_code(code: i64) -> TractResult<Aggregate> {
        Ok(match code {
            0 => Aggregate::Average,
            1 => Aggregate::Sum,
            2 => Aggregate::Min,
            3 => Aggregate::Max,
            other => bail!("unknown aggregate_function {other}"),
        })
    }
}

/// Which of the three ops this is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Outputs label [N] and probabilities [N, classes].
    Classifier {
        /// The labels.
        labels: Labels,
        /// Two classes and every weight on one class id (onnxruntime's `binary_case_`).
        binary_case: bool,
        /// No negative class weight (onnxruntime's `weights_are_all_positive_`).
        all_positive: bool,
    },
    /// Outputs [N, targets] f32.
    Regressor,
    /// TreeEnsemble v5: outputs [N, targets] of the input's float type.
    Ensemble,
}

/// The op: one flat ensemble plus how to finish the scores.
#[derive(Clone, Debug)]
pub struct TreeEnsembleOp {
    ensemble: Arc<Ensemble>,
    /// Columns an input needs: one more than the largest feature a branch reads.
    features: usize,
    /// Every branch is `BRANCH_LEQ`: walk with [`Ensemble::leaf_leq`].
    all_leq: bool,
    /// The same trees in 16-byte nodes, for f32 inputs, when every branch is `BRANCH_LEQ`.
    compact: Option<Arc<CompactTrees>>,
    /// The output each tree weights, when every leaf has one weight and each tree one output.
    targets: Option<Arc<TreeTargets>>,
    /// The leaf weights as dense f32 rows, for f32 sums and averages, when the leaves allow it.
    dense: Option<Arc<DenseLeaves>>,
    kind: Kind,
    aggregate: Aggregate,
    base_values: Vec<f64>,
    post: PostTransform,
}

impl PartialEq for TreeEnsembleOp {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.ensemble, &other.ensemble) && self.kind == other.kind
    }
}
impl Eq for TreeEnsembleOp {}

/// Registers the three builders.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("TreeEnsembleClassifier", build_classifier);
    reg.insert("TreeEnsembleRegressor", build_regressor);
    reg.insert("TreeEnsemble", build_v5);
}

type Built = TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

fn post_transform(node: &NodeProto) -> TractResult<PostTransform> {
    PostTransform::parse(
        &node
            .get_attr_opt::<String>("post_transform")?
            .unwrap_or_else(|| "NONE".into()),
    )
}

fn build_classifier(ctx: &ParsingContext, node: &NodeProto) -> Built {
    let labels = Labels::read(node, "classlabels_int64s", "classlabels_strings")?;
    ensure!(
        labels.len() >= 2,
        "{}: a classifier needs at least two classes",
        node.name
    );
    let ensemble = parse::legacy(ctx, node, "class", labels.len())?;
    let class_ids = ints(node, "class_ids")?;
    let mut distinct = class_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let all_positive = ensemble.weights.iter().all(|(_, w)| *w >= 0.0);
    let binary_case = labels.len() == 2 && distinct.len() == 1;
    let op = TreeEnsembleOp::new(
        ensemble,
        Kind::Classifier {
            labels,
            binary_case,
            all_positive,
        },
        Aggregate::Sum,
        floats_or_tensor(ctx, node, "base_values")?.unwrap_or_default(),
        post_transform(node)?,
    );
    Ok((Box::new(op), vec![]))
}

fn build_regressor(ctx: &ParsingContext, node: &NodeProto) -> Built {
    let n_targets: i64 = node.get_attr_opt("n_targets")?.unwrap_or(1);
    let n_targets = usize::try_from(n_targets).ok().filter(|n| *n >= 1);
    let n_targets =
        n_targets.ok_or_else(|| format_err!("{}: n_targets must be at least 1", node.name))?;
    let ensemble = parse::legacy(ctx, node, "target", n_targets)?;
    let aggregate = node
        .get_attr_opt::<String>("aggregate_function")?
        .unwrap_or_else(|| "SUM".into());
    let op = TreeEnsembleOp::new(
        ensemble,
        Kind::Regressor,
        Aggregate::parse(&aggregate)?,
        floats_or_tensor(ctx, node, "base_values")?.unwrap_or_default(),
        post_transform(node)?,
    );
    Ok((Box::new(op), vec![]))
}

fn build_v5(ctx: &ParsingContext, node: &NodeProto) -> Built {
    let n_targets: i64 = node.get_attr("n_targets")?;
    let n_targets = usize::try_from(n_targets).ok().filter(|n| *n >= 1);
    let n_targets =
        n_targets.ok_or_else(|| format_err!("{}: n_targets must be at least 1", node.name))?;
    let ensemble = parse::v5(ctx, node, n_targets)?;
    let op = TreeEnsembleOp::new(
        ensemble,
        Kind::Ensemble,
        Aggregate::from_code(node.get_attr_opt("aggregate_function")?.unwrap_or(1))?,
        vec![],
        PostTransform::from_code(node.get_attr_opt("post_transform")?.unwrap_or(0))?,
    );
    Ok((Box::new(op), vec![]))
}

impl TreeEnsembleOp {
    fn new(
        ensemble: Ensemble,
        kind: Kind,
        aggregate: Aggregate,
        base_values: Vec<f64>,
        post: PostTransform,
    ) -> TreeEnsembleOp {
        TreeEnsembleOp {
            features: ensemble.features_needed(),
            all_leq: ensemble.all_leq(),
            compact: CompactTrees::build(&ensemble).map(Arc::new),
            targets: TreeTargets::build(&ensemble).map(Arc::new),
            dense: DenseLeaves::build(&ensemble).map(Arc::new),
            ensemble: Arc::new(ensemble),
            kind,
            aggregate,
            base_values,
            post,
        }
    }

    fn n_outputs(&self) -> usize {
        self.ensemble.n_outputs
    }

    /// Regressor and TreeEnsemble v5: aggregate, base values, post transform. Inlined into the
    /// row loop: a call per row was a tenth of a one-tree regressor's time.
    #[inline]
    fn finish_regression<S: Score>(&self, value: &[S], has: &[bool], out: &mut [f32]) {
        let n = self.n_outputs();
        let n_trees = S::count(self.ensemble.roots.len().max(1));
        let use_base = self.base_values.len() == n;
        for (t, slot) in out.iter_mut().enumerate().take(n) {
            let raw = match self.aggregate {
                Aggregate::Sum => value[t],
                Aggregate::Average => value[t] / n_trees,
                Aggregate::Min | Aggregate::Max => {
                    if has[t] {
                        value[t]
                    } else {
                        S::ZERO
                    }
                }
            };
            let base = if use_base {
                S::of(self.base_values[t])
            } else {
                S::ZERO
            };
            *slot = (raw + base).to_f32();
        }
        if n == 1 {
            if self.post == PostTransform::Probit {
                out[0] = probit(out[0]);
            }
        } else {
            self.post.apply(out);
        }
    }

    /// Classifier: onnxruntime's TreeAggregatorClassifier::FinalizeScores and write_scores.
    /// Returns the index into the labels, or the literal 0/1 onnxruntime writes when a
    /// two-class model is not in its binary case.
    fn finish_classification<S: Score>(
        &self,
        value: &mut [S],
        has: &[bool],
        out: &mut [f32],
    ) -> Pick {
        let Kind::Classifier {
            binary_case,
            all_positive,
            ..
        } = &self.kind
        else {
            return Pick::Index(0);
        };
        // Base values in the score type, as onnxruntime stores them.
        let base = |k: usize| S::of(self.base_values[k]);
        let n_base = self.base_values.len();
        let n = self.n_outputs();
        if n > 2 {
            // Slices of exactly n: no bounds checks in the loops below.
            let (value, has, out) = (&mut value[..n], &has[..n], &mut out[..n]);
            // A base value gives its class a score even when no leaf did.
            let scored = |k: usize| has[k] || k < n_base;
            for k in 0..n_base.min(n) {
                value[k] = if has[k] { value[k] + base(k) } else { base(k) };
            }
            // The first scored class with the largest score (n when none is scored).
            let mut best = n;
            for k in 0..n {
                if scored(k) && (best == n || value[k] > value[best]) {
                    best = k;
                }
            }
            for (k, (slot, v)) in out.iter_mut().zip(value.iter()).enumerate() {
                *slot = if scored(k) { v.to_f32() } else { 0.0 };
            }
            if self.post != PostTransform::None {
                self.post.apply(out);
            }
            return Pick::Index(if best == n { 0 } else { best });
        }
        let mut write_extra = -1;
        let mut len = 2;
        if n_base == 2 {
            if has[1] {
                value[1] = base(1) + value[0];
                value[0] = -value[1];
            } else {
                value[1] = value[1] + base(1);
                value[0] = value[0] + base(0);
            }
        } else if n_base == 1 {
            value[0] = value[0] + base(0);
            if !has[1] {
                len = 1;
            }
        } else if n_base == 0 {
            write_extra = 3;
            if !has[1] {
                len = 1;
            }
        }
        let pos = if len == 2 && has[1] {
            value[1]
        } else if has[0] {
            value[0]
        } else {
            S::ZERO
        };
        let (half, zero) = (S::of(0.5), S::ZERO);
        let pick = if *binary_case {
            let (positive, extra) = if *all_positive {
                (pos > half, if pos > half { 0 } else { 1 })
            } else {
                (pos > zero, if pos > zero { 2 } else { 3 })
            };
            write_extra = extra;
            Pick::Index(usize::from(positive))
        } else {
            Pick::Literal(i64::from(pos > zero))
        };
        if len == 2 {
            out[0] = if has[0] || n_base == 2 {
                value[0].to_f32()
            } else {
                0.0
            };
            out[1] = if has[1] || n_base == 2 {
                value[1].to_f32()
            } else {
                0.0
            };
            self.post.apply(&mut out[..2]);
        } else {
            let s0 = value[0].to_f32();
            if self.post == PostTransform::Probit {
                out[0] = probit(s0);
                out[1] = 0.0;
            } else {
                match write_extra {
                    0 | 1 => {
                        out[0] = 1.0 - s0;
                        out[1] = s0;
                    }
                    2 | 3 if self.post == PostTransform::Logistic => {
                        out[0] = crate::core::ops::ml::post_transform::logistic(-s0);
                        out[1] = crate::core::ops::ml::post_transform::logistic(s0);
                    }
                    2 | 3 => {
                        out[0] = -s0;
                        out[1] = s0;
                    }
                    _ => {
                        out[0] = s0;
                        out[1] = 0.0;
                    }
                }
            }
        }
        pick
    }
}

impl Op for TreeEnsembleOp {
    fn name(&self) -> StaticName {
        match self.kind {
            Kind::Classifier { .. } => "TreeEnsembleClassifier".into(),
            Kind::Regressor => "TreeEnsembleRegressor".into(),
            Kind::Ensemble => "TreeEnsemble".into(),
        }
    }

    op_as_typed_op!();
}

impl EvalOp for TreeEnsembleOp {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = &inputs[0];
        ensure!(
            input.rank() == 2,
            "{} expects a [N, features] input, got {:?}",
            self.name(),
            input.shape()
        );
        let (rows, cols) = (input.shape()[0], input.shape()[1]);
        ensure!(
            cols >= self.features,
            "{} reads feature {} but the input has {cols} columns",
            self.name(),
            self.features.saturating_sub(1)
        );
        let is_f64 = input.datum_type() == f64::datum_type();
        let is_f32 = input.datum_type() == f32::datum_type();
        let sums = matches!(self.aggregate, Aggregate::Sum | Aggregate::Average);
        let (finished, out) = match (&self.compact, &self.targets, &self.dense) {
            // onnxruntime sums an f32 input in f32: the fast forms hold f32 weights.
            (Some(trees), Some(targets), _) if is_f32 && sums => {
                let x = input.try_as_plain_ram()?.as_slice::<f32>()?;
                self.finish_rows(
                    rows,
                    Unique {
                        trees,
                        targets,
                        x,
                        cols,
                    },
                )
            }
            (Some(trees), None, Some(dense)) if is_f32 && sums => {
                let x = input.try_as_plain_ram()?.as_slice::<f32>()?;
                self.finish_rows(
                    rows,
                    Dense {
                        trees,
                        dense,
                        x,
                        cols,
                    },
                )
            }
            _ if is_f64 => {
                let x = input.try_as_plain_ram()?.as_slice::<f64>()?;
                self.finish_rows::<f64>(rows, Walks::new(self, Rows::F64(x), cols))
            }
            (Some(trees), _, _) if is_f32 => {
                let x = input.try_as_plain_ram()?.as_slice::<f32>()?;
                self.finish_rows::<f32>(rows, Walks::new(self, Rows::F32(x, trees), cols))
            }
            _ => {
                let wide = input.cast_to::<f64>()?;
                let x = wide.try_as_plain_ram()?.as_slice::<f64>()?;
                self.finish_rows::<f32>(rows, Walks::new(self, Rows::F64(x), cols))
            }
        };
        let n = self.n_outputs();
        let scores = Tensor::from_shape(&[rows, n], &out)?;
        match (&self.kind, finished) {
            (Kind::Classifier { labels, .. }, Finished::Picks(picks)) => {
                let label = labels.pick(&picks)?;
                Ok(tvec!(label.into_tvalue(), scores.into_tvalue()))
            }
            (Kind::Ensemble, _) if is_f64 => {
                Ok(tvec!(scores.cast_to::<f64>()?.into_owned().into_tvalue()))
            }
            _ => Ok(tvec!(scores.into_tvalue())),
        }
    }
}

/// What finishing the rows gives besides the f32 scores: the classifier's label picks.
enum Finished {
    Picks(Vec<Pick>),
    Scores,
}

/// Aggregates one row's leaf weights into `value` (one slot per output, overwritten) and returns
/// which outputs have a score. One implementation per tree form, so the row loop is compiled for
/// each with no call through a pointer.
trait RowScorer<S: Score> {
    fn score(&mut self, row: usize, value: &mut [S]) -> &[bool];
}

/// f32 rows on compact trees whose leaves hold one weight each, one output per tree.
struct Unique<'a> {
    trees: &'a CompactTrees,
    targets: &'a TreeTargets,
    x: &'a [f32],
    cols: usize,
}

impl RowScorer<f32> for Unique<'_> {
    #[inline]
    fn score(&mut self, row: usize, value: &mut [f32]) -> &[bool] {
        let x = &self.x[row * self.cols..(row + 1) * self.cols];
        let roots = self.targets.targets.iter().zip(self.trees.roots());
        if let [only] = value {
            // One output: the sum stays in a register.
            let mut sum = 0f32;
            for (_, root) in roots {
                sum += self.trees.leaf_weight(*root, x);
            }
            *only = sum;
        } else {
            clear(value, 0.0);
            for (target, root) in roots {
                value[*target as usize] += self.trees.leaf_weight(*root, x);
            }
        }
        &self.targets.has
    }
}

/// f32 rows on compact trees whose leaves weight the same outputs, as dense rows.
struct Dense<'a> {
    trees: &'a CompactTrees,
    dense: &'a DenseLeaves,
    x: &'a [f32],
    cols: usize,
}

impl RowScorer<f32> for Dense<'_> {
    #[inline]
    fn score(&mut self, row: usize, value: &mut [f32]) -> &[bool] {
        let x = &self.x[row * self.cols..(row + 1) * self.cols];
        clear(value, 0.0);
        for root in self.trees.roots() {
            self.dense.add(self.trees.leaf(*root, x), value);
        }
        &self.dense.has
    }
}

/// The input rows of the general walk: f32 on compact trees, or f64.
enum Rows<'a> {
    F32(&'a [f32], &'a CompactTrees),
    F64(&'a [f64]),
}

/// Any ensemble, any aggregate: walks to the leaves and aggregates their weight lists.
struct Walks<'a> {
    op: &'a TreeEnsembleOp,
    rows: Rows<'a>,
    cols: usize,
    has: Vec<bool>,
}

impl<'a> Walks<'a> {
    fn new(op: &'a TreeEnsembleOp, rows: Rows<'a>, cols: usize) -> Walks<'a> {
        let has = vec![false; op.n_outputs()];
        Walks {
            op,
            rows,
            cols,
            has,
        }
    }
}

impl<S: Score> RowScorer<S> for Walks<'_> {
    fn score(&mut self, row: usize, value: &mut [S]) -> &[bool] {
        let (op, cols) = (self.op, self.cols);
        let ensemble = &*op.ensemble;
        let range = row * cols..(row + 1) * cols;
        let leaves = ensemble
            .roots
            .iter()
            .enumerate()
            .map(|(t, root)| match &self.rows {
                Rows::F32(x, trees) => {
                    &ensemble.nodes[trees.leaf(trees.roots()[t], &x[range.clone()])]
                }
                Rows::F64(x) if op.all_leq => ensemble.leaf_leq(*root, &x[range.clone()]),
                Rows::F64(x) => ensemble.leaf(*root, &x[range.clone()]),
            });
        clear(value, S::ZERO);
        clear(&mut self.has, false);
        for leaf in leaves {
            for (target, w) in ensemble.leaf_weights(leaf) {
                let (t, w) = (*target as usize, S::of(*w));
                let (v, h) = (&mut value[t], &mut self.has[t]);
                *v = match (op.aggregate, *h) {
                    (Aggregate::Sum | Aggregate::Average, _) => *v + w,
                    (_, false) => w,
                    (Aggregate::Min, true) if w < *v => w,
                    (Aggregate::Max, true) if w > *v => w,
                    (Aggregate::Min | Aggregate::Max, true) => *v,
                };
                *h = true;
            }
        }
        &self.has
    }
}

impl TreeEnsembleOp {
    /// Scores every row in `S` (onnxruntime's threshold type for this input) and finishes them
    /// into `[rows, n_outputs]` f32 scores, with the label picks of a classifier.
    fn finish_rows<S: Score>(
        &self,
        rows: usize,
        mut scorer: impl RowScorer<S>,
    ) -> (Finished, Vec<f32>) {
        let n = self.n_outputs();
        let mut value = vec![S::ZERO; n];
        let mut out = vec![0f32; rows * n];
        if matches!(self.kind, Kind::Classifier { .. }) {
            let mut picks = Vec::with_capacity(rows);
            for (r, slots) in out.chunks_exact_mut(n.max(1)).enumerate().take(rows) {
                let has = scorer.score(r, &mut value);
                picks.push(self.finish_classification(&mut value, has, slots));
            }
            (Finished::Picks(picks), out)
        } else {
            for (r, slots) in out.chunks_exact_mut(n.max(1)).enumerate().take(rows) {
                let has = scorer.score(r, &mut value);
                self.finish_regression(&value, has, slots);
            }
            (Finished::Scores, out)
        }
    }
}

impl TypedOp for TreeEnsembleOp {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs[0].rank() == 2,
            "{} expects a rank-2 input",
            self.name()
        );
        let rows = inputs[0].shape[0].clone();
        let n = self.n_outputs().to_dim();
        Ok(match &self.kind {
            Kind::Classifier { labels, .. } => {
                let label_dt = labels.datum_type();
                tvec!(label_dt.fact([rows.clone()]), f32::fact([rows, n]))
            }
            Kind::Regressor => tvec!(f32::fact([rows, n])),
            Kind::Ensemble => {
                let dt = if inputs[0].datum_type == f64::datum_type() {
                    f64::datum_type()
                } else {
                    f32::datum_type()
                };
                tvec!(dt.fact([rows, n]))
            }
        })
    }

    as_op!();
}

impl InferenceRulesOp for TreeEnsembleOp {
    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 1)?;
        check_output_arity(outputs, InferenceRulesOp::nboutputs(self)?)?;
        s.equals(&inputs[0].rank, 2)?;
        let n = self.n_outputs() as i64;
        match &self.kind {
            Kind::Classifier { labels, .. } => {
                let label_dt = labels.datum_type();
                s.equals(&outputs[0].datum_type, label_dt)?;
                s.equals(&outputs[0].rank, 1)?;
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])?;
                s.equals(&outputs[1].datum_type, f32::datum_type())?;
                s.equals(&outputs[1].rank, 2)?;
                s.equals(&outputs[1].shape[0], &inputs[0].shape[0])?;
                s.equals(&outputs[1].shape[1], n.to_dim())?;
            }
            Kind::Regressor | Kind::Ensemble => {
                if self.kind == Kind::Regressor {
                    s.equals(&outputs[0].datum_type, f32::datum_type())?;
                } else {
                    s.given(&inputs[0].datum_type, move |s, dt| {
                        let dt = if dt == f64::datum_type() {
                            dt
                        } else {
                            f32::datum_type()
                        };
                        s.equals(&outputs[0].datum_type, dt)
                    })?;
                }
                s.equals(&outputs[0].rank, 2)?;
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])?;
                s.equals(&outputs[0].shape[1], n.to_dim())?;
            }
        }
        Ok(())
    }

    fn nboutputs(&self) -> TractResult<usize> {
        Ok(if matches!(self.kind, Kind::Classifier { .. }) {
            2
        } else {
            1
        })
    }

    as_op!();
    to_typed!();
}
