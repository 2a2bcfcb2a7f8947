//! The computations behind rollouts: sticky variant assignment, the staging gate's comparison
//! of outputs, and shadow agreement. The harness decides; these functions compute.
mod assign;
mod compare;

pub use assign::{assign_variant, bucket_of, BUCKETS};
pub use compare::{agreement, compare_outputs, Agreement, OutputComparison};
