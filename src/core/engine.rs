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

/// Runs the module's static constructors once: tract registers its kernels with `inventory`,
/// whose lists wasm-ld fills in `__wasm_call_ctors`. Referencing it ourselves makes the module a
/// reactor; otherwise wasm-ld wraps every export in a call to all constructors (about 2 µs on
/// each `run`). Called by the bindings' start hook and before tract is first used, so hosts
/// that skip the start hook (wasm-bindgen-test) still get the kernels.
#[cfg(target_arch = "wasm32")]
pub fn run_constructors() {
    extern "C" {
        fn __wasm_call_ctors();
    }
    static DONE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the Once runs it a single time (a second run would register every kernel twice),
    // and nothing reads tract's registries before it.
    DONE.call_once(|| unsafe { __wasm_call_ctors() });
}

/// Nothing to do natively: the platform runs constructors before `main`.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_constructors() {}

/// tract's ONNX front end with our operators registered. value_info is ignored: real files
/// carry partial or contradictory value_info (in `If` bodies too), and tract infers shapes itself.
pub fn onnx() -> &'static Onnx {
    static ONNX: OnceLock<Onnx> = OnceLock::new();
    ONNX.get_or_init(|| {
        run_constructors();
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
    attempt.unwrap_or_else(|panic| Err(failure("planning", panic_message(&*panic))))
}

/// What a caught panic said.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "tract panicked".to_owned())
}

/// A tract failure while `stage`: a shape error, a run error, or, when tract could not allocate
/// a tensor, [`ModelError::TooLarge`] (LIMIT_EXCEEDED).
fn failure(stage: &str, reason: String) -> ModelError {
    if reason.contains("is too large") || reason.contains("failed to allocate") {
        ModelError::TooLarge {
            stage: stage.to_owned(),
            reason,
        }
    } else if stage == "running" {
        ModelError::Run { reason }
    } else {
        ModelError::Shape {
            stage: stage.to_owned(),
            reason,
        }
    }
}

fn plan_inner(model: InferenceModel, optimize: bool) -> Result<Plan, ModelError> {
    let shape = |stage: &str, e: TractError| failure(stage, ModelError::chain(&e));
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

/// Run state kept between calls: tract otherwise allocates every node's state on each run,
/// which costs more than the whole run on small models (trees, linear models, batch 1). It is
/// kept only while the input shapes stay the same: a `Scan` body (LSTM, GRU) keeps the symbol
/// values it resolved, and a new batch size would clash with them.
#[derive(Default)]
pub struct RunState {
    state: Option<TypedSimpleState>,
    shapes: Vec<TVec<usize>>,
}

impl std::fmt::Debug for RunState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunState")
            .field("kept", &self.state.is_some())
            .field("shapes", &self.shapes)
            .finish()
    }
}

/// Runs a plan on inputs in the model's input order, reusing `kept` when it belongs to `plan`
/// and the same input shapes. A failed run drops the state, so the next call starts clean.
pub fn run(
    kept: &mut RunState,
    plan: &Plan,
    inputs: TVec<TValue>,
) -> Result<TVec<TValue>, ModelError> {
    let run_error = |e: &TractError| failure("running", ModelError::chain(e));
    let same_shapes = kept.shapes.len() == inputs.len()
        && kept
            .shapes
            .iter()
            .zip(&inputs)
            .all(|(s, i)| s.as_slice() == i.shape());
    let reusable = matches!(&kept.state, Some(s) if Arc::ptr_eq(s.plan(), plan)) && same_shapes;
    if !reusable {
        kept.state = Some(TypedSimpleState::new(plan).map_err(|e| run_error(&e))?);
        kept.shapes = inputs.iter().map(|i| i.shape().into()).collect();
    }
    let Some(current) = kept.state.as_mut() else {
        return Err(ModelError::Run {
            reason: "no run state".to_owned(),
        });
    };
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| current.run(inputs)));
    match attempt {
        Ok(Ok(outputs)) => Ok(outputs),
        Ok(Err(e)) => {
            kept.state = None;
            Err(run_error(&e))
        }
        Err(panic) => {
            kept.state = None;
            Err(failure(
                "running",
                format!("tract panicked: {}", panic_message(&*panic)),
            ))
        }
    }
}
