// The published package as a user gets it: `npm pack` www/, install the tarball into a fresh folder, and run a
// Node ESM script there that imports 'onnx-edge' and predicts iris; then compile a TypeScript consumer against
// the shipped types.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { REPO } from '../../www/test-support/fixtures.js';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm without update checks, audits or funding messages, and with a private cache. */
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

/** @type {string} */
let tmp;
/** @type {string} */
let app;
/** @type {{ filename: string, files: { path: string }[] }} */
let packed;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-pack-'));
  const { stdout } = await run(NPM, ['pack', path.join(REPO, 'www'), '--pack-destination', tmp, '--json'], {
    cwd: REPO, env: npmEnv, maxBuffer: 64 << 20,
  });
  packed = JSON.parse(stdout.slice(stdout.indexOf('[')))[0];
  app = path.join(tmp, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'onnx-edge-consumer', private: true, type: 'module' }));
  await run(NPM, ['install', path.join(tmp, packed.filename), '--no-audit', '--no-fund'], { cwd: app, env: npmEnv });
});

after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the tarball holds the package and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const needed of ['package.json', 'index.js', 'init.js', 'session.js', 'tensor.js', 'errors.js', 'dtypes.js', 'source.js',
    'dist/onnx_edge.js', 'dist/onnx_edge_bg.wasm', 'types/index.d.ts']) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  }
  const stray = files.filter((f) => /\.test\.js$|^test-support\/|^types-test\//.test(f));
  assert.deepEqual(stray, [], 'tests are not published');
});

/** The script a user would write, run inside the consumer folder. */
const PREDICT = `
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor, init, isOnnxEdgeError } from 'onnx-edge';
import { loadIrisCase, loadModel, runCase } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'www/test-support/fixtures.js')).href)};

if (process.argv[2] === 'module') {
  // What a Cloudflare Worker does: hand over a compiled WebAssembly.Module from the 'onnx-edge/wasm' subpath.
  const wasm = fileURLToPath(import.meta.resolve('onnx-edge/wasm'));
  await init(await WebAssembly.compile(await readFile(wasm)));
}
const iris = await loadIrisCase();
const { bytes } = await loadModel(iris);
const { failures, maxAbs } = await runCase(InferenceSession, Tensor, iris, bytes);
let refused = null;
try { await InferenceSession.create(new Uint8Array([1, 2, 3])); } catch (error) { refused = isOnnxEdgeError(error) ? error.code : String(error); }
console.log(JSON.stringify({ resolved: import.meta.resolve('onnx-edge'), failures, maxAbs, refused }));
`;

for (const mode of ['default', 'module']) {
  test(`import 'onnx-edge' from the installed tarball and predict iris (${mode === 'module' ? 'init(WebAssembly.Module)' : 'wasm found by the package'})`, { timeout: 120_000 }, async (t) => {
    const script = path.join(app, 'predict.mjs');
    await writeFile(script, PREDICT);
    const { stdout } = await run(process.execPath, [script, mode], { cwd: app });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    assert.ok(result.resolved.startsWith(pathToFileURL(path.join(app, 'node_modules', 'onnx-edge')).href), result.resolved);
    assert.deepEqual(result.failures, []);
    assert.equal(result.refused, 'MODEL_PARSE');
    t.diagnostic(`max abs error: ${JSON.stringify(result.maxAbs)}`);
  });
}

test('a strict TypeScript consumer compiles against the shipped types', { timeout: 120_000 }, async () => {
  await writeFile(path.join(app, 'consumer.ts'), `
import { InferenceSession, Tensor, isOnnxEdgeError, type SessionOptions } from 'onnx-edge';
export async function predict(bytes: Uint8Array): Promise<Float32Array> {
  const options: SessionOptions = { freeDimensionOverrides: { batch: 1 }, limits: { maxModelBytes: 1 << 24 } };
  const session = await InferenceSession.create(bytes, options);
  try {
    const out = await session.run({ [session.inputNames[0]]: new Tensor('float32', new Float32Array(4), [1, 4]) });
    return out[session.outputNames[0]].data as Float32Array;
  } catch (error) {
    if (isOnnxEdgeError(error)) throw new Error(error.code);
    throw error;
  } finally {
    await session.release();
  }
}
// @ts-expect-error a float32 tensor takes a Float32Array
export const wrong = new Tensor('float32', new Int32Array(4), [4]);
`);
  await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
    },
    files: ['consumer.ts'],
  }));
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((error) => {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  });
});
