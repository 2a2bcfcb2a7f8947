// The options of `registry.deploy(name, options)`: checked once, with their defaults filled in.

import { argumentError, ErrorCode } from '../errors.js';

/** @typedef {import('../session.js').SessionOptions} SessionOptions */
/** @typedef {import('../session.js').InferenceSession} InferenceSession */

/**
 * Automatic rollback after a switch. The new version is on probation for a window of runs: it is judged when
 * `window` runs have been answered since the switch, or earlier once `windowMs` has passed with at least `minRuns`
 * runs (judged at the first run after that time: no timer runs). It is rolled back when
 * - its error rate (failed runs / runs in the window) exceeds the previous version's error rate (over its last
 *   `window` runs before the switch) by more than `maxErrorRate`, or
 * - its p95 latency (over the window's successful runs) exceeds the previous version's p95 (measured over its last
 *   `window` successful runs before the switch) times `maxP95Ratio`, and by at least `minP95IncreaseMs` (so that
 *   sub-millisecond timer noise cannot trip it). Without `minRuns` successful runs of the previous version before
 *   the switch there is no latency baseline and only the error rate is judged.
 * While on probation the previous version stays loaded (standby), so that switching back takes no load; it is
 * released when the new version passes.
 * @typedef {object} RollbackOptions
 * @property {number} [window] runs judged after a switch (default 200)
 * @property {number} [windowMs] judge earlier once this many ms have passed since the switch (default 60,000)
 * @property {number} [minRuns] fewest runs a judgement needs (default min(20, window))
 * @property {number} [maxErrorRate] allowed excess of the error rate over the previous version's (default 0.05)
 * @property {number} [maxP95Ratio] allowed p95 latency relative to the previous version's (default 1.5)
 * @property {number} [minP95IncreaseMs] a p95 rise smaller than this never trips (default 1 ms)
 */

/**
 * The user's own staging check, run after the manifest's gate passed: e.g. accuracy on a labelled validation set
 * (`accuracyCheck` builds one). `ok: false` (or a throw) fails the gate; `figures` go into the `gate-failed` event.
 * @typedef {(session: InferenceSession, model: { name: string, version: string }) => Promise<{ ok: boolean, figures?: unknown }> | { ok: boolean, figures?: unknown }} StagingCheck
 */

/**
 * @typedef {object} DeployOptions
 * @property {unknown} [telemetry] a Telemetry the sessions report to (default: the registry's); each run carries its
 *   `variant` and `predictionId` as labels
 * @property {string} [userKey] the key runs without a `userKey` of their own are assigned by (e.g. the user id of
 *   this page)
 * @property {string} [spec] what to serve: `iris` (the default: the `stable` alias, else the highest version),
 *   `iris@stable`, `iris@1.2.0`, `iris@^1.2`. Manifest weights apply only while the spec names an alias or just the
 *   model; a pinned version or range serves every run
 * @property {RollbackOptions | false} [rollback] automatic rollback after a switch (default: on, with the defaults)
 * @property {string | false} [shadow] the version run in the shadow of the served one (default: the manifest's
 *   `rollout.shadow`); false for none
 * @property {StagingCheck} [check] the user's staging check, after the manifest's gate
 * @property {boolean} [requireGate] refuse versions without a gate in the manifest (default false: such a version is
 *   only warmed up, with zeros, before it serves)
 * @property {(userKey: string) => string | undefined} [assign] choose the version of a key yourself (tests): a
 *   version among those the manifest's weights load, else the primary serves
 * @property {number} [shadowMaxPending] shadow runs waiting at most (default 64); more are dropped and counted
 * @property {SessionOptions} [sessionOptions] options for every session loaded (`model` and `telemetry` are set by
 *   the deployment)
 */

/**
 * @typedef {object} RollbackSettings
 * @property {number} window
 * @property {number} windowMs
 * @property {number} minRuns
 * @property {number} maxErrorRate
 * @property {number} maxP95Ratio
 * @property {number} minP95IncreaseMs
 */

/**
 * @typedef {object} DeploySettings
 * @property {unknown} telemetry
 * @property {string | undefined} userKey
 * @property {string} spec
 * @property {RollbackSettings | null} rollback
 * @property {string | false | undefined} shadow
 * @property {StagingCheck | undefined} check
 * @property {boolean} requireGate
 * @property {((userKey: string) => string | undefined) | undefined} assign
 * @property {number} shadowMaxPending
 * @property {SessionOptions} sessionOptions
 */

/** The rollback defaults. */
export const ROLLBACK_DEFAULTS = Object.freeze({ window: 200, windowMs: 60_000, maxErrorRate: 0.05, maxP95Ratio: 1.5, minP95IncreaseMs: 1 });

/**
 * @param {string} name
 * @param {unknown} options
 * @param {unknown} registryTelemetry
 * @returns {DeploySettings}
 */
export function deploySettings(name, options, registryTelemetry) {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, 'registry.deploy(name, options): name is a model name such as "iris"', { reason: 'name' });
  }
  if (typeof options !== 'object' || options === null) {
    throw argumentError(ErrorCode.OPTIONS_INVALID, 'registry.deploy(name, options): options must be an object', { reason: 'options' });
  }
  const o = /** @type {DeployOptions} */ (options);
  if (o.userKey !== undefined && typeof o.userKey !== 'string') fail('userKey', 'userKey must be a string');
  const spec = o.spec ?? name;
  checkSpec(name, spec, 'spec');
  if (o.shadow !== undefined && o.shadow !== false && typeof o.shadow !== 'string') fail('shadow', 'shadow is a version string, or false');
  for (const key of /** @type {const} */ (['check', 'assign'])) {
    if (o[key] !== undefined && typeof o[key] !== 'function') fail(key, `${key} must be a function`);
  }
  if (o.requireGate !== undefined && typeof o.requireGate !== 'boolean') fail('requireGate', 'requireGate must be a boolean');
  const shadowMaxPending = o.shadowMaxPending ?? 64;
  if (!Number.isSafeInteger(shadowMaxPending) || shadowMaxPending < 0) fail('shadowMaxPending', 'shadowMaxPending must be an integer >= 0');
  if (o.sessionOptions !== undefined && (typeof o.sessionOptions !== 'object' || o.sessionOptions === null)) fail('sessionOptions', 'sessionOptions must be an object');
  return {
    telemetry: o.telemetry ?? registryTelemetry,
    userKey: o.userKey,
    spec,
    rollback: rollbackSettings(o.rollback),
    shadow: o.shadow,
    check: o.check,
    requireGate: o.requireGate ?? false,
    assign: o.assign,
    shadowMaxPending,
    sessionOptions: { ...o.sessionOptions },
  };
}

/**
 * A spec names this deployment's model: `name`, or `name@something`.
 * @param {string} name
 * @param {unknown} spec
 * @param {string} reason
 * @returns {asserts spec is string}
 */
export function checkSpec(name, spec, reason) {
  if (typeof spec !== 'string' || (spec !== name && !spec.startsWith(`${name}@`)) || spec === `${name}@`) {
    fail(reason, `a spec of this deployment is "${name}", "${name}@stable", "${name}@1.2.0" or "${name}@^1.2"`);
  }
}

/**
 * @param {unknown} value
 * @returns {RollbackSettings | null}
 */
function rollbackSettings(value) {
  if (value === false) return null;
  if (value !== undefined && (typeof value !== 'object' || value === null)) fail('rollback', 'rollback is an object, or false');
  const r = /** @type {RollbackOptions} */ (value ?? {});
  const window = r.window ?? ROLLBACK_DEFAULTS.window;
  if (!Number.isSafeInteger(window) || window < 1) fail('rollback.window', 'rollback.window must be an integer >= 1');
  const minRuns = r.minRuns ?? Math.min(20, window);
  if (!Number.isSafeInteger(minRuns) || minRuns < 1 || minRuns > window) fail('rollback.minRuns', 'rollback.minRuns must be an integer from 1 to window');
  /** @type {Record<string, number>} */
  const numbers = {};
  for (const key of /** @type {const} */ (['windowMs', 'maxErrorRate', 'maxP95Ratio', 'minP95IncreaseMs'])) {
    const v = r[key] ?? ROLLBACK_DEFAULTS[key];
    if (typeof v !== 'number' || !(v >= 0) || Number.isNaN(v)) fail(`rollback.${key}`, `rollback.${key} must be a number >= 0`);
    numbers[key] = v;
  }
  return {
    window,
    windowMs: numbers.windowMs,
    minRuns,
    maxErrorRate: numbers.maxErrorRate,
    maxP95Ratio: numbers.maxP95Ratio,
    minP95IncreaseMs: numbers.minP95IncreaseMs,
  };
}

/**
 * @param {string} reason
 * @param {string} message
 * @returns {never}
 */
function fail(reason, message) {
  throw argumentError(ErrorCode.OPTIONS_INVALID, message, { reason });
}
