//! `onnx-edge publish --format nnef`: a model loaded exactly as `Session::load` loads it (our
//! rewrites, our operators, pinned shapes), typed and decluttered but not optimized (optimized
//! ops have no NNEF form), written with tract's NNEF writer and its `tract_onnx` extension as
//! the .tar the slim build reads. The archive also carries `onnx-edge.json`, the ONNX model's
//! metadata as the full build reports it, which the slim build checks inputs against.
use std::io::Write;

use tract_nnef::internal::{Registry, TypedNode};
use tract_nnef::prelude::*;
use tract_onnx::tract_hir::infer::InferenceModelExt;
use tract_onnx_opl::WithOnnx;

use super::error::Result;
use super::model::{node_label, LoadOptions, ModelError};
use super::session::Session;

/// The archive entry with the model's metadata (read by slim/src/archive.rs).
pub const DESCRIPTION: &str = "onnx-edge.json";

/// The NNEF framework both sides use: the slim build reads with exactly these registries.
fn nnef() -> tract_nnef::framework::Nnef {
    tract_nnef::nnef().with_onnx()
}

/// Converts ONNX bytes to the slim build's NNEF .tar (deterministic: the same model gives the
/// same bytes). A node with no NNEF form is [`ModelError::NoNnefForm`] (MODEL_UNSUPPORTED_OP).
pub fn to_nnef(bytes: &[u8], options: LoadOptions) -> Result<Vec<u8>> {
    let session = Session::load(bytes, options)?;
    let shape = |stage: &str, e: TractError| ModelError::Shape {
        stage: stage.to_owned(),
        reason: ModelError::chain(&e),
    };
    let mut model = session.template().clone();
    model.analyse(false).map_err(|e| shape("analysing", e))?;
    let typed = model.into_typed().map_err(|e| shape("typing", e))?;
    let mut typed = typed
        .into_decluttered()
        .map_err(|e| shape("decluttering", e))?;
    let nnef = nnef();
    lower(&nnef, &mut typed).map_err(|e| shape("lowering for NNEF", e))?;
    if let Some(node) = typed.nodes().iter().find(|n| !serializable(&nnef, n)) {
        return Err(no_form(bytes, node, "no NNEF serializer for this operator").into());
    }
    let description = serde_json::json!({ "metadata": session.metadata() }).to_string();
    let mut out = Vec::new();
    append_entry(&mut out, DESCRIPTION, description.as_bytes()).map_err(|e| ModelError::Parse {
        reason: e.to_string(),
    })?;
    let out = nnef
        .write_to_tar_with_config(&typed, out, false, true)
        .map_err(|e| ModelError::NoNnefForm {
            op_type: String::new(),
            domain: String::new(),
            node: String::new(),
            reason: ModelError::chain(&e),
        })?;
    check_reads_back(&nnef, &out)?;
    Ok(out)
}

/// Replaces our ops that have a tract-core equivalent with it: the index check in front of
/// Gather (the slim build puts its own back, slim/src/guard.rs) and ArrayFeatureExtractor (a
/// Gather on the last axis). Everything else of ours has no NNEF form.
fn lower(nnef: &tract_nnef::framework::Nnef, model: &mut TypedModel) -> TractResult<()> {
    use tract_nnef::internal::TypedModelPatch;
    loop {
        let mut patch = None;
        for id in model.eval_order()? {
            let node = model.node(id);
            if serializable(nnef, node) {
                continue;
            }
            patch = match &*node.op().name() {
                "GatherIndexCheck" => Some(TypedModelPatch::rewire(
                    model,
                    &node.inputs[..1],
                    &[node.id.into()],
                    &|_, xs| Ok(xs.into()),
                )?),
                "ArrayFeatureExtractor" => Some(array_feature_extractor(model, node)?),
                _ => None,
            };
            if patch.is_some() {
                break;
            }
        }
        let Some(patch) = patch else { break };
        patch.apply(model)?;
    }
    model.compact()
}

/// ArrayFeatureExtractor(x, indices) as tract's Gather on x's last axis (x of rank 0 or 1 taken
/// as one row, indices flattened and cast to i64), as src/core/ops/ml/features.rs computes it.
fn array_feature_extractor(
    model: &TypedModel,
    node: &TypedNode,
) -> TractResult<tract_nnef::internal::TypedModelPatch> {
    use tract_nnef::internal::{AxisOp, TypedModelPatch};
    use tract_nnef::tract_core::ops::{array::Gather, cast::cast};
    let mut patch = TypedModelPatch::default();
    let name = &node.name;
    let mut x = patch.tap_model(model, node.inputs[0])?;
    let mut indices = patch.tap_model(model, node.inputs[1])?;
    let mut rank = model.outlet_fact(node.inputs[0])?.rank();
    while rank < 2 {
        x = patch.wire_node(format!("{name}.row{rank}"), AxisOp::Add(0), &[x])?[0];
        rank += 1;
    }
    let fact = model.outlet_fact(node.inputs[1])?.clone();
    if fact.datum_type != i64::datum_type() {
        indices = patch.wire_node(format!("{name}.i64"), cast(i64::datum_type()), &[indices])?[0];
    }
    let flat = match fact.rank() {
        0 => Some(AxisOp::Add(0)),
        1 => None,
        _ => Some(AxisOp::Reshape(
            0,
            fact.shape.to_tvec(),
            tvec![fact.shape.volume()],
        )),
    };
    if let Some(op) = flat {
        indices = patch.wire_node(format!("{name}.flat"), op, &[indices])?[0];
    }
    let y = patch.wire_node(
        format!("{name}.gather"),
        Gather::new(rank - 1),
        &[x, indices],
    )?[0];
    patch.shunt_outside(model, node.id.into(), y)?;
    Ok(patch)
}

/// Whether some registry has a writer for the node's op (the lookups of tract's `Registry::serialize`).
fn serializable(nnef: &tract_nnef::framework::Nnef, node: &TypedNode) -> bool {
    use tract_nnef::tract_core::ops;
    if node.op_is::<ops::source::TypedSource>()
        || node.op_is::<ops::konst::Const>()
        || node.op_is::<ops::identity::Identity>()
    {
        return true;
    }
    let known = |r: &Registry| {
        if let Some(op) = node.op().downcast_ref::<ops::element_wise::ElementWiseOp>() {
            let id = op.0.type_id();
            r.unit_element_wise_ops
                .iter()
                .any(|ew| ew.1.as_ref().type_id() == id)
                || r.element_wise_ops.iter().any(|ew| ew.1 == id)
        } else if let Some(op) = node.op().downcast_ref::<ops::binary::TypedBinOp>() {
            let id = op.0.type_id();
            r.binary_ops.iter().any(|b| b.1.as_ref().type_id() == id)
        } else {
            r.from_tract.contains_key(&node.op().type_id())
        }
    };
    nnef.registries.iter().any(known)
}

/// The error naming the ONNX node a tract node came from (tract names nodes after the ONNX node,
/// and nodes it derives while decluttering after it plus a suffix).
fn no_form(bytes: &[u8], node: &TypedNode, reason: &str) -> ModelError {
    let onnx_nodes: Vec<(String, String, String)> = super::engine::decode(bytes)
        .ok()
        .and_then(|mut proto| {
            super::rewrite::rewrite(&mut proto).ok()?;
            proto.graph
        })
        .map(|g| {
            g.node
                .iter()
                .map(|n| (node_label(n), n.op_type.clone(), n.domain.clone()))
                .collect()
        })
        .unwrap_or_default();
    let origin = onnx_nodes
        .iter()
        .filter(|(name, _, _)| {
            !name.is_empty() && (node.name == *name || node.name.starts_with(&format!("{name}.")))
        })
        .max_by_key(|(name, _, _)| name.len());
    let (node_name, op_type, domain) = match origin {
        Some((name, op, domain)) => (name.clone(), op.clone(), domain.clone()),
        None => (
            node.name.clone(),
            node.op().name().to_string(),
            String::new(),
        ),
    };
    ModelError::NoNnefForm {
        op_type,
        domain,
        node: node_name,
        reason: format!("{reason} ({})", node.op().name()),
    }
}

/// A tar entry (header, data, padding to 512 bytes) without the end-of-archive blocks, so tract's
/// writer can append its entries after it.
fn append_entry(out: &mut Vec<u8>, path: &str, data: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_path(path)?;
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    // The MS-DOS epoch, as tract's deterministic writer uses.
    header.set_mtime(315_532_800);
    header.set_cksum();
    out.write_all(header.as_bytes())?;
    out.write_all(data)?;
    let padding = (512 - data.len() % 512) % 512;
    out.write_all(&vec![0u8; padding])
}

/// Reads the archive back, as the slim build will, and plans it: a model tract writes but
/// cannot read is refused here rather than on the user's device.
fn check_reads_back(nnef: &tract_nnef::framework::Nnef, archive: &[u8]) -> Result<(), ModelError> {
    let failed = |e: TractError| ModelError::NoNnefForm {
        op_type: String::new(),
        domain: String::new(),
        node: String::new(),
        reason: format!(
            "the NNEF archive does not read back: {}",
            ModelError::chain(&e)
        ),
    };
    let model = nnef.model_for_read(&mut &*archive).map_err(failed)?;
    model
        .into_optimized()
        .and_then(|m| m.into_runnable())
        .map_err(failed)?;
    Ok(())
}
