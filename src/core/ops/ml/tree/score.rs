//! The number type a row's scores add up in. onnxruntime sums in its threshold type: f64 for an
//! f64 input, f32 for every other one (leaf weights and base values rounded to f32), so summing
//! in that type, tree by tree in the same order, gives its results to the bit.
use std::ops::{Add, Div, Neg};

/// f32 or f64 scores.
pub trait Score:
    Copy + PartialOrd + Add<Output = Self> + Div<Output = Self> + Neg<Output = Self> + 'static
{
    /// 0.
    const ZERO: Self;
    /// A weight, base value or constant, rounded to this type.
    fn of(v: f64) -> Self;
    /// A tree count.
    fn count(n: usize) -> Self;
    /// The output value.
    fn to_f32(self) -> f32;
}

impl Score for f32 {
    const ZERO: f32 = 0.0;
    #[inline]
    fn of(v: f64) -> f32 {
        v as f32
    }
    #[inline]
    fn count(n: usize) -> f32 {
        n as f32
    }
    #[inline]
    fn to_f32(self) -> f32 {
        self
    }
}

impl Score for f64 {
    const ZERO: f64 = 0.0;
    #[inline]
    fn of(v: f64) -> f64 {
        v
    }
    #[inline]
    fn count(n: usize) -> f64 {
        n as f64
    }
    #[inline]
    fn to_f32(self) -> f32 {
        self as f32
    }
}
