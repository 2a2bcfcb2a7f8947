// Telemetry: metrics per model, version and variant for models that run where no server sees the predictions
// (browsers, workers, edge functions), exported as Prometheus text and OTLP/HTTP JSON, with drift and live accuracy
// computed by the Rust core.
//
//   const telemetry = new Telemetry({ sampleRate: 0.1, logger: console });
//   const session = await InferenceSession.create(bytes, { telemetry, model: { name: 'iris', version: '1.2.0' } });
//   await session.run(feeds, { predictionId: 'req-42' });
//   telemetry.feedback('req-42', 2);                 // the label, when it is known
//   telemetry.prometheus(); telemetry.otlp(); telemetry.snapshot();
//   telemetry.report({ url: 'https://collector.example/v1/metrics', headers: { authorization: 'Bearer …' } });

import { argumentError, ErrorCode, isOnnxEdgeError } from '../errors.js';
import { engineResetCount, liveEngine, wasmMemoryBytes } from '../init.js';
import { Counter } from './counter.js';
import { DriftWatch } from './drift-watch.js';
import { Events } from './events.js';
import { Gauge } from './gauge.js';
import { Histogram, LATENCY_BUCKETS, LOAD_BUCKETS, observeInto } from './histogram.js';
import { LiveWatch } from './live-watch.js';
import { boundLabelValue } from './metric.js';
import { MetricSet } from './metric-set.js';
import { renderOtlpJson, unixNanoString } from './otlp-json.js';
import { predictionOutput, predictionValues, rowsOf } from './prediction-value.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from './prometheus-text.js';
import { checkReference } from './reference.js';
import { Reporter } from './reporter.js';
import { rowIds, runOptionsOf } from './run-options.js';
import { Series } from './series.js';
import { DEFAULT_THRESHOLDS, mergeThresholds } from './thresholds.js';
import { hasStats } from './wasm-stats.js';

/** @typedef {import('../init.js').Engine} Engine */
/** @typedef {import('../session.js').ModelIdentity} ModelIdentity */
/** @typedef {import('./thresholds.js').Thresholds} Thresholds */
/** @typedef {import('./events.js').Logger} Logger */
/** @typedef {import('./events.js').TelemetryEvent} TelemetryEvent */
/** @typedef {import('./events.js').EventType} EventType */
/** @typedef {import('./drift-watch.js').FeatureDrift} FeatureDrift */
/** @typedef {import('./wasm-stats.js').LiveSummary} LiveSummary */
/** @typedef {import('./prediction-value.js').TaskKind} TaskKind */
/** @typedef {import('./reporter.js').ReportOptions} ReportOptions */
/** @typedef {import('./hooks.js').RunningSession} RunningSession */
/** @typedef {{ readonly type: string, readonly dims: readonly number[], readonly data: unknown }} TensorLike */
/** @typedef {import('./hooks.js').LoadedModel} LoadedModel */

/** The package version, for the OTLP instrumentation scope. */
const SCOPE = Object.freeze({ name: 'onnx-edge', version: '0.1.0' });
/** The `model` label of runs beyond `maxSeries` distinct (model, version, variant). */
export const OVERFLOW_MODEL = '_other';
const QUANTILES = Float64Array.of(0.5, 0.95, 0.99);

/**
 * @typedef {object} TelemetryOptions
 * @property {number} [sampleRate] the fraction of runs (0 to 1, default 1) whose inputs feed drift monitoring (and,
 *   with `report({ includeInputs: true })`, are sent). Counts, latency and errors are always exact.
 * @property {Record<string, string>} [labels] constant labels on every series (`app`, `region`, ...) and OTLP
 *   resource attributes; names other than model, version, variant, code, feature and le
 * @property {Logger} [logger] receives load, switch, error, drift, accuracy-drop and dropped events as objects
 *   (default: none)
 * @property {number} [maxPending] predictions waiting for a label, at most (default 10,000; the oldest are dropped
 *   and counted in `snapshot().models[i].live.dropped`)
 * @property {number} [window] values kept per sliding window: latency quantiles, drift per feature, labelled
 *   predictions (default 1,000)
 * @property {Partial<Thresholds>} [thresholds] drift and accuracy thresholds (thresholds.js has the defaults)
 * @property {number} [driftCheckEvery] hand sampled inputs to the core's drift monitor in batches of this many values,
 *   and judge drift after each batch (default 1,000; reports and scrapes always see every value)
 * @property {number} [maxSeries] distinct (model, version, variant) kept, at most (default 256); runs of others
 *   are counted under model `_other`
 * @property {string} [service] OTLP `service.name` (default `onnx-edge`)
 * @property {string} [instanceId] OTLP `service.instance.id` (default: random, per Telemetry)
 */

/**
 * How a model's predictions are read for live accuracy (prediction-value.js has the rule).
 * @typedef {object} TrackOptions
 * @property {string} [output] the output the prediction is read from (default: the first output)
 * @property {TaskKind} [kind] classification or regression (default: from the output's type and shape)
 * @property {readonly string[]} [classes] class names, for string outputs and string labels (default: the manifest
 *   version's `labels` when loaded through the registry)
 * @property {Partial<Thresholds>} [thresholds] this model's thresholds
 */

/**
 * A model: `'iris'`, `'iris@1.2.0'`, `{ name, version }` (`session.model`), or a session.
 * @typedef {string | { name: string, version?: string } | { model: ModelIdentity | null }} ModelSpec
 */

/**
 * One series in `snapshot()`.
 * @typedef {object} SeriesSnapshot
 * @property {string} model
 * @property {string} version
 * @property {string} variant
 * @property {number} runs successful runs
 * @property {number} predictions rows predicted
 * @property {Record<string, number>} errors failed runs by error code
 * @property {{ count: number, sum: number, p50: number | null, p95: number | null, p99: number | null, window: number }} latency
 *   seconds; quantiles over the last `window` runs (null before the first run, or after an engine restart)
 * @property {FeatureDrift[]} drift per feature (empty without a reference)
 * @property {(LiveSummary & { kind: TaskKind }) | null} live live metrics from labels (null before a prediction id)
 * @property {number | null} accuracy the rolling accuracy (classifiers with labels), else null
 */

/**
 * @typedef {object} TelemetrySnapshot
 * @property {number} time ms since the epoch
 * @property {boolean} enabled
 * @property {number} wasmMemoryBytes
 * @property {SeriesSnapshot[]} models
 * @property {{ model: string, version: string, count: number, sum: number, cacheHits: number, cacheMisses: number }[]} loads
 * @property {number} dropped reports dropped by reporters (queue cap, or refused by the collector)
 * @property {number} unmatched labels given for an unknown prediction id
 */

/**
 * Metrics, drift and live accuracy for the sessions that report to it. Give it to `InferenceSession.create` or
 * `new ModelRegistry` as `telemetry`. Statistics (quantiles, PSI/KS/JS, accuracy, F1, MAE/RMSE) are computed by the
 * core; this class counts, keeps the labels bounded and exports.
 */
export class Telemetry {
  /** The Content-Type to serve `prometheus()` with: `text/plain; version=0.0.4; charset=utf-8`. */
  static PROMETHEUS_CONTENT_TYPE = PROMETHEUS_CONTENT_TYPE;

  #metrics;
  #latency;
  #predictions;
  #errors;
  #loads;
  #cacheHits;
  #cacheMisses;
  #accuracy;
  #f1;
  #mae;
  #rmse;
  /** @type {Gauge} */
  #shadowTop1;
  /** @type {Gauge} */
  #shadowMaxAbs;
  /** @type {Gauge} */
  #shadowMeanAbs;
  #psi;
  #ks;
  #js;
  #dropped;
  #events;
  /** @type {Required<Pick<TelemetryOptions, 'sampleRate' | 'maxPending' | 'window' | 'driftCheckEvery' | 'maxSeries'>>} */
  #options;
  /** @type {Readonly<Thresholds>} */
  #thresholds;
  /** @type {Readonly<Record<string, string>>} */
  #resource;
  /** When counting began (the first record or export; not at construction: Workers freeze time outside requests). */
  #startedAt = 0;
  /** OTLP `service.instance.id`, made on first export (Workers refuse random numbers at global scope). @type {string | null} */
  #instanceId;
  /** @type {Map<string, Series>} */
  #series = new Map();
  /** @type {WeakMap<object, Series>} the series of a session's runs without a variant option */
  #seriesBySession = new WeakMap();
  /** @type {Map<string, { json: string, features: { input: string, index: number }[], thresholds: unknown }>} by `name@version` or `name` */
  #references = new Map();
  /** @type {Map<string, TrackOptions>} by `name@version` or `name` */
  #tracks = new Map();
  /** Which series a waiting prediction id belongs to (at most `maxPending`, oldest forgotten first). @type {Map<string, { series: Series, seq: number }>} */
  #routes = new Map();
  /** Route ids oldest first, with the `seq` they were routed under (a stale entry no longer matches). @type {{ id: string, seq: number }[]} */
  #routeOrder = [];
  #routeHead = 0;
  #routeSeq = 0;
  #unmatched = 0;
  /** @type {Engine | null} */
  #engine = null;
  #statsMissingLogged = false;
  #enabled = true;
  /** Bumps on every change a report would show. */
  #changes = 0;
  /** @type {Set<Reporter>} */
  #reporters = new Set();
  /** @type {Set<(series: Series, feeds: Readonly<Record<string, TensorLike>>) => void>} */
  #inputSinks = new Set();

  /** @param {TelemetryOptions} [options] */
  constructor(options = {}) {
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'new Telemetry(options): options must be an object', { reason: 'options' });
    }
    const sampleRate = options.sampleRate ?? 1;
    if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'sampleRate must be a number from 0 to 1', { reason: 'sampleRate' });
    }
    /** @type {['maxPending' | 'window' | 'driftCheckEvery' | 'maxSeries', number][]} */
    const counts = [['maxPending', 10_000], ['window', 1000], ['driftCheckEvery', 1000], ['maxSeries', 256]];
    /** @type {Record<string, number>} */
    const sizes = {};
    for (const [name, fallback] of counts) {
      const value = options[name] ?? fallback;
      if (!Number.isSafeInteger(value) || value < 1) {
        throw argumentError(ErrorCode.OPTIONS_INVALID, `${name} must be an integer >= 1`, { reason: name });
      }
      sizes[name] = value;
    }
    this.#options = {
      sampleRate,
      maxPending: sizes.maxPending,
      window: sizes.window,
      driftCheckEvery: sizes.driftCheckEvery,
      maxSeries: sizes.maxSeries,
    };
    this.#thresholds = mergeThresholds(DEFAULT_THRESHOLDS, options.thresholds, 'new Telemetry');
    this.#events = new Events(options.logger);
    this.#metrics = new MetricSet(options.labels);
    this.#instanceId = options.instanceId ?? null;
    this.#resource = Object.freeze({
      'service.name': options.service ?? 'onnx-edge',
      'telemetry.sdk.name': SCOPE.name,
      'telemetry.sdk.version': SCOPE.version,
      'telemetry.sdk.language': typeof document === 'undefined' ? 'nodejs' : 'webjs',
      ...this.#metrics.constantLabels,
    });

    const m = this.#metrics;
    const series = /** @type {const} */ (['model', 'version', 'variant']);
    this.#latency = m.register(new Histogram({
      name: 'onnx_edge_inference_duration_seconds',
      help: 'Duration of session.run as the caller sees it (feed checks, queue, engine, output tensors), successful runs.',
      labelNames: series, unit: 's', buckets: LATENCY_BUCKETS,
    }));
    this.#predictions = m.register(new Counter({
      name: 'onnx_edge_predictions_total', help: 'Predictions made: rows of the prediction output.', labelNames: series, unit: '1',
    }));
    this.#errors = m.register(new Counter({
      name: 'onnx_edge_errors_total', help: 'Failed runs and loads, by error code.', labelNames: [...series, 'code'], unit: '1',
    }));
    this.#loads = m.register(new Histogram({
      name: 'onnx_edge_model_load_duration_seconds',
      help: 'Time to load a model through the registry: resolve, fetch or cache, sha256 check, parse and optimise.',
      labelNames: ['model', 'version'], unit: 's', buckets: LOAD_BUCKETS,
    }));
    this.#cacheHits = m.register(new Counter({
      name: 'onnx_edge_cache_hits_total', help: 'Model loads served from the cache.', labelNames: ['model', 'version'], unit: '1',
    }));
    this.#cacheMisses = m.register(new Counter({
      name: 'onnx_edge_cache_misses_total', help: 'Model loads that downloaded the file.', labelNames: ['model', 'version'], unit: '1',
    }));
    // issue 18: engine replacements are counted by init.js for the whole realm; read at scrape time with the memory.
    const resets = m.register(new Counter({
      name: 'onnx_edge_engine_resets_total', help: 'Engines replaced after a wasm trap or wasm memory past limits.maxWasmMemoryBytes.', unit: '1',
    }));
    m.register(new Gauge({
      name: 'onnx_edge_wasm_memory_bytes', help: 'Bytes of WebAssembly memory the engine holds, read at scrape time.',
      unit: 'By', integer: true, collect: (gauge) => {
        gauge.set([], wasmMemoryBytes());
        resets.cell([]).value = engineResetCount();
      },
    }));
    const feature = /** @type {const} */ ([...series, 'feature']);
    this.#psi = m.register(new Gauge({
      name: 'onnx_edge_drift_psi',
      help: 'Population stability index of a feature over the drift window against the reference (judged from minSamples values).',
      labelNames: feature, unit: '1', collect: () => this.#collectDrift(),
    }));
    this.#ks = m.register(new Gauge({
      name: 'onnx_edge_drift_ks', help: 'Kolmogorov-Smirnov statistic of a feature over the drift window (binned CDFs).', labelNames: feature, unit: '1',
    }));
    this.#js = m.register(new Gauge({
      name: 'onnx_edge_drift_js', help: 'Jensen-Shannon divergence (base 2) of a feature over the drift window.', labelNames: feature, unit: '1',
    }));
    this.#accuracy = m.register(new Gauge({
      name: 'onnx_edge_accuracy', help: 'Rolling accuracy over the last labelled predictions (classifiers).',
      labelNames: series, unit: '1', collect: () => this.#collectLive(),
    }));
    this.#f1 = m.register(new Gauge({
      name: 'onnx_edge_f1', help: 'Rolling macro F1 over the last labelled predictions (classifiers).', labelNames: series, unit: '1',
    }));
    this.#mae = m.register(new Gauge({
      name: 'onnx_edge_mae', help: 'Rolling mean absolute error over the last labelled predictions (regressors).', labelNames: series, unit: '1',
    }));
    this.#rmse = m.register(new Gauge({
      name: 'onnx_edge_rmse', help: 'Rolling root mean squared error over the last labelled predictions (regressors).', labelNames: series, unit: '1',
    }));
    this.#shadowTop1 = m.register(new Gauge({
      name: 'onnx_edge_shadow_agreement', help: 'Share of shadow runs whose top-1 class equals the served version\'s (classifiers).',
      labelNames: series, unit: '1',
    }));
    this.#shadowMaxAbs = m.register(new Gauge({
      name: 'onnx_edge_shadow_max_abs_diff', help: 'Largest |served - shadow| output difference over the shadow runs.', labelNames: series, unit: '1',
    }));
    this.#shadowMeanAbs = m.register(new Gauge({
      name: 'onnx_edge_shadow_mean_abs_diff', help: 'Mean |served - shadow| output difference over the shadow runs.', labelNames: series, unit: '1',
    }));
    this.#dropped = m.register(new Counter({
      name: 'onnx_edge_telemetry_dropped_total',
      help: 'Telemetry reports dropped: the offline queue was full, or the collector refused them.', unit: '1',
    }));
  }

  // ---- public: configuration -------------------------------------------------------------------------------------

  /**
   * The drift reference of a model (all its versions, or one: `'iris@1.2.0'`): a manifest version's `reference`
   * (`{ bins, features, driftThresholds? }`) or its features array; null removes it. `ModelRegistry.load` calls it
   * for versions that have one. Series already running start a new window.
   * @param {ModelSpec} model
   * @param {unknown} reference
   * @param {{ thresholds?: Partial<Thresholds> }} [options] threshold overrides for this model (after the
   *   reference's own `driftThresholds`)
   */
  setReference(model, reference, options = {}) {
    const { name, version } = specOf(model);
    const key = version === undefined ? name : `${name}@${version}`;
    if (reference === null) {
      this.#references.delete(key);
    } else {
      const checked = checkReference(reference);
      mergeThresholds(this.#thresholds, checked.thresholds, 'reference.driftThresholds');
      mergeThresholds(this.#thresholds, options.thresholds, 'setReference');
      this.#references.set(key, {
        ...checked,
        thresholds: options.thresholds === undefined ? checked.thresholds : { ...(/** @type {object} */ (checked.thresholds ?? {})), ...options.thresholds },
      });
    }
    for (const series of this.#series.values()) {
      if (series.model === name && (version === undefined || series.version === version)) this.#attachDrift(series);
    }
  }

  /**
   * How a model's predictions are read for live accuracy, and its thresholds (see TrackOptions).
   * @param {ModelSpec} model
   * @param {TrackOptions} options
   */
  track(model, options) {
    const { name, version } = specOf(model);
    if (typeof options !== 'object' || options === null) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'track(model, options): options must be an object', { reason: 'track' });
    }
    const { output, kind, classes, thresholds } = options;
    if (output !== undefined && typeof output !== 'string') throw argumentError(ErrorCode.OPTIONS_INVALID, 'track: output must be an output name', { reason: 'output' });
    if (kind !== undefined && kind !== 'classification' && kind !== 'regression') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'track: kind is classification or regression', { reason: 'kind' });
    }
    if (classes !== undefined && !(Array.isArray(classes) && classes.every((c) => typeof c === 'string'))) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'track: classes must be an array of strings', { reason: 'classes' });
    }
    mergeThresholds(this.#thresholds, thresholds, 'track');
    const key = version === undefined ? name : `${name}@${version}`;
    this.#tracks.set(key, { ...this.#tracks.get(key), ...options });
    for (const series of this.#series.values()) {
      series.track = null;
      if (series.model === name && (version === undefined || series.version === version)) this.#attachDrift(series);
    }
  }

  /**
   * Listen to `drift` (a feature's level rose: `{ model, version, variant, feature, input, index, level, psi, ks, js,
   * count, exceeded, thresholds }`), `accuracy-drop` (`{ model, version, variant, metric, value, threshold, count }`)
   * or `dropped` (`{ count, reason: 'cap' | 'rejected', total }`).
   * @param {EventType} type
   * @param {(event: TelemetryEvent) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    return this.#events.on(type, listener);
  }

  /**
   * @param {EventType} type
   * @param {(event: TelemetryEvent) => void} listener
   */
  off(type, listener) {
    this.#events.off(type, listener);
  }

  /**
   * Opt out: runs are no longer recorded, reporters stop and delete what they queued (nothing more leaves the
   * device). `enable()` turns recording back on (reporters must be started again).
   * @returns {Promise<void>}
   */
  async disable() {
    this.#enabled = false;
    const reporters = [...this.#reporters];
    this.#reporters.clear();
    await Promise.all(reporters.map((r) => r.discard()));
  }

  enable() {
    this.#enabled = true;
  }

  /** @returns {boolean} */
  get enabled() {
    return this.#enabled;
  }

  // ---- public: labels, exports -----------------------------------------------------------------------------------

  /**
   * The label of a prediction made with `run(feeds, { predictionId })`: a class (number, or a string among the
   * model's classes) or a value (regressors). Returns false when the id is unknown (never recorded, dropped because
   * too many were pending, or already labelled).
   * @param {string} predictionId
   * @param {unknown} label a number, bigint, boolean (0/1) or class name; anything else is OPTIONS_INVALID (TypeError)
   * @returns {boolean}
   */
  feedback(predictionId, label) {
    if (typeof predictionId !== 'string') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'feedback(predictionId, label): predictionId must be a string', { reason: 'predictionId' });
    }
    if (!['number', 'bigint', 'boolean', 'string'].includes(typeof label) || (typeof label === 'number' && !Number.isFinite(label))) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'feedback: the label is a finite number, a bigint, a boolean or a class name', { reason: 'label' });
    }
    if (!this.#enabled) return false;
    const series = this.#routes.get(predictionId)?.series;
    const engine = this.#engine;
    const live = series?.live;
    if (series === undefined || live === undefined || live === null || engine === null || engine.dead) {
      this.#unmatched += 1;
      return false;
    }
    const value = labelValue(label, this.#trackOf(series).classes);
    this.#routes.delete(predictionId);
    if (value === null) {
      this.#unmatched += 1;
      return false;
    }
    return this.#guard(false, () => {
      const matched = live.labelled(engine, predictionId, value);
      this.#changes += 1;
      if (matched) {
        const summary = live.summary(engine);
        const breach = summary === null ? null : live.check(summary);
        if (breach !== null) {
          this.#events.emit('accuracy-drop', 'warn', { model: series.model, version: series.version, variant: series.variant, ...breach });
        }
      }
      return matched;
    });
  }

  /**
   * Prometheus text exposition (0.0.4): serve it with `Content-Type: text/plain; version=0.0.4` (an edge function's
   * `GET /metrics`).
   * @returns {string}
   */
  prometheus() {
    return renderPrometheusText(this.#metrics.collect(), this.#metrics.constantLabels);
  }

  /**
   * An OTLP/HTTP JSON `ExportMetricsServiceRequest` (POST it to a collector's `/v1/metrics`): cumulative sums and
   * histograms since this Telemetry was made, gauges now. Aggregates only, never inputs.
   * @returns {{ resourceMetrics: object[] }}
   */
  otlp() {
    this.#instanceId ??= randomId();
    return renderOtlpJson(this.#metrics.collect(), {
      resource: { ...this.#resource, 'service.instance.id': this.#instanceId },
      scope: SCOPE,
      startTimeUnixNano: unixNanoString(this.#start()),
      timeUnixNano: unixNanoString(Date.now()),
    });
  }

  /**
   * Plain numbers for pages and tests.
   * @returns {TelemetrySnapshot}
   */
  snapshot() {
    const engine = this.#liveEngineOrNull();
    /** @type {SeriesSnapshot[]} */
    const models = [];
    for (const series of this.#series.values()) {
      /** @type {Record<string, number>} */
      const errors = {};
      for (const [code, cell] of series.errors) errors[code] = cell.value;
      const latency = engine === null ? null : this.#guard(null, () => series.latencyQuantiles(engine, QUANTILES));
      const quantiles = latency?.values ?? null;
      const summary = series.live === null ? null : this.#guard(null, () => series.live?.summary(engine) ?? null);
      models.push({
        model: series.model,
        version: series.version,
        variant: series.variant,
        runs: series.latency.count,
        predictions: series.predictions.value,
        errors,
        latency: {
          count: series.latency.count,
          sum: series.latency.sum,
          p50: quantiles === null ? null : quantiles[0],
          p95: quantiles === null ? null : quantiles[1],
          p99: quantiles === null ? null : quantiles[2],
          window: latency?.count ?? 0,
        },
        drift: series.drift === null ? [] : this.#guard([], () => series.drift?.report(engine) ?? []),
        live: summary === null || series.live === null ? null : { kind: series.live.kind, ...summary },
        accuracy: summary?.classification != null && summary.classification.count > 0 ? summary.classification.accuracy : null,
      });
    }
    const hits = new Map([...this.#cacheHits.cells()].map((c) => [c.labels.join('\u0000'), c.value]));
    const misses = new Map([...this.#cacheMisses.cells()].map((c) => [c.labels.join('\u0000'), c.value]));
    const loads = [...this.#loads.cells()].map((c) => ({
      model: c.labels[0],
      version: c.labels[1],
      count: c.count,
      sum: c.sum,
      cacheHits: hits.get(c.labels.join('\u0000')) ?? 0,
      cacheMisses: misses.get(c.labels.join('\u0000')) ?? 0,
    }));
    return {
      time: Date.now(),
      enabled: this.#enabled,
      wasmMemoryBytes: wasmMemoryBytes(),
      models,
      loads,
      dropped: this.#dropped.cell([]).value,
      unmatched: this.#unmatched + models.reduce((sum, s) => sum + (s.live?.unmatched ?? 0), 0),
    };
  }

  /**
   * Start a batched OTLP reporter (reporter.js): periodic flush, page-hide delivery, retry with backoff, an offline
   * queue (IndexedDB in browsers, a file under `storage.dir` in Node) with a size cap and an exact dropped count.
   * @param {ReportOptions} options
   * @returns {Reporter}
   */
  report(options) {
    if (!this.#enabled) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'telemetry is disabled: call enable() before report()', { reason: 'disabled' });
    }
    /** @type {Reporter} */
    const reporter = new Reporter({
      otlp: () => this.otlp(),
      changes: () => this.#changes,
      enabled: () => this.#enabled,
      dropped: (count, reason, total) => {
        // Not a change that makes a report by itself: offline with a full queue, each report would push out another.
        this.#dropped.inc([], count);
        this.#events.emit('dropped', 'warn', { count, reason, total });
      },
      captureInputs: (sink) => {
        this.#inputSinks.add(sink);
        return () => { this.#inputSinks.delete(sink); };
      },
      stopped: () => { this.#reporters.delete(reporter); },
    }, options);
    this.#reporters.add(reporter);
    return reporter;
  }

  /**
   * Stop the reporters (after a last flush) and free the core objects.
   * @returns {Promise<void>}
   */
  async close() {
    const reporters = [...this.#reporters];
    this.#reporters.clear();
    await Promise.all(reporters.map((r) => r.stop()));
    for (const series of this.#series.values()) series.free();
    this.#series.clear();
    this.#seriesBySession = new WeakMap();
    this.#routes.clear();
    this.#routeOrder = [];
    this.#routeHead = 0;
  }

  // ---- hooks: sessions, the registry, the deployment layer -------------------------------------------------------

  /**
   * Used by `InferenceSession.run`: runs `run` and records it (latency of successful runs, rows predicted, failures
   * by error code; sampled inputs to drift; the prediction under `predictionId` for live accuracy). Recording never
   * changes what the run returns or throws.
   * @param {RunningSession} session
   * @param {unknown} feeds
   * @param {unknown} fetches
   * @param {unknown} options
   * @param {() => Promise<Record<string, import('../tensor.js').Tensor>>} run
   * @returns {Promise<Record<string, import('../tensor.js').Tensor>>}
   */
  async recordRun(session, feeds, fetches, options, run) {
    if (!this.#enabled) return run();
    if (this.#startedAt === 0) this.#start();
    const started = performance.now();
    /** @type {Record<string, import('../tensor.js').Tensor>} */
    let outputs;
    /** @type {import('./run-options.js').TelemetryRunOptions} */
    let runOptions = {};
    try {
      runOptions = runOptionsOf(session.outputNames, fetches, options);
      outputs = await run();
    } catch (error) {
      this.#guard(undefined, () => this.#recordFailure(this.#seriesOf(session, runOptions.variant), error));
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    let engine = this.#engine;
    if (engine === null || engine.dead) engine = await this.#refreshEngine();
    this.#guard(undefined, () => this.#recordSuccess(
      /** @type {Engine | null} */ (engine), session, /** @type {Record<string, TensorLike>} */ (feeds), outputs, runOptions, seconds));
    return outputs;
  }

  /**
   * Used by `ModelRegistry.load`: load time, cache hit or miss, and from the manifest version entry its drift
   * `reference` (with `driftThresholds`) and class `labels`. Logged as a `load` event.
   * @param {LoadedModel} model
   * @param {{ seconds: number, fromCache: boolean, entry?: unknown }} load
   */
  recordLoad(model, load) {
    if (!this.#enabled) return;
    this.#start();
    this.#guard(undefined, () => {
      const labels = [boundLabelValue(model.name), boundLabelValue(model.version)];
      this.#loads.observe(labels, load.seconds);
      (load.fromCache ? this.#cacheHits : this.#cacheMisses).inc(labels);
      const entry = /** @type {{ reference?: unknown, driftThresholds?: unknown, labels?: unknown }} */ (load.entry ?? {});
      const spec = { name: model.name, version: model.version };
      if (entry.reference !== undefined && entry.reference !== null) {
        this.setReference(spec, entry.reference, entry.driftThresholds === undefined ? {} : { thresholds: /** @type {Partial<Thresholds>} */ (entry.driftThresholds) });
      }
      const key = `${model.name}@${model.version}`;
      if (Array.isArray(entry.labels) && this.#tracks.get(key)?.classes === undefined && this.#tracks.get(model.name)?.classes === undefined) {
        this.#tracks.set(key, { ...this.#tracks.get(key), classes: entry.labels.map(String) });
        for (const series of this.#series.values()) series.track = null;
      }
      this.#changes += 1;
      this.#events.emit('load', 'info', { model: model.name, version: model.version, alias: model.alias ?? null, seconds: load.seconds, fromCache: load.fromCache });
    });
  }

  /**
   * An error outside `run` (a failed load): counted by code and logged.
   * @param {LoadedModel | null} model
   * @param {unknown} error
   */
  recordError(model, error) {
    if (!this.#enabled) return;
    this.#start();
    this.#guard(undefined, () => {
      const code = codeOf(error);
      this.#errors.inc([boundLabelValue(model?.name), boundLabelValue(model?.version), '', code]);
      this.#changes += 1;
      this.#events.emit('error', 'error', { model: model?.name ?? null, version: model?.version ?? null, code, message: messageOf(error) });
    });
  }

  /**
   * A shadow candidate's agreement with the served version (from a deployment's shadow runs), exported as
   * `onnx_edge_shadow_agreement`, `onnx_edge_shadow_max_abs_diff` and `onnx_edge_shadow_mean_abs_diff`.
   * @param {{ name: string, version: string }} model the candidate
   * @param {{ variant?: string, top1: number | null, maxAbs: number, meanAbs: number, rows: number }} agreement
   */
  recordShadow(model, agreement) {
    if (!this.#enabled) return;
    this.#guard(undefined, () => {
      const labels = [boundLabelValue(model.name), boundLabelValue(model.version), boundLabelValue(agreement.variant ?? 'shadow')];
      if (agreement.top1 !== null) this.#shadowTop1.set(labels, agreement.top1);
      this.#shadowMaxAbs.set(labels, agreement.maxAbs);
      this.#shadowMeanAbs.set(labels, agreement.meanAbs);
      this.#changes += 1;
    });
  }

  /**
   * For the deployment layer: a switch of the version or variant serving a model (blue-green, rollback), logged as
   * a `switch` event.
   * @param {ModelSpec} model
   * @param {{ from?: string | null, to: string, reason?: string }} change
   */
  recordSwitch(model, change) {
    if (!this.#enabled) return;
    const { name } = specOf(model);
    this.#events.emit('switch', 'info', { model: name, from: change.from ?? null, to: change.to, reason: change.reason ?? null });
  }

  // ---- inside ----------------------------------------------------------------------------------------------------

  /**
   * @param {Engine | null} engine
   * @param {RunningSession} session
   * @param {Readonly<Record<string, TensorLike>>} feeds
   * @param {Readonly<Record<string, TensorLike>>} outputs
   * @param {import('./run-options.js').TelemetryRunOptions} runOptions
   * @param {number} seconds
   */
  #recordSuccess(engine, session, feeds, outputs, runOptions, seconds) {
    const series = this.#seriesOf(session, runOptions.variant);
    const track = this.#trackOf(series);
    const output = predictionOutput(outputs, session.outputNames, track.output);
    const rows = output === null ? 1 : rowsOf(output);
    observeInto(LATENCY_BUCKETS, series.latency, seconds);
    series.predictions.value += rows;
    series.recordLatency(seconds);
    this.#changes += 1;
    if (engine === null) return;
    if (runOptions.predictionId !== undefined && output !== null) this.#recordPredictions(engine, series, output, track, runOptions.predictionId);
    const sampled = (series.drift !== null || this.#inputSinks.size > 0)
      && (this.#options.sampleRate >= 1 || Math.random() < this.#options.sampleRate);
    if (!sampled) return;
    for (const sink of this.#inputSinks) sink(series, feeds);
    if (series.drift !== null && series.drift.observe(engine, feeds, outputs)) {
      for (const drift of series.drift.check(engine)) {
        const t = series.drift.thresholds;
        this.#events.emit('drift', drift.level === 'alert' ? 'error' : 'warn', {
          model: series.model, version: series.version, variant: series.variant, ...drift,
          thresholds: { psiWarn: t.psiWarn, psiAlert: t.psiAlert, js: t.js, ks: t.ks },
        });
      }
    }
  }

  /**
   * @param {Engine} engine
   * @param {Series} series
   * @param {TensorLike} output
   * @param {TrackOptions} track
   * @param {string | readonly string[]} predictionId
   */
  #recordPredictions(engine, series, output, track, predictionId) {
    const read = predictionValues(output, { kind: series.live?.kind ?? track.kind, classes: track.classes });
    if (read === null) return;
    const ids = rowIds(predictionId, read.values.length);
    if (ids === null) return;
    if (series.live === null) {
      series.live = new LiveWatch(read.kind, { maxPending: this.#options.maxPending, window: this.#options.window, thresholds: this.#thresholdsOf(series) });
    }
    const live = series.live;
    ids.forEach((id, i) => {
      const value = read.values[i];
      if (value === null) return;
      live.predicted(engine, id, value);
      this.#routeSeq += 1;
      this.#routes.set(id, { series, seq: this.#routeSeq });
      this.#routeOrder.push({ id, seq: this.#routeSeq });
    });
    // Forget the oldest routes beyond maxPending (a FIFO of ids: Map iteration from the front would walk the holes
    // that deletions leave).
    while (this.#routes.size > this.#options.maxPending && this.#routeHead < this.#routeOrder.length) {
      const oldest = this.#routeOrder[this.#routeHead];
      this.#routeHead += 1;
      if (this.#routes.get(oldest.id)?.seq === oldest.seq) this.#routes.delete(oldest.id);
    }
    const waiting = this.#routeOrder.length - this.#routeHead;
    if ((this.#routeHead > 1024 && this.#routeHead * 2 > this.#routeOrder.length) || waiting > 2 * this.#options.maxPending + 1024) {
      this.#routeOrder = this.#routeOrder.slice(this.#routeHead).filter((r) => this.#routes.get(r.id)?.seq === r.seq);
      this.#routeHead = 0;
    }
  }

  /**
   * @param {Series} series
   * @param {unknown} error
   */
  #recordFailure(series, error) {
    const code = codeOf(error);
    let cell = series.errors.get(code);
    if (cell === undefined) {
      cell = this.#errors.cell([...series.labels, code]);
      series.errors.set(code, cell);
    }
    cell.value += 1;
    this.#changes += 1;
    this.#events.emit('error', 'error', { model: series.model, version: series.version, variant: series.variant, code, message: messageOf(error) });
  }

  /**
   * The series of a session's run: its model identity, and the variant (run option, else `session.model.variant`).
   * @param {RunningSession} session
   * @param {string | undefined} variant
   * @returns {Series}
   */
  #seriesOf(session, variant) {
    if (variant === undefined) {
      const known = this.#seriesBySession.get(session);
      if (known !== undefined) return known;
    }
    const identity = /** @type {(ModelIdentity & { variant?: unknown }) | null} */ (session.model);
    const model = boundLabelValue(identity?.name ?? 'unnamed');
    const version = boundLabelValue(identity?.version ?? '');
    const servedAs = boundLabelValue(variant ?? (typeof identity?.variant === 'string' ? identity.variant : ''));
    const key = `${model}\u0000${version}\u0000${servedAs}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      const overflow = this.#series.size >= this.#options.maxSeries;
      const labels = overflow ? { model: OVERFLOW_MODEL, version: '', variant: '' } : { model, version, variant: servedAs };
      const overflowKey = `${OVERFLOW_MODEL}\u0000\u0000`;
      series = overflow ? this.#series.get(overflowKey) : undefined;
      if (series === undefined) {
        const values = [labels.model, labels.version, labels.variant];
        series = new Series(labels, { latency: this.#latency.cell(values), predictions: this.#predictions.cell(values) }, this.#options.window);
        this.#series.set(overflow ? overflowKey : key, series);
        if (!overflow) this.#attachDrift(series);
      }
    }
    if (variant === undefined) this.#seriesBySession.set(session, series);
    return series;
  }

  /**
   * (Re)make a series' drift watch from its reference (`name@version`, else `name`), or drop it.
   * @param {Series} series
   */
  #attachDrift(series) {
    series.drift?.free();
    series.drift = null;
    const reference = this.#references.get(`${series.model}@${series.version}`) ?? this.#references.get(series.model);
    const thresholds = this.#thresholdsOf(series);
    if (series.live !== null) series.live.thresholds = thresholds;
    if (reference === undefined) return;
    series.drift = new DriftWatch(reference, { window: this.#options.window, checkEvery: this.#options.driftCheckEvery, thresholds });
  }

  /**
   * Thresholds of a series: the defaults, the constructor's, the reference's, then `track`'s.
   * @param {Series} series
   * @returns {Readonly<Thresholds>}
   */
  #thresholdsOf(series) {
    const reference = this.#references.get(`${series.model}@${series.version}`) ?? this.#references.get(series.model);
    const fromReference = mergeThresholds(this.#thresholds, reference?.thresholds, 'reference');
    return mergeThresholds(fromReference, this.#trackOf(series).thresholds, 'track');
  }

  /**
   * A series' track options (`name`, then `name@version`), kept on the series until `track` changes them.
   * @param {Series} series
   * @returns {TrackOptions}
   */
  #trackOf(series) {
    series.track ??= { ...this.#tracks.get(series.model), ...this.#tracks.get(`${series.model}@${series.version}`) };
    return series.track;
  }

  /** @returns {number} when counting began (ms since the epoch), set now if it had not */
  #start() {
    if (this.#startedAt === 0) this.#startedAt = Date.now();
    return this.#startedAt;
  }

  /** @returns {Promise<Engine | null>} */
  async #refreshEngine() {
    try {
      const engine = await liveEngine();
      if (!hasStats(engine)) {
        if (!this.#statsMissingLogged) {
          this.#statsMissingLogged = true;
          this.#events.log({ type: 'error', level: 'error', time: Date.now(), code: ErrorCode.ENGINE, reason: 'statsUnavailable' });
        }
        return null;
      }
      this.#engine = engine;
      return engine;
    } catch {
      return null;
    }
  }

  /** @returns {Engine | null} */
  #liveEngineOrNull() {
    const engine = this.#engine;
    return engine === null || engine.dead ? null : engine;
  }

  /** Scrape time: drift gauges of every judged feature. */
  #collectDrift() {
    const engine = this.#liveEngineOrNull();
    for (const gauge of [this.#psi, this.#ks, this.#js]) gauge.clear();
    if (engine === null) return;
    for (const series of this.#series.values()) {
      const reports = series.drift === null ? [] : this.#guard([], () => series.drift?.report(engine) ?? []);
      for (const d of reports) {
        if (d.level === null) continue;
        const labels = [...series.labels, d.feature];
        this.#psi.set(labels, d.psi);
        this.#ks.set(labels, d.ks);
        this.#js.set(labels, d.js);
      }
    }
  }

  /** Scrape time: rolling accuracy, F1, MAE and RMSE of every series with labels. */
  #collectLive() {
    const engine = this.#liveEngineOrNull();
    for (const gauge of [this.#accuracy, this.#f1, this.#mae, this.#rmse]) gauge.clear();
    if (engine === null) return;
    for (const series of this.#series.values()) {
      const summary = series.live === null ? null : this.#guard(null, () => series.live?.summary(engine) ?? null);
      if (summary === null) continue;
      if (summary.classification !== null && summary.classification.count > 0) {
        this.#accuracy.set(series.labels, summary.classification.accuracy);
        this.#f1.set(series.labels, summary.classification.f1);
      }
      if (summary.regression !== null && summary.regression.count > 0) {
        this.#mae.set(series.labels, summary.regression.mae);
        this.#rmse.set(series.labels, summary.regression.rmse);
      }
    }
  }

  /**
   * Run `fn`; if it throws (a telemetry bug, a trapped engine), log it and return `fallback`: telemetry never breaks
   * a prediction.
   * @template T
   * @param {T} fallback
   * @param {() => T} fn
   * @returns {T}
   */
  #guard(fallback, fn) {
    try {
      return fn();
    } catch (error) {
      this.#events.log({ type: 'error', level: 'error', time: Date.now(), source: 'telemetry', code: codeOf(error), message: messageOf(error) });
      return fallback;
    }
  }
}

/**
 * @param {ModelSpec} model
 * @returns {{ name: string, version: string | undefined }}
 */
function specOf(model) {
  if (typeof model === 'string' && model !== '') {
    const at = model.indexOf('@');
    return at > 0 ? { name: model.slice(0, at), version: model.slice(at + 1) } : { name: model, version: undefined };
  }
  if (typeof model === 'object' && model !== null) {
    const inner = 'model' in model && typeof model.model === 'object' && model.model !== null ? model.model : model;
    const { name, version } = /** @type {{ name?: unknown, version?: unknown }} */ (inner);
    if (typeof name === 'string' && name !== '' && (version === undefined || version === null || typeof version === 'string')) {
      return { name, version: version ?? undefined };
    }
  }
  throw argumentError(ErrorCode.OPTIONS_INVALID, "a model is 'name', 'name@version', { name, version } or a session", { reason: 'model' });
}

/**
 * A label as the core takes it: numbers, bigints, booleans (0/1), or a class name's index in `classes`.
 * @param {unknown} label
 * @param {readonly string[] | undefined} classes
 * @returns {number | null}
 */
function labelValue(label, classes) {
  if (typeof label === 'number' && Number.isFinite(label)) return label;
  if (typeof label === 'bigint') return Number(label);
  if (typeof label === 'boolean') return label ? 1 : 0;
  const index = typeof label === 'string' ? classes?.indexOf(label) ?? -1 : -1;
  return index < 0 ? null : index;
}

/**
 * The error code label of an error: its code when it is one of `ErrorCode`, else `UNKNOWN` (a bounded set).
 * @param {unknown} error
 * @returns {string}
 */
function codeOf(error) {
  const code = isOnnxEdgeError(error) || error instanceof TypeError ? /** @type {{ code?: unknown }} */ (error).code : undefined;
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, code) ? code : 'UNKNOWN';
}

/**
 * @param {unknown} error
 * @returns {string}
 */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @returns {string} 32 random hex digits */
function randomId() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
