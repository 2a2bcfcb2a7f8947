//! Our operators, registered into tract-onnx's op table, and the table of what this build runs.
//!
//! tract looks builders up by op_type alone, so the domain of each node is checked before
//! parsing (see `model::scan`), against the domain lists below.
use tract_onnx::model::OnnxOpRegister;

mod if_op;
mod if_plans;
mod kernel;
pub mod ml;
mod onnx;

pub use if_op::substitute_symbols;

/// Registers our operators, replacing tract's where ours are right or faster.
pub fn register(reg: &mut OnnxOpRegister) {
    reg.insert("If", if_op::build);
    ml::register(reg);
    onnx::register(reg);
}

/// Operators of the ai.onnx.ml domain, whether or not this build implements them.
pub const ML_OPS: &[&str] = &[
    "ArrayFeatureExtractor",
    "Binarizer",
    "CastMap",
    "CategoryMapper",
    "DictVectorizer",
    "FeatureVectorizer",
    "Imputer",
    "LabelEncoder",
    "LinearClassifier",
    "LinearRegressor",
    "Normalizer",
    "OneHotEncoder",
    "SVMClassifier",
    "SVMRegressor",
    "Scaler",
    "TreeEnsemble",
    "TreeEnsembleClassifier",
    "TreeEnsembleRegressor",
    "ZipMap",
];

/// Operators of the ai.onnx.preview.training domain that this build runs.
pub const TRAINING_OPS: &[&str] = &["Adagrad", "Adam", "Momentum"];

/// Operators of the com.microsoft domain that onnxruntime's own tools write into published
/// models, with whether this build runs them with com.microsoft semantics (ops rewritten into
/// standard subgraphs by `rewrite/` before parsing count as run).
pub const MICROSOFT_OPS: &[(&str, bool)] = &[
    ("Attention", true),
    ("BiasGelu", true),
    ("DynamicQuantizeLSTM", true),
    ("DynamicQuantizeMatMul", true),
    ("EmbedLayerNormalization", true),
    ("FastGelu", true),
    ("FusedConv", true),
    ("FusedMatMul", true),
    ("GatherBlockQuantized", true),
    ("Gelu", true),
    ("GroupQueryAttention", true),
    ("MatMulIntegerToFloat", true),
    ("MatMulNBits", true),
    ("MultiHeadAttention", true),
    ("QuickGelu", true),
    ("SimplifiedLayerNormalization", true),
    ("SkipSimplifiedLayerNormalization", true),
    ("SkipLayerNormalization", true),
];

/// Names that exist in com.microsoft and also, with other semantics, in ai.onnx.
const SHARED_WITH_DEFAULT_DOMAIN: &[&str] = &["Attention", "Gelu"];

/// Why an op cannot run, when we can say more than "not implemented".
pub fn unsupported_hint(domain: &str, op_type: &str) -> Option<&'static str> {
    match (domain, op_type) {
        ("ai.onnx.ml", "ZipMap") => Some(
            "ZipMap outputs a sequence of maps; export the classifier with zipmap off \
             (skl2onnx: options={id(model): {'zipmap': False}}) to get a probabilities tensor",
        ),
        _ => None,
    }
}

fn microsoft_only(op_type: &str) -> bool {
    MICROSOFT_OPS.iter().any(|(op, _)| *op == op_type)
        && !SHARED_WITH_DEFAULT_DOMAIN.contains(&op_type)
}

/// Is `op_type` of `domain` (empty or `ai.onnx` for the default domain) runnable here?
pub fn is_supported(reg: &OnnxOpRegister, domain: &str, op_type: &str) -> bool {
    if unsupported_hint(domain, op_type).is_some() {
        return false;
    }
    let registered = reg.0.contains_key(op_type);
    match domain {
        "" | "ai.onnx" => {
            registered
                && !ML_OPS.contains(&op_type)
                && !TRAINING_OPS.contains(&op_type)
                && !microsoft_only(op_type)
        }
        "ai.onnx.preview.training" => registered && TRAINING_OPS.contains(&op_type),
        "ai.onnx.ml" => registered && ML_OPS.contains(&op_type),
        "com.microsoft" => MICROSOFT_OPS.iter().any(|(op, ok)| *op == op_type && *ok),
        _ => false,
    }
}

/// One row of the op-coverage table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// `ai.onnx`, `ai.onnx.ml` or `com.microsoft`.
    pub domain: &'static str,
    /// The op_type.
    pub op: String,
    /// `supported` or `no`.
    pub status: &'static str,
}

/// The op-coverage table, generated from the registry itself, sorted by domain then op.
pub fn coverage(reg: &OnnxOpRegister) -> Vec<Coverage> {
    let status = |ok: bool| if ok { "supported" } else { "no" };
    let mut default_ops: Vec<&String> = reg.0.keys().filter(|k| is_supported(reg, "", k)).collect();
    default_ops.sort();
    let mut rows: Vec<Coverage> = default_ops
        .into_iter()
        .map(|op| Coverage {
            domain: "ai.onnx",
            op: op.clone(),
            status: "supported",
        })
        .collect();
    for op in ML_OPS {
        let ok = is_supported(reg, "ai.onnx.ml", op);
        rows.push(Coverage {
            domain: "ai.onnx.ml",
            op: (*op).to_owned(),
            status: status(ok),
        });
    }
    for (op, _) in MICROSOFT_OPS {
        let ok = is_supported(reg, "com.microsoft", op);
        rows.push(Coverage {
            domain: "com.microsoft",
            op: (*op).to_owned(),
            status: status(ok),
        });
    }
    rows
}
