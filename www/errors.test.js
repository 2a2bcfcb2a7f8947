import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import vm from 'node:vm';

import { ErrorCode, OnnxEdgeError, argumentError, isOnnxEdgeError, rethrowFromWasm } from './errors.js';
import {
  REPO, buildFeeds, compareOutputs, loadCase, loadIrisCase, loadModel, modelLocation,
} from './test-support/fixtures.js';

/** The codes DESIGN.md lists. */
const DESIGN_CODES = [
  'MODEL_PARSE', 'MODEL_UNSUPPORTED_OP', 'MODEL_SHAPE', 'INPUT_MISSING', 'INPUT_UNKNOWN', 'INPUT_DTYPE',
  'INPUT_SHAPE', 'LIMIT_EXCEEDED', 'INTEGRITY', 'SIGNATURE', 'FETCH', 'VERSION_NOT_FOUND', 'GATE_FAILED',
  'RELEASED', 'ENGINE',
];

/** The codes in the core's `ERROR_CODES` (src/core/error.rs), or undefined before it exists. */
function rustCodes() {
  const file = path.join(REPO, 'src', 'core', 'error.rs');
  if (!existsSync(file)) return undefined;
  const block = /ERROR_CODES\s*:[^=]*=\s*&\[([\s\S]*?)\];/.exec(readFileSync(file, 'utf8'));
  return block === null ? undefined : [...block[1].matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]);
}

/**
 * Run `fn` and check it throws an OnnxEdgeError with `code` (and the given details).
 * @param {() => Promise<unknown>} fn
 * @param {string} code
 * @param {Record<string, unknown>} [details]
 */
async function rejectsWith(fn, code, details = {}) {
  await assert.rejects(fn, (error) => {
    assert.ok(error instanceof OnnxEdgeError, `not an OnnxEdgeError: ${String(error)}`);
    assert.ok(isOnnxEdgeError(error));
    assert.equal(error.code, code, `code (message: ${error.message})`);
    for (const [key, value] of Object.entries(details)) assert.deepEqual(error.details[key], value, `details.${key}`);
    return true;
  });
}

describe('ErrorCode and OnnxEdgeError', () => {
  test('ErrorCode is frozen, each key its own value, and holds every code DESIGN.md lists', () => {
    for (const [key, value] of Object.entries(ErrorCode)) assert.equal(key, value);
    assert.ok(Object.isFrozen(ErrorCode));
    assert.deepEqual(DESIGN_CODES.filter((code) => !(code in ErrorCode)), []);
  });

  test('ErrorCode holds every code of the Rust core, and nothing that is in neither list', { skip: rustCodes() === undefined && 'no ERROR_CODES in src/core/error.rs yet' }, () => {
    const rust = /** @type {string[]} */ (rustCodes());
    assert.deepEqual(rust.filter((code) => !(code in ErrorCode)), [], 'core codes missing from www/errors.js');
    const known = new Set([...DESIGN_CODES, ...rust]);
    assert.deepEqual(Object.keys(ErrorCode).filter((code) => !known.has(code)), [], 'codes in neither DESIGN.md nor the core');
  });

  test('the README lists every code', { skip: !(existsSync(path.join(REPO, 'README.md')) && readFileSync(path.join(REPO, 'README.md'), 'utf8').includes('MODEL_PARSE')) && 'the README has no code table yet' }, () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.deepEqual(Object.keys(ErrorCode).filter((code) => !readme.includes(code)), []);
  });

  test('an OnnxEdgeError is an Error with name, code, details, cause', () => {
    const cause = new Error('inner');
    const error = new OnnxEdgeError(ErrorCode.INPUT_SHAPE, 'bad dims', { details: { input: 'X' }, cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'OnnxEdgeError');
    assert.equal(error.code, 'INPUT_SHAPE');
    assert.deepEqual(error.details, { input: 'X' });
    assert.equal(error.cause, cause);
    assert.deepEqual(new OnnxEdgeError(ErrorCode.ENGINE, 'x').details, {});
    assert.match(String(error.stack), /OnnxEdgeError/);
  });

  test('isOnnxEdgeError checks name and code: other realms and JSON copies count, look-alikes do not', () => {
    const foreign = vm.runInNewContext('const e = new Error("m"); e.name = "OnnxEdgeError"; e.code = "RELEASED"; e');
    assert.equal(foreign instanceof Error, false);
    assert.ok(isOnnxEdgeError(foreign));
    const copy = JSON.parse(JSON.stringify(new OnnxEdgeError(ErrorCode.FETCH, 'x', { details: { status: 404 } })));
    assert.ok(isOnnxEdgeError(copy));
    assert.deepEqual(copy, { name: 'OnnxEdgeError', code: 'FETCH', message: 'x', details: { status: 404 } });
    assert.equal(isOnnxEdgeError(argumentError(ErrorCode.INPUT_DTYPE, 'x')), false);
    assert.equal(isOnnxEdgeError({ name: 'OnnxEdgeError' }), false);
    assert.equal(isOnnxEdgeError(new Error('x')), false);
    assert.equal(isOnnxEdgeError(null), false);
    assert.equal(isOnnxEdgeError('OnnxEdgeError'), false);
  });

  test('argumentError is a TypeError with a code', () => {
    const error = argumentError(ErrorCode.INPUT_SHAPE, 'x', { dims: [1] });
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'INPUT_SHAPE');
    assert.deepEqual(error.details, { dims: [1] });
  });

  describe('rethrowFromWasm', () => {
    test('an error shaped by the bindings becomes an OnnxEdgeError with its code and details', () => {
      const fromWasm = Object.assign(new Error('no such op'), {
        name: 'OnnxEdgeError', code: 'MODEL_UNSUPPORTED_OP', details: { opType: 'FancyOp', domain: 'com.example' },
      });
      assert.throws(() => rethrowFromWasm(fromWasm), (error) => {
        assert.ok(error instanceof OnnxEdgeError);
        assert.equal(error.code, 'MODEL_UNSUPPORTED_OP');
        assert.equal(error.message, 'no such op');
        assert.deepEqual(error.details, { opType: 'FancyOp', domain: 'com.example' });
        return true;
      });
    });

    test('a trap becomes ENGINE with details.trap', () => {
      const trap = new WebAssembly.RuntimeError('unreachable');
      assert.throws(() => rethrowFromWasm(trap), (error) => {
        assert.ok(error instanceof OnnxEdgeError);
        assert.equal(error.code, 'ENGINE');
        assert.equal(error.details.trap, true);
        assert.equal(error.cause, trap);
        return true;
      });
    });

    test('anything else becomes ENGINE, an unknown code is kept in details.engineCode', () => {
      for (const thrown of [new Error('recursive use of an object'), 'a string', 42]) {
        assert.throws(() => rethrowFromWasm(thrown), { name: 'OnnxEdgeError', code: 'ENGINE' });
      }
      const odd = Object.assign(new Error('x'), { name: 'OnnxEdgeError', code: 'SOMETHING_NEW' });
      assert.throws(() => rethrowFromWasm(odd), (error) => {
        assert.ok(error instanceof OnnxEdgeError);
        assert.equal(error.code, 'ENGINE');
        assert.equal(error.details.engineCode, 'SOMETHING_NEW');
        return true;
      });
    });

    test('an OnnxEdgeError passes through unchanged', () => {
      const error = new OnnxEdgeError(ErrorCode.RELEASED, 'x');
      assert.throws(() => rethrowFromWasm(error), (thrown) => thrown === error);
    });
  });
});

describe('each code from a real bad input; afterwards the session still predicts iris', () => {
  /** @type {typeof import('./index.js')} */
  let api;
  /** @type {import('./test-support/fixtures.js').FixtureCase} */
  let iris;
  /** @type {Uint8Array} */
  let irisBytes;
  /** @type {import('./index.js').InferenceSession} */
  let session;
  /** @type {string} */
  let inputName;

  before(async () => {
    api = await import('./index.js');
    iris = await loadIrisCase();
    const model = await loadModel(iris);
    assert.ok(model.bytes, model.skip);
    irisBytes = model.bytes;
    session = await api.InferenceSession.create(irisBytes);
    inputName = session.inputNames[0];
  });

  /** Features for a few iris rows, as the fixture feeds them. */
  function irisFeeds() {
    return /** @type {Record<string, import('./index.js').Tensor>} */ (buildFeeds(api.Tensor, iris.runs[0].inputs));
  }

  /** @param {import('./index.js').InferenceSession} target */
  async function predictsIris(target) {
    for (const run of iris.runs) {
      const outputs = await target.run(/** @type {any} */ (buildFeeds(api.Tensor, run.inputs)));
      const { failures } = compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact);
      assert.deepEqual(failures, []);
    }
  }

  /** A fresh session on iris works (after a load error). */
  async function freshPredictsIris() {
    const fresh = await api.InferenceSession.create(irisBytes);
    try {
      await predictsIris(fresh);
    } finally {
      await fresh.release();
    }
  }

  test('the engine reports no code that ErrorCode lacks', async () => {
    const { liveEngine } = await import('./init.js');
    const glue = /** @type {{ errorCodes?: () => string[] }} */ (/** @type {unknown} */ ((await liveEngine()).glue));
    assert.equal(typeof glue.errorCodes, 'function', 'the bindings export errorCodes()');
    const codes = /** @type {() => string[]} */ (glue.errorCodes)();
    assert.ok(codes.length > 0);
    assert.deepEqual(codes.filter((code) => !(code in api.ErrorCode)), []);
  });

  test('corrupt bytes: MODEL_PARSE', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 131 + 7) & 0xff);
    await rejectsWith(() => api.InferenceSession.create(garbage), 'MODEL_PARSE');
    await rejectsWith(() => api.InferenceSession.create(new TextEncoder().encode('not an onnx model')), 'MODEL_PARSE');
    await freshPredictsIris();
  });

  test('truncated model: MODEL_PARSE', async () => {
    await rejectsWith(() => api.InferenceSession.create(irisBytes.slice(0, Math.floor(irisBytes.length / 2))), 'MODEL_PARSE');
    await freshPredictsIris();
  });

  test('unsupported op: MODEL_UNSUPPORTED_OP with op type, domain and node', async () => {
    const fixture = await loadCase('unsupported_op');
    const model = await loadModel(fixture);
    assert.ok(model.bytes, model.skip);
    await assert.rejects(api.InferenceSession.create(model.bytes), (error) => {
      assert.ok(error instanceof api.OnnxEdgeError, String(error));
      assert.equal(error.code, 'MODEL_UNSUPPORTED_OP');
      assert.equal(error.details.opType, 'FancyOp');
      assert.equal(error.details.domain, 'com.example');
      assert.equal(typeof error.details.node, 'string');
      return true;
    });
    await freshPredictsIris();
  });

  test('wrong dtype: INPUT_DTYPE', async () => {
    const [feed] = Object.values(irisFeeds());
    const wrong = new api.Tensor('float64', Float64Array.from(/** @type {Float32Array} */ (feed.data)), feed.dims);
    await rejectsWith(() => session.run({ [inputName]: wrong }), 'INPUT_DTYPE', {
      input: inputName, expected: 'float32', actual: 'float64',
    });
    await predictsIris(session);
  });

  test('wrong rank or dims: INPUT_SHAPE', async () => {
    const [feed] = Object.values(irisFeeds());
    const flat = new api.Tensor('float32', /** @type {Float32Array} */ (feed.data), [feed.size]);
    await rejectsWith(() => session.run({ [inputName]: flat }), 'INPUT_SHAPE', { input: inputName });
    const cols = feed.dims[feed.dims.length - 1];
    const rows = feed.size / cols;
    const wrongCols = new api.Tensor('float32', new Float32Array(rows * (cols + 1)), [rows, cols + 1]);
    await rejectsWith(() => session.run({ [inputName]: wrongCols }), 'INPUT_SHAPE', { input: inputName });
    await predictsIris(session);
  });

  test('a detached buffer: INPUT_SHAPE with reason detached', async () => {
    const [feed] = Object.values(irisFeeds());
    const data = /** @type {Float32Array} */ (feed.data);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    await rejectsWith(() => session.run({ [inputName]: feed }), 'INPUT_SHAPE', { input: inputName, reason: 'detached' });
    await predictsIris(session);
  });

  test('missing input: INPUT_MISSING', async () => {
    await rejectsWith(() => session.run({}), 'INPUT_MISSING', { input: inputName, expected: [...session.inputNames] });
    await predictsIris(session);
  });

  test('unknown input: INPUT_UNKNOWN; unknown output: OUTPUT_UNKNOWN', async () => {
    const feeds = { ...irisFeeds(), nonsense: new api.Tensor('float32', [1], [1]) };
    await rejectsWith(() => session.run(feeds), 'INPUT_UNKNOWN', { input: 'nonsense', expected: [...session.inputNames] });
    await rejectsWith(() => session.run(irisFeeds(), ['nonsense']), 'OUTPUT_UNKNOWN', { output: 'nonsense' });
    await predictsIris(session);
  });

  test('a model bigger than limits.maxModelBytes: LIMIT_EXCEEDED (bytes, file, Response)', async () => {
    const limits = { maxModelBytes: irisBytes.length - 1 };
    const file = /** @type {string} */ (modelLocation(iris.model).path);
    const details = { kind: 'modelBytes', limit: irisBytes.length - 1, actual: irisBytes.length };
    await rejectsWith(() => api.InferenceSession.create(irisBytes, { limits }), 'LIMIT_EXCEEDED', details);
    await rejectsWith(() => api.InferenceSession.create(file, { limits }), 'LIMIT_EXCEEDED', details);
    await rejectsWith(() => api.InferenceSession.create(new Response(irisBytes.slice()), { limits }), 'LIMIT_EXCEEDED');
    const exact = await api.InferenceSession.create(irisBytes, { limits: { maxModelBytes: irisBytes.length } });
    await predictsIris(exact);
    await exact.release();
  });

  test('a tensor bigger than limits.maxTensorElements: LIMIT_EXCEEDED', async () => {
    const [feed] = Object.values(irisFeeds());
    const limited = await api.InferenceSession.create(irisBytes, { limits: { maxTensorElements: feed.size - 1 } });
    try {
      await rejectsWith(() => limited.run(irisFeeds()), 'LIMIT_EXCEEDED', { kind: 'tensorElements', limit: feed.size - 1, actual: feed.size });
    } finally {
      await limited.release();
    }
    await predictsIris(session);
  });

  test('run after release: RELEASED', async () => {
    const doomed = await api.InferenceSession.create(irisBytes);
    const pending = doomed.run(irisFeeds());
    const released = doomed.release();
    await rejectsWith(() => doomed.run(irisFeeds()), 'RELEASED');
    await pending; // asked for before release(): still answered
    await released;
    await rejectsWith(() => doomed.run(irisFeeds()), 'RELEASED');
    await freshPredictsIris();
  });

  test('a wasm trap: ENGINE, then the engine is replaced and every live session still predicts', async () => {
    const { callWasm, liveEngine } = await import('./init.js');
    const other = await api.InferenceSession.create(irisBytes);
    const engine = await liveEngine();
    // Freeing a session at an address past the end of wasm memory: a real trap (memory access out of bounds).
    assert.equal(typeof engine.exports.__wbg_wasmsession_free, 'function');
    assert.throws(() => callWasm(engine, () => engine.exports.__wbg_wasmsession_free(0xfffffff0, 0)), (error) => {
      assert.ok(error instanceof api.OnnxEdgeError, String(error));
      assert.equal(error.code, 'ENGINE');
      assert.equal(error.details.trap, true);
      return true;
    });
    assert.equal(engine.dead, true);
    await predictsIris(session);
    await predictsIris(other);
    const next = await liveEngine();
    assert.notEqual(next, engine);
    assert.equal(next.generation, engine.generation + 1);
    await other.release();
    await freshPredictsIris();
  });
});
