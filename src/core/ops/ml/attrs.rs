//! Reading ai.onnx.ml attributes, which come as lists or as `*_as_tensor` tensors.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::{NodeProto, TensorProto};
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::bail;

/// Integers of attribute `name`, empty when absent.
pub fn ints(node: &NodeProto, name: &str) -> TractResult<Vec<i64>> {
    Ok(node.get_attr_opt_vec::<i64>(name)?.unwrap_or_default())
}

/// Strings of attribute `name`, empty when absent.
pub fn strings(node: &NodeProto, name: &str) -> TractResult<Vec<String>> {
    Ok(node.get_attr_opt_vec::<String>(name)?.unwrap_or_default())
}

/// Floats of `name`, or of the tensor `{name}_as_tensor`; `None` when both are absent.
pub fn floats_or_tensor(
    ctx: &ParsingContext,
    node: &NodeProto,
    name: &str,
) -> TractResult<Option<Vec<f64>>> {
    if let Some(v) = node.get_attr_opt_vec::<f32>(name)? {
        return Ok(Some(v.into_iter().map(f64::from).collect()));
    }
    tensor_f64(ctx, node, &format!("{name}_as_tensor"))
}

/// A tensor attribute as f64 values; `None` when absent.
pub fn tensor_f64(
    ctx: &ParsingContext,
    node: &NodeProto,
    name: &str,
) -> TractResult<Option<Vec<f64>>> {
    let Some(proto) = node.get_attr_opt::<&TensorProto>(name)? else {
        return Ok(None);
    };
    let t = ctx.load_tensor(proto)?;
    let t = t.cast_to::<f64>()?;
    Ok(Some(t.try_as_plain_ram()?.as_slice::<f64>()?.to_vec()))
}

/// A tensor attribute as i64 values (uint8 mode tensors included); `None` when absent.
pub fn tensor_i64(
    ctx: &ParsingContext,
    node: &NodeProto,
    name: &str,
) -> TractResult<Option<Vec<i64>>> {
    let Some(proto) = node.get_attr_opt::<&TensorProto>(name)? else {
        return Ok(None);
    };
    let t = ctx.load_tensor(proto)?;
    let t = t.cast_to::<i64>()?;
    Ok(Some(t.try_as_plain_ram()?.as_slice::<i64>()?.to_vec()))
}

/// Fails unless every list has the length of the first one.
pub fn same_lengths(node: &NodeProto, lists: &[(&str, usize)]) -> TractResult<()> {
    let Some((first, n)) = lists.first() else {
        return Ok(());
    };
    for (name, len) in lists {
        if len != n {
            bail!(
                "{}: attribute '{name}' has {len} entries, '{first}' has {n}",
                node.name
            );
        }
    }
    Ok(())
}
