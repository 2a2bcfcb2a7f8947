//! `exp` for the ML ops' softmax, logistic and RBF kernel: Cephes' expf (range reduction by
//! ln 2 in two parts, a degree-7 polynomial, 2^n from the exponent bits), within 2 ulp of the
//! exact value. libm's expf is a scalar call per value; this is branch-free, so the wasm build
//! runs it four lanes at a time ([`map_affine`]).
//!
//! Defined for x <= 88; below -87.33 (where the result leaves f32's normal range) it returns 0,
//! and a NaN stays NaN.

use super::lanes::{map_affine, Lanewise};

/// log2(e).
const LOG2E: f32 = std::f32::consts::LOG2_E;
/// ln 2 in two parts: the first has few mantissa bits, so `n * LN2_HI` is exact.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// Polynomial for (exp(r) - 1 - r) / r², highest degree first.
const POLY: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    0.5,
];
/// Inputs below this give 0.
const MIN_X: f32 = -87.336_55;
/// Inputs are clamped to this (exp(88) is finite in f32).
const MAX_X: f32 = 88.0;

/// e^x.
#[inline]
pub fn exp(x: f32) -> f32 {
    if x < MIN_X {
        return 0.0;
    }
    // Not f32::min, which would turn a NaN into MAX_X.
    let x = if x > MAX_X { MAX_X } else { x };
    let n = (x * LOG2E).round_ties_even();
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = POLY[0];
    for c in &POLY[1..] {
        p = p * r + c;
    }
    let y = p * (r * r) + r + 1.0;
    // n is in [-126, 127]: 2^n is a normal f32 (a NaN x gives n = 0, and y stays NaN).
    y * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// [`exp`] for [`map_affine`].
pub struct Exp;

impl Lanewise for Exp {
    #[inline]
    fn one(x: f32) -> f32 {
        exp(x)
    }

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn four(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
        exp4(x)
    }
}

/// `v = exp(scale * v + shift)` for every value.
#[inline]
pub fn exp_affine(values: &mut [f32], scale: f32, shift: f32) {
    map_affine::<Exp>(values, scale, shift);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn exp4(x: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
    use core::arch::wasm32::*;
    // Lanes below MIN_X become 0; a NaN compares false and stays.
    let keep = v128_not(f32x4_lt(x, f32x4_splat(MIN_X)));
    let x = f32x4_min(x, f32x4_splat(MAX_X));
    let n = f32x4_nearest(f32x4_mul(x, f32x4_splat(LOG2E)));
    let r = f32x4_sub(
        f32x4_sub(x, f32x4_mul(n, f32x4_splat(LN2_HI))),
        f32x4_mul(n, f32x4_splat(LN2_LO)),
    );
    // Horner written out: the size-optimized build keeps a loop over the coefficients.
    let horner = |acc: v128, c: f32| f32x4_add(f32x4_mul(acc, r), f32x4_splat(c));
    let p = horner(f32x4_splat(POLY[0]), POLY[1]);
    let p = horner(p, POLY[2]);
    let p = horner(p, POLY[3]);
    let p = horner(p, POLY[4]);
    let p = horner(p, POLY[5]);
    let y = f32x4_add(
        f32x4_add(f32x4_mul(p, f32x4_mul(r, r)), r),
        f32x4_splat(1.0),
    );
    let bits = i32x4_shl(i32x4_add(i32x4_trunc_sat_f32x4(n), i32x4_splat(127)), 23);
    v128_and(f32x4_mul(y, bits), keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two positive finite f32.
    fn ulps(a: f32, b: f32) -> u32 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn exp_is_within_two_ulp_of_the_exact_value() {
        let mut worst = 0;
        for i in 0..=200_000 {
            let x = -87.0 + 175.0 * i as f32 / 200_000.0;
            let exact = f64::from(x).exp() as f32;
            worst = worst.max(ulps(exp(x), exact));
        }
        assert!(worst <= 2, "worst error {worst} ulp");
    }

    #[test]
    fn exp_handles_the_edges() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert!(exp(f32::NAN).is_nan());
        assert!(exp(1000.0).is_finite());
        let mut v = [0.0, -1.0, 2.0, 100.0, 0.5];
        exp_affine(&mut v, -2.0, 1.0);
        let want = [1f32.exp(), 3f32.exp(), (-3f32).exp(), 0.0, 0.0f32.exp()];
        for (g, w) in v.iter().zip(want) {
            assert!((g - w).abs() <= 2.0 * f32::EPSILON * w, "{g} vs {w}");
        }
    }
}
