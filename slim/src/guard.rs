//! The index check the full build puts in front of every Gather (src/core/ops/onnx/gather.rs):
//! tract-core 0.23.9's Gather reads at each index without a bounds check, so an index fed out of
//! `[-n, n)` would panic, a wasm trap. The publisher drops our check (it has no NNEF form); the
//! loader puts this one back in front of every Gather whose indices are not constant.
use tract_nnef::internal::*;
use tract_nnef::tract_core::ops::array::Gather;

/// Passes i64 indices (input 0) through once each lies in `[-n, n)`, `n` the length of the data
/// (input 1) on `axis`.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
struct IndexGuard {
    axis: usize,
    node: String,
}

impl Op for IndexGuard {
    fn name(&self) -> StaticName {
        "GatherIndexCheck".into()
    }

    op_as_typed_op!();
}

impl EvalOp for IndexGuard {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (indices, data) = args_2!(inputs);
        let len = *data.shape().get(self.axis).ok_or_else(|| {
            format_err!(
                "Gather node '{}': data has no axis {}",
                self.node,
                self.axis
            )
        })?;
        let n = len as i64;
        let plain = indices.try_as_plain_ram()?;
        if let Some(bad) = plain.as_slice::<i64>()?.iter().find(|&&i| i < -n || i >= n) {
            bail!(
                "Gather node '{}': index {bad} is out of range for axis {} of length {len} (valid: {} to {})",
                self.node,
                self.axis,
                -n,
                n - 1
            );
        }
        Ok(tvec![indices])
    }
}

impl TypedOp for IndexGuard {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec![inputs[0].without_value()])
    }

    as_op!();
}

/// Puts a guard in front of every Gather with i64 indices that are not constant.
pub fn guard_gathers(model: &mut TypedModel) -> TractResult<()> {
    let gathers: Vec<(usize, usize, String)> = model
        .nodes()
        .iter()
        .filter_map(|n| n.op_as::<Gather>().map(|g| (n.id, g.axis, n.name.clone())))
        .collect();
    for (id, axis, name) in gathers {
        let node = model.node(id);
        let (data, indices) = (node.inputs[0], node.inputs[1]);
        let fact = model.outlet_fact(indices)?;
        if fact.konst.is_some() || fact.datum_type != i64::datum_type() {
            continue;
        }
        let guard = IndexGuard {
            axis,
            node: name.clone(),
        };
        let checked = model.wire_node(format!("{name}.check_indices"), guard, &[indices, data])?[0];
        model.add_edge(checked, InletId::new(id, 1))?;
    }
    Ok(())
}
