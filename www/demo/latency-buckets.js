// The latency histogram's buckets, read from the Telemetry's Prometheus text (snapshot() has the quantiles, the
// exposition has the bucket counts): cumulative `_bucket` lines summed over the series kept, then made per bucket.

const BUCKET_LINE = /^onnx_edge_inference_duration_seconds_bucket\{(.*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * @param {string} text Prometheus text exposition (`telemetry.prometheus()`)
 * @param {(labels: Record<string, string>) => boolean} keep which series to count
 * @returns {{ le: number, count: number }[]} per bucket (not cumulative), by ascending upper bound; `+Inf` last
 */
export function latencyBuckets(text, keep) {
  /** @type {Map<number, number>} cumulative counts by upper bound */
  const cumulative = new Map();
  for (const line of text.split('\n')) {
    const match = BUCKET_LINE.exec(line);
    if (match === null) continue;
    /** @type {Record<string, string>} */
    const labels = {};
    for (const [, name, value] of match[1].matchAll(LABEL)) labels[name] = value;
    if (!keep(labels)) continue;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    cumulative.set(le, (cumulative.get(le) ?? 0) + Number(match[2]));
  }
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  return bounds.map((le, i) => ({ le, count: /** @type {number} */ (cumulative.get(le)) - (i === 0 ? 0 : /** @type {number} */ (cumulative.get(bounds[i - 1]))) }));
}

/**
 * The buckets worth drawing: from one before the first non-empty bucket to one after the last, at least `min` and
 * at most `max` (the slowest kept).
 * @param {{ le: number, count: number }[]} buckets
 * @param {number} [min]
 * @returns {{ le: number, count: number }[]}
 */
export function visibleBuckets(buckets, min = 6, max = 12) {
  const used = buckets.flatMap((b, i) => (b.count > 0 ? [i] : []));
  if (used.length === 0) return buckets.slice(4, 4 + min);
  let from = Math.max(0, used[0] - 1);
  const to = Math.min(buckets.length, Math.max(used[used.length - 1] + 2, from + min));
  from = Math.max(0, Math.min(from, to - min), to - max);
  return buckets.slice(from, to);
}

/**
 * A bucket's upper bound in milliseconds, for an axis: `0.5`, `25`, `2500`, `more`.
 * @param {number} le seconds
 * @returns {string}
 */
export function boundLabel(le) {
  return Number.isFinite(le) ? String(Number((le * 1000).toPrecision(3))) : 'more';
}
