//! com.microsoft DynamicQuantizeLSTM (onnxruntime contrib, version 1): an LSTM whose W and R are
//! int8/uint8 initializers laid out [directions, input, 4*hidden] with per-tensor or per-channel
//! scales and zero points. The weights are dequantized once, here, into an ordinary LSTM; the
//! dynamic quantization of activations that onnxruntime also does only adds rounding noise.
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{GraphProto, NodeProto, TensorProto};
use tract_onnx::prelude::*;

use super::emit::{input, Emit};
use crate::core::model::ModelError;

fn refuse(node: &NodeProto, why: String) -> ModelError {
    ModelError::unsupported(
        "DynamicQuantizeLSTM",
        "com.microsoft",
        &node.name,
        1,
        Some(why),
    )
}

fn initializer(graph: &GraphProto, name: &str) -> Option<Tensor> {
    let proto = graph.initializer.iter().find(|t| t.name == name)?;
    tract_onnx::tensor::load_tensor(&*crate::core::engine::onnx().provider, proto, None).ok()
}

fn values(t: &Tensor) -> Option<Vec<f32>> {
    let t = t.cast_to::<f32>().ok()?;
    Some(t.try_as_plain_ram().ok()?.as_slice::<f32>().ok()?.to_vec())
}

/// (q - zp) * scale with per-direction or per-(direction, column) parameters, transposed from
/// [dirs, rows, cols] to [dirs, cols, rows] as LSTM's W and R are laid out.
fn dequantize(
    node: &NodeProto,
    graph: &GraphProto,
    q: &str,
    scale: &str,
    zp: &str,
    name: String,
) -> Result<TensorProto, ModelError> {
    let missing = |what: &str| refuse(node, format!("{what} must be an initializer"));
    let q_t = initializer(graph, q).ok_or_else(|| missing(q))?;
    let shape = q_t.shape().to_vec();
    let [dirs, rows, cols] = <[usize; 3]>::try_from(shape.as_slice())
        .map_err(|_| refuse(node, format!("{q} must be 3-D")))?;
    let q_v = values(&q_t).ok_or_else(|| missing(q))?;
    let s_v = initializer(graph, scale)
        .and_then(|t| values(&t))
        .ok_or_else(|| missing(scale))?;
    let z_v = initializer(graph, zp)
        .and_then(|t| values(&t))
        .ok_or_else(|| missing(zp))?;
    let per_channel = s_v.len() == dirs * cols;
    if !(per_channel || s_v.len() == dirs) || z_v.len() != s_v.len() {
        return Err(refuse(
            node,
            format!(
                "{scale} and {zp} must have {dirs} or {} values",
                dirs * cols
            ),
        ));
    }
    let mut out = vec![0f32; dirs * rows * cols];
    for d in 0..dirs {
        for r in 0..rows {
            for c in 0..cols {
                let p = if per_channel { d * cols + c } else { d };
                out[(d * cols + c) * rows + r] = (q_v[(d * rows + r) * cols + c] - z_v[p]) * s_v[p];
            }
        }
    }
    Ok(TensorProto {
        name,
        dims: vec![dirs as i64, cols as i64, rows as i64],
        data_type: DataType::Float as i32,
        float_data: out,
        ..Default::default()
    })
}

/// Emits an LSTM over dequantized weights.
pub fn rewrite(
    node: &NodeProto,
    e: &mut Emit,
    graph: &GraphProto,
) -> Result<Option<()>, ModelError> {
    let (Some(w), Some(r)) = (input(node, 1), input(node, 2)) else {
        return Ok(None);
    };
    let (Some(ws), Some(wz), Some(rs), Some(rz)) = (
        input(node, 8),
        input(node, 9),
        input(node, 10),
        input(node, 11),
    ) else {
        return Err(refuse(
            node,
            "W/R scales and zero points are required".into(),
        ));
    };
    let (w_name, r_name) = (e.fresh("W"), e.fresh("R"));
    e.initializers
        .push(dequantize(node, graph, w, ws, wz, w_name.clone())?);
    e.initializers
        .push(dequantize(node, graph, r, rs, rz, r_name.clone())?);
    let mut lstm = node.clone();
    lstm.domain = String::new();
    lstm.op_type = "LSTM".into();
    lstm.input.truncate(8);
    lstm.input[1] = w_name;
    lstm.input[2] = r_name;
    lstm.name = format!(
        "{}::dequantized",
        if node.name.is_empty() {
            &node.output[0]
        } else {
            &node.name
        }
    );
    // The LSTM itself may still need zero initial states (see rnn_state.rs).
    let mut inner = Emit::new(&lstm, e.opset);
    if super::rnn_state::rewrite(&lstm, &mut inner).is_some() {
        e.nodes.extend(inner.nodes);
        e.initializers.extend(inner.initializers);
    } else {
        e.nodes.push(lstm);
    }
    Ok(Some(()))
}
