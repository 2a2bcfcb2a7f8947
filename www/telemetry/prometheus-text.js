// Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` per metric, one line per sample, escaping as
// prom-client's registry does (help: `\` and newline; label values: `\`, `"` and newline). Labels whose value is
// empty are left out (Prometheus treats them as absent anyway).

/** The Content-Type to serve the text with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * @param {readonly import('./metric-set.js').AnyMetric[]} metrics collected metrics
 * @param {Readonly<Record<string, string>>} constantLabels
 * @returns {string}
 */
export function renderPrometheusText(metrics, constantLabels) {
  const constant = Object.entries(constantLabels);
  /** @type {string[]} */
  const lines = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
    lines.push(`# TYPE ${metric.name} ${metric.type}`);
    for (const cell of metric.cells()) {
      /** @type {[string, string][]} */
      const pairs = [...constant, ...metric.labelNames.map((name, i) => /** @type {[string, string]} */ ([name, cell.labels[i]]))];
      if (metric.type === 'histogram') {
        const { counts, sum, count } = /** @type {import('./histogram.js').HistogramCell} */ (/** @type {unknown} */ (cell));
        let cumulative = 0;
        metric.buckets.forEach((bound, i) => {
          cumulative += counts[i];
          lines.push(`${metric.name}_bucket${labelText([...pairs, ['le', formatNumber(bound)]])} ${formatNumber(cumulative)}`);
        });
        lines.push(`${metric.name}_bucket${labelText([...pairs, ['le', '+Inf']])} ${formatNumber(count)}`);
        lines.push(`${metric.name}_sum${labelText(pairs)} ${formatNumber(sum)}`);
        lines.push(`${metric.name}_count${labelText(pairs)} ${formatNumber(count)}`);
      } else {
        const { value } = /** @type {{ value: number }} */ (/** @type {unknown} */ (cell));
        lines.push(`${metric.name}${labelText(pairs)} ${formatNumber(value)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `{a="1",b="2"}`, or nothing when no label has a value.
 * @param {readonly [string, string][]} pairs
 * @returns {string}
 */
function labelText(pairs) {
  const kept = pairs.filter(([, value]) => value !== '');
  if (kept.length === 0) return '';
  return `{${kept.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/**
 * @param {string} text
 * @returns {string}
 */
export function escapeHelp(text) {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/**
 * @param {string} text
 * @returns {string}
 */
export function escapeLabelValue(text) {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * A sample value: `+Inf`, `-Inf`, `NaN`, or the shortest decimal that reads back as the same double.
 * @param {number} value
 * @returns {string}
 */
export function formatNumber(value) {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
