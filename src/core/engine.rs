//! The one place that drives tract: decode, parse, plan and run. Errors are classified by the
//! step that failed, never by their text.
use std::sync::{Arc, OnceLock};

use tract_onnx::pb::ModelProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::infer::InferenceModelExt;
use tract_onnx::Onnx;

use super::model::ModelError;
use super::ops;

/// A runnable, optimized plan.
pub type Plan = Arc<TypedRunnableModel>;

/// tract's ONNX front end with our operators registered. value_info is ignored: real files
/// carry partial or contradictory value_info (in `If` bodies too), and tract infers shapes itself.
pub fn onnx() -> &'static Onnx {
    static ONNX: OnceLock<Onnx> = OnceLock::new();
    ONNX.get_or_init(|| {
        let mut onnx = tract_onnx::onnx().with_ignore_value_info(true);
        ops::register(&mut onnx.op_register);
        onnx
    })
}

/// Decodes the protobuf.
pub fn decode(bytes: &[u8]) -> Result<ModelProto, ModelError> {
    use tract_onnx::tract_hir::prelude::Framework;
    onnx()
        .proto_model_for_read(&mut &*bytes)
        .map_err(|e| ModelError::Parse {
            reason: ModelError::chain(&e),
        })
}

/// Builds tract's inference graph from the protobuf (nodes, attributes, initializers).
pub fn parse(proto: &ModelProto) -> Result<InferenceModel, ModelError> {
    let result = onnx().parse(proto, None).map_err(|e| ModelError::Parse {
        reason: ModelError::chain(&e),
    })?;
    if !result.unresolved_inputs.is_empty() {
        return Err(ModelError::Parse {
            reason: format!(
                "nodes read values that nothing produces: {:?}",
                result.unresolved_inputs
            ),
        });
    }
    Ok(result.model)
}

/// Analyses, types, optimizes (unless `optimize` is false) and plans a model.
///
/// Natively a panic inside tract is caught and reported as a shape error; in wasm (built with
/// `panic = "abort"`) it traps, and the JS harness recovers the instance.
pub fn plan(model: InferenceModel, optimize: bool) -> Result<Plan, ModelError> {
    let attempt =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| plan_inner(model, optimize)));
    attempt.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "tract panicked".to_owned());
        Err(ModelError::Shape {
            stage: "planning".to_owned(),
            reason,
        })
    })
}

fn plan_inner(model: InferenceModel, optimize: bool) -> Result<Plan, ModelError> {
    let shape = |stage: &str, e: TractError| ModelError::Shape {
        stage: stage.to_owned(),
        reason: ModelError::chain(&e),
    };
    let mut model = model;
    model.analyse(false).map_err(|e| shape("analysing", e))?;
    let typed = model.into_typed().map_err(|e| shape("typing", e))?;
    let typed = if optimize {
        typed.into_optimized().map_err(|e| shape("optimizing", e))?
    } else {
        typed
            .into_decluttered()
            .map_err(|e| shape("decluttering", e))?
    };
    typed.into_runnable().map_err(|e| shape("planning", e))
}

/// Runs a plan on inputs in the model's input order.
pub fn run(plan: &Plan, inputs: TVec<TValue>) -> Result<TVec<TValue>, ModelError> {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| plan.run(inputs)));
    match attempt {
        Ok(result) => result.map_err(|e| ModelError::Run {
            reason: ModelError::chain(&e),
        }),
        Err(_) => Err(ModelError::Run {
            reason: "tract panicked while running".to_owned(),
        }),
    }
}
