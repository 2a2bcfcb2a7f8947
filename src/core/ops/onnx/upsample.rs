//! Upsample, ONNX opset 9 (deprecated in 10): X resized by the `scales` input to
//! floor(dim * scale), `mode` nearest (the source index floored) or linear, on asymmetric
//! coordinates. That is Resize of opset 10, so this builds the registered Resize as opset 10
//! would. Upsample 7 (scales as an attribute) is not handled.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::attribute_proto::AttributeType;
use tract_onnx::pb::{AttributeProto, NodeProto};
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

type Builder = fn(&ParsingContext, &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

static RESIZE: std::sync::OnceLock<Builder> = std::sync::OnceLock::new();

/// Registers Upsample over the Resize builder registered so far.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    if let Some(resize) = reg.0.get("Resize").copied() {
        let _ = RESIZE.set(resize);
        reg.insert("Upsample", build);
    }
}

fn string_attr(name: &str, value: &str) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        r#type: AttributeType::String as i32,
        s: value.as_bytes().to_vec(),
        ..Default::default()
    }
}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let resize = RESIZE
        .get()
        .ok_or_else(|| format_err!("Resize is not available for Upsample"))?;
    ensure!(
        node.attribute.iter().all(|a| a.name != "scales") && node.input.len() == 2,
        "Upsample with scales as an attribute (opset 7) is not supported"
    );
    let mode = node.get_attr_opt::<&str>("mode")?.unwrap_or("nearest");
    ensure!(
        matches!(mode, "nearest" | "linear"),
        "Upsample mode {mode:?} is neither nearest nor linear"
    );
    let mut as_resize = node.clone();
    as_resize.op_type = "Resize".into();
    as_resize.attribute = vec![
        string_attr("mode", mode),
        string_attr("coordinate_transformation_mode", "asymmetric"),
        string_attr("nearest_mode", "floor"),
    ];
    let mut ctx10 = ctx.clone();
    ctx10.onnx_operator_set_version = 10;
    resize(&ctx10, &as_resize)
}
