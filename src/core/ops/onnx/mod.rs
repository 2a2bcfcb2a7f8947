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
// Issue 19 ops (h19a).
mod affine_grid;
mod bitcast;
mod center_crop_pad;
mod col2im;
mod cumprod;
mod det;
mod lppool;
mod max_unpool;
mod reverse_sequence;
mod unique;
mod upsample;
// h19b: recent and less common ai.onnx ops.
mod alloc;
mod causal_conv_with_state;
mod deform_conv;
mod linear_attention;
mod roi_align;
mod swiglu;
mod swish;
mod tensor_scatter;
mod tfidf_vectorizer;
// h19b: ai.onnx.preview.training optimizers (their domain is accepted in ops/mod.rs).
mod adagrad;
mod adam;
mod momentum;

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
    // Issue 19 ops (h19a).
    bitcast::register(reg);
    cumprod::register(reg);
    lppool::register(reg);
    unique::register(reg);
    center_crop_pad::register(reg);
    col2im::register(reg);
    affine_grid::register(reg);
    reverse_sequence::register(reg);
    max_unpool::register(reg);
    det::register(reg);
    upsample::register(reg);
    // h19b
    linear_attention::register(reg);
    causal_conv_with_state::register(reg);
    tfidf_vectorizer::register(reg);
    tensor_scatter::register(reg);
    swish::register(reg);
    swiglu::register(reg);
    roi_align::register(reg);
    deform_conv::register(reg);
    momentum::register(reg);
    adam::register(reg);
    adagrad::register(reg);
    attention::register(reg);
}
