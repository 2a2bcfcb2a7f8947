//! Fills and copies of the small per-row buffers of the ML ops, kept as loops. LLVM turns a plain
//! fill or copy loop (and `fill`, `copy_from_slice`) into `memory.fill` / `memory.copy`, which V8
//! runs as a call that costs more than a few stores: measured, half the time of a one-tree model
//! at 1,000 rows went to such per-row fills and copies. A value LLVM cannot see through
//! (`black_box`) keeps the loop a loop.
use std::hint::black_box;

/// Sets every slot to `zero`.
#[inline]
pub fn clear<T: Copy>(slots: &mut [T], zero: T) {
    let zero = black_box(zero);
    for slot in slots {
        *slot = zero;
    }
}

/// Copies `from` into the first slots of `to` (as many as both hold): `x * 1` is `x` for every
/// f32, NaN and -0 included.
#[inline]
pub fn copy(to: &mut [f32], from: &[f32]) {
    let one = black_box(1f32);
    for (t, f) in to.iter_mut().zip(from) {
        *t = *f * one;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_and_copy_keep_every_value() {
        let mut slots = [1.5f32, -2.0, 3.0];
        clear(&mut slots, 0.0);
        assert_eq!(slots, [0.0; 3]);
        let from = [-0.0f32, f32::INFINITY, 7.25];
        copy(&mut slots, &from);
        assert_eq!(slots.map(f32::to_bits), from.map(f32::to_bits));
        let mut nan = [0f32];
        copy(&mut nan, &[f32::NAN]);
        assert!(nan[0].is_nan());
    }
}
