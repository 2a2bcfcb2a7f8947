// The events a Deployment raises. Listeners are called synchronously, in the order they were added; a listener
// that throws is skipped (its error is dropped: the deployment never writes to the console).

import { argumentError, ErrorCode } from '../errors.js';

/**
 * - `switch`: a new routing table serves (`{ name, from, to, versions, reason: 'deploy' | 'update' | 'refresh', timings }`)
 * - `rollback`: a version was switched back after its probation (`{ name, from, to, figures }`)
 * - `gate-failed`: a version failed its staging gate and does not serve (`{ name, version, reason, figures }`)
 * - `shadow-report`: a shadow run was compared with the served answer (`{ name, version, against, run, total }`)
 * - `release`: a session no longer served was released after its in-flight runs (`{ name, version }`)
 * - `probation-passed`: a version's probation window passed; the previous version was released
 */
export const DEPLOYMENT_EVENTS = Object.freeze(/** @type {const} */ (['switch', 'rollback', 'gate-failed', 'shadow-report', 'release', 'probation-passed']));

/** @typedef {typeof DEPLOYMENT_EVENTS[number]} DeploymentEvent */

export class DeploymentEvents {
  /** @type {Map<DeploymentEvent, Set<(event: any) => void>>} */
  #listeners = new Map();

  /**
   * @param {unknown} type
   * @param {unknown} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    if (!DEPLOYMENT_EVENTS.includes(/** @type {DeploymentEvent} */ (type))) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `deployment.on: the event is one of ${DEPLOYMENT_EVENTS.join(', ')}`, { reason: 'event', event: String(type) });
    }
    if (typeof listener !== 'function') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'deployment.on: the listener must be a function', { reason: 'listener' });
    }
    const key = /** @type {DeploymentEvent} */ (type);
    let set = this.#listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    const fn = /** @type {(event: any) => void} */ (listener);
    set.add(fn);
    return () => { set.delete(fn); };
  }

  /**
   * @param {DeploymentEvent} type
   * @param {Record<string, unknown>} event
   */
  emit(type, event) {
    const set = this.#listeners.get(type);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener({ type, ...event });
      } catch {
        // a listener's failure is its own
      }
    }
  }
}
