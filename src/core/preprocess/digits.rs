//! A drawn digit (any size, ink in 0..1) to the 64 features of scikit-learn's `load_digits`:
//! 8x8 cells, each 0..16, the digit filling the box. Those images were 32x32 bitmaps of
//! size-normalised digits, counted in 4x4 blocks, so we crop to the ink, centre it in a square
//! and average the ink over each of the 8x8 cells (exact area overlap, not point sampling, so a
//! thin stroke still registers).
use crate::core::tensor::InputError;

/// Number of features `digit_features` returns (8 x 8).
pub const DIGIT_FEATURES: usize = 64;

/// Ink below this counts as paper when finding the digit's bounding box.
const INK_THRESHOLD: f32 = 0.05;

/// Largest accepted side, so a bad call cannot ask for a huge loop.
const MAX_SIDE: usize = 4096;

/// The 64 digit features of a `width` x `height` ink image (row-major, 1 = ink). Values outside
/// 0..1 are clamped and NaN counts as paper. An empty image gives 64 zeros.
pub fn digit_features(
    ink: &[f32],
    width: usize,
    height: usize,
) -> Result<[f32; DIGIT_FEATURES], InputError> {
    let name = "ink";
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(InputError::Shape {
            input: name.to_owned(),
            expected: format!("width and height in 1..={MAX_SIDE}"),
            actual: vec![height, width],
        });
    }
    if ink.len() != width * height {
        return Err(InputError::DataLength {
            input: name.to_owned(),
            dims: vec![height, width],
            expected: width * height,
            actual: ink.len(),
        });
    }
    let at = |x: usize, y: usize| {
        let v = ink[y * width + x];
        if v.is_nan() {
            0.0
        } else {
            v.clamp(0.0, 1.0)
        }
    };
    let Some((x0, y0, x1, y1)) = bounding_box(width, height, &at) else {
        return Ok([0.0; DIGIT_FEATURES]);
    };
    let side = ((x1 - x0).max(y1 - y0)) as f64;
    let left = (x0 + x1) as f64 / 2.0 - side / 2.0;
    let top = (y0 + y1) as f64 / 2.0 - side / 2.0;
    let cell = side / 8.0;
    let mut out = [0.0f32; DIGIT_FEATURES];
    for row in 0..8 {
        let (ya, yb) = (top + row as f64 * cell, top + (row + 1) as f64 * cell);
        for col in 0..8 {
            let (xa, xb) = (left + col as f64 * cell, left + (col + 1) as f64 * cell);
            let mut sum = 0.0f64;
            for y in span(ya, yb, height) {
                let wy = overlap(y, ya, yb);
                for x in span(xa, xb, width) {
                    sum += wy * overlap(x, xa, xb) * at(x, y) as f64;
                }
            }
            let mean = sum / (cell * cell);
            out[row * 8 + col] = (mean * 16.0).clamp(0.0, 16.0) as f32;
        }
    }
    Ok(out)
}

/// The half-open box `[x0, x1) x [y0, y1)` around the ink, if there is any.
fn bounding_box(
    width: usize,
    height: usize,
    at: &impl Fn(usize, usize) -> f32,
) -> Option<(usize, usize, usize, usize)> {
    let mut found: Option<(usize, usize, usize, usize)> = None;
    for y in 0..height {
        for x in 0..width {
            if at(x, y) > INK_THRESHOLD {
                let b = found.get_or_insert((x, y, x + 1, y + 1));
                *b = (b.0.min(x), b.1.min(y), b.2.max(x + 1), b.3.max(y + 1));
            }
        }
    }
    found
}

/// Pixel indices that overlap `[a, b)`, inside `0..len`.
fn span(a: f64, b: f64, len: usize) -> std::ops::Range<usize> {
    let start = a.floor().max(0.0) as usize;
    let end = (b.ceil().max(0.0) as usize).min(len);
    start.min(end)..end
}

/// How much of pixel `i` (covering `[i, i + 1)`) lies inside `[a, b)`.
fn overlap(i: usize, a: f64, b: f64) -> f64 {
    let (lo, hi) = (i as f64, i as f64 + 1.0);
    (hi.min(b) - lo.max(a)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_square_of_ink_is_sixteen_everywhere() {
        let ink = vec![1.0; 28 * 28];
        assert_eq!(digit_features(&ink, 28, 28).unwrap(), [16.0; 64]);
    }

    #[test]
    fn an_empty_pad_is_all_zero() {
        assert_eq!(digit_features(&[0.0; 16], 4, 4).unwrap(), [0.0; 64]);
    }

    #[test]
    fn a_vertical_bar_is_centred_and_keeps_its_aspect() {
        // a 2-wide, 16-tall bar at x 3..5 of a 28x28 pad: the square box is 16 wide, centred on
        // the bar, whose centre is the border of cells 3 and 4 (each 2 px wide): each holds
        // half of the bar's width, so 8 of 16.
        let mut ink = vec![0.0; 28 * 28];
        for y in 6..22 {
            for x in 3..5 {
                ink[y * 28 + x] = 1.0;
            }
        }
        let f = digit_features(&ink, 28, 28).unwrap();
        for row in 0..8 {
            for col in 0..8 {
                let expected = if col == 3 || col == 4 { 8.0 } else { 0.0 };
                assert_eq!(f[row * 8 + col], expected, "row {row} col {col}");
            }
        }
    }

    #[test]
    fn partial_cover_is_averaged_by_area() {
        // one ink pixel in the corner of a 16x16 box (drawn by the opposite corner): the cell is
        // 2x2 pixels, so the corner cell holds a quarter of the ink -> 4.
        let mut ink = vec![0.0; 16 * 16];
        ink[0] = 1.0;
        ink[15 * 16 + 15] = 1.0;
        let f = digit_features(&ink, 16, 16).unwrap();
        assert_eq!(f[0], 4.0);
        assert_eq!(f[63], 4.0);
        assert_eq!(f.iter().sum::<f32>(), 8.0);
    }

    #[test]
    fn wrong_lengths_and_sizes_are_typed_errors() {
        assert!(matches!(
            digit_features(&[0.0; 5], 2, 2),
            Err(InputError::DataLength {
                expected: 4,
                actual: 5,
                ..
            })
        ));
        assert!(matches!(
            digit_features(&[], 0, 0),
            Err(InputError::Shape { .. })
        ));
    }

    #[test]
    fn nan_and_out_of_range_ink_are_clamped() {
        let ink = [f32::NAN, 2.0, -1.0, 0.5];
        let f = digit_features(&ink, 2, 2).unwrap();
        assert!(f.iter().all(|v| (0.0..=16.0).contains(v)));
    }
}
