// Drift reference statistics as the manifest carries them (`onnx-edge publish --reference`): checked for shape
// here, read by the core's DriftMonitor. `{ bins, features: [{ input, index, edges, counts, count, nonFinite,
// mean, std }], driftThresholds? }`, or the features array alone.

import { argumentError, ErrorCode } from '../errors.js';

/**
 * @typedef {object} FeatureReference
 * @property {string} input the model input (or output, for the prediction's distribution)
 * @property {number} index the feature's index along the last axis
 * @property {number[]} edges interior bin edges, increasing
 * @property {number[]} counts reference values per bin (`edges.length + 1` bins)
 * @property {number} [count]
 * @property {number} [nonFinite]
 * @property {number} [mean]
 * @property {number} [std]
 */

/**
 * @typedef {object} DriftReference
 * @property {number} [bins]
 * @property {FeatureReference[]} features
 * @property {Record<string, number | null>} [driftThresholds] per-model threshold overrides (thresholds.js)
 */

/**
 * A reference as the core takes it (JSON), its features, and its threshold overrides.
 * @param {unknown} reference
 * @returns {{ json: string, features: { input: string, index: number }[], thresholds: unknown }}
 */
export function checkReference(reference) {
  const features = Array.isArray(reference)
    ? reference
    : typeof reference === 'object' && reference !== null ? /** @type {{ features?: unknown }} */ (reference).features : undefined;
  const bad = (/** @type {string} */ why) => argumentError(ErrorCode.OPTIONS_INVALID, `drift reference: ${why}`, { reason: 'reference', why });
  if (!Array.isArray(features)) throw bad('expected { features: [...] } (a manifest version\'s `reference`) or the features array');
  /** @type {{ input: string, index: number }[]} */
  const seen = [];
  for (const feature of features) {
    const f = /** @type {Partial<FeatureReference>} */ (feature ?? {});
    if (typeof f.input !== 'string' || !Number.isSafeInteger(f.index) || /** @type {number} */ (f.index) < 0) throw bad('each feature needs input and index');
    if (!Array.isArray(f.edges) || !Array.isArray(f.counts) || f.counts.length !== f.edges.length + 1) {
      throw bad(`feature ${f.input}[${f.index}] needs edges and counts (one more count than edges)`);
    }
    seen.push({ input: f.input, index: /** @type {number} */ (f.index) });
  }
  const thresholds = Array.isArray(reference) ? undefined : /** @type {{ driftThresholds?: unknown }} */ (reference).driftThresholds;
  return { json: JSON.stringify(Array.isArray(reference) ? features : { features }), features: seen, thresholds };
}

/**
 * The `feature` label of a feature: `X[2]` (input name and index along the last axis).
 * @param {{ input: string, index: number }} feature
 * @returns {string}
 */
export function featureLabel(feature) {
  return `${feature.input}[${feature.index}]`;
}
