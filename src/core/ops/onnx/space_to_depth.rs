//! SpaceToDepth, ONNX opset 28 (`mode` DCR, the default and the only layout before 28, or CRD).
//! tract ignores `mode` and always gives DCR, a wrong answer for CRD.
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

use crate::core::ops::kernel::{boxed, Kernel};

type Builder = fn(&ParsingContext, &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

static STOCK: std::sync::OnceLock<Builder> = std::sync::OnceLock::new();

/// Registers SpaceToDepth: tract's for DCR, ours for CRD.
pub fn register(reg: &mut tract_onnx::model::OnnxOpRegister) {
    if let Some(stock) = reg.0.get("SpaceToDepth").copied() {
        let _ = STOCK.set(stock);
    }
    reg.insert("SpaceToDepth", build);
}

/// [N, C, H, W] to [N, C*b*b, H/b, W/b], the block offset inner to the channel (CRD).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpaceToDepthCrd {
    block: usize,
}

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let mode = node.get_attr_opt::<&str>("mode")?.unwrap_or("DCR");
    match (mode, STOCK.get()) {
        ("DCR", Some(stock)) => stock(ctx, node),
        ("DCR", None) => bail!("SpaceToDepth DCR is not available"),
        ("CRD", _) => {
            let block = node.get_attr::<i64>("blocksize")?;
            ensure!(block > 0, "blocksize must be positive");
            boxed(SpaceToDepthCrd {
                block: block as usize,
            })
        }
        (other, _) => bail!("SpaceToDepth mode {other:?} is neither DCR nor CRD"),
    }
}

impl Kernel for SpaceToDepthCrd {
    fn name(&self) -> &'static str {
        "SpaceToDepth"
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let s = &inputs[0].shape;
        ensure!(s.rank() == 4, "SpaceToDepth takes [N, C, H, W]");
        let b = self.block;
        let shape = tvec![
            s[0].clone(),
            s[1].clone() * (b * b),
            s[2].clone() / b,
            s[3].clone() / b
        ];
        Ok(tvec![inputs[0].datum_type.fact(shape)])
    }

    fn eval(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let x = &inputs[0];
        let &[n, c, h, w] = x.shape() else {
            bail!("SpaceToDepth takes [N, C, H, W]")
        };
        let b = self.block;
        ensure!(
            h % b == 0 && w % b == 0,
            "H and W must be multiples of blocksize {b}"
        );
        // [N, C, H/b, b, W/b, b] -> [N, C, b, b, H/b, W/b] (CRD: channel outer).
        let reshaped = x
            .clone()
            .into_tensor()
            .into_shape(&[n, c, h / b, b, w / b, b])?;
        let moved = reshaped.permute_axes(&[0, 1, 3, 5, 2, 4])?;
        Ok(tvec![moved
            .into_shape(&[n, c * b * b, h / b, w / b])?
            .into_tvalue()])
    }
}
