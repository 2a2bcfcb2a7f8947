//! SVMClassifier and SVMRegressor (ai.onnx.ml opset 1), as onnxruntime computes them: kernels in
//! f32, one-vs-one votes, Platt probabilities with pairwise coupling, and its binary special cases.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use super::attrs::ints;
use super::labels::{Labels, Pick};
use super::post_transform::{logistic, probit, PostTransform};
use super::slots::{clear, copy};
use super::svm_kernel::{KernelType, Packed, SvmKernel};
use crate::core::ops::kernel::{batch_dim, boxed, f32_slice, rows_f32, Kernel};

/// Registers both ops.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    reg.insert("SVMClassifier", build_classifier);
    reg.insert("SVMRegressor", build_regressor);
}

type Built = TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

fn floats(node: &NodeProto, name: &str) -> TractResult<Vec<f32>> {
    Ok(node.get_attr_opt_vec::<f32>(name)?.unwrap_or_default())
}

/// Reads `kernel_type` and `kernel_params` (gamma, coef0, degree).
fn read_kernel(node: &NodeProto) -> TractResult<SvmKernel> {
    let kind = match node
        .get_attr_opt::<String>("kernel_type")?
        .as_deref()
        .unwrap_or("LINEAR")
    {
        "LINEAR" => KernelType::Linear,
        "POLY" => KernelType::Poly,
        "RBF" => KernelType::Rbf,
        "SIGMOID" => KernelType::Sigmoid,
        other => bail!("{}: unknown kernel_type '{other}'", node.name),
    };
    let p = floats(node, "kernel_params")?;
    let get = |i: usize| p.get(i).copied().unwrap_or(0.0);
    Ok(SvmKernel {
        kind,
        gamma: get(0),
        coef0: get(1),
        degree: get(2),
    })
}

/// SVMClassifier.
#[derive(Clone, Debug, PartialEq)]
pub struct SvmClassifier {
    kernel: SvmKernel,
    labels: Labels,
    vectors_per_class: Vec<usize>,
    starts: Vec<usize>,
    vector_count: usize,
    features: usize,
    /// Support vectors, or for a linear classifier the coefficient rows.
    packed: Packed,
    /// For the linear kernel, each class pair's decision function as one vector (its support
    /// vectors weighted by their coefficients, summed in f64): a row then needs one dot per pair
    /// instead of one per support vector.
    primal: Option<Packed>,
    coefficients: Vec<f32>,
    rho: Vec<f32>,
    prob_a: Vec<f32>,
    prob_b: Vec<f32>,
    post: PostTransform,
    all_positive: bool,
    svc: bool,
}

fn build_classifier(_: &ParsingContext, node: &NodeProto) -> Built {
    let labels = Labels::read(node, "classlabels_ints", "classlabels_strings")?;
    let classes = labels.len();
    let vectors_per_class = ints(node, "vectors_per_class")?
        .into_iter()
        .map(usize::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| format_err!("{}: negative vectors_per_class", node.name))?;
    let mut starts = Vec::with_capacity(vectors_per_class.len());
    let mut vector_count = 0;
    for v in &vectors_per_class {
        starts.push(vector_count);
        vector_count += v;
    }
    let support_vectors = floats(node, "support_vectors")?;
    let coefficients = floats(node, "coefficients")?;
    let rho = floats(node, "rho")?;
    let (prob_a, prob_b) = (floats(node, "prob_a")?, floats(node, "prob_b")?);
    let mut kernel = read_kernel(node)?;
    ensure!(
        !coefficients.is_empty(),
        "{}: coefficients are empty",
        node.name
    );
    ensure!(
        prob_a.len() == prob_b.len(),
        "{}: prob_a and prob_b differ in length",
        node.name
    );
    let svc = vector_count > 0;
    let pairs = classes * classes.saturating_sub(1) / 2;
    let features = if svc {
        ensure!(
            vectors_per_class.len() == classes,
            "{}: vectors_per_class has {} entries for {classes} classes",
            node.name,
            vectors_per_class.len()
        );
        ensure!(
            coefficients.len() >= (classes - 1) * vector_count,
            "{}: too few coefficients",
            node.name
        );
        ensure!(rho.len() >= pairs, "{}: too few rho values", node.name);
        ensure!(
            prob_a.is_empty() || prob_a.len() >= pairs,
            "{}: too few prob_a values",
            node.name
        );
        ensure!(
            support_vectors.len() % vector_count == 0,
            "{}: support_vectors do not split into {vector_count} vectors",
            node.name
        );
        support_vectors.len() / vector_count
    } else {
        kernel.kind = KernelType::Linear;
        ensure!(!rho.is_empty(), "{}: rho is empty", node.name);
        coefficients.len() / classes
    };
    let all_positive = coefficients.iter().all(|c| *c >= 0.0);
    let packed = if svc {
        Packed::new(&support_vectors, vector_count, features)?
    } else {
        Packed::new(&coefficients, classes, features)?
    };
    let primal = if svc && kernel.kind == KernelType::Linear {
        let w = primal_vectors(
            &support_vectors,
            &coefficients,
            &vectors_per_class,
            features,
        );
        Some(Packed::new(&w, pairs, features)?)
    } else {
        None
    };
    let post = PostTransform::parse(
        &node
            .get_attr_opt::<String>("post_transform")?
            .unwrap_or_else(|| "NONE".into()),
    )?;
    boxed(SvmClassifier {
        primal,
        kernel,
        labels,
        vectors_per_class,
        starts,
        vector_count,
        features,
        packed,
        coefficients,
        rho,
        prob_a,
        prob_b,
        post,
        all_positive,
        svc,
    })
}

impl SvmClassifier {
    fn classes(&self) -> usize {
        self.labels.len()
    }

    fn pairs(&self) -> usize {
        self.classes() * (self.classes() - 1) / 2
    }

    fn has_proba(&self) -> bool {
        !self.prob_a.is_empty()
    }

    /// Score columns per row.
    fn columns(&self) -> usize {
        if self.svc && !self.has_proba() {
            if self.classes() > 2 {
                self.pairs()
            } else {
                2
            }
        } else {
            self.classes()
        }
    }

    /// One-vs-one decision values and votes of one row from its pairs' primal dots.
    fn one_vs_one_primal(&self, dots: &[f32], scores: &mut Vec<f32>, votes: &mut [i64]) {
        let cc = self.classes();
        let mut idx = 0;
        for i in 0..cc - 1 {
            for j in i + 1..cc {
                let sum = f64::from(dots[idx]) + f64::from(self.rho[idx]);
                idx += 1;
                scores.push(sum as f32);
                votes[if sum > 0.0 { i } else { j }] += 1;
            }
        }
    }

    /// One-vs-one decision values and votes of one row from its kernel values.
    fn one_vs_one(&self, kernels: &[f32], scores: &mut Vec<f32>, votes: &mut [i64]) {
        let (vc, cc) = (self.vector_count, self.classes());
        let mut idx = 0;
        for i in 0..cc - 1 {
            let (si, ni) = (self.starts[i], self.vectors_per_class[i]);
            for j in i + 1..cc {
                let (sj, nj) = (self.starts[j], self.vectors_per_class[j]);
                let coef_i = &self.coefficients[(j - 1) * vc + si..(j - 1) * vc + si + ni];
                let coef_j = &self.coefficients[i * vc + sj..i * vc + sj + nj];
                let mut sum =
                    dot_f64(coef_i, &kernels[si..si + ni]) + dot_f64(coef_j, &kernels[sj..sj + nj]);
                sum += f64::from(self.rho[idx]);
                idx += 1;
                scores.push(sum as f32);
                votes[if sum > 0.0 { i } else { j }] += 1;
            }
        }
    }
}

/// Each class pair's linear decision vector, row-major [pairs, features], in the pair order of
/// [`SvmClassifier::one_vs_one`]: `Σ coef · sv` over both classes' support vectors, in f64.
/// With the linear kernel `Σ coef · (x · sv) = x · Σ coef · sv`; onnxruntime sums the left form
/// from f32 kernel values, so the two differ by its rounding of those values (on the fixtures at
/// most 1.8e-5 in a probability, none in a vote).
fn primal_vectors(
    support_vectors: &[f32],
    coefficients: &[f32],
    vectors_per_class: &[usize],
    features: usize,
) -> Vec<f32> {
    let cc = vectors_per_class.len();
    let vc: usize = vectors_per_class.iter().sum();
    let starts: Vec<usize> = vectors_per_class
        .iter()
        .scan(0, |at, n| {
            let start = *at;
            *at += n;
            Some(start)
        })
        .collect();
    let mut out = Vec::with_capacity(cc * cc.saturating_sub(1) / 2 * features);
    let mut w = vec![0f64; features];
    for i in 0..cc.saturating_sub(1) {
        for j in i + 1..cc {
            w.iter_mut().for_each(|v| *v = 0.0);
            // The same coefficients `one_vs_one` pairs with each class's kernel values.
            let sides = [(i, (j - 1) * vc), (j, i * vc)];
            for (class, row) in sides {
                let (start, count) = (starts[class], vectors_per_class[class]);
                for m in start..start + count {
                    let c = f64::from(coefficients[row + m]);
                    let sv = &support_vectors[m * features..(m + 1) * features];
                    for (acc, x) in w.iter_mut().zip(sv) {
                        *acc += c * f64::from(*x);
                    }
                }
            }
            out.extend(w.iter().map(|v| *v as f32));
        }
    }
    out
}

/// The sum of the f32 products `a[m] * b[m]` in f64, as onnxruntime adds a pair's support
/// vectors. Four partial sums instead of one chain: each f64 add waits on the last, and f64
/// carries 29 bits more than the f32 products, so the order changes the f32 result only for a
/// sum within about 1e-16 of a rounding boundary.
fn dot_f64(a: &[f32], b: &[f32]) -> f64 {
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let (a_rest, b_rest) = (a4.remainder(), b4.remainder());
    let acc = partial_sums(a4, b4);
    let tail: f64 = a_rest
        .iter()
        .zip(b_rest)
        .map(|(x, y)| f64::from(x * y))
        .sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Lane `l` of the result sums lane `l` of every chunk's products.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn partial_sums<'a>(
    a: impl Iterator<Item = &'a [f32]>,
    b: impl Iterator<Item = &'a [f32]>,
) -> [f64; 4] {
    let mut acc = [0f64; 4];
    for (x, y) in a.zip(b) {
        for l in 0..4 {
            acc[l] += f64::from(x[l] * y[l]);
        }
    }
    acc
}

/// The same with one f32x4 product and two f64x2 adds per chunk: the same operations per lane.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn partial_sums<'a>(
    a: impl Iterator<Item = &'a [f32]>,
    b: impl Iterator<Item = &'a [f32]>,
) -> [f64; 4] {
    use core::arch::wasm32::*;
    let (mut low, mut high) = (f64x2_splat(0.0), f64x2_splat(0.0));
    for (x, y) in a.zip(b) {
        assert!(x.len() == 4 && y.len() == 4);
        // SAFETY: x and y hold four f32 (asserted) = one 16-byte vector; v128_load is unaligned.
        let p = unsafe { f32x4_mul(v128_load(x.as_ptr().cast()), v128_load(y.as_ptr().cast())) };
        low = f64x2_add(low, f64x2_promote_low_f32x4(p));
        high = f64x2_add(
            high,
            f64x2_promote_low_f32x4(i32x4_shuffle::<2, 3, 0, 1>(p, p)),
        );
    }
    [
        f64x2_extract_lane::<0>(low),
        f64x2_extract_lane::<1>(low),
        f64x2_extract_lane::<0>(high),
        f64x2_extract_lane::<1>(high),
    ]
}

/// Pairwise coupling (Wu, Lin and Weng 2004), as libsvm and onnxruntime compute it, in f32.
/// `q` (k * k) and `qp` (k) are scratch space, reused across rows.
fn multiclass_probability(k: usize, r: &[f32], p: &mut [f32], q: &mut [f32], qp: &mut [f32]) {
    clear(q, 0.0);
    let eps = 0.005 / k as f32;
    for i in 0..k {
        p[i] = 1.0 / k as f32;
        for j in 0..i {
            q[i * k + i] += r[j * k + i] * r[j * k + i];
            q[i * k + j] = q[j * k + i];
        }
        for j in i + 1..k {
            q[i * k + i] += r[j * k + i] * r[j * k + i];
            q[i * k + j] = -r[j * k + i] * r[i * k + j];
        }
    }
    for _ in 0..100 {
        let mut pqp = 0f32;
        for i in 0..k {
            qp[i] = (0..k).map(|j| q[i * k + j] * p[j]).sum();
            pqp += p[i] * qp[i];
        }
        let max_error = (0..k)
            .map(|i| (qp[i] - pqp).abs())
            .fold(0f32, |m, e| if e > m { e } else { m });
        if max_error < eps {
            break;
        }
        for i in 0..k {
            let diff = (-qp[i] + pqp) / q[i * k + i];
            p[i] += diff;
            pqp = (pqp + diff * (diff * q[i * k + i] + 2.0 * qp[i])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[i * k + j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
}

impl Kernel for SvmClassifier {
    fn name(&self) -> &'static str {
        "SVMClassifier"
    }

    fn outputs(&self) -> usize {
        2
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let n = batch_dim(inputs[0])?;
        Ok(tvec!(
            self.labels.datum_type().fact([n.clone()]),
            f32::fact([n, self.columns().to_dim()])
        ))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (n, f, x) = rows_f32(&inputs[0])?;
        let x = f32_slice(&x)?;
        ensure!(
            f == self.features,
            "SVMClassifier expects {} features, got {f}",
            self.features
        );
        let (cc, cols) = (self.classes(), self.columns());
        let mut out = vec![0f32; n * cols];
        let mut picks = Vec::with_capacity(n);
        let linear_scores = (!self.svc)
            .then(|| self.kernel.apply(x, n, &self.packed, self.rho[0]))
            .transpose()?;
        // Per row: the kernel value of every support vector, or with the primal form the dot of
        // every pair's vector.
        let (vectors, stride) = match &self.primal {
            Some(primal) => (primal, self.pairs()),
            None => (&self.packed, self.vector_count),
        };
        let kernels = self
            .svc
            .then(|| self.kernel.apply(x, n, vectors, 0.0))
            .transpose()?;
        let write_extra = if self.svc && !self.has_proba() && cc <= 2 {
            if self.post == PostTransform::None {
                2
            } else {
                0
            }
        } else {
            -1
        };
        let per_row = if self.svc && !self.has_proba() {
            self.pairs()
        } else {
            cc
        };
        let mut pair_scores = Vec::with_capacity(self.pairs());
        let mut votes = vec![0i64; cc];
        // Scratch of the probability coupling, reused by every row.
        let (mut probs, mut q, mut qp) = (vec![0f32; cc * cc], vec![0f32; cc * cc], vec![0f32; cc]);
        for r in 0..n {
            let row = &mut out[r * cols..(r + 1) * cols];
            let (max_weight, max_class);
            if let Some(kernels) = &kernels {
                pair_scores.clear();
                clear(&mut votes, 0);
                let values = &kernels[r * stride..(r + 1) * stride];
                if self.primal.is_some() {
                    self.one_vs_one_primal(values, &mut pair_scores, &mut votes);
                } else {
                    self.one_vs_one(values, &mut pair_scores, &mut votes);
                }
                if self.has_proba() {
                    clear(&mut probs, 0.0);
                    let mut index = 0;
                    for i in 0..cc - 1 {
                        for j in i + 1..cc {
                            let v = 1.0
                                - logistic(
                                    pair_scores[index] * self.prob_a[index] + self.prob_b[index],
                                );
                            let v = v.clamp(1.0e-7, 1.0 - 1.0e-7);
                            probs[i * cc + j] = v;
                            probs[j * cc + i] = 1.0 - v;
                            index += 1;
                        }
                    }
                    multiclass_probability(cc, &probs, row, &mut q, &mut qp);
                } else {
                    copy(row, &pair_scores);
                }
                max_weight = 0.0;
                max_class = first_max(&votes);
            } else {
                let scores = linear_scores.as_deref().unwrap_or_default();
                copy(row, &scores[r * cc..(r + 1) * cc]);
                max_class = first_max_f(row);
                max_weight = row[max_class];
            }
            picks.push(if self.pairs() == 1 {
                if self.labels.len() == 2 {
                    if self.has_proba() {
                        Pick::Index(max_class)
                    } else if (self.all_positive && max_weight >= 0.5)
                        || (max_weight > 0.0 && !self.all_positive)
                    {
                        Pick::Index(1)
                    } else {
                        Pick::Index(max_class)
                    }
                } else {
                    Pick::Literal(i64::from(max_weight > 0.0))
                }
            } else {
                Pick::Index(max_class)
            });
            if per_row > 1 {
                self.post.apply_rows(&mut row[..per_row], per_row);
            } else if self.post == PostTransform::Probit {
                row[0] = probit(row[0]);
            } else if write_extra >= 0 {
                let s = row[0];
                let (a, b) = match write_extra {
                    0 | 1 => (1.0 - s, s),
                    _ if self.post == PostTransform::Logistic => (logistic(-s), logistic(s)),
                    _ => (-s, s),
                };
                row[0] = a;
                row[1] = b;
            }
        }
        let label = self.labels.pick(&picks)?;
        Ok(tvec!(
            label.into_tvalue(),
            Tensor::from_shape(&[n, cols], &out)?.into_tvalue()
        ))
    }
}

fn first_max(v: &[i64]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}

fn first_max_f(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}

/// SVMRegressor: one target; `post_transform` is ignored, as onnxruntime ignores it.
#[derive(Clone, Debug, PartialEq)]
pub struct SvmRegressor {
    kernel: SvmKernel,
    vector_count: usize,
    features: usize,
    /// Support vectors, or for a linear regressor the coefficients as one vector.
    packed: Packed,
    coefficients: Vec<f32>,
    rho: f32,
    one_class: bool,
}

fn build_regressor(_: &ParsingContext, node: &NodeProto) -> Built {
    let vector_count: i64 = node.get_attr_opt("n_supports")?.unwrap_or(0);
    let vector_count = usize::try_from(vector_count)
        .map_err(|_| format_err!("{}: negative n_supports", node.name))?;
    let support_vectors = floats(node, "support_vectors")?;
    let coefficients = floats(node, "coefficients")?;
    let rho = floats(node, "rho")?;
    ensure!(
        !coefficients.is_empty(),
        "{}: coefficients are empty",
        node.name
    );
    ensure!(!rho.is_empty(), "{}: rho is empty", node.name);
    let mut kernel = read_kernel(node)?;
    let features = if vector_count > 0 {
        ensure!(
            support_vectors.len() % vector_count == 0,
            "{}: support_vectors do not split into {vector_count} vectors",
            node.name
        );
        ensure!(
            coefficients.len() >= vector_count,
            "{}: too few coefficients",
            node.name
        );
        support_vectors.len() / vector_count
    } else {
        kernel.kind = KernelType::Linear;
        coefficients.len()
    };
    let packed = if vector_count > 0 {
        Packed::new(&support_vectors, vector_count, features)?
    } else {
        Packed::new(&coefficients, 1, features)?
    };
    boxed(SvmRegressor {
        kernel,
        vector_count,
        features,
        packed,
        coefficients,
        rho: rho[0],
        one_class: node.get_attr_opt::<i64>("one_class")?.unwrap_or(0) != 0,
    })
}

impl Kernel for SvmRegressor {
    fn name(&self) -> &'static str {
        "SVMRegressor"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(f32::fact([batch_dim(inputs[0])?, 1.to_dim()])))
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let (n, f, x) = rows_f32(&inputs[0])?;
        let x = f32_slice(&x)?;
        ensure!(
            f == self.features,
            "SVMRegressor expects {} features, got {f}",
            self.features
        );
        let mut y = if self.vector_count > 0 {
            let k = self.kernel.apply(x, n, &self.packed, 0.0)?;
            (0..n)
                .map(|r| {
                    let row = &k[r * self.vector_count..(r + 1) * self.vector_count];
                    row.iter()
                        .zip(&self.coefficients)
                        .map(|(a, b)| a * b)
                        .sum::<f32>()
                        + self.rho
                })
                .collect()
        } else {
            self.kernel.apply(x, n, &self.packed, self.rho)?
        };
        if self.one_class {
            y.iter_mut()
                .for_each(|v| *v = if *v > 0.0 { 1.0 } else { -1.0 });
        }
        Ok(tvec!(Tensor::from_shape(&[n, 1], &y)?.into_tvalue()))
    }
}
