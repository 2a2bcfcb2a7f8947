//! TfIdfVectorizer, ONNX opset 9: counts the pool's n-grams (with skips) in each row of int or
//! string tokens and weighs the counts (TF, IDF or TFIDF). N-grams are looked up in a map by
//! their tokens, which counts the same as onnx's reference trie walk.
use std::collections::HashMap;

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::alloc::zeros;
use crate::core::ops::kernel::{boxed, Kernel};

/// Registers TfIdfVectorizer.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("TfIdfVectorizer", build);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Tf,
    Idf,
    TfIdf,
}

/// A token: the pool is either int64s or strings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Token {
    Int(i64),
    Str(String),
}

/// N-gram counter over a fixed pool.
#[derive(Clone, Debug, PartialEq)]
pub struct TfIdfVectorizer {
    mode: Mode,
    min_len: usize,
    max_len: usize,
    max_skip: usize,
    /// Each pool n-gram in [min_len, max_len] to its output column (the last one wins on
    /// duplicates, as in the reference).
    grams: Vec<(Vec<Token>, usize)>,
    strings: bool,
    out_size: usize,
    weights: Vec<f32>,
}

impl Eq for TfIdfVectorizer {}

fn usize_attr(node: &NodeProto, name: &str) -> TractResult<usize> {
    let v: i64 = node
        .get_attr_opt(name)?
        .with_context(|| format!("TfIdfVectorizer needs the {name} attribute"))?;
    ensure!(v >= 0, "TfIdfVectorizer: {name} is negative ({v})");
    Ok(v as usize)
}

fn build(_: &ParsingContext, node: &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let mode = match node
        .get_attr_opt::<&str>("mode")?
        .context("TfIdfVectorizer needs mode")?
    {
        "TF" => Mode::Tf,
        "IDF" => Mode::Idf,
        "TFIDF" => Mode::TfIdf,
        other => bail!("TfIdfVectorizer: mode {other:?} is not TF, IDF or TFIDF"),
    };
    let (min_len, max_len) = (
        usize_attr(node, "min_gram_length")?,
        usize_attr(node, "max_gram_length")?,
    );
    ensure!(
        1 <= min_len && min_len <= max_len,
        "TfIdfVectorizer: gram lengths [{min_len}, {max_len}] are not 1 <= min <= max"
    );
    let counts: Vec<i64> = node.get_attr_opt_vec("ngram_counts")?.unwrap_or_default();
    let indexes: Vec<i64> = node.get_attr_opt_vec("ngram_indexes")?.unwrap_or_default();
    let ints: Vec<i64> = node.get_attr_opt_vec("pool_int64s")?.unwrap_or_default();
    let strs: Vec<String> = node.get_attr_opt_vec("pool_strings")?.unwrap_or_default();
    let strings = ints.is_empty() && !strs.is_empty();
    let pool: Vec<Token> = if strings {
        strs.into_iter().map(Token::Str).collect()
    } else {
        ints.into_iter().map(Token::Int).collect()
    };
    ensure!(
        indexes.iter().all(|i| *i >= 0),
        "TfIdfVectorizer: negative ngram_indexes"
    );
    let out_size = indexes.iter().max().map_or(0, |m| *m as usize + 1);
    // N-gram ids run over every size in the pool, kept or not.
    let mut grams = Vec::new();
    let mut id = 0usize;
    for (i, start) in counts.iter().enumerate() {
        let size = i + 1;
        let end = counts.get(i + 1).copied().unwrap_or(pool.len() as i64);
        ensure!(
            0 <= *start && *start <= end && end as usize <= pool.len(),
            "TfIdfVectorizer: ngram_counts {counts:?} do not fit a pool of {}",
            pool.len()
        );
        let n = (end - start) as usize / size;
        for g in 0..n {
            if (min_len..=max_len).contains(&size) {
                let at = *start as usize + g * size;
                let column = *indexes
                    .get(id)
                    .with_context(|| format!("TfIdfVectorizer: n-gram {id} has no ngram_index"))?;
                grams.push((pool[at..at + size].to_vec(), column as usize));
            }
            id += 1;
        }
    }
    let weights: Vec<f32> = node.get_attr_opt_vec("weights")?.unwrap_or_default();
    ensure!(
        weights.is_empty() || weights.len() >= out_size,
        "TfIdfVectorizer: {} weights for {out_size} outputs",
        weights.len()
    );
    boxed(TfIdfVectorizer {
        mode,
        min_len,
        max_len,
        max_skip: usize_attr(node, "max_skip_count")?,
        grams,
        strings,
        out_size,
        weights,
    })
}

impl TfIdfVectorizer {
    fn count_row(&self, row: &[Token], map: &HashMap<&[Token], usize>, freq: &mut [u64]) {
        let mut start_len = self.min_len;
        let mut gram: Vec<Token> = Vec::with_capacity(self.max_len);
        // A skip of the row's length or more can gather no n-gram of 2 or more.
        let last_skip = self.max_skip.saturating_add(1).min(row.len().max(1));
        for skip in 1..=last_skip {
            for start in 0..row.len() {
                if start.saturating_add(skip.saturating_mul(start_len - 1)) >= row.len() {
                    break;
                }
                gram.clear();
                let mut at = start;
                while gram.len() < self.max_len && at < row.len() {
                    gram.push(row[at].clone());
                    if gram.len() >= start_len {
                        if let Some(col) = map.get(gram.as_slice()) {
                            freq[*col] += 1;
                        }
                    }
                    at += skip;
                }
            }
            // Unigrams do not depend on the skip: count them on the first pass only.
            if start_len == 1 {
                start_len = 2;
                if start_len > self.max_len {
                    break;
                }
            }
        }
    }
}

impl Kernel for TfIdfVectorizer {
    fn name(&self) -> &'static str {
        "TfIdfVectorizer"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        ensure!(!inputs.is_empty(), "TfIdfVectorizer needs an input");
        let x = inputs[0];
        match x.rank() {
            0 | 1 => Ok(tvec![f32::fact([self.out_size])]),
            2 => Ok(tvec![f32::fact([
                x.shape[0].clone(),
                self.out_size.to_dim()
            ])]),
            r => bail!("TfIdfVectorizer takes a [C] or [B, C] input, got rank {r}"),
        }
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let (rows, c, out_shape) = match x.shape() {
            [] => (1, 1, vec![self.out_size]),
            [c] => (1, *c, vec![self.out_size]),
            [b, c] => (*b, *c, vec![*b, self.out_size]),
            s => bail!("TfIdfVectorizer takes a [C] or [B, C] input, got {s:?}"),
        };
        let tokens: Vec<Token> = if x.datum_type() == DatumType::String {
            ensure!(
                self.strings,
                "TfIdfVectorizer: string input for an int64 pool"
            );
            let view = x.try_as_plain_ram()?;
            view.as_slice::<String>()?
                .iter()
                .cloned()
                .map(Token::Str)
                .collect()
        } else {
            ensure!(
                !self.strings,
                "TfIdfVectorizer: int input for a string pool"
            );
            let v = x.cast_to::<i64>()?;
            let view = v.try_as_plain_ram()?;
            view.as_slice::<i64>()?
                .iter()
                .map(|i| Token::Int(*i))
                .collect()
        };
        let map: HashMap<&[Token], usize> = self
            .grams
            .iter()
            .map(|(g, col)| (g.as_slice(), *col))
            .collect();
        let mut freq = zeros::<u64>(&[rows, self.out_size])?;
        if !map.is_empty() && c > 0 {
            for (r, row) in tokens.chunks(c).enumerate().take(rows) {
                self.count_row(row, &map, &mut freq[r * self.out_size..][..self.out_size]);
            }
        }
        let w = |i: usize| self.weights.get(i % self.out_size.max(1)).copied();
        let y: Vec<f32> = freq
            .iter()
            .enumerate()
            .map(|(i, f)| match (self.mode, w(i)) {
                (Mode::Tf, _) | (Mode::TfIdf, None) => *f as f32,
                (Mode::Idf, Some(w)) => {
                    if *f > 0 {
                        w
                    } else {
                        0.0
                    }
                }
                (Mode::Idf, None) => {
                    if *f > 0 {
                        1.0
                    } else {
                        0.0
                    }
                }
                (Mode::TfIdf, Some(w)) => w * *f as f32,
            })
            .collect();
        Ok(tvec![tensor1(&y).into_shape(&out_shape)?.into_tvalue()])
    }
}
