//! Dynamically quantized convolutions and matmuls as float ones. onnxruntime.quantization's
//! quantize_dynamic writes, per Conv (MatMul),
//! `DynamicQuantizeLinear(x) -> ConvInteger(x_q, w_q, x_zp, w_zp) -> Cast(to FLOAT) -> Mul(x_scale * w_scale)`
//! (ai.onnx DynamicQuantizeLinear-11, ConvInteger-10, MatMulInteger-10, Cast-13). tract runs
//! ConvInteger with scalar integer kernels and spends long in optimizing them; its float Conv and
//! MatMul have SIMD kernels. So the integer op and its Cast become
//! `Conv(Cast(x_q) - Cast(x_zp), w_q - w_zp)` with the weights turned to float at load. The
//! activations are still quantized by DynamicQuantizeLinear as onnxruntime does, and the sums of
//! integer products are those of onnxruntime's int32 accumulation up to f32 rounding (exact below
//! 2^24), so the result follows onnxruntime's quantized output, not the float model's.
//! ConvInteger pads with x_zp (onnxruntime's kernel does), which is 0 after the subtraction, as
//! float Conv pads.
//!
//! Only the exact pattern is rewritten: x_q and x_zp are outputs 0 and 2 of one
//! DynamicQuantizeLinear; w_q is an int8/uint8 initializer (not a graph input, which a feed could
//! replace) with w_zp absent or an initializer of one value or one per output channel (ConvInteger)
//! or column (MatMulInteger, 2-D B); the integer result feeds only a Cast to float. Anything
//! else is left to tract.
use tract_onnx::pb::tensor_proto::{DataLocation, DataType};
use tract_onnx::pb::{attribute_proto::AttributeType, GraphProto, NodeProto, TensorProto};

use super::emit::{attr, input, Attr, Emit};

const CONV_ATTRS: [&str; 6] = [
    "auto_pad",
    "dilations",
    "group",
    "kernel_shape",
    "pads",
    "strides",
];

/// Rewrites the matching ConvInteger / MatMulInteger chains of `graph` (not its subgraphs);
/// returns how many.
pub fn rewrite(graph: &mut GraphProto, opset: i64) -> usize {
    // (index of the integer op, index of its Cast, replacement)
    let mut found: Vec<(usize, usize, Emit)> = Vec::new();
    for (ix, node) in graph.node.iter().enumerate() {
        let Some(cast_ix) = float_cast_consumer(graph, node) else {
            continue;
        };
        let out = graph.node[cast_ix].output[0].as_str();
        let mut e = Emit::new(node, opset);
        let done = match (node.domain.as_str(), node.op_type.as_str()) {
            ("" | "ai.onnx", "ConvInteger") => conv_integer(graph, node, out, &mut e),
            ("" | "ai.onnx", "MatMulInteger") => matmul_integer(graph, node, out, &mut e),
            _ => None,
        };
        if done.is_some() {
            found.push((ix, cast_ix, e));
        }
    }
    let count = found.len();
    let mut weights: Vec<String> = Vec::new();
    let mut drop = vec![false; graph.node.len()];
    let mut by_ix: Vec<Option<Emit>> = (0..graph.node.len()).map(|_| None).collect();
    for (ix, cast_ix, e) in found {
        weights.extend(
            graph.node[ix]
                .input
                .get(1..4)
                .into_iter()
                .flatten()
                .cloned(),
        );
        drop[cast_ix] = true;
        by_ix[ix] = Some(e);
    }
    let old = std::mem::take(&mut graph.node);
    for (ix, node) in old.into_iter().enumerate() {
        match by_ix[ix].take() {
            Some(e) => {
                graph.node.extend(e.nodes);
                graph.initializer.extend(e.initializers);
            }
            None if !drop[ix] => graph.node.push(node),
            None => {}
        }
    }
    // The integer weights are no longer read: drop them rather than have tract load them.
    weights.retain(|w| !w.is_empty() && uses(graph, w) == 0);
    graph.initializer.retain(|t| !weights.contains(&t.name));
    count
}

/// The index of the Cast(to FLOAT) that is the only reader of `node`'s single output.
fn float_cast_consumer(graph: &GraphProto, node: &NodeProto) -> Option<usize> {
    let [out] = node.output.as_slice() else {
        return None;
    };
    if out.is_empty() || graph.output.iter().any(|o| &o.name == out) || uses(graph, out) != 1 {
        return None;
    }
    let ix = graph.node.iter().position(|n| n.input.contains(out))?;
    let cast = &graph.node[ix];
    let to = attr(cast, "to").filter(|a| a.r#type == AttributeType::Int as i32)?;
    let is_cast = matches!(cast.domain.as_str(), "" | "ai.onnx") && cast.op_type == "Cast";
    (is_cast && to.i == DataType::Float as i64 && cast.input.len() == 1 && cast.output.len() == 1)
        .then_some(ix)
}

/// How many node inputs (in this graph and, by name, in its subgraphs) read `name`.
fn uses(graph: &GraphProto, name: &str) -> usize {
    graph
        .node
        .iter()
        .map(|n| {
            let direct = n.input.iter().filter(|i| *i == name).count();
            let nested: usize = n
                .attribute
                .iter()
                .flat_map(|a| a.g.iter().chain(&a.graphs))
                .map(|g| uses(g, name) + usize::from(g.output.iter().any(|o| o.name == name)))
                .sum();
            direct + nested
        })
        .sum()
}

/// `Cast(x_q) - Cast(x_zp)` when x_q, x_zp are outputs 0 and 2 of one DynamicQuantizeLinear.
fn centered_activations(graph: &GraphProto, node: &NodeProto, e: &mut Emit) -> Option<String> {
    let (x, x_zp) = (input(node, 0)?, input(node, 2)?);
    let dql = graph
        .node
        .iter()
        .find(|n| n.output.first().is_some_and(|o| o == x))?;
    let is_dql =
        matches!(dql.domain.as_str(), "" | "ai.onnx") && dql.op_type == "DynamicQuantizeLinear";
    if !is_dql || dql.output.get(2).is_none_or(|z| z != x_zp) {
        return None;
    }
    let float = || vec![("to", Attr::Int(DataType::Float as i64))];
    let xf = e.one("Cast", &[x], float());
    let zf = e.one("Cast", &[x_zp], float());
    Some(e.one("Sub", &[&xf, &zf], vec![]))
}

/// ConvInteger(x_q, w_q, x_zp, w_zp), attributes kept, as a float Conv writing `out`.
fn conv_integer(graph: &GraphProto, node: &NodeProto, out: &str, e: &mut Emit) -> Option<()> {
    if node.input.len() > 4
        || node
            .attribute
            .iter()
            .any(|a| !CONV_ATTRS.contains(&a.name.as_str()))
    {
        return None;
    }
    let (w, dims, w_type) = weight(graph, input(node, 1)?)?;
    let channels = usize::try_from(*dims.first()?).ok()?;
    if dims.len() < 3 || channels == 0 {
        return None;
    }
    let zp = zero_points(graph, input(node, 3), dims[0], w_type)?;
    let per = w.len() / channels;
    let wf: Vec<f32> = (w.iter().enumerate())
        .map(|(i, &v)| (v - zp[if zp.len() == 1 { 0 } else { i / per }]) as f32)
        .collect();
    let x = centered_activations(graph, node, e)?;
    let wf = e.floats(&wf, &dims);
    e.node_into("Conv", &[&x, &wf], &[out], vec![]);
    e.nodes.last_mut()?.attribute = node.attribute.clone();
    Some(())
}

/// MatMulInteger(a_q, b_q [K, N], a_zp, b_zp) as a float MatMul writing `out`.
fn matmul_integer(graph: &GraphProto, node: &NodeProto, out: &str, e: &mut Emit) -> Option<()> {
    if node.input.len() > 4 || !node.attribute.is_empty() {
        return None;
    }
    let (b, dims, b_type) = weight(graph, input(node, 1)?)?;
    let [_, n] = dims.as_slice() else {
        return None;
    };
    let cols = usize::try_from(*n).ok().filter(|&n| n > 0)?;
    let zp = zero_points(graph, input(node, 3), *n, b_type)?;
    let bf: Vec<f32> = (b.iter().enumerate())
        .map(|(i, &v)| (v - zp[if zp.len() == 1 { 0 } else { i % cols }]) as f32)
        .collect();
    let a = centered_activations(graph, node, e)?;
    let bf = e.floats(&bf, &dims);
    e.node_into("MatMul", &[&a, &bf], &[out], vec![]);
    Some(())
}

/// The integer values, dims and data type of an int8/uint8 initializer that no feed can replace.
fn weight(graph: &GraphProto, name: &str) -> Option<(Vec<i32>, Vec<i64>, i32)> {
    if graph.input.iter().any(|i| i.name == name) {
        return None;
    }
    let t = graph.initializer.iter().find(|t| t.name == name)?;
    Some((int8_values(t)?, t.dims.clone(), t.data_type))
}

/// The zero points of a weight: 0 when absent, else an initializer of the weight's type holding
/// one value, or `count` values (dims [count]).
fn zero_points(
    graph: &GraphProto,
    name: Option<&str>,
    count: i64,
    w_type: i32,
) -> Option<Vec<i32>> {
    let Some(name) = name else {
        return Some(vec![0]);
    };
    let (values, dims, zp_type) = weight(graph, name)?;
    let shape_ok = match dims.as_slice() {
        [] => true,
        [d] => *d == 1 || *d == count,
        _ => false,
    };
    (zp_type == w_type && shape_ok && (values.len() == 1 || values.len() as i64 == count))
        .then_some(values)
}

/// The values of an int8 or uint8 tensor stored in the file (raw bytes or int32_data).
fn int8_values(t: &TensorProto) -> Option<Vec<i32>> {
    if t.data_location == Some(DataLocation::External as i32) || !t.external_data.is_empty() {
        return None;
    }
    let signed = match DataType::try_from(t.data_type).ok()? {
        DataType::Int8 => true,
        DataType::Uint8 => false,
        _ => return None,
    };
    let values: Vec<i32> = if !t.raw_data.is_empty() {
        let byte = |b: &u8| {
            if signed {
                i32::from(*b as i8)
            } else {
                i32::from(*b)
            }
        };
        t.raw_data.iter().map(byte).collect()
    } else {
        t.int32_data.clone()
    };
    let expected = t
        .dims
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(usize::try_from(d).ok()?))?;
    let range = if signed { -128..=127 } else { 0..=255 };
    (values.len() == expected && values.iter().all(|v| range.contains(v))).then_some(values)
}

#[cfg(test)]
mod tests {
    use tract_onnx::pb::tensor_shape_proto::{dimension, Dimension};
    use tract_onnx::pb::{
        type_proto, ModelProto, OperatorSetIdProto, TensorShapeProto, TypeProto, ValueInfoProto,
    };
    use tract_onnx::prelude::*;

    use super::*;
    use crate::core::engine;

    fn value(name: &str, dims: &[i64]) -> ValueInfoProto {
        let dim = |d: &i64| Dimension {
            value: Some(dimension::Value::DimValue(*d)),
            ..Default::default()
        };
        ValueInfoProto {
            name: name.to_owned(),
            r#type: Some(TypeProto {
                value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                    elem_type: DataType::Float as i32,
                    shape: Some(TensorShapeProto {
                        dim: dims.iter().map(dim).collect(),
                    }),
                })),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn node(op: &str, inputs: &[&str], outputs: &[&str]) -> NodeProto {
        NodeProto {
            op_type: op.to_owned(),
            name: outputs[0].to_owned(),
            input: inputs.iter().map(|s| (*s).to_owned()).collect(),
            output: outputs.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        }
    }

    fn ints(name: &str, values: &[i64]) -> tract_onnx::pb::AttributeProto {
        tract_onnx::pb::AttributeProto {
            name: name.to_owned(),
            r#type: AttributeType::Ints as i32,
            ints: values.to_vec(),
            ..Default::default()
        }
    }

    fn int_attr(name: &str, value: i64) -> tract_onnx::pb::AttributeProto {
        tract_onnx::pb::AttributeProto {
            name: name.to_owned(),
            r#type: AttributeType::Int as i32,
            i: value,
            ..Default::default()
        }
    }

    fn bytes(name: &str, dt: DataType, dims: &[i64], values: &[i32]) -> TensorProto {
        TensorProto {
            name: name.to_owned(),
            dims: dims.to_vec(),
            data_type: dt as i32,
            raw_data: values.iter().map(|v| *v as u8).collect(),
            ..Default::default()
        }
    }

    fn scalar(name: &str, v: f32) -> TensorProto {
        TensorProto {
            name: name.to_owned(),
            data_type: DataType::Float as i32,
            float_data: vec![v],
            ..Default::default()
        }
    }

    /// x -> DynamicQuantizeLinear -> `op`(xq, w, xzp, wzp) -> Cast(float) -> Mul(x_scale * w_scale) -> y
    fn chain(op: NodeProto, x_dims: &[i64], inits: Vec<TensorProto>) -> ModelProto {
        let mut cast = node("Cast", &["acc"], &["accf"]);
        cast.attribute.push(int_attr("to", DataType::Float as i64));
        let nodes = vec![
            node("DynamicQuantizeLinear", &["x"], &["xq", "xs", "xzp"]),
            op,
            cast,
            node("Mul", &["xs", "ws"], &["s"]),
            node("Mul", &["accf", "s"], &["y"]),
        ];
        let mut initializer = inits;
        initializer.push(scalar("ws", 0.02));
        ModelProto {
            ir_version: 8,
            opset_import: vec![OperatorSetIdProto {
                domain: String::new(),
                version: 13,
            }],
            graph: Some(GraphProto {
                name: "g".to_owned(),
                node: nodes,
                initializer,
                input: vec![value("x", x_dims)],
                output: vec![tract_onnx::pb::ValueInfoProto {
                    name: "y".to_owned(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn run(proto: &ModelProto, dims: &[usize], x: &[f32]) -> Vec<f32> {
        let plan = engine::plan(engine::parse(proto).unwrap(), true).unwrap();
        let x = Tensor::from_shape(dims, x).unwrap();
        let out = plan.run(tvec!(x.into_tvalue())).unwrap();
        out[0]
            .to_plain_array_view::<f32>()
            .unwrap()
            .iter()
            .copied()
            .collect()
    }

    /// DynamicQuantizeLinear as its spec defines it: (quantized, scale, zero point).
    fn dql(x: &[f32]) -> (Vec<i32>, f32, i32) {
        let min = x.iter().fold(0f32, |a, &b| a.min(b));
        let max = x.iter().fold(0f32, |a, &b| a.max(b));
        let scale = (max - min) / 255.0;
        let zp = (-min / scale).round_ties_even().clamp(0.0, 255.0) as i32;
        let q = x
            .iter()
            .map(|v| ((v / scale).round_ties_even() as i32 + zp).clamp(0, 255));
        (q.collect(), scale, zp)
    }

    fn ops(proto: &ModelProto) -> Vec<String> {
        let graph = proto.graph.as_ref().unwrap();
        graph.node.iter().map(|n| n.op_type.clone()).collect()
    }

    fn input_values(n: usize) -> Vec<f32> {
        (0..n).map(|i| ((i * 37 % 23) as f32 - 7.0) / 5.0).collect()
    }

    // Grouped, strided, padded ConvInteger with uint8 weights and one zero point per output
    // channel, against a direct evaluation of the ONNX definition.
    fn conv_model() -> (ModelProto, Vec<i32>, Vec<i32>) {
        let w: Vec<i32> = (0..4 * 9).map(|i| i * 53 % 256).collect();
        let wzp = vec![3, 128, 200, 0];
        let mut conv = node("ConvInteger", &["xq", "w", "xzp", "wzp"], &["acc"]);
        conv.attribute = vec![
            int_attr("group", 2),
            ints("kernel_shape", &[3, 3]),
            ints("pads", &[1, 1, 1, 1]),
            ints("strides", &[2, 2]),
        ];
        let inits = vec![
            bytes("w", DataType::Uint8, &[4, 1, 3, 3], &w),
            bytes("wzp", DataType::Uint8, &[4], &wzp),
        ];
        (chain(conv, &[1, 2, 5, 5], inits), w, wzp)
    }

    #[test]
    fn conv_integer_becomes_a_float_conv_with_the_same_result() {
        let (mut proto, w, wzp) = conv_model();
        let x = input_values(50);
        super::super::rewrite(&mut proto).unwrap();
        assert_eq!(
            ops(&proto),
            [
                "DynamicQuantizeLinear",
                "Cast",
                "Cast",
                "Sub",
                "Conv",
                "Mul",
                "Mul"
            ]
        );
        let graph = proto.graph.as_ref().unwrap();
        assert!(!graph
            .initializer
            .iter()
            .any(|t| t.name == "w" || t.name == "wzp"));
        let got = run(&proto, &[1, 2, 5, 5], &x);

        let (q, xs, xzp) = dql(&x);
        let mut want = vec![];
        for m in 0..4 {
            let c = m / 2; // group of output channel m reads input channel m / 2
            for oy in 0..3i32 {
                for ox in 0..3i32 {
                    let mut acc = 0i32;
                    for ky in 0..3i32 {
                        for kx in 0..3i32 {
                            let (y, x) = (oy * 2 - 1 + ky, ox * 2 - 1 + kx);
                            if (0..5).contains(&y) && (0..5).contains(&x) {
                                let xv = q[c * 25 + (y * 5 + x) as usize] - xzp;
                                let wv = w[m * 9 + (ky * 3 + kx) as usize] - wzp[m];
                                acc += xv * wv;
                            }
                        }
                    }
                    want.push(acc as f32 * (xs * 0.02));
                }
            }
        }
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 1e-5 * w.abs().max(1.0), "{g} vs {w}");
        }
    }

    #[test]
    fn matmul_integer_becomes_a_float_matmul_with_the_same_result() {
        let b: Vec<i32> = (0..4 * 5).map(|i| i * 29 % 256 - 128).collect();
        let mm = node("MatMulInteger", &["xq", "b", "xzp"], &["acc"]);
        let inits = vec![bytes("b", DataType::Int8, &[4, 5], &b)];
        let mut proto = chain(mm, &[3, 4], inits);
        let x = input_values(12);
        super::super::rewrite(&mut proto).unwrap();
        assert_eq!(
            ops(&proto),
            [
                "DynamicQuantizeLinear",
                "Cast",
                "Cast",
                "Sub",
                "MatMul",
                "Mul",
                "Mul"
            ]
        );
        let got = run(&proto, &[3, 4], &x);
        let (q, xs, xzp) = dql(&x);
        for i in 0..3 {
            for j in 0..5 {
                let acc: i32 = (0..4).map(|k| (q[i * 4 + k] - xzp) * b[k * 5 + j]).sum();
                let want = acc as f32 * (xs * 0.02);
                let g = got[i * 5 + j];
                assert!(
                    (g - want).abs() <= 1e-5 * want.abs().max(1.0),
                    "{g} vs {want}"
                );
            }
        }
    }

    #[test]
    fn other_shapes_of_the_pattern_are_left_to_tract() {
        let rewritten = |edit: &dyn Fn(&mut GraphProto)| {
            let (mut proto, _, _) = conv_model();
            edit(proto.graph.as_mut().unwrap());
            let before = ops(&proto);
            super::super::rewrite(&mut proto).unwrap();
            ops(&proto) != before
        };
        assert!(rewritten(&|_| {}));
        // The weights can be fed: a graph input of the same name.
        assert!(!rewritten(&|g| g.input.push(value("w", &[4, 1, 3, 3]))));
        // The integer sums are read by more than the Cast.
        assert!(!rewritten(&|g| g.output.push(value("acc", &[]))));
        // A Cast to something else than float.
        assert!(!rewritten(
            &|g| g.node[2].attribute[0].i = DataType::Double as i64
        ));
        // A zero point of another type than the weights, or of a shape that is not per channel.
        assert!(!rewritten(
            &|g| g.initializer[1].data_type = DataType::Int8 as i32
        ));
        assert!(!rewritten(&|g| g.initializer[1].dims = vec![2, 2]));
        // x's zero point not from the DynamicQuantizeLinear of x.
        assert!(!rewritten(&|g| g.node[1].input[2] = "wzp".to_owned()));
        // An attribute ConvInteger-10 does not define.
        assert!(!rewritten(&|g| g.node[1]
            .attribute
            .push(int_attr("bogus", 1))));
    }
}
