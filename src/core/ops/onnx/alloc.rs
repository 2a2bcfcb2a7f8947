//! Buffers for ops whose output size comes from attributes or several inputs' dims: the size
//! is checked (usize is 32 bits in wasm) and the allocation tried, so a huge request is an
//! error that says "failed to allocate" (LIMIT_EXCEEDED) instead of an abort.
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// A zeroed buffer of dims' product elements.
pub fn zeros<T: Clone + Default>(dims: &[usize]) -> TractResult<Vec<T>> {
    let len = dims
        .iter()
        .try_fold(1usize, |n, d| n.checked_mul(*d))
        .with_context(|| format!("failed to allocate a {dims:?} buffer: it is too large"))?;
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|e| format_err!("failed to allocate a {dims:?} buffer: {e}"))?;
    v.resize(len, T::default());
    Ok(v)
}
