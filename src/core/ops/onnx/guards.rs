//! Configurations where tract 0.23.9 computes a wrong answer, refused at load with a typed
//! error (MODEL_PARSE naming the attribute) rather than run:
//! - LSTM, GRU, RNN (ONNX opsets 7-22) with `direction="reverse"`: tract runs them forward;
//! - LayerNormalization (opset 17) with an `axis` no tensor can have: tract's shape rules loop
//!   over `0..axis` as usize, so a huge one hangs the load (found by fuzzing);
//! - convolutions and pools whose `pads`, `strides` or `dilations` do not match `kernel_shape`:
//!   tract indexes the pads by spatial axis and panics on a short list (found by fuzzing, through
//!   a FusedConv rewritten to Conv).
//!
//! (Attention, once guarded here, is ours: see attention.rs.)
use tract_onnx::model::{OnnxOpRegister, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

type Builder = fn(&ParsingContext, &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

const GUARDED: &[&str] = &[
    "LSTM",
    "GRU",
    "RNN",
    "LayerNormalization",
    "Conv",
    "ConvInteger",
    "ConvTranspose",
    "QLinearConv",
    "MaxPool",
    "AveragePool",
    "LpPool",
];

/// Largest tensor rank an `axis` attribute may point into (ONNX sets none; real models stay
/// far below).
const MAX_RANK: i64 = 64;

/// Most negative LayerNormalization `axis` taken. tract adds the input's rank to a negative axis
/// and loops up to the result as usize, so one below minus the rank hangs the load (-49 on a rank-3
/// input was found by fuzzing). The rank is unknown when the node is built; real models use -1
/// (or -2, -3 on images), so -8 keeps them and refuses most impossible axes. An axis in
/// [-8, -rank) can still hang: a known limit, noted in the README.
const MIN_NEGATIVE_AXIS: i64 = -8;

static STOCK: std::sync::OnceLock<Vec<(&'static str, Builder)>> = std::sync::OnceLock::new();

/// Wraps tract's builders of the guarded ops (registered before ours).
pub fn register(reg: &mut OnnxOpRegister) {
    let stock: Vec<(&'static str, Builder)> = GUARDED
        .iter()
        .filter_map(|op| reg.0.get(*op).copied().map(|b| (*op, b)))
        .collect();
    for (op, _) in &stock {
        reg.insert(op, build);
    }
    let _ = STOCK.set(stock);
}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    if let Some(why) = refusal(node)? {
        bail!("{} node {:?}: {why}", node.op_type, node.name);
    }
    let stock = STOCK
        .get()
        .and_then(|s| s.iter().find(|(op, _)| *op == node.op_type))
        .map(|(_, b)| *b)
        .ok_or_else(|| format_err!("no stock builder for {}", node.op_type))?;
    stock(ctx, node)
}

fn refusal(node: &NodeProto) -> TractResult<Option<String>> {
    match node.op_type.as_str() {
        "LSTM" | "GRU" | "RNN" => {
            let direction = node.get_attr_opt::<&str>("direction")?.unwrap_or("forward");
            Ok((direction == "reverse").then(|| {
                "direction=\"reverse\" is not supported (tract 0.23.9 gives wrong values for it)"
                    .to_owned()
            }))
        }
        "LayerNormalization" => {
            let axis = node.get_attr_opt::<i64>("axis")?.unwrap_or(-1);
            Ok((!(MIN_NEGATIVE_AXIS..MAX_RANK).contains(&axis)).then(|| {
                format!("axis {axis} is out of range (this build takes axes from {MIN_NEGATIVE_AXIS} to {})", MAX_RANK - 1)
            }))
        }
        "Conv" | "ConvInteger" | "ConvTranspose" | "QLinearConv" | "MaxPool" | "AveragePool"
        | "LpPool" => window_refusal(node),
        _ => Ok(None),
    }
}

/// A convolution's or pool's window attributes, checked against each other: `pads` holds a begin
/// and an end per spatial axis, `strides` and `dilations` one per axis (ONNX Conv and pools).
fn window_refusal(node: &NodeProto) -> TractResult<Option<String>> {
    let list = |name: &str| node.get_attr_opt_vec::<i64>(name);
    let (kernel, pads) = (list("kernel_shape")?, list("pads")?);
    if let Some(pads) = &pads {
        if pads.len() % 2 != 0 {
            return Ok(Some(format!(
                "pads has {} values; it needs a begin and an end per spatial axis",
                pads.len()
            )));
        }
    }
    let Some(kernel) = kernel else {
        return Ok(None);
    };
    let axes = kernel.len();
    let expected = [
        ("pads", pads, 2 * axes),
        ("strides", list("strides")?, axes),
    ];
    let expected = expected
        .into_iter()
        .chain([("dilations", list("dilations")?, axes)]);
    for (name, values, want) in expected {
        if let Some(values) = values.filter(|v| v.len() != want) {
            return Ok(Some(format!(
                "{name} has {} values, expected {want} for a kernel_shape of {axes} axes",
                values.len()
            )));
        }
    }
    Ok(None)
}
