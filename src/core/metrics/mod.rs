//! Model quality and latency statistics, computed once here: classification and regression
//! metrics (the staging gate's user check and live accuracy from delayed labels), and quantiles.
mod classification;
mod live;
mod quantile;
mod regression;

pub use classification::{classification_metrics, ClassificationMetrics};
pub use live::{LiveMetrics, LiveSummary, TaskKind};
pub use quantile::{quantile, SlidingQuantiles};
pub use regression::{regression_metrics, RegressionMetrics};
