//! `v = f(scale * v + shift)` over a slice: the shape of the ML ops' elementwise finishes (the RBF
//! kernel's and softmax's exp, the sigmoid kernel's tanh). The wasm build runs four lanes at a
//! time (its size-optimized code is not auto-vectorized); each lane does exactly the scalar
//! operations in the same order, so a value's result does not depend on where it falls.

/// A function with a scalar form and, in the wasm SIMD build, a four-lane form.
pub trait Lanewise {
    /// f(x).
    fn one(x: f32) -> f32;
    /// f on four lanes, each exactly as [`Self::one`].
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn four(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128;
}

/// `v = F(scale * v + shift)` for every value.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
pub fn map_affine<F: Lanewise>(values: &mut [f32], scale: f32, shift: f32) {
    values
        .iter_mut()
        .for_each(|v| *v = F::one(scale * *v + shift));
}

/// `v = F(scale * v + shift)` for every value, four lanes at a time.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub fn map_affine<F: Lanewise>(values: &mut [f32], scale: f32, shift: f32) {
    use core::arch::wasm32::*;
    let (a, b) = (f32x4_splat(scale), f32x4_splat(shift));
    let mut chunks = values.chunks_exact_mut(4);
    for lanes in &mut chunks {
        // SAFETY: `lanes` holds four f32 = one 16-byte vector; v128_load/store are unaligned.
        unsafe {
            let p = lanes.as_mut_ptr().cast::<v128>();
            v128_store(p, F::four(f32x4_add(f32x4_mul(a, v128_load(p)), b)));
        }
    }
    chunks
        .into_remainder()
        .iter_mut()
        .for_each(|v| *v = F::one(scale * *v + shift));
}
