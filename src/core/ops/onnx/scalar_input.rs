//! Pad (ONNX opsets 11-23) with its `constant_value` given as a one-element 1-D tensor, as the
//! function bodies of Attention and others write it and onnx's reference accepts; tract 0.23.9
//! wants rank 0. The wrapper shows tract's op a scalar fact and wires a scalar in its place.
use tract_onnx::model::{OnnxOpRegister, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::change_axes::AxisOp;
use tract_onnx::tract_hir::internal::*;

type Builder = fn(&ParsingContext, &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

static STOCK_PAD: std::sync::OnceLock<Builder> = std::sync::OnceLock::new();

/// Wraps the registered Pad builder (tract's, possibly already wrapped by deferred).
pub fn register(reg: &mut OnnxOpRegister) {
    if let Some(stock) = reg.0.get("Pad").copied() {
        let _ = STOCK_PAD.set(stock);
        reg.insert("Pad", build);
    }
}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let stock = STOCK_PAD.get().context("no stock builder for Pad")?;
    let (inner, closures) = stock(ctx, node)?;
    if node.input.get(2).is_none_or(|s| s.is_empty()) {
        return Ok((inner, closures));
    }
    Ok((Box::new(ScalarInput { inner, index: 2 }), closures))
}

/// An op whose input `index` must be a scalar, fed a one-element 1-D tensor as one.
#[derive(Debug, Clone)]
pub struct ScalarInput {
    inner: Box<dyn InferenceOp>,
    index: usize,
}

impl PartialEq for ScalarInput {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

impl Eq for ScalarInput {}

/// The scalar view of a fact known to be [1], else None.
fn as_scalar(fact: &InferenceFact) -> Option<InferenceFact> {
    let dims = fact.shape.concretize()?;
    if dims.len() != 1 || dims[0] != 1.to_dim() {
        return None;
    }
    let mut scalar = InferenceFact::default().with_shape(TVec::<TDim>::new());
    if let Some(dt) = fact.datum_type.concretize() {
        scalar = scalar.with_datum_type(dt);
    }
    if let Some(v) = fact.value.concretize() {
        let t = v.into_tensor().into_shape(&[]).ok()?;
        scalar = InferenceFact::from(t);
    }
    Some(scalar)
}

impl Op for ScalarInput {
    fn name(&self) -> StaticName {
        self.inner.name()
    }

    not_a_typed_op!();
}

impl EvalOp for ScalarInput {
    fn eval_out_of_plan(&self, mut inputs: TVec<TValue>) -> TractResult<Option<TVec<TValue>>> {
        if let Some(v) = inputs.get_mut(self.index).filter(|v| v.shape() == [1]) {
            *v = v.clone().into_tensor().into_shape(&[])?.into_tvalue();
        }
        self.inner.eval_out_of_plan(inputs)
    }
}

impl InferenceOp for ScalarInput {
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
        let scalar = inputs.get(self.index).and_then(|f| as_scalar(f));
        let Some(scalar) = scalar else {
            return self.inner.infer_facts(inputs, outputs, observed);
        };
        let original = inputs[self.index].clone();
        let mut shown: TVec<&InferenceFact> = tvec![];
        for (i, f) in inputs.iter().enumerate() {
            shown.push(if i == self.index { &scalar } else { f });
        }
        let (mut ins, outs, obs) = self.inner.infer_facts(shown, outputs, observed)?;
        ins[self.index] = original;
        Ok((ins, outs, obs))
    }

    fn nboutputs(&self) -> TractResult<usize> {
        self.inner.nboutputs()
    }

    fn to_typed(
        &self,
        source: &InferenceModel,
        node: &InferenceNode,
        target: &mut TypedModel,
        mapping: &HashMap<OutletId, OutletId>,
    ) -> TractResult<TVec<OutletId>> {
        let src = node.inputs[self.index];
        let wire = mapping[&src];
        if target.outlet_fact(wire)?.rank() != 1 {
            return self.inner.to_typed(source, node, target, mapping);
        }
        let scalar = target.wire_node(format!("{}.scalar", node.name), AxisOp::Rm(0), &[wire])?[0];
        let mut mapping = mapping.clone();
        mapping.insert(src, scalar);
        self.inner.to_typed(source, node, target, &mapping)
    }

    as_op!();
}
