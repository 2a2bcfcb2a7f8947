//! Tree ensembles: a flat evaluator and the ONNX ops built on it.
mod compact;
mod ensemble;
mod op;
mod parse;

pub use op::register;
