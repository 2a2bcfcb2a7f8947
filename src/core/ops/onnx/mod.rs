//! ai.onnx operators where tract's are missing, wrong or too strict, each following the ONNX
//! spec version named in its file (checked by the ONNX backend node tests, tests/conformance/).
use tract_onnx::model::OnnxOpRegister;

mod attention;
mod bitshift;
mod broadcast;
mod celu;
mod deferred;
mod gather;
mod guards;
mod losses;
mod quant;
mod reduce_minmax;
mod scalar_input;
mod space_to_depth;

/// Registers our ai.onnx operators over tract's.
pub fn register(reg: &mut OnnxOpRegister) {
    // Before deferred, which wraps it to evaluate non-constant axes at run time.
    reduce_minmax::register(reg);
    deferred::register(reg);
    quant::register(reg);
    // After deferred: wraps its Pad.
    scalar_input::register(reg);
    losses::register(reg);
    bitshift::register(reg);
    celu::register(reg);
    space_to_depth::register(reg);
    guards::register(reg);
    gather::register(reg);
    attention::register(reg);
}
