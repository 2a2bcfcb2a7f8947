// The demo's pure helpers: histogram buckets from Prometheus text, pad pixels to ink, .npy bytes for the CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { boundLabel, latencyBuckets, visibleBuckets } from './latency-buckets.js';
import { inkFromRgba, padPoint } from './ink.js';
import { npyBytes } from './demo-registry.js';
import { niceCeiling } from './svg.js';

const TEXT = [
  '# TYPE onnx_edge_inference_duration_seconds histogram',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="stable",le="0.001"} 2',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="stable",le="0.01"} 5',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="stable",le="+Inf"} 6',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="gate",le="0.001"} 100',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="gate",le="0.01"} 100',
  'onnx_edge_inference_duration_seconds_bucket{model="iris",version="1.0.0",variant="gate",le="+Inf"} 100',
  'onnx_edge_inference_duration_seconds_bucket{model="digits",version="mlp",variant="",le="0.001"} 0',
  'onnx_edge_inference_duration_seconds_bucket{model="digits",version="mlp",variant="",le="0.01"} 1',
  'onnx_edge_inference_duration_seconds_bucket{model="digits",version="mlp",variant="",le="+Inf"} 1',
  'onnx_edge_inference_duration_seconds_sum{model="digits",version="mlp",variant=""} 0.004',
].join('\n');

test('latencyBuckets: cumulative buckets summed over the series kept, made per bucket', () => {
  const buckets = latencyBuckets(TEXT, (labels) => labels.variant !== 'gate');
  assert.deepEqual(buckets, [{ le: 0.001, count: 2 }, { le: 0.01, count: 4 }, { le: Infinity, count: 1 }]);
  assert.deepEqual(latencyBuckets(TEXT, (labels) => labels.model === 'digits').map((b) => b.count), [0, 1, 0]);
});

test('visibleBuckets: one empty bucket each side of the used ones, within min and max', () => {
  const buckets = [0, 0, 0, 3, 0, 5, 0, 0, 0, 0].map((count, i) => ({ le: i, count }));
  assert.deepEqual(visibleBuckets(buckets, 3).map((b) => b.le), [2, 3, 4, 5, 6]);
  assert.deepEqual(visibleBuckets(buckets, 8).map((b) => b.le), [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(visibleBuckets(buckets, 2, 3).map((b) => b.le), [4, 5, 6]);
  assert.equal(boundLabel(0.00025), '0.25');
  assert.equal(boundLabel(2.5), '2500');
  assert.equal(boundLabel(Infinity), 'more');
});

test('inkFromRgba reads alpha; padPoint maps client coordinates to pad pixels', () => {
  const rgba = new Uint8ClampedArray([0, 0, 0, 0, 17, 17, 17, 255, 17, 17, 17, 51, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(inkFromRgba(rgba, 2, 2)), [0, 1, 0.20000000298023224, 0]);
  assert.throws(() => inkFromRgba(rgba, 3, 2), RangeError);
  assert.deepEqual(padPoint({ clientX: 110, clientY: 20 }, { left: 10, top: 20, width: 224, height: 224 }, 28), { x: 12.5, y: 0 });
  assert.deepEqual([0.3, 1, 7, 12, 0].map(niceCeiling), [0.5, 1, 10, 20, 1]);
});

test('npyBytes writes numpy format 1.0 with a 64-byte aligned header', () => {
  const bytes = npyBytes(Float32Array.of(1.5, -2), [1, 2]);
  const headerLength = bytes[8] | (bytes[9] << 8);
  assert.equal((10 + headerLength) % 64, 0);
  const header = new TextDecoder().decode(bytes.slice(10, 10 + headerLength));
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(1, 2\), \} *\n$/);
  const view = new DataView(bytes.buffer, 10 + headerLength);
  assert.deepEqual([view.getFloat32(0, true), view.getFloat32(4, true)], [1.5, -2]);
});
