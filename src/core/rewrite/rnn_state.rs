//! LSTM, GRU and RNN (ai.onnx opsets 7-22) without an initial state get explicit zero states.
//!
//! tract's recurrent builder makes the missing state a constant sized by the batch seen while
//! typing, and its Scan body then clashes when a plan meets another batch size ("Clashing
//! resolution ... 1 != 3"). A zero state computed from X's shape has no such constant.
use tract_onnx::pb::NodeProto;

use super::emit::{attr_int, attr_str, input, Emit};

/// Rewrites `node` when it lacks initial_h (and, for LSTM, initial_c); `None` leaves it alone.
pub fn rewrite(node: &NodeProto, e: &mut Emit) -> Option<()> {
    let lstm = node.op_type == "LSTM";
    let missing_h = input(node, 5).is_none();
    let missing_c = lstm && input(node, 6).is_none();
    if !missing_h && !missing_c {
        return None;
    }
    let x = input(node, 0)?;
    let hidden = attr_int(node, "hidden_size", 0);
    let directions = if attr_str(node, "direction", "forward") == "bidirectional" {
        2
    } else {
        1
    };
    let batch_axis = if attr_int(node, "layout", 0) == 1 {
        0
    } else {
        1
    };
    let shape = e.one("Shape", &[x], vec![]);
    let batch = e.slice(&shape, 0, batch_axis, batch_axis + 1);
    let dirs = e.ints(&[directions], &[1]);
    let hid = e.ints(&[hidden], &[1]);
    let state_shape = e.one(
        "Concat",
        &[&dirs, &batch, &hid],
        vec![("axis", super::emit::Attr::Int(0))],
    );
    let zeros = e.one(
        "ConstantOfShape",
        &[&state_shape],
        vec![("value", super::emit::Attr::FloatTensor(0.0))],
    );
    let mut inputs: Vec<String> = node.input.clone();
    let needed = if lstm { 7 } else { 6 };
    while inputs.len() < needed {
        inputs.push(String::new());
    }
    if missing_h {
        inputs[5] = zeros.clone();
    }
    if missing_c {
        inputs[6] = zeros;
    }
    let mut replaced = node.clone();
    replaced.input = inputs;
    replaced.name = format!(
        "{}::with-state",
        if node.name.is_empty() {
            &node.output[0]
        } else {
            &node.name
        }
    );
    e.nodes.push(replaced);
    Some(())
}
