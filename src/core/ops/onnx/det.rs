//! Det, ONNX opset 22 (same as 11): the determinant of each square matrix in the last two axes
//! of X [*, M, M], by LU decomposition with partial pivoting in f64, returned in X's float type.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

/// Registers Det.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("Det", build);
}

/// Batched determinant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Det;

fn build(_: &ParsingContext, _: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    boxed(Det)
}

/// The determinant of the row-major m x m matrix `a` (overwritten).
fn det(a: &mut [f64], m: usize) -> f64 {
    let mut det = 1.0;
    for col in 0..m {
        // The row with the largest pivot, for stability.
        let pivot = (col..m)
            .max_by(|&i, &j| a[i * m + col].abs().total_cmp(&a[j * m + col].abs()))
            .unwrap_or(col);
        if a[pivot * m + col] == 0.0 {
            return 0.0;
        }
        if pivot != col {
            for k in 0..m {
                a.swap(pivot * m + k, col * m + k);
            }
            det = -det;
        }
        let p = a[col * m + col];
        det *= p;
        for row in col + 1..m {
            let f = a[row * m + col] / p;
            for k in col..m {
                a[row * m + k] -= f * a[col * m + k];
            }
        }
    }
    det
}

impl Kernel for Det {
    fn name(&self) -> &'static str {
        "Det"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let x = inputs[0];
        ensure!(x.datum_type.is_float(), "Det takes floats");
        ensure!(x.rank() >= 2, "Det takes [*, M, M]");
        let r = x.rank();
        ensure!(
            x.shape[r - 1] == x.shape[r - 2],
            "Det takes square matrices, got {:?}",
            x.shape
        );
        Ok(tvec![x.datum_type.fact(&x.shape[..r - 2])])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let dt = x.datum_type();
        let r = x.rank();
        ensure!(r >= 2, "Det takes [*, M, M]");
        let m = x.shape()[r - 1];
        ensure!(x.shape()[r - 2] == m, "Det takes square matrices");
        let data = x.cast_to::<f64>()?;
        let data = data.try_as_plain_ram()?.as_slice::<f64>()?;
        let dets: Vec<f64> = if m == 0 {
            // The empty product: each 0 x 0 matrix has determinant 1.
            vec![1.0; x.shape()[..r - 2].iter().product()]
        } else {
            data.chunks(m * m)
                .map(|c| det(&mut c.to_vec(), m))
                .collect()
        };
        let y = Tensor::from_shape(&x.shape()[..r - 2], &dets)?;
        Ok(tvec![y.cast_to_dt(dt)?.into_owned().into_tvalue()])
    }
}
