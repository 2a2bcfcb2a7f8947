// The events a Telemetry raises (`drift`, `accuracy-drop`, `dropped`) and its pluggable logger (default silent),
// which receives load, switch, error, drift, accuracy-drop and dropped events as plain objects.

import { argumentError, ErrorCode } from '../errors.js';

/** The event types `telemetry.on` accepts. */
export const EVENT_TYPES = Object.freeze(/** @type {const} */ (['drift', 'accuracy-drop', 'dropped']));

/** @typedef {typeof EVENT_TYPES[number]} EventType */

/**
 * An event as listeners and the logger get it: `type`, `level` (`info`, `warn`, `error`), `time` (ms since the
 * epoch) and the fields of its type.
 * @typedef {{ type: string, level: 'info' | 'warn' | 'error', time: number, [field: string]: unknown }} TelemetryEvent
 */

/**
 * A function that takes each event, or an object with `info`, `warn` and `error` methods (console, pino, ...)
 * called with the event object.
 * @typedef {((event: TelemetryEvent) => void) | { info: (event: TelemetryEvent) => void, warn: (event: TelemetryEvent) => void, error: (event: TelemetryEvent) => void }} Logger
 */

export class Events {
  /** @type {Map<EventType, Set<(event: TelemetryEvent) => void>>} */
  #listeners = new Map();
  /** @type {((event: TelemetryEvent) => void) | null} */
  #log;

  /** @param {unknown} logger */
  constructor(logger) {
    this.#log = toLogFunction(logger);
  }

  /**
   * @param {unknown} type
   * @param {unknown} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    if (!EVENT_TYPES.includes(/** @type {EventType} */ (type))) {
      throw argumentError(ErrorCode.OPTIONS_INVALID, `telemetry.on: the event is one of ${EVENT_TYPES.join(', ')}`, { reason: 'event', event: String(type) });
    }
    if (typeof listener !== 'function') {
      throw argumentError(ErrorCode.OPTIONS_INVALID, 'telemetry.on: the listener must be a function', { reason: 'listener' });
    }
    const key = /** @type {EventType} */ (type);
    let set = this.#listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    const fn = /** @type {(event: TelemetryEvent) => void} */ (listener);
    set.add(fn);
    return () => { set.delete(fn); };
  }

  /**
   * @param {EventType} type
   * @param {(event: TelemetryEvent) => void} listener
   */
  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /**
   * Hand an event to its listeners (for the three public types) and to the logger. A listener or logger that throws
   * is ignored: telemetry never breaks a prediction.
   * @param {string} type
   * @param {'info' | 'warn' | 'error'} level
   * @param {Record<string, unknown>} fields
   * @returns {TelemetryEvent}
   */
  emit(type, level, fields) {
    /** @type {TelemetryEvent} */
    const event = { type, level, time: Date.now(), ...fields };
    for (const listener of this.#listeners.get(/** @type {EventType} */ (type)) ?? []) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own
      }
    }
    this.log(event);
    return event;
  }

  /**
   * Hand an event to the logger only.
   * @param {TelemetryEvent} event
   */
  log(event) {
    if (this.#log === null) return;
    try {
      this.#log(event);
    } catch {
      // a logger's failure is its own
    }
  }
}

/**
 * @param {unknown} logger
 * @returns {((event: TelemetryEvent) => void) | null}
 */
function toLogFunction(logger) {
  if (logger === undefined || logger === null) return null;
  if (typeof logger === 'function') return /** @type {(event: TelemetryEvent) => void} */ (logger);
  const methods = /** @type {Partial<Record<'info' | 'warn' | 'error', unknown>>} */ (logger);
  if (typeof logger === 'object' && ['info', 'warn', 'error'].every((m) => typeof methods[/** @type {'info'} */ (m)] === 'function')) {
    const target = /** @type {Record<'info' | 'warn' | 'error', (event: TelemetryEvent) => void>} */ (/** @type {unknown} */ (logger));
    return (event) => target[event.level](event);
  }
  throw argumentError(ErrorCode.OPTIONS_INVALID, 'logger must be a function or an object with info, warn and error methods', { reason: 'logger' });
}
