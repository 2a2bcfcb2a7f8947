// What sessions and the registry call on the `telemetry` they were given. Kept apart from telemetry.js so that
// session.js and registry.js depend on this small face only.

import { argumentError, ErrorCode } from '../errors.js';

/** @typedef {{ name: string, version?: string, alias?: string | null }} LoadedModel a model as the registry names it */

/**
 * @typedef {object} TelemetryHooks
 * @property {(session: RunningSession, feeds: unknown, fetches: unknown, options: unknown, run: () => Promise<Record<string, import('../tensor.js').Tensor>>) => Promise<Record<string, import('../tensor.js').Tensor>>} recordRun
 *   runs `run` and records it: latency, predictions, errors by code, drift, live accuracy
 * @property {(model: LoadedModel, load: { seconds: number, fromCache: boolean, entry?: unknown }) => void} recordLoad
 *   a model loaded by the registry (`entry` is the manifest's version entry: its `reference` and `labels` are used)
 * @property {(model: LoadedModel | null, error: unknown) => void} recordError an error outside `run` (a failed load)
 */

/**
 * The session as telemetry sees it.
 * @typedef {{ readonly model: import('../session.js').ModelIdentity | null, readonly outputNames: readonly string[] }} RunningSession
 */

/**
 * The telemetry hooks of an option value: null when none was given; OPTIONS_INVALID (TypeError) for a value that is
 * not a Telemetry.
 * @param {unknown} value
 * @returns {TelemetryHooks | null}
 */
export function telemetryOf(value) {
  if (value === undefined || value === null) return null;
  const hooks = /** @type {Partial<TelemetryHooks>} */ (value);
  if (typeof value === 'object' && typeof hooks.recordRun === 'function' && typeof hooks.recordLoad === 'function'
    && typeof hooks.recordError === 'function') {
    return /** @type {TelemetryHooks} */ (hooks);
  }
  throw argumentError(ErrorCode.OPTIONS_INVALID, 'telemetry must be a Telemetry (new Telemetry())', { reason: 'telemetry' });
}
