//! TreeEnsembleClassifier and TreeEnsembleRegressor (ai.onnx.ml opsets 1-3) and TreeEnsemble
//! (ai.onnx.ml opset 5), computed as onnxruntime 1.x computes them: the same aggregation, base
//! values, binary-classifier special cases and post transforms.
//!
//! Replaces tract's TreeEnsembleClassifier, which refuses skl2onnx's binary models, builds an
//! error value at every visited leaf and restarts each walk from the first node.
use std::any::TypeId;
use std::sync::Arc;

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::compact::CompactTrees;
use super::dense::DenseLeaves;
use super::ensemble::{Ensemble, FlatNode};
use super::parse;
use super::score::Score;
use crate::core::ops::ml::attrs::{floats_or_tensor, ints};
use crate::core::ops::ml::labels::{Labels, Pick};
use crate::core::ops::ml::post_transform::{probit, PostTransform};

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
    /// Every branch is `BRANCH_LEQ`: walk with [`Ensemble::leaf_leq`].
    all_leq: bool,
    /// The same trees in 16-byte nodes, for f32 inputs, when every branch is `BRANCH_LEQ`.
    compact: Option<Arc<CompactTrees>>,
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
    let op = TreeEnsembleOp {
        all_leq: ensemble.all_leq(),
        compact: CompactTrees::build(&ensemble).map(Arc::new),
        dense: DenseLeaves::build(&ensemble).map(Arc::new),
        ensemble: Arc::new(ensemble),
        kind: Kind::Classifier {
            labels,
            binary_case,
            all_positive,
        },
        aggregate: Aggregate::Sum,
        base_values: floats_or_tensor(ctx, node, "base_values")?.unwrap_or_default(),
        post: post_transform(node)?,
    };
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
    let op = TreeEnsembleOp {
        all_leq: ensemble.all_leq(),
        compact: CompactTrees::build(&ensemble).map(Arc::new),
        dense: DenseLeaves::build(&ensemble).map(Arc::new),
        ensemble: Arc::new(ensemble),
        kind: Kind::Regressor,
        aggregate: Aggregate::parse(&aggregate)?,
        base_values: floats_or_tensor(ctx, node, "base_values")?.unwrap_or_default(),
        post: post_transform(node)?,
    };
    Ok((Box::new(op), vec![]))
}

fn build_v5(ctx: &ParsingContext, node: &NodeProto) -> Built {
    let n_targets: i64 = node.get_attr("n_targets")?;
    let n_targets = usize::try_from(n_targets).ok().filter(|n| *n >= 1);
    let n_targets =
        n_targets.ok_or_else(|| format_err!("{}: n_targets must be at least 1", node.name))?;
    let ensemble = parse::v5(ctx, node, n_targets)?;
    let op = TreeEnsembleOp {
        all_leq: ensemble.all_leq(),
        compact: CompactTrees::build(&ensemble).map(Arc::new),
        dense: DenseLeaves::build(&ensemble).map(Arc::new),
        ensemble: Arc::new(ensemble),
        kind: Kind::Ensemble,
        aggregate: Aggregate::from_code(node.get_attr_opt("aggregate_function")?.unwrap_or(1))?,
        base_values: vec![],
        post: PostTransform::from_code(node.get_attr_opt("post_transform")?.unwrap_or(0))?,
    };
    Ok((Box::new(op), vec![]))
}

/// One input row: f32 as given (walked on the compact nodes) or cast to f64.
#[derive(Clone, Copy)]
enum Row<'a> {
    F32(&'a [f32], &'a CompactTrees),
    F64(&'a [f64]),
}

/// Per-output accumulators of one row, reused across rows.
struct Scores<S> {
    value: Vec<S>,
    has: Vec<bool>,
}

impl TreeEnsembleOp {
    fn n_outputs(&self) -> usize {
        self.ensemble.n_outputs
    }

    /// Walks every tree for one row and aggregates the leaf weights.
    fn accumulate<S: Score>(&self, row: Row, s: &mut Scores<S>) {
        let leaves = self.ensemble.roots.iter().map(|root| match row {
            Row::F32(row, compact) => &self.ensemble.nodes[compact.leaf(*root, row)],
            Row::F64(row) if self.all_leq => self.ensemble.leaf_leq(*root, row),
            Row::F64(row) => self.ensemble.leaf(*root, row),
        });
        self.aggregate_leaves(leaves, s);
    }

    /// Aggregates the weights of one row's leaves (one per tree) into `s`.
    fn aggregate_leaves<'a, S: Score>(
        &'a self,
        leaves: impl Iterator<Item = &'a FlatNode>,
        s: &mut Scores<S>,
    ) {
        s.value.iter_mut().for_each(|v| *v = S::ZERO);
        s.has.iter_mut().for_each(|h| *h = false);
        for leaf in leaves {
            for (target, w) in self.ensemble.leaf_weights(leaf) {
                let (t, w) = (*target as usize, S::of(*w));
                let (v, h) = (&mut s.value[t], &mut s.has[t]);
                *v = match (self.aggregate, *h) {
                    (Aggregate::Sum | Aggregate::Average, _) | (_, false) => {
                        if matches!(self.aggregate, Aggregate::Sum | Aggregate::Average) {
                            *v + w
                        } else {
                            w
                        }
                    }
                    (Aggregate::Min, true) => {
                        if w < *v {
                            w
                        } else {
                            *v
                        }
                    }
                    (Aggregate::Max, true) => {
                        if w > *v {
                            w
                        } else {
                            *v
                        }
                    }
                };
                *h = true;
            }
        }
    }

    /// Regressor and TreeEnsemble v5: aggregate, base values, post transform.
    fn finish_regression<S: Score>(&self, s: &Scores<S>, out: &mut [f32]) {
        let n = self.n_outputs();
        let n_trees = S::count(self.ensemble.roots.len().max(1));
        let use_base = self.base_values.len() == n;
        for (t, slot) in out.iter_mut().enumerate().take(n) {
            let raw = match self.aggregate {
                Aggregate::Sum => s.value[t],
                Aggregate::Average => s.value[t] / n_trees,
                Aggregate::Min | Aggregate::Max => {
                    if s.has[t] {
                        s.value[t]
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
    fn finish_classification<S: Score>(&self, s: &mut Scores<S>, out: &mut [f32]) -> Pick {
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
            for k in 0..n_base.min(n) {
                if s.has[k] {
                    s.value[k] = s.value[k] + base(k)
                } else {
                    s.value[k] = base(k);
                    s.has[k] = true
                }
            }
            let mut best: Option<usize> = None;
            for k in 0..n {
                if s.has[k] && best.is_none_or(|b| s.value[k] > s.value[b]) {
                    best = Some(k);
                }
            }
            for ((slot, v), h) in out.iter_mut().zip(&s.value).zip(&s.has).take(n) {
                *slot = if *h { v.to_f32() } else { 0.0 };
            }
            self.post.apply(out);
            return Pick::Index(best.unwrap_or(0));
        }
        let mut write_extra = -1;
        let mut len = 2;
        if n_base == 2 {
            if s.has[1] {
                s.value[1] = base(1) + s.value[0];
                s.value[0] = -s.value[1];
            } else {
                s.value[1] = s.value[1] + base(1);
                s.value[0] = s.value[0] + base(0);
            }
        } else if n_base == 1 {
            s.value[0] = s.value[0] + base(0);
            if !s.has[1] {
                len = 1;
            }
        } else if n_base == 0 {
            write_extra = 3;
            if !s.has[1] {
                len = 1;
            }
        }
        let pos = if len == 2 && s.has[1] {
            s.value[1]
        } else if s.has[0] {
            s.value[0]
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
            out[0] = if s.has[0] || n_base == 2 {
                s.value[0].to_f32()
            } else {
                0.0
            };
            out[1] = if s.has[1] || n_base == 2 {
                s.value[1].to_f32()
            } else {
                0.0
            };
            self.post.apply(&mut out[..2]);
        } else {
            let s0 = s.value[0].to_f32();
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
        let needed = self.ensemble.features_needed();
        ensure!(
            cols >= needed,
            "{} reads feature {} but the input has {cols} columns",
            self.name(),
            needed.saturating_sub(1)
        );
        if input.datum_type() == f64::datum_type() {
            self.run::<f64>(input, rows, cols)
        } else {
            self.run::<f32>(input, rows, cols)
        }
    }
}

impl TreeEnsembleOp {
    /// Scores every row in `S` (onnxruntime's threshold type for this input) and finishes them.
    fn run<S: Score>(&self, input: &Tensor, rows: usize, cols: usize) -> TractResult<TVec<TValue>> {
        let compact = self
            .compact
            .as_deref()
            .filter(|_| input.datum_type() == f32::datum_type());
        let x32: &[f32] = match compact {
            Some(_) => input.try_as_plain_ram()?.as_slice::<f32>()?,
            None => &[],
        };
        let x64 = match compact {
            Some(_) => None,
            None => Some(input.cast_to::<f64>()?),
        };
        let x64: &[f64] = match &x64 {
            Some(t) => t.try_as_plain_ram()?.as_slice::<f64>()?,
            None => &[],
        };
        let row = |r: usize| match compact {
            Some(c) => Row::F32(&x32[r * cols..(r + 1) * cols], c),
            None => Row::F64(&x64[r * cols..(r + 1) * cols]),
        };
        let n = self.n_outputs();
        let mut scores = Scores {
            value: vec![S::ZERO; n],
            has: vec![false; n],
        };
        // Dense f32 leaf rows: only for f32 sums (an f64 input sums in f64) on the compact walk.
        let dense = self.dense.as_deref().filter(|_| {
            compact.is_some()
                && TypeId::of::<S>() == TypeId::of::<f32>()
                && matches!(self.aggregate, Aggregate::Sum | Aggregate::Average)
        });
        let mut sums = vec![0f32; n];
        let mut out = vec![0f32; rows * n];
        // Calls `each(r, scores)` with the aggregated scores of every row, in order.
        let mut for_each_row = |each: &mut dyn FnMut(usize, &mut Scores<S>)| {
            for r in 0..rows {
                match (dense, compact) {
                    (Some(d), Some(c)) => {
                        let x = &x32[r * cols..(r + 1) * cols];
                        sums.fill(0.0);
                        for root in &self.ensemble.roots {
                            d.add(c.leaf(*root, x), &mut sums);
                        }
                        for (v, s) in scores.value.iter_mut().zip(&sums) {
                            *v = S::of(f64::from(*s));
                        }
                        scores.has.copy_from_slice(&d.has);
                    }
                    _ => self.accumulate(row(r), &mut scores),
                }
                each(r, &mut scores);
            }
        };
        match &self.kind {
            Kind::Classifier { labels, .. } => {
                let mut picks = Vec::with_capacity(rows);
                for_each_row(&mut |r, scores| {
                    picks.push(self.finish_classification(scores, &mut out[r * n..(r + 1) * n]));
                });
                let label = labels.pick(&picks)?;
                let probabilities = Tensor::from_shape(&[rows, n], &out)?;
                Ok(tvec!(label.into_tvalue(), probabilities.into_tvalue()))
            }
            Kind::Regressor | Kind::Ensemble => {
                for_each_row(&mut |r, scores| {
                    self.finish_regression(scores, &mut out[r * n..(r + 1) * n]);
                });
                let y = Tensor::from_shape(&[rows, n], &out)?;
                let y = if self.kind == Kind::Ensemble && input.datum_type() == f64::datum_type() {
                    y.cast_to::<f64>()?.into_owned()
                } else {
                    y
                };
                Ok(tvec!(y.into_tvalue()))
            }
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
