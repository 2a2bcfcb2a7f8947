import { test } from 'node:test';
import assert from 'node:assert/strict';

import { digitFeatures, isOnnxEdgeError } from './index.js';

test('a pad full of ink is 16 in every one of the 64 cells', async () => {
  const features = await digitFeatures(new Float32Array(28 * 28).fill(1), 28, 28);
  assert.equal(features.length, 64);
  assert.deepEqual(Array.from(features), new Array(64).fill(16));
});

test('a centred bar lands half in each of the two middle columns (exact area averaging)', async () => {
  const ink = new Float32Array(28 * 28);
  for (let y = 6; y < 22; y += 1) for (let x = 3; x < 5; x += 1) ink[y * 28 + x] = 1;
  const features = await digitFeatures(ink, 28, 28);
  for (let row = 0; row < 8; row += 1) {
    for (let col = 0; col < 8; col += 1) {
      assert.equal(features[row * 8 + col], col === 3 || col === 4 ? 8 : 0, `row ${row} col ${col}`);
    }
  }
});

test('an empty pad gives zeros; bad arguments give typed errors', async () => {
  assert.deepEqual(Array.from(await digitFeatures(new Float32Array(16), 4, 4)), new Array(64).fill(0));
  await assert.rejects(digitFeatures(/** @type {any} */ ([1, 2, 3, 4]), 2, 2), (e) => isOnnxEdgeError(e) && e.code === 'INPUT_DTYPE');
  await assert.rejects(digitFeatures(new Float32Array(5), 2, 2), (e) => isOnnxEdgeError(e) && e.code === 'INPUT_SHAPE');
  await assert.rejects(digitFeatures(new Float32Array(4), 0, 4), (e) => isOnnxEdgeError(e) && e.code === 'INPUT_SHAPE');
});
