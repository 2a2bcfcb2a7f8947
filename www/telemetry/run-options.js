// The run options telemetry reads from `session.run(feeds, fetches, options)` or `session.run(feeds, options)`
// (onnxruntime-web's rule: an object with no output name as a key is options, not fetches).

import { argumentError, ErrorCode } from '../errors.js';

/** Longest prediction id kept (a longer one is refused: ids are held in memory until their label arrives). */
export const MAX_PREDICTION_ID_LENGTH = 256;

/**
 * @typedef {object} TelemetryRunOptions
 * @property {string | readonly string[]} [predictionId] the caller's id for the prediction, to match a label given
 *   later with `telemetry.feedback(id, label)`. One string for a one-row run; for a run of n rows, an array of n
 *   ids, or one string: row i is then recorded as `${id}#${i}`.
 * @property {string} [variant] the deployment variant this run served (e.g. `stable`, `canary`, `shadow`); a label
 *   value, so keep the set small
 */

/**
 * @param {readonly string[]} outputNames
 * @param {unknown} fetches
 * @param {unknown} options
 * @returns {TelemetryRunOptions}
 */
export function runOptionsOf(outputNames, fetches, options) {
  /** @type {unknown} */
  let given = options;
  if (given === undefined && typeof fetches === 'object' && fetches !== null && !Array.isArray(fetches)
    && !outputNames.some((name) => Object.prototype.hasOwnProperty.call(fetches, name))) {
    given = fetches;
  }
  if (typeof given !== 'object' || given === null) return {};
  const { predictionId, variant } = /** @type {{ predictionId?: unknown, variant?: unknown }} */ (given);
  /** @type {TelemetryRunOptions} */
  const out = {};
  if (predictionId !== undefined) {
    const ids = Array.isArray(predictionId) ? predictionId : [predictionId];
    const ok = ids.length > 0 && ids.every((id) => typeof id === 'string' && id !== '' && id.length <= MAX_PREDICTION_ID_LENGTH);
    if (!ok) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `predictionId must be a non-empty string of at most ${MAX_PREDICTION_ID_LENGTH} characters, or an array of them`, {
        reason: 'predictionId',
      });
    }
    out.predictionId = /** @type {string | string[]} */ (predictionId);
  }
  if (variant !== undefined) {
    if (typeof variant !== 'string') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'variant must be a string', { reason: 'variant' });
    }
    out.variant = variant;
  }
  return out;
}

/**
 * The id of each of `rows` rows.
 * @param {string | readonly string[]} predictionId
 * @param {number} rows
 * @returns {string[] | null} null when an array's length is not `rows`
 */
export function rowIds(predictionId, rows) {
  if (typeof predictionId !== 'string') return predictionId.length === rows ? [...predictionId] : null;
  if (rows === 1) return [predictionId];
  return Array.from({ length: rows }, (_, i) => `${predictionId}#${i}`);
}
