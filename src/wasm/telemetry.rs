//! The statistics the harness's telemetry needs, as JS classes: drift windows, live accuracy
//! from delayed labels, latency quantiles. JS keeps the counters; the statistics live here.
use wasm_bindgen::prelude::*;

use super::error;
use crate::drift::{DriftMonitor, FeatureReference};
use crate::metrics::{LiveMetrics, SlidingQuantiles, TaskKind};

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

fn options_error(reason: String) -> JsValue {
    error::build(
        "OPTIONS_INVALID",
        &reason,
        &serde_json::json!({ "kind": "options", "reason": reason }),
    )
}

/// Per-feature drift over a sliding window against reference statistics.
#[wasm_bindgen(js_name = DriftMonitor)]
pub struct WasmDriftMonitor {
    inner: DriftMonitor,
}

#[wasm_bindgen(js_class = DriftMonitor)]
impl WasmDriftMonitor {
    /// `reference` is the JSON of a manifest's `reference` (`{ features: [...] }`) or its
    /// `features` array; `window` values are kept per feature.
    #[wasm_bindgen(constructor)]
    pub fn new(reference: &str, window: usize) -> Result<WasmDriftMonitor, JsValue> {
        let value: serde_json::Value = serde_json::from_str(reference)
            .map_err(|e| options_error(format!("drift reference: {e}")))?;
        let features = value.get("features").cloned().unwrap_or(value);
        let features: Vec<FeatureReference> = serde_json::from_value(features)
            .map_err(|e| options_error(format!("drift reference: {e}")))?;
        Ok(WasmDriftMonitor {
            inner: DriftMonitor::new(features, window),
        })
    }

    /// Records the values of one input.
    pub fn observe(&mut self, input: &str, dims: Vec<usize>, values: &[f64]) {
        self.inner.observe(input, &dims, values);
    }

    /// `[{ input, index, count, psi, ks, js }]` over the window.
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.report())
    }

    /// Forgets the window.
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Live accuracy (or MAE/RMSE) from labels that arrive after the prediction.
#[wasm_bindgen(js_name = LiveMetrics)]
pub struct WasmLiveMetrics {
    inner: LiveMetrics,
}

#[wasm_bindgen(js_class = LiveMetrics)]
impl WasmLiveMetrics {
    /// `kind` is `classification` or `regression`.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, max_pending: usize, window: usize) -> Result<WasmLiveMetrics, JsValue> {
        let kind = match kind {
            "classification" => TaskKind::Classification,
            "regression" => TaskKind::Regression,
            other => {
                return Err(options_error(format!(
                    "kind must be classification or regression, got {other}"
                )))
            }
        };
        Ok(WasmLiveMetrics {
            inner: LiveMetrics::new(kind, max_pending, window),
        })
    }

    /// Records a prediction.
    pub fn predicted(&mut self, id: &str, value: f64) {
        self.inner.predicted(id, value);
    }

    /// Records a label; false when the prediction is unknown or was dropped.
    pub fn labelled(&mut self, id: &str, label: f64) -> bool {
        self.inner.labelled(id, label)
    }

    /// `{ classification | regression, pending, dropped, unmatched }`.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary())
    }
}

/// Quantiles of the last `capacity` values (latency p50/p95/p99).
#[wasm_bindgen(js_name = SlidingQuantiles)]
pub struct WasmSlidingQuantiles {
    inner: SlidingQuantiles,
}

#[wasm_bindgen(js_class = SlidingQuantiles)]
impl WasmSlidingQuantiles {
    /// A window of `capacity` values.
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: usize) -> WasmSlidingQuantiles {
        WasmSlidingQuantiles {
            inner: SlidingQuantiles::new(capacity),
        }
    }

    /// Adds a value.
    pub fn push(&mut self, value: f64) {
        self.inner.push(value);
    }

    /// Values held.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// The quantiles `qs` (numpy's linear method).
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        self.inner.quantiles(qs)
    }
}

/// `{ psi, ks, js }` between two count vectors over the same bins.
#[wasm_bindgen(js_name = driftScores)]
pub fn drift_scores(expected: &[f64], actual: &[f64]) -> Result<JsValue, JsValue> {
    let to_counts = |v: &[f64]| v.iter().map(|c| c.max(0.0) as u64).collect::<Vec<u64>>();
    let (e, a) = (to_counts(expected), to_counts(actual));
    to_js(&serde_json::json!({
        "psi": crate::drift::psi(&e, &a),
        "ks": crate::drift::ks_statistic(&e, &a),
        "js": crate::drift::jensen_shannon(&e, &a),
    }))
}

/// Accuracy, macro precision/recall/F1 of predicted vs actual labels.
#[wasm_bindgen(js_name = classificationMetrics)]
pub fn classification_metrics(predicted: &[f64], actual: &[f64]) -> Result<JsValue, JsValue> {
    let p: Vec<i64> = predicted.iter().map(|v| *v as i64).collect();
    let a: Vec<i64> = actual.iter().map(|v| *v as i64).collect();
    to_js(&crate::metrics::classification_metrics(&p, &a))
}

/// MAE and RMSE of predicted vs actual values.
#[wasm_bindgen(js_name = regressionMetrics)]
pub fn regression_metrics(predicted: &[f64], actual: &[f64]) -> Result<JsValue, JsValue> {
    to_js(&crate::metrics::regression_metrics(predicted, actual))
}
