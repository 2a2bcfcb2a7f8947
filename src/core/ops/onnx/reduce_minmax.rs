//! ReduceMax and ReduceMin, ONNX opsets 1-20 (axes an attribute before 18, an input from 18;
//! bool from 20). tract 0.23.9 starts float reductions from f32::MIN/MAX instead of -inf/+inf,
//! so a row of -inf reduces to -3.4e38 (the fully-masked-row guard of Attention's function body
//! then misses it); floats here start from the infinities and propagate NaN, as numpy does.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers ReduceMax and ReduceMin.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("ReduceMax", |c, n| build(c, n, true));
    reg.insert("ReduceMin", |c, n| build(c, n, false));
}

/// Max or min over the given axes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinMax {
    max: bool,
    /// Axes from the attribute (opset < 18); None means all (or none, see below).
    attr_axes: Option<Vec<i64>>,
    /// Axes come from input 1 (opset >= 18).
    axes_input: bool,
    keepdims: bool,
    noop_with_empty_axes: bool,
}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
    max: bool,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let from_input = ctx.onnx_operator_set_version >= 18;
    boxed(MinMax {
        max,
        attr_axes: if from_input {
            None
        } else {
            node.get_attr_opt_vec::<i64>("axes")?
        },
        axes_input: from_input && node.input.get(1).is_some_and(|s| !s.is_empty()),
        keepdims: node.get_attr_opt::<i64>("keepdims")?.unwrap_or(1) != 0,
        noop_with_empty_axes: node
            .get_attr_opt::<i64>("noop_with_empty_axes")?
            .unwrap_or(0)
            != 0,
    })
}

impl MinMax {
    /// The reduced axes (normalized, sorted, deduplicated) for a rank `rank` input.
    fn axes(&self, rank: usize, axes_tensor: Option<&Tensor>) -> TractResult<Vec<usize>> {
        let given: Vec<i64> = match (&self.attr_axes, axes_tensor) {
            (Some(a), _) => a.clone(),
            (None, Some(t)) => t
                .cast_to::<i64>()?
                .try_as_plain_ram()?
                .as_slice::<i64>()?
                .to_vec(),
            (None, None) => vec![],
        };
        if given.is_empty() {
            return Ok(if self.noop_with_empty_axes {
                vec![]
            } else {
                (0..rank).collect()
            });
        }
        let mut axes = given
            .iter()
            .map(|&a| {
                let n = if a < 0 { a + rank as i64 } else { a };
                ensure!(
                    (0..rank as i64).contains(&n),
                    "axis {a} out of range for rank {rank}"
                );
                Ok(n as usize)
            })
            .collect::<TractResult<Vec<usize>>>()?;
        axes.sort_unstable();
        axes.dedup();
        Ok(axes)
    }

    fn out_shape<D: Clone>(&self, shape: &[D], axes: &[usize], one: D) -> Vec<D> {
        shape
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match (axes.contains(&i), self.keepdims) {
                (false, _) => Some(d.clone()),
                (true, true) => Some(one.clone()),
                (true, false) => None,
            })
            .collect()
    }
}

impl Kernel for MinMax {
    fn name(&self) -> &'static str {
        if self.max {
            "ReduceMax"
        } else {
            "ReduceMin"
        }
    }

    fn facts_ready(&self, inputs: &[&TypedFact]) -> bool {
        !self.axes_input || inputs.get(1).is_some_and(|f| f.konst.is_some())
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let axes_tensor = if self.axes_input {
            let fact = inputs.get(1).context("the axes input is missing")?;
            Some(
                fact.konst
                    .clone()
                    .with_context(|| format!("{}: axes must be a constant", self.name()))?,
            )
        } else {
            None
        };
        let axes = self.axes(inputs[0].rank(), axes_tensor.as_deref())?;
        let dims: Vec<TDim> = inputs[0].shape.iter().cloned().collect();
        Ok(tvec![inputs[0].datum_type.fact(self.out_shape(
            &dims,
            &axes,
            1.to_dim()
        ))])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let axes = self.axes(x.rank(), inputs.get(1).map(|t| &**t))?;
        let out_shape = self.out_shape(x.shape(), &axes, 1);
        let dt = x.datum_type();
        let max = self.max;
        let out = if dt.is_float() {
            let (init, pick): (f64, fn(f64, f64) -> f64) = if max {
                (
                    f64::NEG_INFINITY,
                    |a, b| if a.is_nan() || a >= b { a } else { b },
                )
            } else {
                (
                    f64::INFINITY,
                    |a, b| if a.is_nan() || a <= b { a } else { b },
                )
            };
            let x64 = x.cast_to::<f64>()?;
            let r = fold(&x64, &axes, init, pick)?;
            r.cast_to_dt(dt)?.into_owned()
        } else if dt == bool::datum_type() {
            let pick: fn(bool, bool) -> bool = if max { |a, b| a | b } else { |a, b| a & b };
            fold(x, &axes, !max, pick)?
        } else if dt == TDim::datum_type() {
            // tract holds some int64 values (shapes, and what is computed from them) as TDim.
            let x64 = x.cast_to::<i64>()?;
            let r = if max {
                fold(&x64, &axes, i64::MIN, |a, b| a.max(b))?
            } else {
                fold(&x64, &axes, i64::MAX, |a, b| a.min(b))?
            };
            r.cast_to_dt(dt)?.into_owned()
        } else {
            macro_rules! ints {
                ($($t:ty),*) => {
                    match dt {
                        $(d if d == <$t>::datum_type() => if max {
                            fold(x, &axes, <$t>::MIN, |a, b| a.max(b))?
                        } else {
                            fold(x, &axes, <$t>::MAX, |a, b| a.min(b))?
                        },)*
                        other => bail!("{} does not take {other:?}", self.name()),
                    }
                };
            }
            ints!(i8, i16, i32, i64, u8, u16, u32, u64)
        };
        Ok(tvec![out.into_shape(&out_shape)?.into_tvalue()])
    }
}

/// Folds the axes away (highest first), starting each lane from `init`.
fn fold<T: Datum + Copy>(
    x: &Tensor,
    axes: &[usize],
    init: T,
    pick: fn(T, T) -> T,
) -> TractResult<Tensor> {
    let mut a = x.to_plain_array_view::<T>()?.to_owned();
    for &axis in axes.iter().rev() {
        a = a.fold_axis(tract_ndarray::Axis(axis), init, |acc, v| pick(*acc, *v));
    }
    Ok(a.into_tensor())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(max: bool) -> MinMax {
        MinMax {
            max,
            attr_axes: None,
            axes_input: false,
            keepdims: false,
            noop_with_empty_axes: false,
        }
    }

    fn values<T: Datum + Copy>(t: &Tensor) -> Vec<T> {
        let plain = t.try_as_plain_ram().expect("plain");
        plain.as_slice::<T>().expect("slice").to_vec()
    }

    #[test]
    fn int64_held_as_tdim_reduces_like_int64() {
        // tract types Cast(bool -> int64) of a comparison as TDim in some graphs (the rollout fixture).
        let x = tensor1(&[0i64, 1, 0])
            .cast_to::<TDim>()
            .map(|t| t.into_owned());
        let x = x.expect("cast").into_tvalue();
        let max = op(true).eval(tvec![x.clone()]).expect("max");
        assert_eq!(values::<i64>(&max[0].cast_to::<i64>().expect("i64")), [1]);
        let min = op(false).eval(tvec![x]).expect("min");
        assert_eq!(values::<i64>(&min[0].cast_to::<i64>().expect("i64")), [0]);
    }

    #[test]
    fn an_all_minus_infinity_row_stays_minus_infinity() {
        let mut op = op(true);
        op.attr_axes = Some(vec![1]);
        let x = tensor2(&[[f32::NEG_INFINITY, f32::NEG_INFINITY], [1.0, -2.0]]).into_tvalue();
        let max = op.eval(tvec![x]).expect("max");
        assert_eq!(values::<f32>(&max[0]), [f32::NEG_INFINITY, 1.0]);
    }
}
