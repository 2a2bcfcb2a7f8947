//! Input preprocessing that belongs next to the model rather than in every page: turning what a
//! user drew into the features a model was trained on.
mod digits;

pub use digits::{digit_features, DIGIT_FEATURES};
