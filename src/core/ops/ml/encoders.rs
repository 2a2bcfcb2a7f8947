//! OneHotEncoder (ai.onnx.ml opset 1) and LabelEncoder (ai.onnx.ml opsets 1-4).
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::attrs::{ints, strings};
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers both ops.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("OneHotEncoder", build_one_hot);
    reg.insert("LabelEncoder", build_label_encoder);
}

type Built = TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

/// One scalar of any type these encoders map.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Int(i64),
    Float(f32),
    Str(String),
}

impl Value {
    /// Equality as the encoders define it: NaN matches NaN.
    fn matches(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => self == other,
        }
    }
}

fn values_of(t: &Tensor) -> TractResult<Vec<Value>> {
    let dt = t.datum_type();
    Ok(if dt == String::datum_type() {
        t.try_as_plain_ram()?
            .as_slice::<String>()?
            .iter()
            .cloned()
            .map(Value::Str)
            .collect()
    } else if dt.is_float() {
        let t = t.cast_to::<f32>()?;
        t.try_as_plain_ram()?
            .as_slice::<f32>()?
            .iter()
            .copied()
            .map(Value::Float)
            .collect()
    } else {
        let t = t.cast_to::<i64>()?;
        t.try_as_plain_ram()?
            .as_slice::<i64>()?
            .iter()
            .copied()
            .map(Value::Int)
            .collect()
    })
}

/// OneHotEncoder: output shape is the input's plus one axis of categories, f32.
#[derive(Clone, Debug, PartialEq)]
pub struct OneHotEncoder {
    categories: Vec<Value>,
    zeros: bool,
}

fn build_one_hot(_: &ParsingContext, node: &NodeProto) -> Built {
    let ints = ints(node, "cats_int64s")?;
    let strs = strings(node, "cats_strings")?;
    let categories: Vec<Value> = if !ints.is_empty() {
        ints.into_iter().map(Value::Int).collect()
    } else {
        strs.into_iter().map(Value::Str).collect()
    };
    ensure!(
        !categories.is_empty(),
        "{}: OneHotEncoder needs cats_int64s or cats_strings",
        node.name
    );
    boxed(OneHotEncoder {
        categories,
        zeros: node.get_attr_opt::<i64>("zeros")?.unwrap_or(1) != 0,
    })
}

impl Kernel for OneHotEncoder {
    fn name(&self) -> &'static str {
        "OneHotEncoder"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let mut shape = inputs[0].shape.to_tvec();
        shape.push(self.categories.len().to_dim());
        Ok(tvec!(f32::fact(shape)))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        // Float inputs are looked up as integers (onnxruntime truncates them).
        let values: Vec<Value> = match values_of(x)? {
            v if x.datum_type().is_float() => v
                .into_iter()
                .map(|f| match f {
                    Value::Float(f) => Value::Int(f as i64),
                    o => o,
                })
                .collect(),
            v => v,
        };
        let k = self.categories.len();
        let mut out = vec![0f32; values.len() * k];
        for (i, v) in values.iter().enumerate() {
            match self.categories.iter().position(|c| c.matches(v)) {
                Some(j) => out[i * k + j] = 1.0,
                None if self.zeros => {}
                None => bail!("OneHotEncoder: value {v:?} is not a category and zeros=0"),
            }
        }
        let mut shape = x.shape().to_vec();
        shape.push(k);
        Ok(tvec!(Tensor::from_shape(&shape, &out)?.into_tvalue()))
    }
}

/// LabelEncoder: maps keys to values elementwise, with a default for unknown keys.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelEncoder {
    keys: Vec<Value>,
    values: Vec<Value>,
    default: Value,
    /// opset 1 (`classes_strings`): an integer input maps index -> string instead.
    reverse_default: Option<Value>,
}

fn build_label_encoder(ctx: &ParsingContext, node: &NodeProto) -> Built {
    let floats = |name: &str| -> TractResult<Vec<Value>> {
        Ok(node
            .get_attr_opt_vec::<f32>(name)?
            .unwrap_or_default()
            .into_iter()
            .map(Value::Float)
            .collect())
    };
    let tensor = |name: &str| -> TractResult<Option<Vec<Value>>> {
        match node.get_attr_opt::<&tract_onnx::pb::TensorProto>(name)? {
            Some(proto) => Ok(Some(values_of(&ctx.load_tensor(proto)?)?)),
            None => Ok(None),
        }
    };
    let pick = |prefix: &str| -> TractResult<Vec<Value>> {
        if let Some(t) = tensor(&format!("{prefix}_tensor"))? {
            return Ok(t);
        }
        let i = ints(node, &format!("{prefix}_int64s"))?;
        if !i.is_empty() {
            return Ok(i.into_iter().map(Value::Int).collect());
        }
        let f = floats(&format!("{prefix}_floats"))?;
        if !f.is_empty() {
            return Ok(f);
        }
        Ok(strings(node, &format!("{prefix}_strings"))?
            .into_iter()
            .map(Value::Str)
            .collect())
    };
    let classes = strings(node, "classes_strings")?;
    let reverse_default = (!classes.is_empty()).then(|| {
        node.get_attr_opt::<String>("default_string")
            .ok()
            .flatten()
            .unwrap_or_else(|| "_Unused".into())
    });
    let (keys, values) = if !classes.is_empty() {
        // opset 1: classes_strings maps string <-> index; the input type picks the direction.
        let names: Vec<Value> = classes.iter().cloned().map(Value::Str).collect();
        let indices: Vec<Value> = (0..classes.len() as i64).map(Value::Int).collect();
        (names, indices)
    } else {
        (pick("keys")?, pick("values")?)
    };
    ensure!(
        keys.len() == values.len(),
        "{}: {} keys for {} values",
        node.name,
        keys.len(),
        values.len()
    );
    let default = match values.first() {
        _ if tensor("default_tensor")?.is_some() => tensor("default_tensor")?
            .and_then(|v| v.into_iter().next())
            .unwrap_or(Value::Int(-1)),
        Some(Value::Str(_)) => Value::Str(
            node.get_attr_opt::<String>("default_string")?
                .unwrap_or_else(|| "_Unused".into()),
        ),
        Some(Value::Float(_)) => {
            Value::Float(node.get_attr_opt::<f32>("default_float")?.unwrap_or(-0.0))
        }
        _ => Value::Int(node.get_attr_opt::<i64>("default_int64")?.unwrap_or(-1)),
    };
    let reverse_default = reverse_default.map(Value::Str);
    boxed(LabelEncoder {
        keys,
        values,
        default,
        reverse_default,
    })
}

impl LabelEncoder {
    /// The (keys, values, default) that apply to an input of type `dt`.
    fn table(&self, dt: DatumType) -> (&[Value], &[Value], &Value) {
        match &self.reverse_default {
            Some(d) if dt != String::datum_type() => (&self.values, &self.keys, d),
            _ => (&self.keys, &self.values, &self.default),
        }
    }

    fn output_type(&self, input: DatumType) -> DatumType {
        let (_, values, default) = self.table(input);
        match values.first().unwrap_or(default) {
            Value::Int(_) => i64::datum_type(),
            Value::Float(_) => f32::datum_type(),
            Value::Str(_) => String::datum_type(),
        }
    }
}

impl Kernel for LabelEncoder {
    fn name(&self) -> &'static str {
        "LabelEncoder"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(self
            .output_type(inputs[0].datum_type)
            .fact(inputs[0].shape.clone())))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let (keys, values, default) = self.table(x.datum_type());
        let mapped: Vec<&Value> = values_of(x)?
            .iter()
            .map(|v| {
                keys.iter()
                    .position(|k| k.matches(v))
                    .map(|i| &values[i])
                    .unwrap_or(default)
            })
            .collect();
        let shape = x.shape();
        let y = match self.output_type(x.datum_type()) {
            dt if dt == String::datum_type() => {
                let v: Vec<String> = mapped
                    .iter()
                    .map(|v| match v {
                        Value::Str(s) => s.clone(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                tract_onnx::tract_hir::tract_ndarray::ArrayD::from_shape_vec(shape.to_vec(), v)?
                    .into()
            }
            dt if dt == f32::datum_type() => {
                let v: Vec<f32> = mapped
                    .iter()
                    .map(|v| match v {
                        Value::Float(f) => *f,
                        Value::Int(i) => *i as f32,
                        Value::Str(_) => f32::NAN,
                    })
                    .collect();
                Tensor::from_shape(shape, &v)?
            }
            _ => {
                let v: Vec<i64> = mapped
                    .iter()
                    .map(|v| match v {
                        Value::Int(i) => *i,
                        Value::Float(f) => *f as i64,
                        Value::Str(_) => -1,
                    })
                    .collect();
                Tensor::from_shape(shape, &v)?
            }
        };
        Ok(tvec!(y.into_tvalue()))
    }
}
