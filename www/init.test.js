import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WWW = fileURLToPath(new URL('./', import.meta.url));
const WASM = path.join(WWW, 'dist', 'onnx_edge_bg.wasm');
const INDEX = pathToFileURL(path.join(WWW, 'index.js')).href;
const INIT = pathToFileURL(path.join(WWW, 'init.js')).href;

/**
 * Run `body` in a fresh Node process (the engine is per process) with `init`, `liveEngine` and `WASM` in scope;
 * it must leave its answer in `result`, which comes back as JSON.
 * @param {string} body
 * @returns {Promise<any>}
 */
async function inFreshProcess(body) {
  const script = `
    import { init, InferenceSession, isOnnxEdgeError } from ${JSON.stringify(INDEX)};
    import { liveEngine } from ${JSON.stringify(INIT)};
    import { readFile } from 'node:fs/promises';
    import { pathToFileURL } from 'node:url';
    const WASM = ${JSON.stringify(WASM)};
    let result;
    try { ${body} } catch (error) { result = { threw: isOnnxEdgeError(error) ? error.code : String(error) }; }
    console.log(JSON.stringify(result));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: WWW, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
}

describe('init(source)', () => {
  /** What a working engine answers: one live instance, generation 1. */
  const engineSays = `const engine = await liveEngine(); result = { generation: engine.generation, memory: engine.exports.memory.buffer.byteLength > 0 };`;

  test('with no source: the wasm next to the package (read from disk in Node)', async () => {
    assert.deepEqual(await inFreshProcess(`await init(); ${engineSays}`), { generation: 1, memory: true });
  });

  const sources = {
    'bytes (Uint8Array)': 'new Uint8Array(await readFile(WASM))',
    'an ArrayBuffer': '(await readFile(WASM)).buffer.slice(0)',
    'a compiled WebAssembly.Module (as on Cloudflare Workers)': 'await WebAssembly.compile(await readFile(WASM))',
    'a file: URL': 'pathToFileURL(WASM)',
    'a path string': 'WASM',
    'a Response with application/wasm (streaming compilation)': "new Response(await readFile(WASM), { headers: { 'content-type': 'application/wasm' } })",
    'a Response without a wasm content type': 'new Response(await readFile(WASM))',
  };
  for (const [what, expression] of Object.entries(sources)) {
    test(`with ${what}`, async () => {
      assert.deepEqual(await inFreshProcess(`await init(${expression}); ${engineSays}`), { generation: 1, memory: true });
    });
  }

  test('concurrent and repeated calls share one engine; later sources are ignored', async () => {
    const result = await inFreshProcess(`
      await Promise.all([init(), init(), init(new Uint8Array(await readFile(WASM)))]);
      const first = await liveEngine();
      await init(new Uint8Array([0, 1, 2]));
      result = { same: first === await liveEngine(), generation: first.generation };`);
    assert.deepEqual(result, { same: true, generation: 1 });
  });

  test('a failed start (bytes that are not wasm) is ENGINE, and the next call starts afresh', async () => {
    const result = await inFreshProcess(`
      let code;
      try { await init(new Uint8Array([1, 2, 3, 4])); } catch (error) { code = isOnnxEdgeError(error) ? error.code : String(error); }
      await init();
      result = { code, generation: (await liveEngine()).generation };`);
    assert.deepEqual(result, { code: 'ENGINE', generation: 1 });
  });

  test('a missing wasm file is FETCH', async () => {
    assert.deepEqual(await inFreshProcess(`await init(WASM + '.missing'); result = 'started';`), { threw: 'FETCH' });
  });

  test('InferenceSession.create starts the engine itself', async () => {
    const result = await inFreshProcess(`
      try { await InferenceSession.create(new Uint8Array([1, 2, 3])); } catch (error) { result = { code: error.code, generation: (await liveEngine()).generation }; }`);
    assert.deepEqual(result, { code: 'MODEL_PARSE', generation: 1 });
  });
});

describe('the package runs under a strict CSP and in workerd', async () => {
  const files = (await readdir(WWW)).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'));
  const sources = await Promise.all(files.map(async (f) => [f, await readFile(path.join(WWW, f), 'utf8')]));
  const glue = await readFile(path.join(WWW, 'dist', 'onnx_edge.js'), 'utf8').catch(() => '');

  test('no eval, new Function or blob: URLs in the package or its glue', () => {
    for (const [file, text] of [...sources, ['dist/onnx_edge.js', glue]]) {
      assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|createObjectURL|['"`]blob:/, file);
    }
  });

  test('import.meta.url is read only inside init.js\'s defaultWasmUrl (workerd has none at module top level)', () => {
    for (const [file, text] of sources) {
      const lines = text.split('\n');
      const start = file === 'init.js' ? lines.findIndex((line) => line.startsWith('function defaultWasmUrl')) : lines.length;
      const end = start + lines.slice(start).findIndex((line) => line === '}');
      lines.forEach((line, i) => {
        const code = line.trim();
        if (!code.includes('import.meta.url') || code.startsWith('//') || code.startsWith('*')) return;
        assert.ok(i > start && i < end, `${file}:${i + 1} reads import.meta.url outside defaultWasmUrl`);
      });
    }
  });
});
