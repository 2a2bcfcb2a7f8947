//! The SVM kernel `K(x, v)` for a batch of rows against packed vectors. The vectors are packed
//! in blocks of `LANES` at build time (`block[t * LANES + l]` = feature `t` of vector `l`), so
//! the inner loop is `LANES` independent multiply-adds on contiguous memory, which LLVM turns
//! into SIMD (wasm simd128, SSE/NEON natively). Each kernel value is still the sequential sum
//! over features of one pair, as before the packing.
//!
//! Every kernel takes this path at every batch size. The dot-product kernels (linear, poly,
//! sigmoid) once took their dot products from tract's GEMM for batches; with four rows per
//! block kept in registers these blocks measured faster in wasm (the poly SVC on breast_cancer
//! at 1,000 rows: 1.77 ms through the GEMM, 1.35 ms here), and they need no packing of the rows.
//! RBF keeps the direct `|x - v|^2` (expanding it into dot products would cancel badly on
//! unscaled features).
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::exp::exp_affine;
use super::lanes::{map_affine, Lanewise};
use super::slots::copy;

/// Vectors per block: two 128-bit registers of f32.
const LANES: usize = 8;
/// Rows of input computed together against each block.
const ROWS: usize = 4;

/// Kernel type of SVMClassifier / SVMRegressor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KernelType {
    /// `<x, v> + c`.
    Linear,
    /// `(gamma <x, v> + coef0) ^ degree`.
    Poly,
    /// `exp(-gamma |x - v|^2)`.
    Rbf,
    /// `tanh(gamma <x, v> + coef0)`.
    Sigmoid,
}

/// The SVM kernel with its parameters (`kernel_params` = gamma, coef0, degree).
#[derive(Clone, Debug, PartialEq)]
pub struct SvmKernel {
    /// Which kernel.
    pub kind: KernelType,
    /// Scale of the dot product or distance.
    pub gamma: f32,
    /// Offset for Poly and Sigmoid.
    pub coef0: f32,
    /// Exponent for Poly.
    pub degree: f32,
}

/// `count` vectors of `features` floats, packed in blocks of `LANES` (the last block padded),
/// and the plan that takes their dot products with a batch in one GEMM.
#[derive(Clone, Debug, PartialEq)]
pub struct Packed {
    count: usize,
    features: usize,
    blocks: Vec<f32>,
}

impl Packed {
    /// Packs row-major `vectors` [count, features].
    pub fn new(vectors: &[f32], count: usize, features: usize) -> TractResult<Packed> {
        ensure!(
            vectors.len() >= count * features,
            "{} values do not hold {count} vectors of {features}",
            vectors.len()
        );
        let n_blocks = count.div_ceil(LANES);
        let mut blocks = vec![0f32; n_blocks * features * LANES];
        for v in 0..count {
            let (block, lane) = (v / LANES, v % LANES);
            let base = block * features * LANES;
            for t in 0..features {
                blocks[base + t * LANES + lane] = vectors[v * features + t];
            }
        }
        Ok(Packed {
            count,
            features,
            blocks,
        })
    }
}

impl SvmKernel {
    /// kernel(x_i, v_j) for every row i of `x` [m, features] and vector j; for the linear kernel
    /// `c` is added (onnxruntime's GEMM bias).
    pub fn apply(&self, x: &[f32], m: usize, vectors: &Packed, c: f32) -> TractResult<Vec<f32>> {
        let (n, k) = (vectors.count, vectors.features);
        let mut out = vec![0f32; m * n];
        let squared_distance = self.kind == KernelType::Rbf;
        if k == 0 || n == 0 {
            // no features: every dot product and distance is 0
            self.finish(&mut out, c);
            return Ok(out);
        }
        let x = &x[..m * k];
        // Four rows at a time share each block's loads and keep eight independent sums in flight
        // (one row's two sums wait on the adder's latency); the rest go one by one. Each lane adds
        // in the same order either way, so the results are identical.
        let quads = m / ROWS;
        for (rows, out_rows) in x.chunks_exact(k * ROWS).zip(out.chunks_exact_mut(n * ROWS)) {
            let rows: [&[f32]; ROWS] = std::array::from_fn(|i| &rows[i * k..(i + 1) * k]);
            for (b, block) in vectors.blocks.chunks_exact(k * LANES).enumerate() {
                let acc = if squared_distance {
                    block_distance4(rows, block)
                } else {
                    block_dot4(rows, block)
                };
                let start = b * LANES;
                let end = (start + LANES).min(n);
                for (i, lanes) in acc.iter().enumerate() {
                    copy(&mut out_rows[i * n + start..i * n + end], lanes);
                }
            }
        }
        for (row, out_row) in x
            .chunks_exact(k)
            .zip(out.chunks_exact_mut(n))
            .skip(quads * ROWS)
        {
            for (b, block) in vectors.blocks.chunks_exact(k * LANES).enumerate() {
                let acc = if squared_distance {
                    block_distance(row, block)
                } else {
                    block_dot(row, block)
                };
                let start = b * LANES;
                let end = (start + LANES).min(n);
                copy(&mut out_row[start..end], &acc);
            }
        }
        self.finish(&mut out, c);
        Ok(out)
    }

    /// Turns raw dot products (or squared distances) into kernel values.
    fn finish(&self, values: &mut [f32], c: f32) {
        let (gamma, coef0) = (self.gamma, self.coef0);
        match self.kind {
            KernelType::Linear => values.iter_mut().for_each(|v| *v += c),
            KernelType::Rbf => exp_affine(values, -gamma, 0.0),
            KernelType::Sigmoid => map_affine::<Tanh>(values, gamma, coef0),
            // scikit-learn's default degree 3, and 2, as products: four lanes at a time.
            KernelType::Poly if self.degree == 3.0 => map_affine::<Cube>(values, gamma, coef0),
            KernelType::Poly if self.degree == 2.0 => map_affine::<Square>(values, gamma, coef0),
            KernelType::Poly => {
                let degree = self.degree;
                values
                    .iter_mut()
                    .for_each(|v| *v = (gamma * *v + coef0).powf(degree))
            }
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn block_dot(row: &[f32], block: &[f32]) -> [f32; LANES] {
    let mut acc = [0f32; LANES];
    for (x, lanes) in row.iter().zip(block.chunks_exact(LANES)) {
        for l in 0..LANES {
            acc[l] += x * lanes[l];
        }
    }
    acc
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn block_distance(row: &[f32], block: &[f32]) -> [f32; LANES] {
    let mut acc = [0f32; LANES];
    for (x, lanes) in row.iter().zip(block.chunks_exact(LANES)) {
        for l in 0..LANES {
            let d = x - lanes[l];
            acc[l] += d * d;
        }
    }
    acc
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn block_dot4(rows: [&[f32]; ROWS], block: &[f32]) -> [[f32; LANES]; ROWS] {
    rows.map(|row| block_dot(row, block))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn block_distance4(rows: [&[f32]; ROWS], block: &[f32]) -> [[f32; LANES]; ROWS] {
    rows.map(|row| block_distance(row, block))
}

/// The same two loops in explicit wasm SIMD: the wasm build is optimized for size, and LLVM
/// does not vectorize the portable form at that level. Multiply then add (wasm has no fused
/// multiply-add in simd128), so each lane rounds exactly as the scalar loop does.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{LANES, ROWS};
    use core::arch::wasm32::*;

    #[inline]
    fn load(lanes: &[f32]) -> (v128, v128) {
        debug_assert_eq!(lanes.len(), LANES);
        // SAFETY: `lanes` holds LANES (8) f32 = two 16-byte vectors; v128_load is unaligned.
        unsafe {
            let p = lanes.as_ptr();
            (
                v128_load(p.cast::<v128>()),
                v128_load(p.add(4).cast::<v128>()),
            )
        }
    }

    #[inline]
    fn store(a: v128, b: v128) -> [f32; LANES] {
        let mut out = [0f32; LANES];
        // SAFETY: `out` holds two 16-byte vectors; v128_store is unaligned.
        unsafe {
            let p = out.as_mut_ptr();
            v128_store(p.cast::<v128>(), a);
            v128_store(p.add(4).cast::<v128>(), b);
        }
        out
    }

    #[inline]
    pub fn block_dot(row: &[f32], block: &[f32]) -> [f32; LANES] {
        let (mut a, mut b) = (f32x4_splat(0.0), f32x4_splat(0.0));
        for (x, lanes) in row.iter().zip(block.chunks_exact(LANES)) {
            let (x, (l0, l1)) = (f32x4_splat(*x), load(lanes));
            a = f32x4_add(a, f32x4_mul(x, l0));
            b = f32x4_add(b, f32x4_mul(x, l1));
        }
        store(a, b)
    }

    #[inline(always)]
    fn dot_step(x: v128, (l0, l1): (v128, v128), (a, b): (v128, v128)) -> (v128, v128) {
        (
            f32x4_add(a, f32x4_mul(x, l0)),
            f32x4_add(b, f32x4_mul(x, l1)),
        )
    }

    #[inline(always)]
    fn distance_step(x: v128, (l0, l1): (v128, v128), (a, b): (v128, v128)) -> (v128, v128) {
        let (d0, d1) = (f32x4_sub(x, l0), f32x4_sub(x, l1));
        (
            f32x4_add(a, f32x4_mul(d0, d0)),
            f32x4_add(b, f32x4_mul(d1, d1)),
        )
    }

    /// Four rows against one block. The accumulators are named, not an array: the
    /// size-optimized build does not unroll a loop over a small array and kept it in memory
    /// (measured in wasm: the RBF SVC on breast_cancer at 1,000 rows, 2.49 ms before, 1.62 after).
    /// `step(x, lanes, sums)` adds one feature `x` of a row against the block's `lanes` to that
    /// row's two accumulators.
    #[inline(always)]
    fn block4(
        rows: [&[f32]; ROWS],
        block: &[f32],
        step: impl Fn(v128, (v128, v128), (v128, v128)) -> (v128, v128),
    ) -> [[f32; LANES]; ROWS] {
        let z = (f32x4_splat(0.0), f32x4_splat(0.0));
        let (mut s0, mut s1, mut s2, mut s3) = (z, z, z, z);
        let [r0, r1, r2, r3] = rows;
        let features = r0.iter().zip(r1).zip(r2).zip(r3);
        for (lanes, (((x0, x1), x2), x3)) in block.chunks_exact(LANES).zip(features) {
            let l = load(lanes);
            s0 = step(f32x4_splat(*x0), l, s0);
            s1 = step(f32x4_splat(*x1), l, s1);
            s2 = step(f32x4_splat(*x2), l, s2);
            s3 = step(f32x4_splat(*x3), l, s3);
        }
        [s0, s1, s2, s3].map(|(a, b)| store(a, b))
    }

    #[inline]
    pub fn block_dot4(rows: [&[f32]; ROWS], block: &[f32]) -> [[f32; LANES]; ROWS] {
        block4(rows, block, dot_step)
    }

    #[inline]
    pub fn block_distance4(rows: [&[f32]; ROWS], block: &[f32]) -> [[f32; LANES]; ROWS] {
        block4(rows, block, distance_step)
    }

    #[inline]
    pub fn block_distance(row: &[f32], block: &[f32]) -> [f32; LANES] {
        let (mut a, mut b) = (f32x4_splat(0.0), f32x4_splat(0.0));
        for (x, lanes) in row.iter().zip(block.chunks_exact(LANES)) {
            let (x, (l0, l1)) = (f32x4_splat(*x), load(lanes));
            let (d0, d1) = (f32x4_sub(x, l0), f32x4_sub(x, l1));
            a = f32x4_add(a, f32x4_mul(d0, d0));
            b = f32x4_add(b, f32x4_mul(d1, d1));
        }
        store(a, b)
    }
}
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd::{block_distance, block_distance4, block_dot, block_dot4};

/// x³ (as `x * x * x`) for [`map_affine`].
struct Cube;

impl Lanewise for Cube {
    #[inline]
    fn one(x: f32) -> f32 {
        x * x * x
    }

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline]
    fn four(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
        use core::arch::wasm32::f32x4_mul;
        f32x4_mul(f32x4_mul(x, x), x)
    }
}

/// x² for [`map_affine`].
struct Square;

impl Lanewise for Square {
    #[inline]
    fn one(x: f32) -> f32 {
        x * x
    }

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline]
    fn four(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
        core::arch::wasm32::f32x4_mul(x, x)
    }
}

/// [`tanh`] for [`map_affine`]: the sigmoid kernel is `tanh(gamma * v + coef0)`.
struct Tanh;

impl Lanewise for Tanh {
    #[inline]
    fn one(x: f32) -> f32 {
        tanh(x)
    }

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn four(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
        tanh4(x)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn tanh4(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
    use core::arch::wasm32::*;
    // Horner written out: the size-optimized build kept the loops over the coefficients, which
    // made this 5x slower per value than the straight-line form.
    let horner = |acc: v128, x2: v128, c: f32| f32x4_add(f32x4_mul(acc, x2), f32x4_splat(c));
    let x = f32x4_min(f32x4_max(x, f32x4_splat(-9.0)), f32x4_splat(9.0));
    let x2 = f32x4_mul(x, x);
    let a = &TANH_ALPHA;
    let p = horner(f32x4_splat(a[6]), x2, a[5]);
    let p = horner(p, x2, a[4]);
    let p = horner(p, x2, a[3]);
    let p = horner(p, x2, a[2]);
    let p = horner(p, x2, a[1]);
    let p = horner(p, x2, a[0]);
    let b = &TANH_BETA;
    let q = horner(f32x4_splat(b[3]), x2, b[2]);
    let q = horner(q, x2, b[1]);
    let q = horner(q, x2, b[0]);
    f32x4_div(f32x4_mul(x, p), q)
}

/// Numerator coefficients of [`tanh`] (in x²).
const TANH_ALPHA: [f32; 7] = [
    4.893_524_6e-3,
    6.372_619_3e-4,
    1.485_722_4e-5,
    5.122_297e-8,
    -8.604_672e-11,
    2.000_188e-13,
    -2.760_768_5e-16,
];
/// Denominator coefficients of [`tanh`] (in x²).
const TANH_BETA: [f32; 4] = [4.893_525e-3, 2.268_434_6e-3, 1.185_347_1e-4, 1.198_258_4e-6];

/// tanh as onnxruntime's MLAS computes it (Eigen's rational approximation on [-9, 9], within a
/// few ulp of the exact value): branch-free, so the loop above vectorizes, unlike libm's tanhf.
#[inline]
pub fn tanh(x: f32) -> f32 {
    let x = x.clamp(-9.0, 9.0);
    let x2 = x * x;
    let mut p = TANH_ALPHA[6];
    for a in TANH_ALPHA[..6].iter().rev() {
        p = p * x2 + a;
    }
    let q = ((TANH_BETA[3] * x2 + TANH_BETA[2]) * x2 + TANH_BETA[1]) * x2 + TANH_BETA[0];
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(kernel: &SvmKernel, x: &[f32], v: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
        let mut out = vec![0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                let (a, b) = (&x[i * k..(i + 1) * k], &v[j * k..(j + 1) * k]);
                let dot: f32 = a.iter().zip(b).map(|(p, q)| p * q).sum();
                let dist: f32 = a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum();
                out[i * n + j] = match kernel.kind {
                    KernelType::Linear => dot + 0.5,
                    KernelType::Rbf => (-kernel.gamma * dist).exp(),
                    KernelType::Sigmoid => (kernel.gamma * dot + kernel.coef0).tanh(),
                    KernelType::Poly => (kernel.gamma * dot + kernel.coef0).powi(3),
                };
            }
        }
        out
    }

    #[test]
    fn packed_kernels_match_the_naive_loops() {
        // 7 rows: four together and three alone; 11 vectors: one full block and a padded one.
        let (m, n, k) = (7, 11, 5);
        packed_kernels_match(m, n, k);
    }

    #[test]
    fn batch_kernels_match_the_naive_loops() {
        // A batch of many quads, 30 features (breast_cancer's width), three blocks.
        packed_kernels_match(19, 19, 30);
    }

    fn packed_kernels_match(m: usize, n: usize, k: usize) {
        let x: Vec<f32> = (0..m * k)
            .map(|i| ((i * 7 % 13) as f32 - 6.0) / 5.0)
            .collect();
        let v: Vec<f32> = (0..n * k)
            .map(|i| ((i * 5 % 11) as f32 - 5.0) / 4.0)
            .collect();
        let packed = Packed::new(&v, n, k).unwrap();
        for kind in [
            KernelType::Linear,
            KernelType::Rbf,
            KernelType::Sigmoid,
            KernelType::Poly,
        ] {
            let kernel = SvmKernel {
                kind,
                gamma: 0.3,
                coef0: 0.2,
                degree: 3.0,
            };
            let got = kernel.apply(&x, m, &packed, 0.5).unwrap();
            let want = naive(&kernel, &x, &v, m, n, k);
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5 * w.abs().max(1.0),
                    "{kind:?}: {g} vs {w}"
                );
            }
        }
    }

    #[test]
    fn rational_tanh_is_within_a_few_ulp() {
        for i in -2000..=2000 {
            let x = i as f32 / 100.0;
            let (got, want) = (tanh(x), x.tanh());
            assert!(
                (got - want).abs() <= 4.0 * f32::EPSILON * want.abs().max(1e-3),
                "{x}"
            );
        }
    }
}
