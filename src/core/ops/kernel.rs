//! A small frame for our own operators: a [`Kernel`] states its output facts from its typed
//! input facts and evaluates; [`KernelOp`] supplies tract's four op traits once for all of them.
use std::fmt;

use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// What an op of ours must say: its name, output facts and how to compute.
pub trait Kernel: fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The ONNX op_type.
    fn name(&self) -> &'static str;
    /// Number of outputs.
    fn outputs(&self) -> usize {
        1
    }
    /// Output facts from the input facts (types and shapes, symbolic dims allowed).
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>>;
    /// Output facts during analysis, before typing: by default the typed ones. Kernels whose
    /// output dims depend on values override this to leave those dims unknown.
    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        Ok(self
            .output_facts(inputs)?
            .into_iter()
            .map(InferenceFact::from)
            .collect())
    }
    /// Takes fresh symbols for value-dependent output dims, when the node is typed.
    fn bind_symbols(&mut self, _symbols: &SymbolScope, _inputs: &[&TypedFact]) {}
    /// Whether analysis may ask for output facts yet (false leaves them open, e.g. while an
    /// input that must be constant is not, so a deferring wrapper can take over at typing).
    fn facts_ready(&self, _inputs: &[&TypedFact]) -> bool {
        true
    }
    /// Computes the outputs.
    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>>;
}

/// Wraps a [`Kernel`] as a tract op usable both in inference and typed graphs.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelOp<K: Kernel>(pub K);

impl<K: Kernel> Eq for KernelOp<K> {}

/// Boxes a kernel for an op builder's return value.
pub fn boxed<K: Kernel>(k: K) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    Ok((Box::new(KernelOp(k)), vec![]))
}

impl<K: Kernel> Op for KernelOp<K> {
    fn name(&self) -> StaticName {
        self.0.name().into()
    }

    op_as_typed_op!();
}

impl<K: Kernel> EvalOp for KernelOp<K> {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        self.0.eval(inputs)
    }
}

impl<K: Kernel> TypedOp for KernelOp<K> {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        self.0.output_facts(inputs)
    }

    as_op!();
}

impl<K: Kernel> InferenceOp for KernelOp<K> {
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
        let typed: Option<Vec<TypedFact>> = inputs
            .iter()
            .map(|f| TypedFact::try_from(*f).ok())
            .collect();
        let outputs = match typed {
            Some(typed) if self.0.facts_ready(&typed.iter().collect::<Vec<_>>()) => {
                let refs: Vec<&TypedFact> = typed.iter().collect();
                self.0.inference_facts(&refs)?
            }
            _ => outputs.into_iter().cloned().collect(),
        };
        Ok((
            inputs.into_iter().cloned().collect(),
            outputs,
            observed.into_iter().cloned().collect(),
        ))
    }

    fn nboutputs(&self) -> TractResult<usize> {
        Ok(self.0.outputs())
    }

    fn to_typed(
        &self,
        _source: &InferenceModel,
        node: &InferenceNode,
        target: &mut TypedModel,
        mapping: &HashMap<OutletId, OutletId>,
    ) -> TractResult<TVec<OutletId>> {
        let inputs: TVec<OutletId> = node.inputs.iter().map(|o| mapping[o]).collect();
        let facts: TVec<TypedFact> = inputs
            .iter()
            .map(|o| target.outlet_fact(*o).cloned())
            .collect::<TractResult<_>>()?;
        let mut kernel = self.0.clone();
        kernel.bind_symbols(&target.symbols, &facts.iter().collect::<Vec<_>>());
        target.wire_node(&*node.name, KernelOp(kernel), &inputs)
    }

    as_op!();
}

/// A [N, F] (or [F], as one row) input as f32 rows, the way onnxruntime's ML kernels read it:
/// (N, F, the f32 tensor, borrowed when the input already is f32). Read it with [`f32_slice`].
pub fn rows_f32(input: &Tensor) -> TractResult<(usize, usize, std::borrow::Cow<'_, Tensor>)> {
    let (n, f) = match input.shape() {
        [f] => (1, *f),
        [n, f] => (*n, *f),
        other => bail!("expected a [N, features] input, got shape {other:?}"),
    };
    Ok((n, f, input.cast_to::<f32>()?))
}

/// The values of an f32 tensor from [`rows_f32`].
pub fn f32_slice(rows: &Tensor) -> TractResult<&[f32]> {
    rows.try_as_plain_ram()?.as_slice::<f32>()
}

/// The batch dim of a [N, F] or [F] input fact.
pub fn batch_dim(fact: &TypedFact) -> TractResult<TDim> {
    match fact.rank() {
        1 => Ok(1.to_dim()),
        2 => Ok(fact.shape[0].clone()),
        r => bail!("expected a rank 1 or 2 input, got rank {r}"),
    }
}

/// A fact with the dims known before typing (`None`: left open), for `Kernel::inference_facts`
/// of ops whose output dims depend on input values.
pub fn partial_fact(dt: DatumType, dims: impl IntoIterator<Item = Option<TDim>>) -> InferenceFact {
    let dims: TVec<DimFact> = dims
        .into_iter()
        .map(|d| d.map(DimFact::from).unwrap_or_default())
        .collect();
    InferenceFact::dt_shape(dt, ShapeFactoid::closed(dims))
}

/// The typed fact of such an op, once `Kernel::bind_symbols` has given every open dim a symbol.
pub fn bound_fact(
    op: &str,
    dt: DatumType,
    dims: impl IntoIterator<Item = Option<TDim>>,
) -> TractResult<TypedFact> {
    let dims = dims
        .into_iter()
        .collect::<Option<TVec<TDim>>>()
        .ok_or_else(|| format_err!("{op} was typed without its symbols"))?;
    Ok(dt.fact(dims))
}
