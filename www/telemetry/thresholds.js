// Alert thresholds for drift and live accuracy: the defaults, per-model overrides, and the level a drift report
// reaches.
//
// Defaults (common practice): PSI above 0.1 is a moderate shift (`warn`), above 0.25 a significant one (`alert`);
// Jensen-Shannon divergence (base 2, in [0, 1]) above 0.1 is `warn`; the binned Kolmogorov-Smirnov statistic has no
// default threshold (set `ks` to use it). A feature is judged only once its window holds `minSamples` values (500):
// sampling noise alone gives a PSI of about (bins - 1) / n on n values, 0.09 for 100 values in 10 bins, which would
// pass the warn threshold by chance; at 500 values it is about 0.02.
// Live accuracy: an `accuracy-drop` when the rolling accuracy over at least `minLabels` labelled predictions falls
// below `accuracy` (0.8 by default), or, for regressors, when MAE or RMSE rises above `mae` / `rmse` (no default).

import { argumentError, ErrorCode } from '../errors.js';

/**
 * @typedef {object} Thresholds
 * @property {number} psiWarn PSI above this is `warn` (0.1)
 * @property {number} psiAlert PSI above this is `alert` (0.25)
 * @property {number} js Jensen-Shannon divergence above this is `warn` (0.1)
 * @property {number | null} ks KS statistic above this is `warn` (none)
 * @property {number} minSamples values a feature's window needs before it is judged (500)
 * @property {number} accuracy rolling accuracy below this is an `accuracy-drop` (0.8)
 * @property {number | null} mae regressors: MAE above this is an `accuracy-drop` (none)
 * @property {number | null} rmse regressors: RMSE above this is an `accuracy-drop` (none)
 * @property {number} minLabels labelled predictions needed before accuracy is judged (50)
 */

/** @type {Readonly<Thresholds>} */
export const DEFAULT_THRESHOLDS = Object.freeze({
  psiWarn: 0.1, psiAlert: 0.25, js: 0.1, ks: null, minSamples: 500, accuracy: 0.8, mae: null, rmse: null, minLabels: 50,
});

const NULLABLE = new Set(['ks', 'mae', 'rmse']);

/**
 * `base` with the fields of `override` (a partial Thresholds; unknown keys and bad values are OPTIONS_INVALID).
 * @param {Readonly<Thresholds>} base
 * @param {unknown} override
 * @param {string} where what the override came from, for the error
 * @returns {Readonly<Thresholds>}
 */
export function mergeThresholds(base, override, where) {
  if (override === undefined || override === null) return base;
  if (typeof override !== 'object' || Array.isArray(override)) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, `${where}: thresholds must be an object`, { reason: 'thresholds', where });
  }
  /** @type {Record<string, number | null>} */
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const known = Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, key);
    const ok = known && ((value === null && NULLABLE.has(key)) || (typeof value === 'number' && Number.isFinite(value) && value >= 0));
    if (!ok) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `${where}: threshold ${JSON.stringify(key)} must be ${known ? 'a number >= 0' : 'one of ' + Object.keys(DEFAULT_THRESHOLDS).join(', ')}`, {
        reason: 'thresholds', where, key,
      });
    }
    out[key] = value;
  }
  return Object.freeze(/** @type {Thresholds} */ (/** @type {unknown} */ (out)));
}

/** @typedef {'ok' | 'warn' | 'alert'} DriftLevel */

/**
 * The level one feature's drift reaches, and which statistics passed their threshold.
 * @param {{ psi: number, ks: number, js: number }} drift
 * @param {Readonly<Thresholds>} t
 * @returns {{ level: DriftLevel, exceeded: ('psi' | 'js' | 'ks')[] }}
 */
export function driftLevel(drift, t) {
  /** @type {('psi' | 'js' | 'ks')[]} */
  const exceeded = [];
  if (drift.psi > t.psiWarn) exceeded.push('psi');
  if (drift.js > t.js) exceeded.push('js');
  if (t.ks !== null && drift.ks > t.ks) exceeded.push('ks');
  const level = drift.psi > t.psiAlert ? 'alert' : exceeded.length > 0 ? 'warn' : 'ok';
  return { level, exceeded };
}

/** @type {Record<DriftLevel, number>} */
export const LEVEL_RANK = { ok: 0, warn: 1, alert: 2 };
