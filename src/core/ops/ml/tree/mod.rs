//! Tree ensembles: a flat evaluator and the ONNX ops built on it.
mod compact;
mod dense;
mod ensemble;
mod op;
mod parse;
mod score;
mod targets;

pub use op::register;
