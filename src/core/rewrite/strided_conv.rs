//! 1-D convolutions whose kernel is a whole number of strides (STFT-style framing: silero VAD v5
//! frames 256 samples every 128 with a `Conv`) as frames and one MatMul (ai.onnx Conv-1/11,
//! written with Shape, Div, Mul, Slice-10, Reshape-5, Concat, Transpose and MatMul).
//!
//! tract 0.23.9 runs such a conv about 10x slower than onnxruntime-web in wasm (3.5 ms vs 0.36 ms
//! for silero's [258, 1, 256] stride-128 kernel), most of silero v5's time. With the kernel `K`
//! = `r` strides `s`, the input trimmed to whole strides reshapes to blocks `[N, C, L/s, s]`, and
//! frame `t` is blocks `t..t+r` side by side, so the frames are `r` slices of the blocks
//! concatenated: no gather, and the product is one GEMM of `[N, T, C*K]` by `[C*K, M]`.
//!
//! Only the plain case is rewritten: rank-3 weights of known dims, `group` 1, dilation 1, zero
//! pads without `auto_pad`, stride `s` > 1 dividing the kernel length. Anything else is left to
//! tract.
use tract_onnx::pb::NodeProto;

use super::emit::{attr, attr_int, input, Attr, Emit};

/// Rewrites `node` (a Conv with weights of dims `w_dims`) into `e`, or `None` to keep it.
pub fn rewrite(node: &NodeProto, e: &mut Emit, w_dims: Option<&[i64]>) -> Option<()> {
    let &[m, c, k] = w_dims? else {
        return None;
    };
    let ints = |name: &str| attr(node, name).map(|a| a.ints.clone());
    let stride = match ints("strides").as_deref() {
        Some(&[s]) => s,
        _ => return None,
    };
    let plain = attr_int(node, "group", 1) == 1
        && ints("dilations").is_none_or(|d| d.iter().all(|v| *v == 1))
        && ints("pads").is_none_or(|p| p.iter().all(|v| *v == 0))
        && attr(node, "auto_pad").is_none_or(|a| a.s.is_empty() || a.s == b"NOTSET")
        && ints("kernel_shape").is_none_or(|ks| ks == [k]);
    if !plain || m <= 0 || c <= 0 || k <= 0 || stride <= 1 || k % stride != 0 {
        return None;
    }
    let r = k / stride;
    let (x, w) = (input(node, 0)?, input(node, 1)?);
    let out = node.output.first()?.as_str();

    // The input trimmed to whole strides: L' = s * floor(L / s).
    let shape = e.one("Shape", &[x], vec![]);
    let axis_len = e.ints(&[2], &[1]);
    let len = e.one("Gather", &[&shape, &axis_len], vec![("axis", Attr::Int(0))]);
    let s = e.ints(&[stride], &[1]);
    let blocks_len = e.one("Div", &[&len, &s], vec![]);
    let used = e.one("Mul", &[&blocks_len, &s], vec![]);
    let (zero, axis2) = (e.ints(&[0], &[1]), e.ints(&[2], &[1]));
    let trimmed = e.one("Slice", &[x, &zero, &used, &axis2], vec![]);
    let block_shape = e.ints(&[0, 0, -1, stride], &[4]);
    let blocks = e.one("Reshape", &[&trimmed, &block_shape], vec![]);
    // Frame t = blocks t, t+1, ..., t+r-1: slice j holds block t+j at position t.
    let frames = if r == 1 {
        blocks
    } else {
        let slices: Vec<String> = (0..r)
            .map(|j| {
                let end = if j == r - 1 { i64::MAX } else { j - (r - 1) };
                e.slice(&blocks, 2, j, end)
            })
            .collect();
        let refs: Vec<&str> = slices.iter().map(String::as_str).collect();
        e.one("Concat", &refs, vec![("axis", Attr::Int(3))])
    };
    // [N, C, T, K] -> [N, T, C*K] times [C*K, M] -> [N, T, M] -> [N, M, T].
    let frames = e.one(
        "Transpose",
        &[&frames],
        vec![("perm", Attr::Ints(vec![0, 2, 1, 3]))],
    );
    let rows_shape = e.ints(&[0, 0, c * k], &[3]);
    let rows = e.one("Reshape", &[&frames, &rows_shape], vec![]);
    let w_shape = e.ints(&[m, c * k], &[2]);
    let w_rows = e.one("Reshape", &[w, &w_shape], vec![]);
    let w_cols = e.one(
        "Transpose",
        &[&w_rows],
        vec![("perm", Attr::Ints(vec![1, 0]))],
    );
    let product = e.one("MatMul", &[&rows, &w_cols], vec![]);
    let perm = ("perm", Attr::Ints(vec![0, 2, 1]));
    match input(node, 2) {
        Some(bias) => {
            let y = e.one("Transpose", &[&product], vec![perm]);
            let bias = e.unsqueeze(bias, &[1]);
            e.node_into("Add", &[&y, &bias], &[out], vec![]);
        }
        None => e.node_into("Transpose", &[&product], &[out], vec![perm]),
    }
    Some(())
}
