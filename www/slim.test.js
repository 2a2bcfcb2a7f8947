// The slim build (issue 17) against onnxruntime: fixtures published with `onnx-edge publish --format nnef` (the
// native CLI converts them) load into dist/onnx_edge_slim_bg.wasm through onnx-edge/slim and reproduce the
// onnxruntime outputs stored with each case, within the case's tolerance; bad archives and bad feeds get typed
// errors and leave the session working; the slim module is smaller than the full one.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { buildFeeds, compareOutputs, FIXTURES, loadCase, REPO } from './test-support/fixtures.js';

const run = promisify(execFile);
const CLI = process.env.ONNX_EDGE_CLI ?? path.join(REPO, 'target', 'debug', 'onnx-edge');
const SLIM_WASM = path.join(REPO, 'www', 'dist', 'onnx_edge_slim_bg.wasm');
const FULL_WASM = path.join(REPO, 'www', 'dist', 'onnx_edge_bg.wasm');
const SKIP = existsSync(SLIM_WASM) ? false : 'the slim wasm is not built (WASM_VARIANTS=slim scripts/build-wasm.sh)';

/**
 * Every fixture whose model converts to NNEF (README "Slim build"): an MLP, a CNN and a transformer block with
 * symbolic dims, LSTMs (float and dynamically quantized), Gather embeddings, every dtype, a foldable If, and the
 * com.microsoft ops the core rewrites into standard ONNX.
 */
const CONVERTED = [
  'digits_mlp', 'cnn_digits', 'tiny_transformer', 'lstm_float', 'quant_lstm', 'identity_all_dtypes', 'if_const_cond',
  'ml_op_array_feature_extractor', 'msft_attention', 'msft_attention_unidirectional', 'msft_dynamic_quantize_lstm',
  'msft_embed_layer_norm', 'msft_fast_gelu', 'msft_fast_gelu_bias', 'msft_fused_conv_relu', 'msft_fused_matmul_transa',
  'msft_fused_matmul_transb_alpha', 'msft_matmul_integer_to_float', 'msft_skip_layer_norm', 'msft_skip_layer_norm_bias',
];

/** @type {typeof import('./slim.js')} */
let slim;
/** @type {string} */
let registry;
/** @type {Map<string, Uint8Array>} published archives by case name */
const archives = new Map();

/**
 * Publish a fixture's model as NNEF with the CLI; returns the archive's bytes.
 * @param {string} name
 */
async function publish(name) {
  const fixture = await loadCase(name);
  const model = path.join(FIXTURES, fixture.model);
  const { stdout } = await run(CLI, ['publish', model, '--name', name, '--version', '1.0.0', '--registry', registry, '--format', 'nnef', '--json'], { timeout: 120_000 });
  const entry = JSON.parse(stdout).entry;
  assert.equal(entry.format, 'nnef');
  return new Uint8Array(await readFile(path.join(registry, entry.file)));
}

describe('onnx-edge/slim', { skip: SKIP }, () => {
  before(async () => {
    slim = await import('./slim.js');
    registry = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-slim-'));
    for (const name of CONVERTED) archives.set(name, await publish(name));
  });
  after(async () => {
    if (registry) await rm(registry, { recursive: true, force: true });
  });

  for (const name of CONVERTED) {
    test(`${name}: the NNEF archive reproduces onnxruntime's outputs`, async () => {
      const fixture = await loadCase(name);
      const session = await slim.InferenceSession.create(/** @type {Uint8Array} */ (archives.get(name)));
      try {
        assert.deepEqual([...session.inputNames].sort(), Object.keys(fixture.runs[0].inputs).sort());
        for (const [index, runCase] of fixture.runs.entries()) {
          const outputs = await session.run(buildFeeds(slim.Tensor, runCase.inputs));
          const { failures } = compareOutputs(outputs, runCase.outputs, fixture.tolerance, fixture.exact);
          assert.deepEqual(failures, [], `run ${index}`);
        }
      } finally {
        await session.release();
      }
    });
  }

  test('bytes that are not an NNEF archive are MODEL_PARSE, an ONNX file too', async () => {
    const onnx = new Uint8Array(await readFile(path.join(FIXTURES, 'models', 'digits_mlp.onnx')));
    for (const bytes of [new Uint8Array(0), Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251), onnx]) {
      await assert.rejects(slim.InferenceSession.create(bytes), (error) => {
        assert.ok(slim.isOnnxEdgeError(error));
        assert.equal(/** @type {any} */ (error).code, 'MODEL_PARSE');
        return true;
      });
    }
  });

  test('a truncated archive is a typed error, not a trap', async () => {
    const archive = /** @type {Uint8Array} */ (archives.get('digits_mlp'));
    await assert.rejects(slim.InferenceSession.create(archive.subarray(0, Math.floor(archive.length / 2))), (error) => {
      assert.ok(slim.isOnnxEdgeError(error));
      assert.equal(/** @type {any} */ (error).code, 'MODEL_PARSE');
      return true;
    });
  });

  test('wrong feeds get the full build\'s codes and the session keeps answering', async () => {
    const fixture = await loadCase('digits_mlp');
    const session = await slim.InferenceSession.create(/** @type {Uint8Array} */ (archives.get('digits_mlp')));
    const good = buildFeeds(slim.Tensor, fixture.runs[0].inputs);
    const x = /** @type {import('./tensor.js').Tensor} */ (good.X);
    const cases = [
      [{ X: new slim.Tensor('float64', new Float64Array(x.data.length), x.dims) }, 'INPUT_DTYPE'],
      [{ X: new slim.Tensor('float32', new Float32Array(x.dims[0] * 65), [x.dims[0], 65]) }, 'INPUT_SHAPE'],
      [{ X: new slim.Tensor('float32', new Float32Array(64), [64]) }, 'INPUT_SHAPE'],
      [{}, 'INPUT_MISSING'],
      [{ ...good, nonsense: x }, 'INPUT_UNKNOWN'],
    ];
    for (const [feeds, code] of cases) {
      await assert.rejects(session.run(/** @type {any} */ (feeds)), (error) => {
        assert.equal(/** @type {any} */ (error).code, code);
        return true;
      });
    }
    await assert.rejects(session.run(good, ['nonsense']), { code: 'OUTPUT_UNKNOWN' });
    const outputs = await session.run(good);
    assert.deepEqual(compareOutputs(outputs, fixture.runs[0].outputs, fixture.tolerance, fixture.exact).failures, []);
    await session.release();
    await assert.rejects(session.run(good), { code: 'RELEASED' });
  });

  test('a fed Gather index out of range is MODEL_RUN naming the node (the loader guards tract\'s Gather), not a trap', async () => {
    const fixture = await loadCase('tiny_transformer');
    const session = await slim.InferenceSession.create(/** @type {Uint8Array} */ (archives.get('tiny_transformer')));
    const ids = new slim.Tensor('int64', BigInt64Array.from([40n, 15n, 1_000_000n, 8n, 22n]), [1, 5]);
    await assert.rejects(session.run({ ids }), (error) => {
      assert.equal(/** @type {any} */ (error).code, 'MODEL_RUN');
      assert.match(/** @type {Error} */ (error).message, /index 1000000 is out of range/);
      return true;
    });
    const outputs = await session.run(buildFeeds(slim.Tensor, fixture.runs[0].inputs));
    assert.deepEqual(compareOutputs(outputs, fixture.runs[0].outputs, fixture.tolerance, fixture.exact).failures, []);
    await session.release();
  });

  test('the slim module is smaller than the full build, gzip -9', async () => {
    const gzip = async (/** @type {string} */ file) => gzipSync(await readFile(file), { level: 9 }).length;
    const [slimSize, fullSize] = [await gzip(SLIM_WASM), await gzip(FULL_WASM)];
    assert.ok(slimSize < fullSize, `slim ${slimSize} bytes gzip, full ${fullSize}`);
  });
});
