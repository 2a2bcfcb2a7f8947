// A registry version published with `onnx-edge publish --format nnef` (issue 17's slim build): the full build's
// ModelRegistry refuses to open it without an engine for NNEF (OPTIONS_INVALID naming the format, before any
// download), and opens it with `engines: { nnef }` set to onnx-edge/slim's InferenceSession.create, reproducing the
// onnxruntime outputs stored with the fixture. Real CLI (publish, serve on 127.0.0.1), real slim wasm.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isOnnxEdgeError } from '../errors.js';
import { ModelRegistry } from '../index.js';
import { buildFeeds, compareOutputs, FIXTURES, loadCase, REPO } from '../test-support/fixtures.js';
import { cli, cliMissing, serve, wasmMissing } from './test-support/registry-fixture.js';

const SLIM_WASM = path.join(REPO, 'www', 'dist', 'onnx_edge_slim_bg.wasm');
const SKIP = cliMissing() || (await wasmMissing()) || (existsSync(SLIM_WASM) ? false : 'the slim wasm is not built');

describe('a registry version in NNEF', { skip: SKIP }, () => {
  /** @type {string} */ let root;
  /** @type {Awaited<ReturnType<typeof serve>>} */ let served;
  /** @type {string} */ let publicKey;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-nnef-registry-'));
    const keyBase = path.join(root, 'publisher');
    await cli('keygen', '--out', keyBase);
    publicKey = (await readFile(`${keyBase}.pub`, 'utf8')).trim();
    const fixture = await loadCase('cnn_digits');
    await cli('publish', path.join(FIXTURES, fixture.model), '--name', 'digits', '--version', '1.0.0',
      '--registry', path.join(root, 'registry'), '--format', 'nnef', '--alias', 'stable', '--sign', `${keyBase}.key`);
    served = await serve(path.join(root, 'registry'));
  });
  after(async () => {
    await served?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('without an NNEF engine, load is OPTIONS_INVALID naming the format and nothing is downloaded', async () => {
    let modelRequests = 0;
    /** @type {typeof fetch} */
    const counting = (input, init) => {
      if (String(input).endsWith('.tar')) modelRequests += 1;
      return fetch(input, init);
    };
    const registry = new ModelRegistry({ manifest: served.manifestUrl, publicKey, cache: 'none', fetch: counting });
    await assert.rejects(registry.load('digits@stable'), (error) => {
      assert.ok(isOnnxEdgeError(error));
      assert.equal(error.code, 'OPTIONS_INVALID');
      assert.equal(/** @type {any} */ (error.details).format, 'nnef');
      assert.match(error.message, /digits@1\.0\.0 is published as nnef/);
      return true;
    });
    assert.equal(modelRequests, 0);
  });

  test("with onnx-edge/slim's InferenceSession.create as the NNEF engine, the version runs as onnxruntime did", async () => {
    const slim = await import('../slim.js');
    const registry = new ModelRegistry({ manifest: served.manifestUrl, publicKey, cache: 'none', engines: { nnef: slim.InferenceSession.create } });
    const session = await registry.load('digits@stable');
    try {
      const fixture = await loadCase('cnn_digits');
      for (const runCase of fixture.runs) {
        const outputs = await session.run(buildFeeds(slim.Tensor, runCase.inputs));
        assert.deepEqual(compareOutputs(outputs, runCase.outputs, fixture.tolerance, fixture.exact).failures, []);
      }
    } finally {
      await session.release();
    }
  });
});
