//! Unique, ONNX opset 11: the distinct values of X (or distinct slices along `axis`), sorted
//! ascending (`sorted`, the default) or in order of first occurrence, with their first indices,
//! the inverse indices and the counts, as numpy.unique gives them (NaNs last, as one value).
//! The number of distinct values is a fresh symbol until the run.
use std::cmp::Ordering;

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::{ArrayViewD, Axis};

use crate::core::ops::kernel::{boxed, partial_fact, Kernel};

/// Registers Unique.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Unique", build);
}

/// Type and dims (None: unknown) of each output.
type Shapes = TVec<(DatumType, TVec<Option<TDim>>)>;

/// Distinct values or slices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unique {
    axis: Option<i64>,
    sorted: bool,
    outputs: usize,
    /// The number of distinct values, bound when the node is typed.
    count: Option<Symbol>,
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let outputs = node.output.len();
    ensure!((1..=4).contains(&outputs), "Unique has 1 to 4 outputs");
    boxed(Unique {
        axis: node.get_attr_opt::<i64>("axis")?,
        sorted: node.get_attr_opt::<i64>("sorted")?.unwrap_or(1) != 0,
        outputs,
        count: None,
    })
}

impl Unique {
    /// The axis in 0..rank, or None for the flattened input.
    fn axis(&self, rank: usize) -> TractResult<Option<usize>> {
        let Some(axis) = self.axis else {
            return Ok(None);
        };
        let r = rank as i64;
        ensure!(
            (-r..r).contains(&axis),
            "Unique axis {axis} out of range for rank {rank}"
        );
        Ok(Some(if axis < 0 { axis + r } else { axis } as usize))
    }

    /// Output shapes with `count` (None: unknown) for the number of distinct values.
    fn shapes(&self, x: &TypedFact, count: Option<TDim>) -> TractResult<Shapes> {
        let (y, inverse) = match self.axis(x.rank())? {
            None => (tvec![count.clone()], Some(x.shape.volume())),
            Some(axis) => {
                let mut y: TVec<Option<TDim>> = x.shape.iter().cloned().map(Some).collect();
                y[axis] = count.clone();
                (y, Some(x.shape[axis].clone()))
            }
        };
        let all = tvec![
            (x.datum_type, y),
            (i64::datum_type(), tvec![count.clone()]),
            (i64::datum_type(), tvec![inverse]),
            (i64::datum_type(), tvec![count]),
        ];
        Ok(all.into_iter().take(self.outputs).collect())
    }
}

/// Total order for floats: NaNs last and equal to each other, -0 equal to 0 (numpy's).
fn float_cmp<T: PartialOrd>(a: &T, b: &T, nan: impl Fn(&T) -> bool) -> Ordering {
    a.partial_cmp(b).unwrap_or_else(|| nan(a).cmp(&nan(b)))
}

/// (first index, count) per group of equal slices, and each slice's group.
type Groups = (Vec<(usize, usize)>, Vec<usize>);

/// Groups equal slices along `axis`.
fn group<T: Datum>(
    view: &ArrayViewD<T>,
    axis: usize,
    sorted: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Groups {
    let n = view.shape()[axis];
    let slice_cmp = |i: usize, j: usize| {
        let (a, b) = (
            view.index_axis(Axis(axis), i),
            view.index_axis(Axis(axis), j),
        );
        a.iter()
            .zip(b.iter())
            .map(|(x, y)| cmp(x, y))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|i, j| slice_cmp(*i, *j)); // stable: the first of equals is the first seen
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut member = vec![0usize; n];
    for (k, &i) in order.iter().enumerate() {
        if k == 0 || slice_cmp(order[k - 1], i) != Ordering::Equal {
            groups.push((i, 0));
        }
        let g = groups.len() - 1;
        groups[g].1 += 1;
        member[i] = g;
    }
    if !sorted {
        let mut by_first: Vec<usize> = (0..groups.len()).collect();
        by_first.sort_by_key(|g| groups[*g].0);
        let mut rank = vec![0usize; groups.len()];
        for (r, g) in by_first.iter().enumerate() {
            rank[*g] = r;
        }
        member.iter_mut().for_each(|m| *m = rank[*m]);
        groups = by_first.iter().map(|g| groups[*g]).collect();
    }
    (groups, member)
}

fn unique_as<T: Datum>(
    x: &Tensor,
    axis: Option<usize>,
    sorted: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> TractResult<(Tensor, Groups)> {
    let view = x.to_plain_array_view::<T>()?;
    let flat;
    let (view, axis) = match axis {
        Some(axis) => (view, axis),
        None => {
            flat = view.iter().cloned().collect::<Vec<T>>();
            (ArrayViewD::from_shape(vec![flat.len()], &flat)?, 0)
        }
    };
    let groups = group(&view, axis, sorted, cmp);
    let firsts: Vec<usize> = groups.0.iter().map(|g| g.0).collect();
    let y = view.select(Axis(axis), &firsts).into_tensor();
    Ok((y, groups))
}

impl Kernel for Unique {
    fn name(&self) -> &'static str {
        "Unique"
    }

    fn outputs(&self) -> usize {
        self.outputs
    }

    fn inference_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<InferenceFact>> {
        // The count is unknown before typing: leave that dim open.
        Ok(self
            .shapes(inputs[0], None)?
            .into_iter()
            .map(|(dt, shape)| partial_fact(dt, shape))
            .collect())
    }

    fn bind_symbols(&mut self, symbols: &SymbolScope, _inputs: &[&TypedFact]) {
        self.count = Some(symbols.new_with_prefix("unique"));
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let count = self
            .count
            .clone()
            .ok_or_else(|| format_err!("Unique was typed without its count symbol"))?;
        self.shapes(inputs[0], Some(count.into()))?
            .into_iter()
            .map(|(dt, shape)| {
                let dims = shape.into_iter().collect::<Option<TVec<TDim>>>();
                dims.map(|d| dt.fact(d))
                    .ok_or_else(|| format_err!("Unique: an output dim is unknown"))
            })
            .collect()
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let axis = self.axis(x.rank())?;
        let (y, (groups, member)) = match x.datum_type() {
            DatumType::F16 => {
                unique_as::<f16>(x, axis, self.sorted, |a, b| float_cmp(a, b, |v| v.is_nan()))?
            }
            DatumType::F32 => {
                unique_as::<f32>(x, axis, self.sorted, |a, b| float_cmp(a, b, |v| v.is_nan()))?
            }
            DatumType::F64 => {
                unique_as::<f64>(x, axis, self.sorted, |a, b| float_cmp(a, b, |v| v.is_nan()))?
            }
            DatumType::I8 => unique_as::<i8>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::I16 => unique_as::<i16>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::I32 => unique_as::<i32>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::I64 => unique_as::<i64>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::U8 => unique_as::<u8>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::U16 => unique_as::<u16>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::U32 => unique_as::<u32>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::U64 => unique_as::<u64>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::Bool => unique_as::<bool>(x, axis, self.sorted, Ord::cmp)?,
            DatumType::String => unique_as::<String>(x, axis, self.sorted, Ord::cmp)?,
            other => bail!("Unique does not take {other:?}"),
        };
        let as_i64 = |v: Vec<usize>| -> TractResult<TValue> {
            let v: Vec<i64> = v.into_iter().map(|i| i as i64).collect();
            Ok(tensor1(&v).into_tvalue())
        };
        let all = tvec![
            y.into_tvalue(),
            as_i64(groups.iter().map(|g| g.0).collect())?,
            as_i64(member)?,
            as_i64(groups.iter().map(|g| g.1).collect())?,
        ];
        Ok(all.into_iter().take(self.outputs).collect())
    }
}
