//! A loaded model: validates inputs, picks (or builds) a plan, runs it, returns host tensors.
//!
//! Most models get one plan with symbolic dims, built at load. Two kinds get plans built per
//! call and cached (bounded): models whose `If` conditions read small inputs (silero's `sr`),
//! planned per value of those inputs so every `If` folds; and models tract cannot type with
//! symbolic dims, planned per concrete input shape.
use std::collections::HashMap;

use tract_onnx::prelude::*;

use super::engine::{self, Plan};
use super::error::Result;
use super::model::{
    check_graph, scan, Dim, LimitError, LoadOptions, ModelError, ModelMetadata, ValueInfo,
};
use super::ops::substitute_symbols;
use super::tensor::{DType, HostTensor, InputError};

/// Inputs at most this large that decide an `If` are planned per value.
const MAX_DECIDER_ELEMENTS: usize = 4;

/// An input as the session checks it: declared type and dims after the load options.
#[derive(Clone, Debug)]
struct InputSpec {
    name: String,
    dtype: DType,
    dims: Vec<Option<Dim>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PlanMode {
    /// One plan for every call.
    General,
    /// A plan per value of the inputs that decide `If`s.
    PerValue,
    /// A plan per concrete input shape (and per decider value).
    PerShape,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PlanKey {
    shapes: Option<Vec<Vec<usize>>>,
    values: Vec<Vec<u8>>,
}

/// A model ready to run.
pub struct Session {
    metadata: ModelMetadata,
    inputs: Vec<InputSpec>,
    output_names: Vec<String>,
    template: InferenceModel,
    deciders: Vec<usize>,
    mode: PlanMode,
    general: Option<Plan>,
    cache: Vec<(PlanKey, Plan)>,
    state: engine::RunState,
    options: LoadOptions,
    warnings: Vec<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("inputs", &self.input_names())
            .field("outputs", &self.output_names)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Session {
    /// Parses, checks and plans a model from its bytes.
    pub fn load(bytes: &[u8], options: LoadOptions) -> Result<Session> {
        let limits = &options.limits;
        if bytes.len() > limits.max_model_bytes {
            let limit = limits.max_model_bytes;
            return Err(LimitError::ModelBytes {
                limit,
                actual: bytes.len(),
            }
            .into());
        }
        let mut proto = engine::decode(bytes)?;
        super::rewrite::rewrite(&mut proto)?;
        let pruned = proto
            .graph
            .as_mut()
            .map_or(0, super::rewrite::prune_unused_initializers);
        let mut metadata = ModelMetadata::from_proto(&proto);
        let report = scan(&proto, &metadata)?;
        if let Some(graph) = &proto.graph {
            check_graph(graph, &options.limits)?;
        }
        let mut template = engine::parse(&proto)?;
        let inputs = effective_inputs(&metadata, &options, &mut template)?;
        for (info, spec) in metadata.inputs.iter_mut().zip(&inputs) {
            info.dims = Some(spec.dims.clone());
        }
        set_input_facts(&mut template, &inputs)?;
        let output_names = metadata.outputs.iter().map(|o| o.name.clone()).collect();
        let deciders: Vec<usize> = inputs
            .iter()
            .enumerate()
            .filter(|(_, s)| report.if_deciders.contains(&s.name))
            .map(|(ix, _)| ix)
            .collect();
        let mut session = Session {
            metadata,
            inputs,
            output_names,
            template,
            deciders,
            mode: PlanMode::General,
            general: None,
            cache: Vec::new(),
            state: engine::RunState::default(),
            options,
            warnings: Vec::new(),
        };
        if pruned > 0 {
            session.warnings.push(format!(
                "{pruned} initializer(s) that no node reads were dropped"
            ));
        }
        if report.if_on_shapes
            || (!report.needs_concrete_dims.is_empty() && session.has_free_dims())
        {
            session.mode = PlanMode::PerShape;
        } else if !session.deciders.is_empty() {
            session.mode = PlanMode::PerValue;
        } else {
            match engine::plan(session.template.clone(), session.options.optimize) {
                Ok(plan) => {
                    session.check_declared_outputs(&plan);
                    session.general = Some(plan);
                }
                Err(e) if session.has_free_dims() => {
                    session.mode = PlanMode::PerShape;
                    session.warnings.push(format!(
                        "planned per input shape, since tract cannot plan it with symbolic dims ({e})"
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(session)
    }

    /// The parsed graph with the input facts the session enforces (for `export::to_nnef`).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn template(&self) -> &InferenceModel {
        &self.template
    }

    /// The model's metadata, inputs showing the dims the session enforces.
    pub fn metadata(&self) -> &ModelMetadata {
        &self.metadata
    }

    /// Input names, in order.
    pub fn input_names(&self) -> Vec<String> {
        self.inputs.iter().map(|i| i.name.clone()).collect()
    }

    /// Output names, in order.
    pub fn output_names(&self) -> &[String] {
        &self.output_names
    }

    /// Things the loader accepted but the caller should know (ignored declared shapes, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Runs the model. `fetches` selects outputs by name (all when `None`), in the order given.
    pub fn run(
        &mut self,
        feeds: Vec<(String, HostTensor)>,
        fetches: Option<&[String]>,
    ) -> Result<Vec<(String, HostTensor)>> {
        let selected = self.select_outputs(fetches)?;
        let feeds = self.check_feeds(feeds)?;
        let plan = self.plan_for(&feeds)?;
        let inputs = feeds
            .iter()
            .map(|t| t.to_tract().map(IntoTValue::into_tvalue))
            .collect::<TractResult<TVec<TValue>>>()
            .map_err(|e| ModelError::Run {
                reason: ModelError::chain(&e),
            })?;
        let mut outputs = engine::run(&mut self.state, &plan, inputs)?;
        selected
            .into_iter()
            .map(|ix| {
                let value = std::mem::replace(&mut outputs[ix], tensor0(0u8).into_tvalue());
                let host = HostTensor::from_tract(&value).map_err(|e| ModelError::Run {
                    reason: ModelError::chain(&e),
                })?;
                Ok((self.output_names[ix].clone(), host))
            })
            .collect()
    }

    fn select_outputs(&self, fetches: Option<&[String]>) -> Result<Vec<usize>> {
        let Some(fetches) = fetches else {
            return Ok((0..self.output_names.len()).collect());
        };
        fetches
            .iter()
            .map(|name| {
                self.output_names
                    .iter()
                    .position(|o| o == name)
                    .ok_or_else(|| {
                        InputError::UnknownOutput {
                            output: name.clone(),
                            expected: self.output_names.clone(),
                        }
                        .into()
                    })
            })
            .collect()
    }

    /// Orders feeds as the model's inputs and checks names, types, shapes and limits.
    fn check_feeds(&self, feeds: Vec<(String, HostTensor)>) -> Result<Vec<HostTensor>> {
        let mut slots: Vec<Option<HostTensor>> = vec![None; self.inputs.len()];
        for (name, tensor) in feeds {
            let ix = self
                .inputs
                .iter()
                .position(|i| i.name == name)
                .ok_or_else(|| InputError::Unknown {
                    input: name.clone(),
                    expected: self.input_names(),
                })?;
            slots[ix] = Some(tensor);
        }
        let mut bound: HashMap<&str, usize> = HashMap::new();
        let mut ordered = Vec::with_capacity(slots.len());
        for (spec, slot) in self.inputs.iter().zip(slots) {
            let tensor = slot.ok_or_else(|| InputError::Missing {
                input: spec.name.clone(),
                expected: self.input_names(),
            })?;
            check_feed(
                spec,
                &tensor,
                &mut bound,
                self.options.limits.max_tensor_elements,
            )?;
            ordered.push(tensor);
        }
        Ok(ordered)
    }

    fn has_free_dims(&self) -> bool {
        self.inputs
            .iter()
            .any(|i| i.dims.iter().any(|d| !matches!(d, Some(Dim::Fixed(_)))))
    }

    fn plan_for(&mut self, feeds: &[HostTensor]) -> Result<Plan> {
        if let (PlanMode::General, Some(plan)) = (self.mode, &self.general) {
            return Ok(plan.clone());
        }
        let key = self.key_for(feeds);
        if let Some(pos) = self.cache.iter().position(|(k, _)| *k == key) {
            let entry = self.cache.remove(pos);
            let plan = entry.1.clone();
            self.cache.push(entry);
            return Ok(plan);
        }
        let plan = match self.build_specialised(feeds) {
            Ok(plan) => plan,
            Err(e) if self.mode == PlanMode::PerValue => {
                self.mode = PlanMode::PerShape;
                self.warnings.push(format!("planned per input shape ({e})"));
                return self.plan_for(feeds);
            }
            Err(e) => return Err(e.into()),
        };
        self.check_declared_outputs(&plan);
        let key = self.key_for(feeds);
        if self.cache.len() >= self.options.limits.max_cached_plans.max(1) {
            self.cache.remove(0);
        }
        self.cache.push((key, plan.clone()));
        Ok(plan)
    }

    fn key_for(&self, feeds: &[HostTensor]) -> PlanKey {
        let shapes = (self.mode == PlanMode::PerShape)
            .then(|| feeds.iter().map(|t| t.dims.clone()).collect());
        let values = self
            .deciders
            .iter()
            .filter(|ix| feeds[**ix].data.len() <= MAX_DECIDER_ELEMENTS)
            .map(|ix| value_bytes(&feeds[*ix]))
            .collect();
        PlanKey { shapes, values }
    }

    fn build_specialised(&self, feeds: &[HostTensor]) -> std::result::Result<Plan, ModelError> {
        let mut model = self.template.clone();
        let internal = |e: TractError| ModelError::Shape {
            stage: "specialising".to_owned(),
            reason: ModelError::chain(&e),
        };
        for (ix, feed) in feeds.iter().enumerate() {
            let decider = self.deciders.contains(&ix) && feed.data.len() <= MAX_DECIDER_ELEMENTS;
            let fact = if decider {
                InferenceFact::from(feed.to_tract().map_err(internal)?)
            } else if self.mode == PlanMode::PerShape {
                InferenceFact::dt_shape(feed.dtype().to_datum(), feed.dims.clone())
            } else {
                continue;
            };
            model.set_input_fact(ix, fact).map_err(internal)?;
        }
        engine::plan(model, self.options.optimize)
    }

    /// onnxruntime only warns when declared output shapes are wrong; so do we.
    fn check_declared_outputs(&mut self, plan: &Plan) {
        for (ix, declared) in self.metadata.outputs.iter().enumerate() {
            let Ok(fact) = plan.model().output_fact(ix) else {
                continue;
            };
            let Some(message) = output_mismatch(declared, fact) else {
                continue;
            };
            if !self.warnings.contains(&message) {
                self.warnings.push(message);
            }
        }
    }
}

/// Dims per input after the load options: pinned dims replace symbols everywhere.
fn effective_inputs(
    metadata: &ModelMetadata,
    options: &LoadOptions,
    model: &mut InferenceModel,
) -> Result<Vec<InputSpec>> {
    let names: Vec<String> = metadata.inputs.iter().map(|i| i.name.clone()).collect();
    for name in options.input_shapes.keys() {
        if !names.contains(name) {
            return Err(InputError::Unknown {
                input: name.clone(),
                expected: names,
            }
            .into());
        }
    }
    let mut subs: HashMap<String, u64> = options
        .free_dimension_overrides
        .clone()
        .into_iter()
        .collect();
    let mut specs = Vec::with_capacity(metadata.inputs.len());
    for info in &metadata.inputs {
        let dtype = info.dtype.ok_or_else(|| ModelError::Parse {
            reason: format!("input '{}' is not a tensor of a supported type", info.name),
        })?;
        let declared = info.dims.clone();
        let dims = match (options.input_shapes.get(&info.name), declared) {
            (Some(given), Some(declared)) => {
                if given.len() != declared.len() {
                    return Err(InputError::Shape {
                        input: info.name.clone(),
                        expected: show_dims(&declared),
                        actual: vec![],
                    }
                    .into());
                }
                for (g, d) in given.iter().zip(&declared) {
                    if let (Dim::Fixed(v), Some(Dim::Symbol(s))) = (g, d) {
                        subs.insert(s.clone(), *v);
                    }
                }
                given.iter().cloned().map(Some).collect()
            }
            (Some(given), None) => given.iter().cloned().map(Some).collect(),
            (None, Some(declared)) => declared,
            (None, None) => {
                return Err(ModelError::Shape {
                    stage: "reading inputs".to_owned(),
                    reason: format!(
                        "input '{}' declares no shape; give it in options.inputShapes",
                        info.name
                    ),
                }
                .into())
            }
        };
        specs.push(InputSpec {
            name: info.name.clone(),
            dtype,
            dims,
        });
    }
    for spec in &mut specs {
        for dim in spec.dims.iter_mut() {
            if let Some(Dim::Symbol(s)) = dim {
                if let Some(v) = subs.get(s.as_str()) {
                    *dim = Some(Dim::Fixed(*v));
                }
            }
        }
    }
    let table: HashMap<Symbol, TDim> = subs
        .iter()
        .map(|(s, v)| (model.symbols.sym(s), TDim::Val(*v as i64)))
        .collect();
    substitute_symbols(model, &table).map_err(|e| ModelError::Shape {
        stage: "substituting dims".to_owned(),
        reason: ModelError::chain(&e),
    })?;
    Ok(specs)
}

/// Declares every input's type and dims to tract; unnamed dims get a symbol of their own.
fn set_input_facts(model: &mut InferenceModel, inputs: &[InputSpec]) -> Result<()> {
    for (ix, spec) in inputs.iter().enumerate() {
        let dims: TVec<TDim> = spec
            .dims
            .iter()
            .enumerate()
            .map(|(axis, d)| match d {
                Some(Dim::Fixed(v)) => TDim::Val(*v as i64),
                Some(Dim::Symbol(s)) => model.symbols.sym(s).into(),
                None => model
                    .symbols
                    .sym(&format!("unk__{}_{axis}", spec.name))
                    .into(),
            })
            .collect();
        let fact = InferenceFact::dt_shape(spec.dtype.to_datum(), dims);
        model
            .set_input_fact(ix, fact)
            .map_err(|e| ModelError::Shape {
                stage: "declaring inputs".to_owned(),
                reason: ModelError::chain(&e),
            })?;
    }
    Ok(())
}

fn check_feed<'a>(
    spec: &'a InputSpec,
    tensor: &HostTensor,
    bound: &mut HashMap<&'a str, usize>,
    max_elements: usize,
) -> Result<()> {
    if tensor.dtype() != spec.dtype {
        return Err(InputError::DType {
            input: spec.name.clone(),
            expected: spec.dtype.to_string(),
            actual: tensor.dtype().to_string(),
        }
        .into());
    }
    if tensor.data.len() > max_elements {
        let actual = tensor.data.len();
        return Err(LimitError::TensorElements {
            input: spec.name.clone(),
            limit: max_elements,
            actual,
        }
        .into());
    }
    let shape_error = || InputError::Shape {
        input: spec.name.clone(),
        expected: show_dims(&spec.dims),
        actual: tensor.dims.clone(),
    };
    if tensor.dims.len() != spec.dims.len() {
        return Err(shape_error().into());
    }
    for (given, declared) in tensor.dims.iter().zip(&spec.dims) {
        match declared {
            Some(Dim::Fixed(v)) if *v as usize != *given => return Err(shape_error().into()),
            Some(Dim::Symbol(s)) => match bound.get(s.as_str()) {
                Some(first) if first != given => {
                    return Err(InputError::SymbolConflict {
                        symbol: s.clone(),
                        first: *first,
                        second: *given,
                        input: spec.name.clone(),
                    }
                    .into())
                }
                _ => {
                    bound.insert(s.as_str(), *given);
                }
            },
            _ => {}
        }
    }
    Ok(())
}

fn value_bytes(t: &HostTensor) -> Vec<u8> {
    format!("{:?}", t.data).into_bytes()
}

fn show_dims(dims: &[Option<Dim>]) -> String {
    let parts: Vec<String> = dims
        .iter()
        .map(|d| match d {
            Some(Dim::Fixed(v)) => v.to_string(),
            Some(Dim::Symbol(s)) => s.clone(),
            None => "?".to_owned(),
        })
        .collect();
    format!("[{}]", parts.join(","))
}

fn output_mismatch(declared: &ValueInfo, fact: &TypedFact) -> Option<String> {
    let dims = declared.dims.as_ref()?;
    let computed = fact.shape.as_concrete()?;
    let differs = dims.len() != computed.len()
        || dims
            .iter()
            .zip(computed)
            .any(|(d, c)| matches!(d, Some(Dim::Fixed(v)) if *v as usize != *c));
    differs.then(|| {
        format!(
            "output '{}' is declared with shape {} but the model computes {:?}; the declared shape is ignored",
            declared.name,
            show_dims(dims),
            computed
        )
    })
}
