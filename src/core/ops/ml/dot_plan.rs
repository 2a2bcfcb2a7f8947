//! `x · Vᵀ` for a batch of rows `x` [m, features] against constant vectors `V` [count, features],
//! through a one-node tract plan: tract's packed GEMM kernels (SIMD in wasm) run a 1,000-row
//! batch several times faster than a plain loop. A plan costs a few microseconds per call, which
//! a handful of rows cannot repay, so callers keep their loop below [`DotPlan::MIN_ROWS`] (and
//! for rows shorter than [`DotPlan::MIN_FEATURES`], where there is no plan).
use std::sync::Arc;

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::einsum::EinSum;
use tract_onnx::tract_hir::internal::*;

/// The planned product with `count` vectors of `features` floats.
#[derive(Clone, Debug)]
pub struct DotPlan {
    plan: Arc<TypedSimplePlan>,
    features: usize,
}

/// Two plans are the same op when they are one plan (an op's equality only merges duplicates).
impl PartialEq for DotPlan {
    fn eq(&self, other: &DotPlan) -> bool {
        Arc::ptr_eq(&self.plan, &other.plan)
    }
}

impl DotPlan {
    /// Batches from this many rows are worth the plan.
    pub const MIN_ROWS: usize = 16;
    /// Rows of fewer features are not: packing them for the GEMM costs about what the product
    /// does, and the callers' own loops win (iris's 4 features, measured in wasm).
    pub const MIN_FEATURES: usize = 8;

    /// Plans the product with row-major `vectors` [count, features]; `None` for an empty one or
    /// one of fewer than [`Self::MIN_FEATURES`] features.
    pub fn new(vectors: &[f32], count: usize, features: usize) -> TractResult<Option<DotPlan>> {
        if count == 0 || features < Self::MIN_FEATURES {
            return Ok(None);
        }
        ensure!(
            vectors.len() >= count * features,
            "{} values do not hold {count} vectors of {features}",
            vectors.len()
        );
        let mut model = TypedModel::default();
        let rows = model.symbols.sym("rows");
        let x = model.add_source("x", f32::fact(&[rows.to_dim(), features.to_dim()]))?;
        let v = tensor1(&vectors[..count * features]).into_shape(&[count, features])?;
        let v = model.add_const("vectors", v)?;
        let dot = model.wire_node(
            "dot",
            EinSum::new("mk,nk->mn".parse()?, f32::datum_type()),
            &[x, v],
        )?;
        model.select_output_outlets(&dot)?;
        Ok(Some(DotPlan {
            plan: model.into_optimized()?.into_runnable()?,
            features,
        }))
    }

    /// The [m, count] dot products of the first `m` rows of `x`, row-major.
    pub fn run(&self, x: &[f32], m: usize) -> TractResult<Vec<f32>> {
        ensure!(
            x.len() >= m * self.features,
            "{} values do not hold {m} rows of {}",
            x.len(),
            self.features
        );
        let x = tensor1(&x[..m * self.features]).into_shape(&[m, self.features])?;
        let out = self.plan.run(tvec!(x.into_tvalue()))?;
        Ok(out[0].try_as_plain_ram()?.as_slice::<f32>()?.to_vec())
    }
}
