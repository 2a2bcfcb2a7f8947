//! QuantizeLinear and DequantizeLinear, ONNX opsets 10-23, for 8 and 16 bit integer types.
//! tract 0.23.9 quantizes with x * (1 / scale), which rounds some ties the wrong way
//! (-2.5 / (5/255) is -127.49999 in float32 but -2.5 * 51 is -127.5), refuses `block_size`
//! and reads 16 bit inputs as the wrong type. Here y = saturate(round_half_to_even(x / scale) +
//! zero_point), the division rounded to the type the spec divides in, and x = scale *
//! (q - zero_point). (This gives up tract's folding of DequantizeLinear, op, QuantizeLinear chains into
//! lookup tables, which relied on the reciprocal.)
use tract_onnx::model::{OnnxOpRegister, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers QuantizeLinear and DequantizeLinear.
pub fn register(reg: &mut OnnxOpRegister) {
    reg.insert("QuantizeLinear", build_quantize);
    reg.insert("DequantizeLinear", build_dequantize);
}

/// Quantize (x / scale) or dequantize ((x - zero_point) * scale).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linear {
    quantize: bool,
    axis: i64,
    block_size: usize,
    /// Output type from `output_dtype` (ONNX data type number), 0 if absent.
    output_dtype: i32,
    /// `precision` (opset 23): the type the division is done in, 0 if absent.
    precision: i32,
    has_zero_point: bool,
}

fn parse(node: &NodeProto, quantize: bool) -> TractResult<Linear> {
    let block_size = node.get_attr_opt::<i64>("block_size")?.unwrap_or(0);
    ensure!(block_size >= 0, "block_size must not be negative");
    Ok(Linear {
        quantize,
        axis: node.get_attr_opt::<i64>("axis")?.unwrap_or(1),
        block_size: block_size as usize,
        output_dtype: node.get_attr_opt::<i64>("output_dtype")?.unwrap_or(0) as i32,
        precision: node.get_attr_opt::<i64>("precision")?.unwrap_or(0) as i32,
        has_zero_point: node.input.get(2).is_some_and(|s| !s.is_empty()),
    })
}

fn build_quantize(
    _: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(parse(node, true)?)
}

fn build_dequantize(
    _: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(parse(node, false)?)
}

/// The DatumType of an ONNX data type number, for the types these ops produce.
pub(super) fn onnx_dt(code: i32) -> TractResult<DatumType> {
    Ok(match code {
        1 => DatumType::F32,
        2 => DatumType::U8,
        3 => DatumType::I8,
        4 => DatumType::U16,
        5 => DatumType::I16,
        6 => DatumType::I32,
        10 => DatumType::F16,
        11 => DatumType::F64,
        other => bail!("data type {other} is not supported here (8 and 16 bit integers only)"),
    })
}

fn int_range(dt: DatumType) -> TractResult<(f64, f64)> {
    Ok(match dt {
        DatumType::U8 => (0.0, 255.0),
        DatumType::I8 => (-128.0, 127.0),
        DatumType::U16 => (0.0, 65535.0),
        DatumType::I16 => (-32768.0, 32767.0),
        other => bail!("QuantizeLinear to {other:?} is not supported (8 and 16 bit integers only)"),
    })
}

impl Linear {
    fn out_type(&self, inputs: &[&TypedFact]) -> TractResult<DatumType> {
        if self.quantize {
            let dt = match (inputs.get(2), self.output_dtype) {
                (Some(zp), _) if self.has_zero_point => zp.datum_type,
                (_, 0) => DatumType::U8,
                (_, code) => onnx_dt(code)?,
            };
            int_range(dt)?;
            Ok(dt)
        } else {
            match self.output_dtype {
                0 => Ok(inputs[1].datum_type),
                code => onnx_dt(code),
            }
        }
    }

    /// The scale (or zero point) for each element of x, following ONNX's reshape_input.
    fn expand(&self, param: &Tensor, x_shape: &[usize]) -> TractResult<Vec<f64>> {
        let values = param.cast_to::<f64>()?;
        let values = values.try_as_plain_ram()?.as_slice::<f64>()?.to_vec();
        let n: usize = x_shape.iter().product();
        if values.len() == 1 {
            return Ok(vec![values[0]; n]);
        }
        let rank = x_shape.len();
        let axis = if self.axis < 0 {
            self.axis + rank as i64
        } else {
            self.axis
        };
        ensure!(
            (0..rank as i64).contains(&axis),
            "axis {} out of range",
            self.axis
        );
        let axis = axis as usize;
        let p_shape = param.shape();
        if self.block_size == 0 {
            ensure!(
                p_shape.len() == 1 && p_shape[0] == x_shape[axis],
                "a per-axis scale must be 1-D of length {}, got {p_shape:?}",
                x_shape[axis]
            );
        } else {
            let blocks = x_shape[axis].div_ceil(self.block_size);
            ensure!(
                p_shape.len() == rank
                    && (0..rank).all(|i| p_shape[i] == if i == axis { blocks } else { x_shape[i] }),
                "a blocked scale must be {x_shape:?} with {blocks} on axis {axis}, got {p_shape:?}"
            );
        }
        let mut out = Vec::with_capacity(n);
        let mut idx = vec![0usize; rank];
        for _ in 0..n {
            let p = if self.block_size == 0 {
                idx[axis]
            } else {
                (0..rank).fold(0, |acc, i| {
                    let k = if i == axis {
                        idx[i] / self.block_size
                    } else {
                        idx[i]
                    };
                    acc * p_shape[i] + k
                })
            };
            out.push(values[p]);
            for i in (0..rank).rev() {
                idx[i] += 1;
                if idx[i] < x_shape[i] {
                    break;
                }
                idx[i] = 0;
            }
        }
        Ok(out)
    }
}

/// Rounds an f64 to the float type `dt` (as numpy would hold it), back in f64.
pub(super) fn round_to(v: f64, dt: DatumType) -> f64 {
    match dt {
        DatumType::F32 => v as f32 as f64,
        DatumType::F16 => f16::from_f64(v).to_f64(),
        _ => v,
    }
}

impl Kernel for Linear {
    fn name(&self) -> &'static str {
        if self.quantize {
            "QuantizeLinear"
        } else {
            "DequantizeLinear"
        }
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(inputs.len() >= 2, "{} needs x and a scale", self.name());
        Ok(tvec![self.out_type(inputs)?.fact(inputs[0].shape.clone())])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let facts: Vec<TypedFact> = inputs
            .iter()
            .map(|t| TypedFact::shape_and_dt_of(t))
            .collect();
        let out_dt = self.out_type(&facts.iter().collect::<Vec<_>>())?;
        let x = &inputs[0];
        let shape = x.shape().to_vec();
        let scale = self.expand(&inputs[1], &shape)?;
        let zp = match inputs.get(2) {
            Some(z) if self.has_zero_point => self.expand(z, &shape)?,
            _ => vec![0.0; x.len()],
        };
        let xs = x.cast_to::<f64>()?;
        let xs = xs.try_as_plain_ram()?.as_slice::<f64>()?;
        let values: Vec<f64> = if self.quantize {
            let (lo, hi) = int_range(out_dt)?;
            // numpy divides in the wider float of x and the scale (f64 for integer x).
            let div_dt = match self.precision {
                0 if x.datum_type().is_float() => {
                    let s = inputs[1].datum_type();
                    if x.datum_type().size_of() >= s.size_of() {
                        x.datum_type()
                    } else {
                        s
                    }
                }
                0 => DatumType::F64,
                code => onnx_dt(code)?,
            };
            xs.iter()
                .zip(&scale)
                .zip(&zp)
                .map(|((&v, &s), &z)| (round_to(v / s, div_dt).round_ties_even() + z).clamp(lo, hi))
                .collect()
        } else {
            xs.iter()
                .zip(&scale)
                .zip(&zp)
                .map(|((&v, &s), &z)| round_to((v - z) * s, out_dt))
                .collect()
        };
        let t = tract_ndarray::ArrayD::from_shape_vec(shape, values)?.into_tensor();
        Ok(tvec![t.cast_to_dt(out_dt)?.into_owned().into_tvalue()])
    }
}
