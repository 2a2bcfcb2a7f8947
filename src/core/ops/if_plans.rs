//! The typed form of an `If` whose condition is only known at run time: both branches are
//! optimized and planned once, at load, and each keeps a run state between calls.
//!
//! tract's `IfThenElse` clones its branch and plans it from the typed, unoptimized body on every
//! call: a silero VAD v5 chunk (the whole model sits in an `If` on `sr`) re-ran the optimizer and
//! evaluated its convolutions through ad-hoc im2col models, about 4x onnxruntime-web's time.
use std::sync::Arc;

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;

/// One branch: its plan and which outer inputs (0 is the condition) feed its sources.
#[derive(Debug, Clone)]
struct Branch {
    plan: Arc<TypedSimplePlan>,
    mapping: Vec<usize>,
}

impl Branch {
    fn new(body: TypedModel, mapping: Vec<usize>) -> TractResult<Branch> {
        Ok(Branch {
            plan: optimized(body)?.into_runnable()?,
            mapping,
        })
    }

    fn inputs(&self, outer: &[TValue]) -> TVec<TValue> {
        self.mapping.iter().map(|&ix| outer[ix].clone()).collect()
    }
}

/// The body optimized as the outer model is; decluttered only (or as typed) when tract's
/// optimizer cannot handle it, since a slower plan beats a model that does not load.
fn optimized(body: TypedModel) -> TractResult<TypedModel> {
    match body.clone().into_optimized() {
        Ok(model) => Ok(model),
        Err(_) => match body.clone().into_decluttered() {
            Ok(model) => Ok(model),
            Err(_) => Ok(body),
        },
    }
}

/// `If` with a planned branch on each side; `outputs` are the facts both branches agree on.
#[derive(Debug, Clone)]
pub struct IfPlans {
    then_branch: Branch,
    else_branch: Branch,
    outputs: TVec<TypedFact>,
}

impl PartialEq for IfPlans {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}
impl Eq for IfPlans {}

impl IfPlans {
    /// Plans both bodies. `outputs` are the output facts the outer graph will see.
    pub fn new(
        then_body: TypedModel,
        then_mapping: Vec<usize>,
        else_body: TypedModel,
        else_mapping: Vec<usize>,
        outputs: TVec<TypedFact>,
    ) -> TractResult<IfPlans> {
        Ok(IfPlans {
            then_branch: Branch::new(then_body, then_mapping)?,
            else_branch: Branch::new(else_body, else_mapping)?,
            outputs,
        })
    }

    fn branch(&self, cond: bool) -> &Branch {
        if cond {
            &self.then_branch
        } else {
            &self.else_branch
        }
    }
}

impl Op for IfPlans {
    fn name(&self) -> StaticName {
        "If".into()
    }

    fn info(&self) -> TractResult<Vec<String>> {
        Ok(vec!["branches planned at load".to_owned()])
    }

    op_as_typed_op!();
}

impl EvalOp for IfPlans {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let branch = self.branch(inputs[0].cast_to_scalar::<bool>()?);
        branch.plan.run(branch.inputs(&inputs))
    }

    fn state(&self, _ctx: &EvalContext) -> TractResult<Option<Box<dyn OpState>>> {
        Ok(Some(Box::new(IfState::default())))
    }
}

impl TypedOp for IfPlans {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs[0].datum_type == bool::datum_type());
        Ok(self.outputs.clone())
    }

    as_op!();
}

/// A branch's run state, kept while its input shapes stay the same (a state remembers the
/// symbol values it resolved).
#[derive(Debug, Clone)]
struct Kept {
    state: TypedSimpleState,
    shapes: Vec<TVec<usize>>,
}

/// Per-session state of an [`IfPlans`] node: the run state of each branch taken so far.
#[derive(Debug, Clone, Default)]
struct IfState {
    then_state: Option<Kept>,
    else_state: Option<Kept>,
}

impl OpState for IfState {
    fn eval(
        &mut self,
        _ctx: &EvalContext,
        op: &dyn Op,
        inputs: TVec<TValue>,
    ) -> TractResult<TVec<TValue>> {
        let Some(op) = op.downcast_ref::<IfPlans>() else {
            bail!("If state evaluated with another op");
        };
        let cond = inputs[0].cast_to_scalar::<bool>()?;
        let branch = op.branch(cond);
        let body_inputs = branch.inputs(&inputs);
        let shapes: Vec<TVec<usize>> = body_inputs.iter().map(|t| t.shape().into()).collect();
        let slot = if cond {
            &mut self.then_state
        } else {
            &mut self.else_state
        };
        if slot.as_ref().is_none_or(|kept| kept.shapes != shapes) {
            *slot = Some(Kept {
                state: branch.plan.spawn()?,
                shapes,
            });
        }
        let Some(kept) = slot.as_mut() else {
            bail!("If branch state missing");
        };
        let result = kept.state.run(body_inputs);
        if result.is_err() {
            // A failed run may leave values half-written: start the next call afresh.
            *slot = None;
        }
        result
    }

    fn reset_lanes(&mut self, _lanes: &[LaneId]) -> TractResult<()> {
        self.then_state = None;
        self.else_state = None;
        Ok(())
    }
}
