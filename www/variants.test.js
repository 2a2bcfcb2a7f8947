// The two packaged wasm builds (issue 17): SIMD detection, choosing a build, the forced baseline build predicting as
// the references say, and the package shipping both. The baseline cases skip when it was not built
// (`WASM_VARIANTS="simd baseline" make wasm`).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import binaryen from 'binaryen';

import { SIMD_PROBE, chooseVariant, wasmSimdSupported, wasmValidates } from './wasm-features.js';

const run = promisify(execFile);
const WWW = fileURLToPath(new URL('./', import.meta.url));
const DIST = path.join(WWW, 'dist');
const SIMD_WASM = path.join(DIST, 'onnx_edge_bg.wasm');
const BASELINE_WASM = path.join(DIST, 'onnx_edge_baseline_bg.wasm');
const NO_BASELINE = existsSync(BASELINE_WASM)
  ? false
  : 'dist/onnx_edge_baseline_bg.wasm is not built (WASM_VARIANTS="simd baseline" ./scripts/build-wasm.sh)';
const WASM_OPT = path.join(WWW, '..', 'node_modules', '.bin', 'wasm-opt');

/** `(module (func (result i32) i32.const 0))`: the probe without its SIMD. */
const PLAIN_MODULE = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x41, 0, 0x0b);

/**
 * The module without its `target_features` custom section, which binaryen would take as the features to allow
 * (it lists what rustc was told, not what the code uses).
 * @param {Uint8Array} bytes
 */
function withoutTargetFeatures(bytes) {
  const parts = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    at += 1;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
    }
    const body = at;
    at += size;
    const custom = bytes[start] === 0;
    if (custom && Buffer.from(bytes.subarray(body + 1, body + 1 + bytes[body])).toString() === 'target_features') continue;
    parts.push(bytes.subarray(start, at));
  }
  return Buffer.concat(parts);
}

/**
 * Whether binaryen (an independent validator) accepts `file` with every wasm feature but SIMD.
 * @param {string} file
 */
async function validatesWithoutSimd(file) {
  const dir = await mkdtemp(path.join(tmpdir(), 'onnx-edge-variant-'));
  try {
    const stripped = path.join(dir, 'module.wasm');
    await writeFile(stripped, withoutTargetFeatures(await readFile(file)));
    await run(WASM_OPT, ['--all-features', '--disable-simd', stripped, '-o', '/dev/null'], { timeout: 120_000, maxBuffer: 64 << 20 });
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('wasm SIMD detection', () => {
  test('the probe is a SIMD module: binaryen reads a v128 op in it, and the plain module has none', () => {
    for (const [bytes, simd] of /** @type {const} */ ([[SIMD_PROBE, true], [PLAIN_MODULE, false]])) {
      const module = binaryen.readBinary(bytes);
      try {
        const text = module.emitText();
        assert.equal(/\bv128\b/.test(text) && /\bi8x16\.popcnt\b/.test(text), simd, text);
        module.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
        assert.ok(module.validate(), 'binaryen finds the module valid with SIMD enabled');
      } finally {
        module.dispose();
      }
    }
  });

  test('Node (V8 with SIMD) validates the probe and the plain module, and not garbage', () => {
    assert.equal(wasmValidates(SIMD_PROBE), true);
    assert.equal(wasmValidates(PLAIN_MODULE), true);
    assert.equal(wasmValidates(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0)), false);
    assert.equal(wasmValidates(SIMD_PROBE.subarray(0, SIMD_PROBE.length - 1)), false, 'a truncated probe');
    assert.equal(wasmSimdSupported(), true);
  });

  test('auto picks SIMD only where it validates; simd and baseline are taken as asked', () => {
    assert.equal(chooseVariant('auto', true), 'simd');
    assert.equal(chooseVariant('auto', false), 'baseline');
    assert.equal(chooseVariant('baseline', true), 'baseline');
    assert.equal(chooseVariant('simd', false), 'simd');
  });
});

/**
 * Run `body` in a fresh Node process (one engine per process) with the package's exports and the fixture helpers in
 * scope; it leaves its answer in `result`, which comes back as JSON.
 * @param {string} body
 */
async function inFreshProcess(body) {
  const script = `
    import * as ort from ${JSON.stringify(pathToFileURL(path.join(WWW, 'index.js')).href)};
    import * as fx from ${JSON.stringify(pathToFileURL(path.join(WWW, 'test-support', 'fixtures.js')).href)};
    const { init, engineInfo, InferenceSession, Tensor } = ort;
    let result;
    try { ${body} } catch (error) { result = { threw: error.code ?? String(error) }; }
    console.log(JSON.stringify(result));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: WWW, timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
}

describe('the packaged builds', () => {
  test('init() with no argument runs the SIMD build here, and says so', async () => {
    assert.deepEqual(await inFreshProcess('await init(); result = engineInfo();'), { variant: 'simd', simdSupported: true, generation: 1 });
  });

  test('init({ variant }) refuses a build that does not exist', async () => {
    assert.deepEqual(await inFreshProcess("await init({ variant: 'sse' }); result = 'started';"), { threw: 'OPTIONS_INVALID' });
  });

  test('a source given to init is reported as custom', async () => {
    const body = `await init(new Uint8Array(await (await import('node:fs/promises')).readFile(${JSON.stringify(SIMD_WASM)}))); result = engineInfo().variant;`;
    assert.equal(await inFreshProcess(body), 'custom');
  });

  test('the SIMD build uses SIMD: binaryen refuses it without', { timeout: 180_000 }, async () => {
    assert.equal(await validatesWithoutSimd(SIMD_WASM), false);
  });

  // Before vendor/rustfft, rustfft's `wasm_simd` feature (turned on by tract-core and tract-onnx-opl) made LLVM
  // enable SIMD for the whole LTO module, so the baseline file carried v128 ops: this is the check that it does not.
  test('the baseline build uses no SIMD: binaryen accepts it without', { skip: NO_BASELINE, timeout: 180_000 }, async () => {
    assert.equal(await validatesWithoutSimd(BASELINE_WASM), true);
  });

  for (const name of ['iris_rf', 'cnn_digits']) {
    test(`init({ variant: 'baseline' }) runs the baseline build and predicts ${name} as the references`, { skip: NO_BASELINE, timeout: 180_000 }, async () => {
      const result = await inFreshProcess(`
        await init({ variant: 'baseline' });
        const fixture = await fx.loadCase(${JSON.stringify(name)});
        const { bytes, skip } = await fx.loadModel(fixture);
        result = skip ? { skip } : { info: engineInfo(), ...(await fx.runCase(InferenceSession, Tensor, fixture, bytes)) };`);
      assert.equal(result.skip, undefined, result.skip);
      assert.deepEqual(result.info, { variant: 'baseline', simdSupported: true, generation: 1 });
      assert.deepEqual(result.failures, []);
    });
  }

  test('one glue serves both builds: the baseline wasm imports exactly what the SIMD wasm imports', { skip: NO_BASELINE }, async () => {
    /** @param {string} file */
    const importsOf = async (file) => WebAssembly.Module.imports(await WebAssembly.compile(await readFile(file)))
      .map((entry) => `${entry.module} ${entry.name} ${entry.kind}`).sort();
    const simd = await importsOf(SIMD_WASM);
    assert.ok(simd.length > 0 && simd.every((entry) => entry.startsWith('./onnx_edge_bg.js ')), 'the glue provides ./onnx_edge_bg.js');
    assert.deepEqual(await importsOf(BASELINE_WASM), simd);
  });

  test('the npm package ships the baseline build and exports it for runtimes that take a Module', async () => {
    const pkg = JSON.parse(await readFile(path.join(WWW, 'package.json'), 'utf8'));
    assert.ok(pkg.files.includes('dist/onnx_edge_baseline_bg.wasm'));
    assert.equal(pkg.exports['./wasm-baseline'], './dist/onnx_edge_baseline_bg.wasm');
  });
});
