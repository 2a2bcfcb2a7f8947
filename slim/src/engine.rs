//! Load an NNEF archive, optimize, plan and run it; inputs are checked against the description
//! the publisher stored (the ONNX names, types and dims, as the full build reports them).
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};
use tract_nnef::prelude::*;
use tract_onnx_opl::WithOnnx;

use crate::archive;
use crate::error::{chain, panic_message, SlimError};

/// The bounds of the full build's `limits` that apply here.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_model_bytes: usize,
    pub max_tensor_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_model_bytes: 1 << 30,
            max_tensor_elements: 1 << 28,
        }
    }
}

/// A declared dim: fixed, a symbol, or unknown.
#[derive(Clone, Debug)]
enum Dim {
    Fixed(usize),
    Symbol(String),
    Any,
}

/// An input as the publisher described it.
#[derive(Clone, Debug)]
struct InputSpec {
    name: String,
    dtype: String,
    dims: Vec<Dim>,
}

impl InputSpec {
    fn expected(&self) -> String {
        let dims: Vec<String> = self
            .dims
            .iter()
            .map(|d| match d {
                Dim::Fixed(n) => n.to_string(),
                Dim::Symbol(s) => s.clone(),
                Dim::Any => "?".to_owned(),
            })
            .collect();
        format!("[{}]", dims.join(","))
    }
}

/// A fed tensor: its name, dtype name and the tract tensor.
pub struct Feed {
    pub name: String,
    pub dtype: String,
    pub tensor: Tensor,
}

/// A loaded model with its plan and the run state kept between calls of one input shape.
pub struct Model {
    metadata: Value,
    inputs: Vec<InputSpec>,
    outputs: Vec<String>,
    plan: Arc<TypedRunnableModel>,
    state: Option<(TypedSimpleState, Vec<Vec<usize>>)>,
    limits: Limits,
}

fn nnef() -> tract_nnef::framework::Nnef {
    tract_nnef::nnef().with_onnx()
}

impl Model {
    /// Reads, optimizes and plans an archive written by `onnx-edge publish --format nnef`.
    pub fn load(bytes: &[u8], limits: Limits) -> Result<Model, SlimError> {
        if bytes.len() > limits.max_model_bytes {
            return Err(SlimError::new(
                "LIMIT_EXCEEDED",
                format!(
                    "the model has {} bytes, more than the limit of {} (limits.maxModelBytes)",
                    bytes.len(),
                    limits.max_model_bytes
                ),
                json!({ "kind": "modelBytes", "limit": limits.max_model_bytes, "actual": bytes.len() }),
            ));
        }
        let description = archive::scan(bytes, limits.max_tensor_elements)?;
        let metadata = description.get("metadata").cloned().unwrap_or(Value::Null);
        let inputs = input_specs(&metadata)?;
        let outputs = names(&metadata, "outputs")?;
        let attempt = std::panic::catch_unwind(|| plan(bytes));
        let plan =
            attempt.unwrap_or_else(|p| Err(SlimError::shape("loading", panic_message(&*p))))?;
        let (n_in, n_out) = (plan.model().inputs.len(), plan.model().outputs.len());
        if n_in != inputs.len() || n_out != outputs.len() {
            return Err(SlimError::parse(format!(
                "{} describes {} inputs and {} outputs, graph.nnef has {n_in} and {n_out}",
                archive::DESCRIPTION,
                inputs.len(),
                outputs.len()
            )));
        }
        Ok(Model {
            metadata,
            inputs,
            outputs,
            plan,
            state: None,
            limits,
        })
    }

    /// The model's metadata, as the full build's `WasmSession.metadata` reports it.
    pub fn metadata(&self) -> &Value {
        &self.metadata
    }

    /// Output names, in order.
    pub fn output_names(&self) -> &[String] {
        &self.outputs
    }

    /// Runs on feeds (any order); `fetches` picks outputs by name (all when `None`).
    pub fn run(
        &mut self,
        feeds: Vec<Feed>,
        fetches: Option<&[String]>,
    ) -> Result<Vec<(usize, TValue)>, SlimError> {
        let selected = self.select(fetches)?;
        let inputs = self.check(feeds)?;
        let shapes: Vec<Vec<usize>> = inputs.iter().map(|t| t.shape().to_vec()).collect();
        let reusable = matches!(&self.state, Some((_, s)) if *s == shapes);
        if !reusable {
            let state = TypedSimpleState::new(&self.plan).map_err(|e| SlimError::run(chain(&e)))?;
            self.state = Some((state, shapes));
        }
        let Some((state, _)) = self.state.as_mut() else {
            return Err(SlimError::run("no run state".to_owned()));
        };
        let inputs: TVec<TValue> = inputs.into_iter().map(IntoTValue::into_tvalue).collect();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.run(inputs)));
        let outputs = match attempt {
            Ok(Ok(outputs)) => outputs,
            Ok(Err(e)) => {
                self.state = None;
                return Err(SlimError::run(chain(&e)));
            }
            Err(p) => {
                self.state = None;
                return Err(SlimError::run(format!(
                    "tract panicked: {}",
                    panic_message(&*p)
                )));
            }
        };
        let mut outputs: Vec<Option<TValue>> = outputs.into_iter().map(Some).collect();
        Ok(selected
            .into_iter()
            .filter_map(|ix| outputs.get_mut(ix).and_then(Option::take).map(|v| (ix, v)))
            .collect())
    }

    fn select(&self, fetches: Option<&[String]>) -> Result<Vec<usize>, SlimError> {
        let Some(fetches) = fetches else {
            return Ok((0..self.outputs.len()).collect());
        };
        fetches
            .iter()
            .map(|name| {
                self.outputs.iter().position(|o| o == name).ok_or_else(|| {
                    SlimError::input(
                        "OUTPUT_UNKNOWN",
                        format!(
                            "'{name}' is not an output of the model (its outputs are {:?})",
                            self.outputs
                        ),
                        json!({ "kind": "unknownOutput", "output": name, "expected": self.outputs }),
                    )
                })
            })
            .collect()
    }

    /// Orders feeds as the model's inputs and checks names, types, dims and the element limit.
    fn check(&self, feeds: Vec<Feed>) -> Result<Vec<Tensor>, SlimError> {
        let expected: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
        let mut slots: Vec<Option<Feed>> = (0..self.inputs.len()).map(|_| None).collect();
        for feed in feeds {
            let Some(ix) = expected.iter().position(|n| *n == feed.name) else {
                return Err(SlimError::input(
                    "INPUT_UNKNOWN",
                    format!(
                        "'{}' is not an input of the model (its inputs are {expected:?})",
                        feed.name
                    ),
                    json!({ "kind": "unknown", "input": feed.name, "expected": expected }),
                ));
            };
            slots[ix] = Some(feed);
        }
        let mut bound: HashMap<&str, usize> = HashMap::new();
        let mut ordered = Vec::with_capacity(slots.len());
        for (spec, slot) in self.inputs.iter().zip(slots) {
            let Some(feed) = slot else {
                return Err(SlimError::input(
                    "INPUT_MISSING",
                    format!(
                        "input '{}' is missing (the model's inputs are {expected:?})",
                        spec.name
                    ),
                    json!({ "kind": "missing", "input": spec.name, "expected": expected }),
                ));
            };
            if feed.dtype != spec.dtype {
                return Err(SlimError::input(
                    "INPUT_DTYPE",
                    format!(
                        "input '{}' must be {}, got {}",
                        spec.name, spec.dtype, feed.dtype
                    ),
                    json!({ "kind": "dType", "input": spec.name, "expected": spec.dtype, "actual": feed.dtype }),
                ));
            }
            let dims = feed.tensor.shape();
            if feed.tensor.len() > self.limits.max_tensor_elements {
                let limit = self.limits.max_tensor_elements;
                return Err(SlimError::new(
                    "LIMIT_EXCEEDED",
                    format!("input '{}' has {} elements, more than the limit of {limit} (limits.maxTensorElements)", spec.name, feed.tensor.len()),
                    json!({ "kind": "tensorElements", "input": spec.name, "limit": limit, "actual": feed.tensor.len() }),
                ));
            }
            let shape_error = || {
                SlimError::input(
                    "INPUT_SHAPE",
                    format!(
                        "input '{}' must have shape {}, got {dims:?}",
                        spec.name,
                        spec.expected()
                    ),
                    json!({ "kind": "shape", "input": spec.name, "expected": spec.expected(), "actual": dims }),
                )
            };
            if dims.len() != spec.dims.len() {
                return Err(shape_error());
            }
            for (d, declared) in dims.iter().zip(&spec.dims) {
                match declared {
                    Dim::Fixed(n) if n != d => return Err(shape_error()),
                    Dim::Symbol(s) => match bound.get(s.as_str()) {
                        Some(first) if first != d => {
                            return Err(SlimError::input(
                                "INPUT_SHAPE",
                                format!(
                                    "dimension '{s}' is {first} in one input and {d} in input '{}'",
                                    spec.name
                                ),
                                json!({ "kind": "symbolConflict", "symbol": s, "first": first, "second": d, "input": spec.name }),
                            ))
                        }
                        Some(_) => {}
                        None => {
                            bound.insert(s.as_str(), *d);
                        }
                    },
                    _ => {}
                }
            }
            ordered.push(feed.tensor);
        }
        Ok(ordered)
    }
}

/// Reads, optimizes and plans (tract may panic on a hostile graph: the caller catches it natively).
fn plan(bytes: &[u8]) -> Result<Arc<TypedRunnableModel>, SlimError> {
    let mut model = nnef()
        .model_for_read(&mut &*bytes)
        .map_err(|e| SlimError::parse(chain(&e)))?;
    crate::guard::guard_gathers(&mut model).map_err(|e| SlimError::shape("loading", chain(&e)))?;
    let model = model
        .into_optimized()
        .map_err(|e| SlimError::shape("optimizing", chain(&e)))?;
    model
        .into_runnable()
        .map_err(|e| SlimError::shape("planning", chain(&e)))
}

fn list<'a>(metadata: &'a Value, key: &str) -> Result<&'a Vec<Value>, SlimError> {
    metadata
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| SlimError::parse(format!("{} has no '{key}' list", archive::DESCRIPTION)))
}

fn names(metadata: &Value, key: &str) -> Result<Vec<String>, SlimError> {
    list(metadata, key)?
        .iter()
        .map(|v| {
            v.get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| SlimError::parse(format!("an entry of '{key}' has no name")))
        })
        .collect()
}

fn input_specs(metadata: &Value) -> Result<Vec<InputSpec>, SlimError> {
    let names = names(metadata, "inputs")?;
    list(metadata, "inputs")?
        .iter()
        .zip(names)
        .map(|(v, name)| {
            let dtype = v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let dims = v
                .get("dims")
                .and_then(Value::as_array)
                .ok_or_else(|| SlimError::parse(format!("input '{name}' has no dims")))?
                .iter()
                .map(|d| match d {
                    Value::Number(n) => n.as_u64().map_or(Dim::Any, |n| Dim::Fixed(n as usize)),
                    Value::String(s) => Dim::Symbol(s.clone()),
                    _ => Dim::Any,
                })
                .collect();
            Ok(InputSpec { name, dtype, dims })
        })
        .collect()
}
