//! Class labels of ai.onnx.ml classifiers (`classlabels_int64s`/`_ints` or `_strings`).
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::attrs::{ints, strings};

/// The labels, integers or strings.
#[derive(Clone, Debug, PartialEq)]
pub enum Labels {
    /// Integer labels.
    Int(Vec<i64>),
    /// String labels.
    Str(Vec<String>),
}

/// Which label a row gets: an index into the labels, or the literal 0/1 onnxruntime writes
/// when a two-score model has no two labels to choose from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pick {
    /// Index into the labels.
    Index(usize),
    /// A literal label value.
    Literal(i64),
}

impl Labels {
    /// Reads exactly one of the two attributes.
    pub fn read(node: &NodeProto, ints_name: &str, strings_name: &str) -> TractResult<Labels> {
        let i = ints(node, ints_name)?;
        let s = strings(node, strings_name)?;
        match (i.is_empty(), s.is_empty()) {
            (false, true) => Ok(Labels::Int(i)),
            (true, false) => Ok(Labels::Str(s)),
            _ => bail!(
                "{}: exactly one of {ints_name} and {strings_name} must be set",
                node.name
            ),
        }
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        match self {
            Labels::Int(v) => v.len(),
            Labels::Str(v) => v.len(),
        }
    }

    /// The type of the label output.
    pub fn datum_type(&self) -> DatumType {
        match self {
            Labels::Int(_) => i64::datum_type(),
            Labels::Str(_) => String::datum_type(),
        }
    }

    /// The label tensor [N] for the picks.
    pub fn pick(&self, picks: &[Pick]) -> TractResult<Tensor> {
        let index = |i: usize| -> TractResult<usize> {
            ensure!(
                i < self.len(),
                "label index {i} out of {} labels",
                self.len()
            );
            Ok(i)
        };
        Ok(match self {
            Labels::Int(l) => {
                let v = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Index(i) => index(*i).map(|i| l[i]),
                        Pick::Literal(v) => Ok(*v),
                    })
                    .collect::<TractResult<Vec<i64>>>()?;
                tensor1(&v)
            }
            Labels::Str(l) => {
                let v = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Index(i) => index(*i).map(|i| l[i].clone()),
                        Pick::Literal(v) => Ok(v.to_string()),
                    })
                    .collect::<TractResult<Vec<String>>>()?;
                tensor1(&v)
            }
        })
    }
}
