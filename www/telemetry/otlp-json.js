// OTLP/HTTP JSON: an `ExportMetricsServiceRequest` (opentelemetry-proto, collector/metrics/v1) under the protobuf
// JSON mapping as OTLP specifies it: lowerCamelCase field names, 64-bit integers (`asInt`, `count`, `bucketCounts`,
// `*TimeUnixNano`) as decimal strings, enums as integers. Counters are monotonic cumulative sums, histograms carry
// `bucketCounts` (one per bucket, not cumulative, plus the `+Inf` one) and `explicitBounds`, gauges their value
// now. Series without data are left out.

/** AGGREGATION_TEMPORALITY_CUMULATIVE in opentelemetry-proto's metrics.proto. */
export const CUMULATIVE = 2;

/** @typedef {{ key: string, value: { stringValue: string } }} KeyValue */

/**
 * @typedef {object} OtlpContext
 * @property {Readonly<Record<string, string>>} resource resource attributes (`service.name`, ...)
 * @property {{ name: string, version: string }} scope the instrumentation scope
 * @property {string} startTimeUnixNano when the cumulative values started (the Telemetry's creation)
 * @property {string} timeUnixNano now
 */

/**
 * @param {readonly import('./metric-set.js').AnyMetric[]} metrics collected metrics
 * @param {OtlpContext} context
 * @returns {{ resourceMetrics: object[] }}
 */
export function renderOtlpJson(metrics, context) {
  const { startTimeUnixNano, timeUnixNano } = context;
  /** @type {object[]} */
  const out = [];
  for (const metric of metrics) {
    /** @type {object[]} */
    const points = [];
    for (const cell of metric.cells()) {
      const attributes = toAttributes(metric.labelNames.map((name, i) => /** @type {[string, string]} */ ([name, cell.labels[i]])));
      if (metric.type === 'histogram') {
        const { counts, sum, count } = /** @type {import('./histogram.js').HistogramCell} */ (/** @type {unknown} */ (cell));
        points.push({
          attributes, startTimeUnixNano, timeUnixNano,
          count: String(count), sum,
          bucketCounts: Array.from(counts, (c) => String(c)),
          explicitBounds: [...metric.buckets],
        });
      } else {
        const { value } = /** @type {{ value: number }} */ (/** @type {unknown} */ (cell));
        if (metric.type === 'counter') {
          points.push({ attributes, startTimeUnixNano, timeUnixNano, asInt: String(Math.round(value)) });
        } else if (Number.isFinite(value)) {
          points.push(metric.integer
            ? { attributes, timeUnixNano, asInt: String(Math.round(value)) }
            : { attributes, timeUnixNano, asDouble: value });
        }
      }
    }
    if (points.length === 0) continue;
    const head = { name: metric.name, description: metric.help, unit: metric.unit };
    if (metric.type === 'counter') {
      out.push({ ...head, sum: { dataPoints: points, aggregationTemporality: CUMULATIVE, isMonotonic: true } });
    } else if (metric.type === 'gauge') {
      out.push({ ...head, gauge: { dataPoints: points } });
    } else {
      out.push({ ...head, histogram: { dataPoints: points, aggregationTemporality: CUMULATIVE } });
    }
  }
  return {
    resourceMetrics: [{
      resource: { attributes: toAttributes(Object.entries(context.resource)) },
      scopeMetrics: [{ scope: { name: context.scope.name, version: context.scope.version }, metrics: out }],
    }],
  };
}

/**
 * Attributes with a value (empty label values are left out, as in the Prometheus text).
 * @param {readonly (readonly [string, string])[]} pairs
 * @returns {KeyValue[]}
 */
function toAttributes(pairs) {
  return pairs.filter(([, value]) => value !== '').map(([key, value]) => ({ key, value: { stringValue: value } }));
}

/**
 * Nanoseconds since the epoch as a decimal string, from milliseconds.
 * @param {number} ms
 * @returns {string}
 */
export function unixNanoString(ms) {
  const whole = Math.floor(ms);
  const fraction = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1000000n + BigInt(fraction)).toString();
}
