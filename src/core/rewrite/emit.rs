//! Building ONNX nodes and constants for a rewrite, with names that cannot clash with the graph's.
use tract_onnx::pb::attribute_proto::AttributeType;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{AttributeProto, NodeProto, TensorProto};

/// Collects the nodes and initializers that replace one node.
pub struct Emit {
    prefix: String,
    count: usize,
    /// ai.onnx opset of the model: ops whose signature changed (Unsqueeze, ReduceSum) follow it.
    pub opset: i64,
    /// The new nodes, in order.
    pub nodes: Vec<NodeProto>,
    /// The new initializers.
    pub initializers: Vec<TensorProto>,
}

/// An attribute value.
pub enum Attr {
    /// An integer.
    Int(i64),
    /// Integers.
    Ints(Vec<i64>),
    /// A float.
    Float(f32),
    /// A one-element float32 tensor (ConstantOfShape's `value`).
    FloatTensor(f32),
}

impl Emit {
    /// Starts a rewrite of the node named `node` (or its first output).
    pub fn new(node: &NodeProto, opset: i64) -> Emit {
        let base = if node.name.is_empty() {
            node.output.first().cloned().unwrap_or_default()
        } else {
            node.name.clone()
        };
        Emit {
            prefix: format!("{base}::onnx-edge"),
            count: 0,
            opset,
            nodes: vec![],
            initializers: vec![],
        }
    }

    /// A value name no other node uses.
    pub fn fresh(&mut self, what: &str) -> String {
        self.count += 1;
        format!("{}.{what}{}", self.prefix, self.count)
    }

    /// Adds a node with fresh output names; returns them.
    pub fn node(
        &mut self,
        op: &str,
        inputs: &[&str],
        outputs: usize,
        attrs: Vec<(&str, Attr)>,
    ) -> Vec<String> {
        let names: Vec<String> = (0..outputs).map(|_| self.fresh(op)).collect();
        self.node_into(
            op,
            inputs,
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
            attrs,
        );
        names
    }

    /// Adds a node with one fresh output; returns it.
    pub fn one(&mut self, op: &str, inputs: &[&str], attrs: Vec<(&str, Attr)>) -> String {
        self.node(op, inputs, 1, attrs).remove(0)
    }

    /// Adds a node writing to the given output names (the replaced node's outputs).
    pub fn node_into(
        &mut self,
        op: &str,
        inputs: &[&str],
        outputs: &[&str],
        attrs: Vec<(&str, Attr)>,
    ) {
        let name = self.fresh(&format!("{op}-node"));
        self.nodes.push(NodeProto {
            name,
            op_type: op.to_owned(),
            input: inputs.iter().map(|s| (*s).to_owned()).collect(),
            output: outputs.iter().map(|s| (*s).to_owned()).collect(),
            attribute: attrs.into_iter().map(|(n, v)| attribute(n, v)).collect(),
            ..Default::default()
        });
    }

    /// An int64 constant of the given dims.
    pub fn ints(&mut self, values: &[i64], dims: &[i64]) -> String {
        let name = self.fresh("const");
        self.initializers.push(TensorProto {
            name: name.clone(),
            dims: dims.to_vec(),
            data_type: DataType::Int64 as i32,
            int64_data: values.to_vec(),
            ..Default::default()
        });
        name
    }

    /// A float32 constant of the given dims.
    pub fn floats(&mut self, values: &[f32], dims: &[i64]) -> String {
        let name = self.fresh("const");
        self.initializers.push(TensorProto {
            name: name.clone(),
            dims: dims.to_vec(),
            data_type: DataType::Float as i32,
            float_data: values.to_vec(),
            ..Default::default()
        });
        name
    }

    /// Unsqueeze in the form of the model's opset (attribute before 13, input since).
    pub fn unsqueeze(&mut self, x: &str, axes: &[i64]) -> String {
        if self.opset >= 13 {
            let axes = self.ints(axes, &[axes.len() as i64]);
            self.one("Unsqueeze", &[x, &axes], vec![])
        } else {
            self.one("Unsqueeze", &[x], vec![("axes", Attr::Ints(axes.to_vec()))])
        }
    }

    /// ReduceSum over `axes`, keeping dims or not, in the form of the model's opset.
    pub fn reduce_sum(&mut self, x: &str, axes: &[i64], keepdims: bool) -> String {
        let keep = ("keepdims", Attr::Int(i64::from(keepdims)));
        if self.opset >= 13 {
            let axes = self.ints(axes, &[axes.len() as i64]);
            self.one("ReduceSum", &[x, &axes], vec![keep])
        } else {
            self.one(
                "ReduceSum",
                &[x],
                vec![("axes", Attr::Ints(axes.to_vec())), keep],
            )
        }
    }

    /// Slice of `x` along `axis` from `start` to `end` (Slice-10 form).
    pub fn slice(&mut self, x: &str, axis: i64, start: i64, end: i64) -> String {
        let (s, e, a) = (
            self.ints(&[start], &[1]),
            self.ints(&[end], &[1]),
            self.ints(&[axis], &[1]),
        );
        self.one("Slice", &[x, &s, &e, &a], vec![])
    }
}

fn attribute(name: &str, value: Attr) -> AttributeProto {
    let mut a = AttributeProto {
        name: name.to_owned(),
        ..Default::default()
    };
    match value {
        Attr::Int(i) => {
            a.r#type = AttributeType::Int as i32;
            a.i = i;
        }
        Attr::Ints(v) => {
            a.r#type = AttributeType::Ints as i32;
            a.ints = v;
        }
        Attr::Float(f) => {
            a.r#type = AttributeType::Float as i32;
            a.f = f;
        }
        Attr::FloatTensor(f) => {
            a.r#type = AttributeType::Tensor as i32;
            a.t = Some(TensorProto {
                dims: vec![1],
                data_type: DataType::Float as i32,
                float_data: vec![f],
                ..Default::default()
            });
        }
    }
    a
}

/// Reads an attribute of `node`.
pub fn attr<'a>(node: &'a NodeProto, name: &str) -> Option<&'a AttributeProto> {
    node.attribute.iter().find(|a| a.name == name)
}

/// An integer attribute, or `default`.
pub fn attr_int(node: &NodeProto, name: &str, default: i64) -> i64 {
    attr(node, name).map(|a| a.i).unwrap_or(default)
}

/// A float attribute, or `default`.
pub fn attr_float(node: &NodeProto, name: &str, default: f32) -> f32 {
    attr(node, name).map(|a| a.f).unwrap_or(default)
}

/// A string attribute, or `default`.
pub fn attr_str(node: &NodeProto, name: &str, default: &str) -> String {
    attr(node, name)
        .map(|a| String::from_utf8_lossy(&a.s).into_owned())
        .unwrap_or_else(|| default.to_owned())
}

/// Input `ix` of `node` when present and not empty.
pub fn input(node: &NodeProto, ix: usize) -> Option<&str> {
    node.input
        .get(ix)
        .map(String::as_str)
        .filter(|s| !s.is_empty())
}
