//! Data drift statistics, computed once here for the CLI (reference statistics at publish time)
//! and the wasm harness (live histograms at run time).
mod reference;

pub use reference::{bin_of, feature_references, FeatureReference, DEFAULT_BINS};
