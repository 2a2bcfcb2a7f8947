//! Column selection ops of ai.onnx.ml opset 1: ArrayFeatureExtractor and FeatureVectorizer.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::{ArrayD, IxDyn};

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers both ops.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert(
        "ArrayFeatureExtractor",
        |_: &ParsingContext, _: &NodeProto| boxed(ArrayFeatureExtractor),
    );
    reg.insert("FeatureVectorizer", build_feature_vectorizer);
}

/// ArrayFeatureExtractor: picks columns of the last axis by index; a rank-1 input is one row.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrayFeatureExtractor;

impl Kernel for ArrayFeatureExtractor {
    fn name(&self) -> &'static str {
        "ArrayFeatureExtractor"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let x = inputs[0];
        let k = inputs[1].shape.volume();
        let mut shape: TVec<TDim> = if x.rank() <= 1 {
            tvec!(1.to_dim())
        } else {
            x.shape.to_tvec()
        };
        if x.rank() > 1 {
            shape.pop();
        }
        shape.push(k);
        Ok(tvec!(x.datum_type.fact(shape)))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let indices = inputs[1].cast_to::<i64>()?;
        let indices = indices.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
        let x = if x.rank() <= 1 {
            x.clone().into_tensor().into_shape(&[1, x.len()])?
        } else {
            x.clone().into_tensor()
        };
        let last = x.rank() - 1;
        let width = x.shape()[last] as i64;
        let picked = indices
            .iter()
            .map(|i| usize::try_from(*i).ok().filter(|i| (*i as i64) < width))
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(|| format_err!("ArrayFeatureExtractor: an index is outside 0..{width}"))?;
        let parts = picked
            .iter()
            .map(|i| x.slice(last, *i, *i + 1))
            .collect::<TractResult<Vec<Tensor>>>()?;
        let y = Tensor::stack_tensors(last, &parts)?;
        Ok(tvec!(y.into_tvalue()))
    }
}

/// FeatureVectorizer: concatenates inputs column-wise, each cut or zero-padded to its
/// `inputdimensions` entry; f32 output [N, sum].
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureVectorizer {
    dims: Vec<usize>,
}

fn build_feature_vectorizer(
    _: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let dims = node
        .get_attr_opt_vec::<i64>("inputdimensions")?
        .unwrap_or_default();
    let dims = dims
        .into_iter()
        .map(usize::try_from)
        .collect::<Result<Vec<_>, _>>();
    boxed(FeatureVectorizer {
        dims: dims.map_err(|_| format_err!("{}: negative inputdimensions", node.name))?,
    })
}

impl Kernel for FeatureVectorizer {
    fn name(&self) -> &'static str {
        "FeatureVectorizer"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(
            inputs.len() == self.dims.len(),
            "FeatureVectorizer has {} inputs and {} inputdimensions",
            inputs.len(),
            self.dims.len()
        );
        let n = if inputs[0].rank() <= 1 {
            1.to_dim()
        } else {
            inputs[0].shape[0].clone()
        };
        Ok(tvec!(f32::fact([
            n,
            self.dims.iter().sum::<usize>().to_dim()
        ])))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        ensure!(
            inputs.len() == self.dims.len(),
            "FeatureVectorizer has {} inputs and {} inputdimensions",
            inputs.len(),
            self.dims.len()
        );
        let n = if inputs[0].rank() <= 1 {
            1
        } else {
            inputs[0].shape()[0]
        };
        let total: usize = self.dims.iter().sum();
        let mut out = ArrayD::<f32>::zeros(IxDyn(&[n, total]));
        let mut offset = 0;
        for (input, width) in inputs.iter().zip(&self.dims) {
            let x = input.cast_to::<f32>()?;
            let x = x.to_plain_array_view::<f32>()?;
            let x = x.to_shape((n, x.len() / n.max(1)))?;
            let take = (*width).min(x.shape()[1]);
            for r in 0..n {
                for c in 0..take {
                    out[[r, offset + c]] = x[[r, c]];
                }
            }
            offset += width;
        }
        Ok(tvec!(Tensor::from(out).into_tvalue()))
    }
}
