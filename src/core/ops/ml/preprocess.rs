//! Row-wise preprocessing ops of ai.onnx.ml opset 1: Scaler, Binarizer, Imputer, Normalizer,
//! computed as onnxruntime computes them.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers the four ops.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Scaler", build_scaler);
    reg.insert("Binarizer", build_binarizer);
    reg.insert("Imputer", build_imputer);
    reg.insert("Normalizer", build_normalizer);
}

type Built = TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

fn floats(node: &NodeProto, name: &str) -> TractResult<Vec<f32>> {
    Ok(node.get_attr_opt_vec::<f32>(name)?.unwrap_or_default())
}

/// The value of a per-column list for column `c` (a single value applies to every column).
fn per_column<T: Copy>(list: &[T], c: usize) -> T {
    list[c.min(list.len() - 1)]
}

fn columns(t: &Tensor) -> usize {
    t.shape().last().copied().unwrap_or(1)
}

fn check_width(name: &str, list_len: usize, cols: usize) -> TractResult<()> {
    ensure!(
        list_len == 1 || list_len == cols,
        "{name} holds {list_len} values for {cols} columns"
    );
    Ok(())
}

/// Scaler: y = (x - offset) * scale, per column, as f32.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaler {
    offset: Vec<f32>,
    scale: Vec<f32>,
}

fn build_scaler(_: &ParsingContext, node: &NodeProto) -> Built {
    let mut offset = floats(node, "offset")?;
    let mut scale = floats(node, "scale")?;
    if offset.is_empty() {
        offset.push(0.0);
    }
    if scale.is_empty() {
        scale.push(1.0);
    }
    boxed(Scaler { offset, scale })
}

impl Kernel for Scaler {
    fn name(&self) -> &'static str {
        "Scaler"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(f32::fact(inputs[0].shape.clone())))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let cols = columns(&inputs[0]);
        check_width("offset", self.offset.len(), cols)?;
        check_width("scale", self.scale.len(), cols)?;
        let mut y = inputs[0].cast_to::<f32>()?.into_owned();
        for (i, v) in y
            .try_as_plain_ram_mut()?
            .as_slice_mut::<f32>()?
            .iter_mut()
            .enumerate()
        {
            let c = i % cols.max(1);
            *v = (*v - per_column(&self.offset, c)) * per_column(&self.scale, c);
        }
        Ok(tvec!(y.into_tvalue()))
    }
}

/// Binarizer: 1 where x > threshold, else 0, in the input's type.
#[derive(Clone, Debug, PartialEq)]
pub struct Binarizer {
    threshold: f32,
}

fn build_binarizer(_: &ParsingContext, node: &NodeProto) -> Built {
    boxed(Binarizer {
        threshold: node.get_attr_opt::<f32>("threshold")?.unwrap_or(0.0),
    })
}

impl Kernel for Binarizer {
    fn name(&self) -> &'static str {
        "Binarizer"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(inputs[0].datum_type.fact(inputs[0].shape.clone())))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let dt = inputs[0].datum_type();
        let x = inputs[0].cast_to::<f64>()?;
        let t = f64::from(self.threshold);
        let y: Vec<f64> = x
            .try_as_plain_ram()?
            .as_slice::<f64>()?
            .iter()
            .map(|v| if *v > t { 1.0 } else { 0.0 })
            .collect();
        let y = Tensor::from_shape(inputs[0].shape(), &y)?
            .cast_to_dt(dt)?
            .into_owned();
        Ok(tvec!(y.into_tvalue()))
    }
}

/// Imputer: replaces a sentinel value (NaN by default for floats) by a per-column value.
#[derive(Clone, Debug, PartialEq)]
pub struct Imputer {
    floats: Vec<f32>,
    replaced_float: f32,
    ints: Vec<i64>,
    replaced_int: i64,
}

fn build_imputer(_: &ParsingContext, node: &NodeProto) -> Built {
    let op = Imputer {
        floats: floats(node, "imputed_value_floats")?,
        replaced_float: node
            .get_attr_opt::<f32>("replaced_value_float")?
            .unwrap_or(0.0),
        ints: node
            .get_attr_opt_vec::<i64>("imputed_value_int64s")?
            .unwrap_or_default(),
        replaced_int: node
            .get_attr_opt::<i64>("replaced_value_int64")?
            .unwrap_or(0),
    };
    ensure!(
        !op.floats.is_empty() || !op.ints.is_empty(),
        "{}: Imputer needs imputed values",
        node.name
    );
    boxed(op)
}

impl Kernel for Imputer {
    fn name(&self) -> &'static str {
        "Imputer"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(inputs[0].datum_type.fact(inputs[0].shape.clone())))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let cols = columns(&inputs[0]);
        let mut y = inputs[0].clone().into_tensor();
        if y.datum_type() == i64::datum_type() {
            ensure!(
                !self.ints.is_empty(),
                "Imputer has no imputed_value_int64s for an int64 input"
            );
            check_width("imputed_value_int64s", self.ints.len(), cols)?;
            for (i, v) in y
                .try_as_plain_ram_mut()?
                .as_slice_mut::<i64>()?
                .iter_mut()
                .enumerate()
            {
                if *v == self.replaced_int {
                    *v = per_column(&self.ints, i % cols.max(1));
                }
            }
            return Ok(tvec!(y.into_tvalue()));
        }
        ensure!(
            !self.floats.is_empty(),
            "Imputer has no imputed_value_floats for a float input"
        );
        check_width("imputed_value_floats", self.floats.len(), cols)?;
        let dt = y.datum_type();
        let mut y = y.cast_to::<f32>()?.into_owned();
        let nan = self.replaced_float.is_nan();
        for (i, v) in y
            .try_as_plain_ram_mut()?
            .as_slice_mut::<f32>()?
            .iter_mut()
            .enumerate()
        {
            if (nan && v.is_nan()) || *v == self.replaced_float {
                *v = per_column(&self.floats, i % cols.max(1));
            }
        }
        Ok(tvec!(y.cast_to_dt(dt)?.into_owned().into_tvalue()))
    }
}

/// Normalizer: each row divided by its max (not abs max), L1 or L2 norm; f32 output.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalizer {
    norm: Norm,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Norm {
    Max,
    L1,
    L2,
}

fn build_normalizer(_: &ParsingContext, node: &NodeProto) -> Built {
    let norm = match node
        .get_attr_opt::<String>("norm")?
        .as_deref()
        .unwrap_or("MAX")
    {
        "MAX" => Norm::Max,
        "L1" => Norm::L1,
        "L2" => Norm::L2,
        other => bail!("{}: unknown norm '{other}'", node.name),
    };
    boxed(Normalizer { norm })
}

impl Kernel for Normalizer {
    fn name(&self) -> &'static str {
        "Normalizer"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs[0].rank() <= 2,
            "Normalizer takes a rank 1 or 2 input"
        );
        Ok(tvec!(f32::fact(inputs[0].shape.clone())))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        ensure!(
            inputs[0].rank() <= 2,
            "Normalizer takes a rank 1 or 2 input"
        );
        let cols = columns(&inputs[0]).max(1);
        let mut y = inputs[0].cast_to::<f32>()?.into_owned();
        for row in y
            .try_as_plain_ram_mut()?
            .as_slice_mut::<f32>()?
            .chunks_mut(cols)
        {
            let d = match self.norm {
                Norm::Max => row.iter().copied().fold(f32::MIN, f32::max),
                Norm::L1 => row.iter().map(|v| v.abs()).sum(),
                Norm::L2 => row.iter().map(|v| v * v).sum(),
            };
            if d == 0.0 {
                continue;
            }
            for v in row.iter_mut() {
                *v = match self.norm {
                    Norm::Max | Norm::L1 => *v / d,
                    Norm::L2 => (*v * *v / d)
                        .sqrt()
                        .copysign(if *v < 0.0 { -1.0 } else { 1.0 }),
                };
            }
        }
        Ok(tvec!(y.into_tvalue()))
    }
}
