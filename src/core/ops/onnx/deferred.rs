//! Inputs that tract wants constant, computed at run time instead.
//!
//! tract types many ops only when some inputs are constants: Reduce* axes (opset 18), Resize
//! scales/sizes, Reshape shape, Split split, Unsqueeze axes, CumSum axis, Pad pads,
//! OneHot depth, window and STFT lengths, MelWeightMatrix parameters... In published models
//! these are initializers, but the ONNX spec (and its backend tests) allow any tensor there. [`Deferred`] wraps tract's own
//! builder: when tract can type the node, nothing changes; when it cannot, the node becomes a
//! [`RuntimeEval`] that gets the values at run time, builds a one-node model with them as
//! constants and lets tract compute it. Its output dims are fresh symbols when analysis did not
//! fix them, which needs the output's type and rank to be known at load.
use std::fmt;
use std::sync::Arc;

use tract_onnx::model::{OnnxOpRegister, ParsingContext};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

type Builder = fn(&ParsingContext, &NodeProto) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)>;

/// Op types whose tract builders want some inputs constant.
const DEFERRED: &[&str] = &[
    "ReduceL1",
    "ReduceL2",
    "ReduceLogSum",
    "ReduceLogSumExp",
    "ReduceMax",
    "ReduceMean",
    "ReduceMin",
    "ReduceProd",
    "ReduceSum",
    "ReduceSumSquare",
    "Resize",
    "Upsample",
    "Reshape",
    "Split",
    "Squeeze",
    "Unsqueeze",
    "CumSum",
    "Pad",
    "OneHot",
    "Compress",
    "ConstantOfShape",
    "Slice",
    "Tile",
    "Expand",
    "Range",
    "DFT",
    "TopK",
    "HannWindow",
    "HammingWindow",
    "BlackmanWindow",
    "MelWeightMatrix",
    "STFT",
];

/// Wraps tract's builders of [`DEFERRED`] ops (the stock builders must already be registered).
pub fn register(reg: &mut OnnxOpRegister) {
    for op in DEFERRED {
        if let Some(stock) = reg.0.get(*op).copied() {
            STOCK.with_stock(op, stock);
            reg.insert(op, build);
        }
    }
}

/// The stock builders by op_type (builders are plain fns and cannot capture them).
struct StockTable(std::sync::OnceLock<std::sync::Mutex<Vec<(&'static str, Builder)>>>);

impl StockTable {
    fn with_stock(&self, op: &'static str, stock: Builder) {
        let table = self.0.get_or_init(Default::default);
        let mut table = table.lock().unwrap_or_else(|e| e.into_inner());
        if !table.iter().any(|(o, _)| *o == op) {
            table.push((op, stock));
        }
    }

    fn get(&self, op: &str) -> Option<Builder> {
        let table = self.0.get()?.lock().unwrap_or_else(|e| e.into_inner());
        table.iter().find(|(o, _)| *o == op).map(|(_, b)| *b)
    }
}

static STOCK: StockTable = StockTable(std::sync::OnceLock::new());

fn build(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let stock = STOCK
        .get(&node.op_type)
        .ok_or_else(|| format_err!("no stock builder for {}", node.op_type))?;
    let (inner, closures) = stock(ctx, node)?;
    let rank = rank_rule(node)?;
    Ok((
        Box::new(Deferred {
            inner: inner.into(),
            rank,
            op_type: node.op_type.clone(),
        }),
        closures,
    ))
}

/// How an output's rank follows from the inputs' ranks and lengths, when analysis cannot say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RankRule {
    /// Same rank as input 0.
    SameAsInput,
    /// Input 0's rank minus the length of input 1 (axes): Reduce* without keepdims, Squeeze.
    MinusAxes,
    /// Input 0's rank plus the length of input 1 (axes): Unsqueeze.
    PlusAxes,
    /// The length of input `n` (a shape).
    LengthOf(usize),
    /// max(rank of input 0, length of input 1): Expand.
    Broadcast,
    /// Input 0's rank plus one: OneHot.
    PlusOne,
    Unknown,
}

fn rank_rule(node: &NodeProto) -> TractResult<RankRule> {
    let keepdims = node.get_attr_opt::<i64>("keepdims")?.unwrap_or(1) != 0;
    Ok(match node.op_type.as_str() {
        op if op.starts_with("Reduce") => {
            if keepdims {
                RankRule::SameAsInput
            } else {
                RankRule::MinusAxes
            }
        }
        "Squeeze" => RankRule::MinusAxes,
        "Unsqueeze" => RankRule::PlusAxes,
        "Reshape" => RankRule::LengthOf(1),
        "ConstantOfShape" => RankRule::LengthOf(0),
        "Expand" => RankRule::Broadcast,
        "OneHot" => RankRule::PlusOne,
        "Range" | "Compress" => RankRule::Unknown,
        _ => RankRule::SameAsInput,
    })
}

/// tract's op, typed by tract when it can, else evaluated at run time.
#[derive(Debug, Clone)]
pub struct Deferred {
    inner: Arc<dyn InferenceOp>,
    rank: RankRule,
    op_type: String,
}

impl Deferred {
    /// The output rank by [`RankRule`], from the input facts.
    fn rank_from_inputs(&self, source: &InferenceModel, node: &InferenceNode) -> Option<usize> {
        let rank_of = |i: usize| -> Option<usize> {
            let fact = source.outlet_fact(*node.inputs.get(i)?).ok()?;
            fact.shape.rank().concretize().map(|r| r as usize)
        };
        let length_of = |i: usize| -> Option<usize> {
            let fact = source.outlet_fact(*node.inputs.get(i)?).ok()?;
            fact.shape.dim(0)?.concretize()?.to_usize().ok()
        };
        match self.rank {
            RankRule::SameAsInput => rank_of(0),
            RankRule::MinusAxes => match node.inputs.len() {
                1 => Some(0),
                _ => rank_of(0)?.checked_sub(length_of(1)?),
            },
            RankRule::PlusAxes => Some(rank_of(0)? + length_of(1)?),
            RankRule::LengthOf(i) => length_of(i),
            RankRule::Broadcast => Some(rank_of(0)?.max(length_of(1)?)),
            RankRule::PlusOne => Some(rank_of(0)? + 1),
            RankRule::Unknown => None,
        }
    }
}

impl PartialEq for Deferred {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Deferred {}

impl Op for Deferred {
    fn name(&self) -> StaticName {
        self.inner.name()
    }

    op_as_typed_op!();
}

impl EvalOp for Deferred {
    fn eval_out_of_plan(&self, inputs: TVec<TValue>) -> TractResult<Option<TVec<TValue>>> {
        self.inner.eval_out_of_plan(inputs)
    }
}

impl TypedOp for Deferred {
    fn output_facts(&self, _inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        bail!("{} is typed through to_typed", self.inner.name())
    }

    as_op!();
}

impl InferenceOp for Deferred {
    fn infer_facts(
        &mut self,
        inputs: TVec<&InferenceFact>,
        outputs: TVec<&InferenceFact>,
        observed: TVec<&InferenceFact>,
    ) -> TractResult<(
        TVec<InferenceFact>,
        TVec<InferenceFact>,
        TVec<InferenceFact>,
    )> {
        // Rules ops mutate nothing they keep; the clone keeps `inner` shared and immutable.
        let mut inner = tract_onnx::tract_core::dyn_clone::clone_box(&*self.inner);
        inner.infer_facts(inputs, outputs, observed)
    }

    fn nboutputs(&self) -> TractResult<usize> {
        self.inner.nboutputs()
    }

    fn observe_outlets(
        &self,
        model: &InferenceModel,
        node: &InferenceNode,
    ) -> TractResult<Vec<OutletId>> {
        self.inner.observe_outlets(model, node)
    }

    fn to_typed(
        &self,
        source: &InferenceModel,
        node: &InferenceNode,
        target: &mut TypedModel,
        mapping: &HashMap<OutletId, OutletId>,
    ) -> TractResult<TVec<OutletId>> {
        let stock_error = match self.inner.to_typed(source, node, target, mapping) {
            Ok(outlets) => return Ok(outlets),
            Err(e) => e,
        };
        // Nodes the failed attempt may have wired feed nothing and are pruned later.
        let mut facts = TVec::new();
        let input_type = source
            .outlet_fact(node.inputs[0])
            .ok()
            .and_then(|f| f.datum_type.concretize());
        let rank = self.rank_from_inputs(source, node);
        for (ix, outlet) in node.outputs.iter().enumerate() {
            match typed_fact(&outlet.fact, input_type, rank, target) {
                Some(fact) => facts.push(fact),
                None => {
                    return Err(stock_error.context(format!(
                        "output {ix} has no known type and rank to defer {} to run time",
                        self.inner.name()
                    )))
                }
            }
        }
        let inputs: TVec<OutletId> = node.inputs.iter().map(|o| mapping[o]).collect();
        let op = RuntimeEval {
            inner: self.inner.clone(),
            facts,
            empty_fill: empty_fill(&self.op_type),
        };
        target.wire_node(&*node.name, op, &inputs)
    }

    as_op!();
}

/// A typed fact from an inference one, unknown dims as fresh symbols. The type defaults to the
/// first input's and the rank to the op's rule; the run checks both.
fn typed_fact(
    fact: &InferenceFact,
    input_type: Option<DatumType>,
    rank: Option<usize>,
    target: &TypedModel,
) -> Option<TypedFact> {
    let dt = fact.datum_type.concretize().or(input_type)?;
    let fresh = || -> TDim { target.symbols.new_with_prefix("deferred").into() };
    let dims: TVec<TDim> = if fact.shape.is_open() {
        (0..rank?).map(|_| fresh()).collect()
    } else {
        fact.shape
            .dims()
            .map(|d| d.concretize().unwrap_or_else(fresh))
            .collect()
    };
    Some(dt.fact(dims))
}

/// A node computed at run time by tract on a one-node model whose inputs are constants.
#[derive(Clone)]
pub struct RuntimeEval {
    inner: Arc<dyn InferenceOp>,
    facts: TVec<TypedFact>,
    /// What a reduction of an empty set gives, when tract gives something else.
    empty_fill: Option<f64>,
}

/// ReduceMax/ReduceMin of an empty set are -inf/+inf in ONNX (opset 18); tract gives the
/// float type's lowest/highest finite value.
fn empty_fill(op_type: &str) -> Option<f64> {
    match op_type {
        "ReduceMax" => Some(f64::NEG_INFINITY),
        "ReduceMin" => Some(f64::INFINITY),
        _ => None,
    }
}

impl fmt::Debug for RuntimeEval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuntimeEval({:?})", self.inner)
    }
}

impl PartialEq for RuntimeEval {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            && self.facts == other.facts
            && self.empty_fill == other.empty_fill
    }
}

impl Eq for RuntimeEval {}

impl Op for RuntimeEval {
    fn name(&self) -> StaticName {
        format!("{}(at run time)", self.inner.name()).into()
    }

    op_as_typed_op!();
}

impl EvalOp for RuntimeEval {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let inputs_empty = inputs.first().is_some_and(|t| t.len() == 0);
        let mut model = InferenceModel::default();
        let mut wires = TVec::new();
        for (ix, value) in inputs.into_iter().enumerate() {
            wires.push(model.add_const(format!("input_{ix}"), value.into_tensor())?);
        }
        let op: Box<dyn InferenceOp> = tract_onnx::tract_core::dyn_clone::clone_box(&*self.inner);
        let outputs = model.wire_node("node", op, &wires)?;
        model.select_output_outlets(&outputs)?;
        let plan = model.into_typed()?.into_decluttered()?.into_runnable()?;
        let empty_input = inputs_empty;
        let mut values = plan.run(tvec![])?;
        if let (Some(fill), true) = (self.empty_fill, empty_input) {
            for value in values.iter_mut() {
                if value.datum_type().is_float() {
                    let filled = Tensor::from_shape(value.shape(), &vec![fill; value.len()])?;
                    *value = filled
                        .cast_to_dt(value.datum_type())?
                        .into_owned()
                        .into_tvalue();
                }
            }
        }
        for (value, fact) in values.iter().zip(&self.facts) {
            if value.datum_type() != fact.datum_type || value.rank() != fact.rank() {
                bail!(
                    "{} computed a {:?} of rank {}, its type was {:?} of rank {}",
                    self.inner.name(),
                    value.datum_type(),
                    value.rank(),
                    fact.datum_type,
                    fact.rank()
                );
            }
        }
        Ok(values)
    }
}

impl TypedOp for RuntimeEval {
    fn output_facts(&self, _inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(self.facts.clone())
    }

    as_op!();
}
