//! ONNX `If` (ai.onnx opsets 1-21) that folds to the taken branch whenever its condition is known
//! while planning.
//!
//! tract's own `If` always types both branches and needs them to produce identical facts, so
//! models whose branches differ in shape (silero VAD tests `Shape(x)[-1] == 1` to pick Squeeze or
//! Identity) cannot load. This op analyses and types only the taken branch when the condition is
//! a constant (from initializers, or from an input the session pinned to a value or a shape), and
//! otherwise becomes [`IfPlans`](super::if_plans::IfPlans): both branches planned once, at load.
use std::collections::HashMap;

use tract_onnx::model::{ParseResult, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::source::TypedSource;
use tract_onnx::tract_hir::infer::InferenceModelExt;
use tract_onnx::tract_hir::internal::*;

use super::if_plans::IfPlans;

/// Builds [`IfOp`] from an ONNX `If` node; the closures are the outer names the bodies read.
pub fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let then_graph = node.get_attr("then_branch")?;
    let else_graph = node.get_attr("else_branch")?;
    let ParseResult {
        model: then_body,
        unresolved_inputs: then_reads,
        ..
    } = ctx.parse_graph(then_graph)?;
    let ParseResult {
        model: else_body,
        unresolved_inputs: else_reads,
        ..
    } = ctx.parse_graph(else_graph)?;
    let mut closures: Vec<String> = then_reads
        .iter()
        .chain(else_reads.iter())
        .cloned()
        .collect();
    closures.sort();
    closures.dedup();
    // Outer input 0 is the condition; outer input k+1 is closure k.
    let position = |name: &String| closures.iter().position(|c| c == name).map(|p| p + 1);
    let then_mapping = then_reads.iter().map(position).collect::<Option<Vec<_>>>();
    let else_mapping = else_reads.iter().map(position).collect::<Option<Vec<_>>>();
    let (Some(then_mapping), Some(else_mapping)) = (then_mapping, else_mapping) else {
        bail!(
            "If node {}: a branch input is not among the closures",
            node.name
        );
    };
    let op = IfOp {
        then_body,
        then_mapping,
        else_body,
        else_mapping,
    };
    Ok((Box::new(op), closures))
}

/// `If` with both bodies kept as inference graphs until the condition is known.
#[derive(Debug, Clone)]
pub struct IfOp {
    then_body: InferenceModel,
    then_mapping: Vec<usize>,
    else_body: InferenceModel,
    else_mapping: Vec<usize>,
}

impl PartialEq for IfOp {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}
impl Eq for IfOp {}

impl IfOp {
    fn branch(&self, cond: bool) -> (&InferenceModel, &[usize]) {
        if cond {
            (&self.then_body, &self.then_mapping)
        } else {
            (&self.else_body, &self.else_mapping)
        }
    }

    /// Unifies the facts of the branches to analyse (the taken one, or both) with the outer
    /// facts until nothing changes.
    fn analyse_branches(
        &mut self,
        taken: Option<bool>,
        inputs: &mut [InferenceFact],
        outputs: &mut [InferenceFact],
    ) -> TractResult<()> {
        loop {
            let mut changed = false;
            let branches: &[bool] = match taken {
                Some(true) => &[true],
                Some(false) => &[false],
                None => &[true, false],
            };
            for &branch in branches {
                let (body, mapping) = self.branch_mut(branch);
                let mapping = mapping.to_vec();
                for (body_ix, outer_ix) in mapping.iter().enumerate() {
                    changed |= body
                        .input_fact_mut(body_ix)?
                        .unify_with_mut(&mut inputs[*outer_ix])?;
                }
                for (ix, output) in outputs.iter_mut().enumerate() {
                    let fact = body.output_fact_mut(ix)?;
                    if taken.is_some() {
                        changed |= fact.unify_with_mut(output)?;
                    } else {
                        changed |= fact.shape.unify_with_mut(&mut output.shape)?;
                        changed |= fact.datum_type.unify_with_mut(&mut output.datum_type)?;
                    }
                }
                changed |= body.analyse(false)?;
            }
            if !changed {
                return Ok(());
            }
        }
    }

    fn branch_mut(&mut self, cond: bool) -> (&mut InferenceModel, &[usize]) {
        if cond {
            (&mut self.then_body, &self.then_mapping)
        } else {
            (&mut self.else_body, &self.else_mapping)
        }
    }
}

/// Replaces symbols by values in declared facts, inside `If` bodies too (tract's own
/// `set_symbols` rewrites only the top-level graph).
pub fn substitute_symbols(
    model: &mut InferenceModel,
    subs: &HashMap<Symbol, TDim>,
) -> TractResult<()> {
    model.set_symbols(subs)?;
    for node in model.nodes_mut() {
        if let Some(op) = node.op_as_mut::<IfOp>() {
            substitute_symbols(&mut op.then_body, subs)?;
            substitute_symbols(&mut op.else_body, subs)?;
        }
    }
    Ok(())
}

/// The condition's value, when analysis has made it a constant.
fn known_condition(fact: &InferenceFact) -> TractResult<Option<bool>> {
    match fact.value.concretize() {
        Some(t) => Ok(Some(t.cast_to_scalar::<bool>()?)),
        None => Ok(None),
    }
}

impl Op for IfOp {
    fn name(&self) -> StaticName {
        "If".into()
    }

    not_a_typed_op!();
}

impl EvalOp for IfOp {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let cond = inputs[0].cast_to_scalar::<bool>()?;
        let (body, mapping) = self.branch(cond);
        let body_inputs: TVec<TValue> = mapping.iter().map(|&ix| inputs[ix].clone()).collect();
        body.clone().into_runnable()?.run(body_inputs)
    }
}

impl InferenceOp for IfOp {
    fn infer_facts(
        &mut self,
        inputs: TVec<&InferenceFact>,
        outputs: TVec<&InferenceFact>,
        observed: TVec<&InferenceFact>,
    ) -> TractResult<(
        TVec<InferenceFact>,
        TVec<InferenceFact>,
        TVec<InferenceFact>,
    )> {
        let mut inputs: TVec<InferenceFact> = inputs.into_iter().cloned().collect();
        let mut outputs: TVec<InferenceFact> = outputs.into_iter().cloned().collect();
        inputs[0]
            .datum_type
            .unify_with(&bool::datum_type().into())?;
        let taken = known_condition(&inputs[0])?;
        if taken.is_none() {
            // The condition may become known later in the analysis, and then only the taken
            // branch matters: a branch that fails now (a Split of a length it is not meant for)
            // must not fail the model. Try on copies; on failure, learn nothing for now (typing
            // both branches reports the error if the condition stays unknown).
            let mut trial = self.clone();
            let (mut trial_inputs, mut trial_outputs) = (inputs.clone(), outputs.clone());
            if trial
                .analyse_branches(None, &mut trial_inputs, &mut trial_outputs)
                .is_ok()
            {
                *self = trial;
                inputs = trial_inputs;
                outputs = trial_outputs;
            }
            return Ok((inputs, outputs, observed.into_iter().cloned().collect()));
        }
        self.analyse_branches(taken, &mut inputs, &mut outputs)?;
        Ok((inputs, outputs, observed.into_iter().cloned().collect()))
    }

    fn nboutputs(&self) -> TractResult<usize> {
        let (then_n, else_n) = (self.then_body.outputs.len(), self.else_body.outputs.len());
        ensure!(
            then_n == else_n,
            "If branches produce {then_n} and {else_n} outputs"
        );
        Ok(then_n)
    }

    fn to_typed(
        &self,
        source: &InferenceModel,
        node: &InferenceNode,
        target: &mut TypedModel,
        mapping: &HashMap<OutletId, OutletId>,
    ) -> TractResult<TVec<OutletId>> {
        let outer: TVec<OutletId> = node.inputs.iter().map(|o| mapping[o]).collect();
        if let Some(cond) = known_condition(source.outlet_fact(node.inputs[0])?)? {
            let (body, body_mapping) = self.branch(cond);
            return inline_branch(&node.name, body, body_mapping, &outer, target);
        }
        let then_body = self.then_body.clone().into_typed()?;
        let else_body = self.else_body.clone().into_typed()?;
        let outputs = joint_output_facts(&node.name, &then_body, &else_body, target)?;
        let op = IfPlans::new(
            then_body,
            self.then_mapping.clone(),
            else_body,
            self.else_mapping.clone(),
            outputs,
        )?;
        target.wire_node(&*node.name, op, &outer)
    }

    as_op!();
}

/// The facts the outer graph sees for each output of an `If` decided at run time: the
/// branches' own when they agree, else the same type and rank with a fresh symbol for each
/// dimension they disagree on (silero's branches differ in shape on a condition it never takes).
fn joint_output_facts(
    name: &str,
    then_body: &TypedModel,
    else_body: &TypedModel,
    target: &TypedModel,
) -> TractResult<TVec<TypedFact>> {
    let mut facts = tvec!();
    for ix in 0..then_body.outputs.len() {
        let then_fact = then_body.output_fact(ix)?.without_value();
        let else_fact = else_body.output_fact(ix)?.without_value();
        if then_fact == else_fact {
            facts.push(then_fact);
            continue;
        }
        ensure!(
            then_fact.datum_type == else_fact.datum_type && then_fact.rank() == else_fact.rank(),
            "If node {name}: output {ix} is {then_fact:?} in one branch and {else_fact:?} in the \
             other (pin the input that decides the condition)"
        );
        let dims: TVec<TDim> = then_fact
            .shape
            .iter()
            .zip(else_fact.shape.iter())
            .map(|(a, b)| {
                if a == b {
                    a.clone()
                } else {
                    target.symbols.new_with_prefix("if").into()
                }
            })
            .collect();
        facts.push(then_fact.datum_type.fact(dims));
    }
    Ok(facts)
}

/// Types `body` and wires its nodes into `target` in place of the `If` node.
fn inline_branch(
    prefix: &str,
    body: &InferenceModel,
    body_mapping: &[usize],
    outer: &[OutletId],
    target: &mut TypedModel,
) -> TractResult<TVec<OutletId>> {
    let body = body.clone().into_typed()?;
    let mut wired: HashMap<OutletId, OutletId> = HashMap::new();
    for (outer_ix, source) in body_mapping.iter().zip(body.input_outlets()?) {
        wired.insert(*source, outer[*outer_ix]);
    }
    for id in body.eval_order()? {
        let bnode = body.node(id);
        if bnode.op_is::<TypedSource>() {
            continue;
        }
        let inputs: TVec<OutletId> = bnode.inputs.iter().map(|o| wired[o]).collect();
        // Bodies of different `If` nodes may hold nodes of the same name: make each one unique.
        let name = target
            .unique_name(format!("{prefix}.{}", bnode.name))
            .into_owned();
        let outs = target.wire_node(name, bnode.op.clone(), &inputs)?;
        for (slot, outlet) in outs.iter().enumerate() {
            wired.insert(OutletId::new(id, slot), *outlet);
        }
    }
    Ok(body.outputs.iter().map(|o| wired[o]).collect())
}
