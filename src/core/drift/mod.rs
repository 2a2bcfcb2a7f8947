//! Data drift statistics, computed once here for the CLI (reference statistics at publish time)
//! and the wasm harness (live windows at run time).
mod divergence;
mod monitor;
mod reference;

pub use divergence::{jensen_shannon, ks_statistic, psi};
pub use monitor::{DriftMonitor, FeatureDrift};
pub use reference::{bin_of, feature_references, FeatureReference, DEFAULT_BINS};
