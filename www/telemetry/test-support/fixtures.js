// Test fixtures for the telemetry tests (Node only): the stats references written by tests/fixtures/gen/stats.py,
// the iris model, and a comparison within 1e-9.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { FIXTURES } from '../../test-support/fixtures.js';

/**
 * One of tests/fixtures/stats/*.json.
 * @param {string} name e.g. `drift.json`
 * @returns {Promise<any>}
 */
export async function loadStats(name) {
  return JSON.parse(await readFile(path.join(FIXTURES, 'stats', name), 'utf8'));
}

/**
 * The bytes of a model under tests/fixtures/.
 * @param {string} [model] default `models/iris_rf.onnx`
 * @returns {Promise<Uint8Array>}
 */
export async function modelBytes(model = 'models/iris_rf.onnx') {
  return new Uint8Array(await readFile(path.join(FIXTURES, model)));
}

/**
 * |actual - expected| <= 1e-9 * max(1, |expected|).
 * @param {number} actual
 * @param {number} expected
 * @param {string} what
 */
export function assertClose(actual, expected, what) {
  assert.equal(typeof actual, 'number', `${what}: ${actual} is not a number`);
  const ok = Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(ok, `${what}: ${actual}, expected ${expected} (difference ${actual - expected})`);
}

/**
 * Rows as one float32 tensor's data.
 * @param {readonly (readonly number[])[]} rows
 * @returns {Float32Array}
 */
export function flatRows(rows) {
  return Float32Array.from(rows.flat());
}
