//! ai.onnx.ml operators (classical ML: trees, linear models, preprocessing), each following the
//! ONNX spec version named in its file and computing what onnxruntime computes.
use tract_onnx::model::OnnxOpRegister;

mod attrs;
mod encoders;
mod exp;
mod features;
mod labels;
mod lanes;
mod linear;
mod post_transform;
mod preprocess;
mod slots;
mod svm;
mod svm_kernel;
mod tree;

/// Registers our ai.onnx.ml operators, replacing tract's where ours are right or faster.
pub fn register(reg: &mut OnnxOpRegister) {
    tree::register(reg);
    linear::register(reg);
    svm::register(reg);
    preprocess::register(reg);
    encoders::register(reg);
    features::register(reg);
}
