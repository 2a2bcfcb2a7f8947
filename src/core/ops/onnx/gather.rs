//! Gather, ONNX opset 13, with its indices checked. tract-core 0.23.9 reads the data at each
//! index without a bounds check (gather.rs:75), so an index outside `[-n, n)` panics: a wasm
//! trap. Here the indices pass through [`IndexCheck`] before tract's own Gather, which names the
//! node and the bad index. Constant indices against a known axis length are checked once while
//! decluttering and the check then leaves the graph, so tract still turns such Gathers into
//! slices.
use tract_onnx::model::{OnnxOpRegister, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::array::Gather;
use tract_onnx::tract_core::ops::cast::cast;
use tract_onnx::tract_hir::internal::*;

/// Registers Gather over tract's.
pub fn register(reg: &mut OnnxOpRegister) {
    reg.insert("Gather", build);
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let axis = node.get_attr_opt("axis")?.unwrap_or(0);
    Ok((expand(CheckedGather { axis }), vec![]))
}

/// The ONNX Gather: data and indices in, `data[..., indices, ...]` along `axis` out.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
struct CheckedGather {
    axis: i64,
}

fn resolve_axis(axis: i64, rank: usize) -> TractResult<usize> {
    let resolved = if axis < 0 { axis + rank as i64 } else { axis };
    if resolved < 0 || resolved >= rank as i64 {
        bail!("Gather axis {axis} is out of range for data of rank {rank}");
    }
    Ok(resolved as usize)
}

impl Expansion for CheckedGather {
    fn name(&self) -> StaticName {
        "Gather".into()
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        let axis = resolve_axis(self.axis, model.outlet_fact(inputs[0])?.rank())?;
        let indices = model.wire_node(
            format!("{prefix}.cast_to_i64"),
            cast(i64::datum_type()),
            &[inputs[1]],
        )?[0];
        let check = IndexCheck {
            axis,
            node: prefix.to_owned(),
        };
        let checked = model.wire_node(
            format!("{prefix}.check_indices"),
            check,
            &[indices, inputs[0]],
        )?[0];
        model.wire_node(prefix, Gather::new(axis), &[inputs[0], checked])
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 2)?;
        check_output_arity(outputs, 1)?;
        s.equals(&inputs[0].datum_type, &outputs[0].datum_type)?;
        s.equals(
            inputs[0].rank.bex() - 1 + inputs[1].rank.bex(),
            outputs[0].rank.bex(),
        )?;
        let axis = self.axis;
        s.given_2(
            &inputs[0].shape,
            &inputs[1].shape,
            move |s, data_shape, indices_shape| {
                let axis = resolve_axis(axis, data_shape.len())?;
                let output_shape =
                    Gather::new(axis).compute_output_shape(&data_shape, &indices_shape)?;
                s.equals(&outputs[0].shape, output_shape)?;
                Ok(())
            },
        )?;
        Ok(())
    }
}

/// Passes i64 indices through unchanged once each lies in `[-n, n)`, `n` the data's length on
/// `axis`; inputs are (indices, data).
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct IndexCheck {
    axis: usize,
    /// The Gather node, for the error.
    node: String,
}

impl IndexCheck {
    fn check(&self, indices: &Tensor, len: usize) -> TractResult<()> {
        let plain = indices.try_as_plain_ram()?;
        let n = len as i64;
        if let Some(bad) = plain.as_slice::<i64>()?.iter().find(|&&i| i < -n || i >= n) {
            bail!(
                "Gather node '{}': index {bad} is out of range for axis {} of length {len} \
                 (valid: {} to {})",
                self.node,
                self.axis,
                -n,
                n - 1
            );
        }
        Ok(())
    }
}

impl Op for IndexCheck {
    fn name(&self) -> StaticName {
        "GatherIndexCheck".into()
    }

    op_as_typed_op!();
}

impl EvalOp for IndexCheck {
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
        self.check(&indices, len)?;
        Ok(tvec![indices])
    }
}

impl TypedOp for IndexCheck {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        // Without the value: tract would otherwise fold the Gather from it before any check ran.
        Ok(tvec![inputs[0].without_value()])
    }

    fn declutter(
        &self,
        model: &TypedModel,
        node: &TypedNode,
    ) -> TractResult<Option<TypedModelPatch>> {
        let indices = model.outlet_fact(node.inputs[0])?;
        let data = model.outlet_fact(node.inputs[1])?;
        let (Some(konst), Some(len)) = (
            indices.konst.as_ref(),
            data.shape.get(self.axis).and_then(|d| d.to_usize().ok()),
        ) else {
            return Ok(None);
        };
        self.check(konst, len)?;
        TypedModelPatch::rewire(model, &node.inputs[..1], &[node.id.into()], &|_, xs| {
            Ok(xs.into())
        })
        .map(Some)
    }

    as_op!();
}
