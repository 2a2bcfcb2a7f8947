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

/// `a · b` in f32 with four partial sums (lane `l` adds the products `a[4c + l] * b[4c + l]`),
/// then the lanes and the tail in order. In the wasm SIMD build each chunk is one f32x4 product
/// and add. The order differs from one running sum as a GEMM's does; the f32 products are the same.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let acc = partial_dots(a4, b4);
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn partial_dots<'a>(
    a: impl Iterator<Item = &'a [f32]>,
    b: impl Iterator<Item = &'a [f32]>,
) -> [f32; 4] {
    let mut acc = [0f32; 4];
    for (x, y) in a.zip(b) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    acc
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn partial_dots<'a>(
    a: impl Iterator<Item = &'a [f32]>,
    b: impl Iterator<Item = &'a [f32]>,
) -> [f32; 4] {
    use core::arch::wasm32::*;
    let mut acc = f32x4_splat(0.0);
    for (x, y) in a.zip(b) {
        assert!(x.len() == 4 && y.len() == 4);
        // SAFETY: x and y hold four f32 (asserted) = one 16-byte vector; v128_load is unaligned.
        let p = unsafe { f32x4_mul(v128_load(x.as_ptr().cast()), v128_load(y.as_ptr().cast())) };
        acc = f32x4_add(acc, p);
    }
    [
        f32x4_extract_lane::<0>(acc),
        f32x4_extract_lane::<1>(acc),
        f32x4_extract_lane::<2>(acc),
        f32x4_extract_lane::<3>(acc),
    ]
}
