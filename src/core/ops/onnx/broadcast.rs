//! Numpy-style (multidirectional) broadcasting for our element-wise kernels.
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;
use tract_onnx::tract_hir::tract_ndarray::{ArrayViewD, IxDyn};

/// The broadcast shape of two concrete shapes.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> TractResult<Vec<usize>> {
    let rank = a.len().max(b.len());
    (0..rank)
        .map(|i| {
            let da = if i + a.len() >= rank {
                a[i + a.len() - rank]
            } else {
                1
            };
            let db = if i + b.len() >= rank {
                b[i + b.len() - rank]
            } else {
                1
            };
            match (da, db) {
                (x, y) if x == y => Ok(x),
                (1, y) => Ok(y),
                (x, 1) => Ok(x),
                (x, y) => bail!("shapes {a:?} and {b:?} do not broadcast ({x} vs {y})"),
            }
        })
        .collect()
}

/// The output fact of a broadcast of two facts of one type.
pub fn broadcast_typed(a: &TypedFact, b: &TypedFact) -> TractResult<TVec<TypedFact>> {
    let shape = tract_onnx::tract_core::broadcast::multi_broadcast(&[&*a.shape, &*b.shape])?;
    Ok(tvec![a.datum_type.fact(shape)])
}

/// Pairs of elements of `a` and `b` broadcast to `shape`, in row-major order.
pub fn broadcast_zip<'a, A, B>(
    a: &'a ArrayViewD<'a, A>,
    b: &'a ArrayViewD<'a, B>,
    shape: &[usize],
) -> TractResult<impl Iterator<Item = (&'a A, &'a B)>> {
    let a = a
        .broadcast(IxDyn(shape))
        .ok_or_else(|| format_err!("cannot broadcast {:?} to {shape:?}", a.shape()))?;
    let b = b
        .broadcast(IxDyn(shape))
        .ok_or_else(|| format_err!("cannot broadcast {:?} to {shape:?}", b.shape()))?;
    Ok(a.into_iter().zip(b))
}
