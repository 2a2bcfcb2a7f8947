import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { InferenceSession, Tensor, isOnnxEdgeError } from './index.js';
import {
  buildFeeds, compareOutputs, loadCase, loadExpectedFailures, loadIndex, loadIrisCase, loadModel, runCase,
} from './test-support/fixtures.js';

/** @param {Record<string, number>} maxAbs */
function formatMaxAbs(maxAbs) {
  return Object.entries(maxAbs).map(([name, value]) => `${name} ${value.toExponential(2)}`).join(', ');
}

describe('fixture cases match their references', async () => {
  const index = await loadIndex();
  const expectedFailures = await loadExpectedFailures();
  for (const entry of index) {
    const fixture = await loadCase(entry.name);
    const refusal = fixture.expect_error ?? expectedFailures.get(entry.name);
    if (refusal !== undefined) {
      test(`${entry.name} fails with ${refusal}`, async (t) => {
        const model = await loadModel(fixture);
        if (model.skip !== undefined) return t.skip(model.skip);
        await assert.rejects(runCase(InferenceSession, Tensor, fixture, model.bytes), (error) => {
          assert.ok(isOnnxEdgeError(error), `not an OnnxEdgeError: ${String(error)}`);
          assert.equal(error.code, refusal);
          return true;
        });
      });
      continue;
    }
    if (fixture.runs.length === 0) continue;
    test(`${entry.name} [${fixture.tags.join(' ')}]`, async (t) => {
      const model = await loadModel(fixture);
      if (model.skip !== undefined) return t.skip(model.skip);
      const result = await runCase(InferenceSession, Tensor, fixture, model.bytes);
      t.diagnostic(`max abs error: ${formatMaxAbs(result.maxAbs)}`);
      assert.deepEqual(result.failures, [], result.failures.join('\n'));
    });
  }
});

describe('InferenceSession on iris', () => {
  /** @type {import('./test-support/fixtures.js').FixtureCase} */
  let iris;
  /** @type {Uint8Array} */
  let bytes;
  /** @type {InferenceSession} */
  let session;

  before(async () => {
    iris = await loadIrisCase();
    const model = await loadModel(iris);
    assert.ok(model.bytes, model.skip);
    bytes = model.bytes;
    session = await InferenceSession.create(bytes);
  });

  test('names and metadata as onnxruntime-web gives them', () => {
    const run = iris.runs[0];
    assert.deepEqual([...session.inputNames], Object.keys(run.inputs));
    assert.deepEqual([...session.outputNames].sort(), Object.keys(run.outputs).sort());
    for (const meta of [...session.inputMetadata, ...session.outputMetadata]) {
      assert.equal(typeof meta.name, 'string');
      assert.equal(meta.isTensor, true);
      assert.ok(Array.isArray(meta.shape));
    }
    const input = session.inputMetadata[0];
    assert.equal(input.type, run.inputs[input.name].type);
    assert.equal(input.shape.length, run.inputs[input.name].dims.length);
    assert.equal(typeof session.metadata.producerName, 'string');
    assert.equal(typeof session.metadata.irVersion, 'number');
    assert.ok(session.metadata.opsets.length > 0);
    assert.ok(Array.isArray(session.warnings));
    assert.ok(Object.isFrozen(session.inputNames));
  });

  test('every run matches, and outputs do not change when the session runs again', async () => {
    /** @type {{ outputs: Record<string, any>, expected: Record<string, any> }[]} */
    const results = [];
    for (const run of iris.runs) {
      results.push({ outputs: await session.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs))), expected: run.outputs });
    }
    for (const { outputs, expected } of results) {
      const { failures, maxAbs } = compareOutputs(outputs, expected, iris.tolerance, iris.exact);
      assert.deepEqual(failures, [], `max abs ${formatMaxAbs(maxAbs)}`);
      for (const tensor of Object.values(outputs)) assert.ok(tensor instanceof Tensor);
    }
  });

  test('fetches: an array of names, an object keyed by name, or none', async () => {
    const run = iris.runs[0];
    const feeds = /** @type {any} */ (buildFeeds(Tensor, run.inputs));
    const [first, ...rest] = session.outputNames;
    assert.deepEqual(Object.keys(await session.run(feeds, [first])), [first]);
    assert.deepEqual(Object.keys(await session.run(feeds, { [first]: null })), [first]);
    assert.deepEqual(Object.keys(await session.run(feeds, { logSeverityLevel: 2 })).sort(), [first, ...rest].sort());
  });

  test('concurrent runs are all answered, in order, correctly', async () => {
    const runs = Array.from({ length: 24 }, (_, i) => iris.runs[i % iris.runs.length]);
    const answers = await Promise.all(runs.map((run) => session.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)))));
    answers.forEach((outputs, i) => {
      const { failures } = compareOutputs(outputs, runs[i].outputs, iris.tolerance, iris.exact);
      assert.deepEqual(failures, []);
    });
  });

  test('several sessions on the same model live side by side', async () => {
    const others = await Promise.all([InferenceSession.create(bytes), InferenceSession.create(bytes.buffer.slice(0))]);
    try {
      for (const other of others) {
        const run = iris.runs[0];
        const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
        assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
      }
    } finally {
      await Promise.all(others.map((other) => other.release()));
    }
  });

  test('the model bytes are copied: changing the caller\'s array later changes nothing', async () => {
    const mine = bytes.slice();
    const other = await InferenceSession.create(mine);
    mine.fill(0);
    const run = iris.runs[0];
    const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
    assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
    await other.release();
  });

  test('onnxruntime-web tensors are accepted as feeds', async () => {
    const { Tensor: OrtTensor } = await import('onnxruntime-common');
    const run = iris.runs[0];
    const feeds = buildFeeds(/** @type {any} */ (OrtTensor), run.inputs);
    const outputs = await session.run(/** @type {any} */ (feeds));
    assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
  });

  test('a session loads from a file path, a file URL and a Response', async () => {
    const { modelLocation } = await import('./test-support/fixtures.js');
    const { pathToFileURL } = await import('node:url');
    const file = /** @type {string} */ (modelLocation(iris.model).path);
    const sources = [file, pathToFileURL(file), new Response(bytes.slice())];
    for (const source of sources) {
      const other = await InferenceSession.create(source);
      const run = iris.runs[0];
      const outputs = await other.run(/** @type {any} */ (buildFeeds(Tensor, run.inputs)));
      assert.deepEqual(compareOutputs(outputs, run.outputs, iris.tolerance, iris.exact).failures, []);
      await other.release();
    }
  });

  test('release frees once; Symbol.dispose and Symbol.asyncDispose release where the runtime has them', async () => {
    const other = await InferenceSession.create(bytes);
    await other.release();
    await other.release();
    const anySymbol = /** @type {any} */ (Symbol);
    for (const key of ['dispose', 'asyncDispose']) {
      if (typeof anySymbol[key] !== 'symbol') continue;
      const disposable = /** @type {any} */ (await InferenceSession.create(bytes));
      await disposable[anySymbol[key]]();
      await assert.rejects(disposable.run({}), { code: 'RELEASED' });
    }
  });

  test('new InferenceSession() is refused', () => {
    assert.throws(() => new /** @type {any} */ (InferenceSession)(), TypeError);
  });
});

// ---- string tensors -------------------------------------------------------------------------------------------
// The fixtures have no string model yet, so these tests write two tiny ONNX files themselves (protobuf by hand).

const utf8 = new TextEncoder();

/**
 * A protobuf varint; negative numbers as 64-bit two's complement (int64 fields).
 * @param {number | bigint} value
 * @returns {number[]}
 */
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  /** @type {number[]} */
  const out = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return out;
}

/** @param {number} field @param {number | bigint} value */
const pbInt = (field, value) => [...varint(field << 3), ...varint(value)];

/** @param {number} field @param {string | number[]} value a string (UTF-8) or an encoded message */
function pbBytes(field, value) {
  const body = typeof value === 'string' ? [...utf8.encode(value)] : value;
  return [...varint((field << 3) | 2), ...varint(body.length), ...body];
}

/** @param {number} field @param {number} value */
function pbFloat(field, value) {
  const four = new Uint8Array(4);
  new DataView(four.buffer).setFloat32(0, value, true);
  return [...varint((field << 3) | 5), ...four];
}

/** ONNX TensorProto.DataType numbers of the types these models use. */
const ELEM_TYPE = { float32: 1, int64: 7, string: 8 };

/**
 * A ValueInfoProto: a tensor of `type` with `dims` (numbers, or symbol names).
 * @param {[string, keyof typeof ELEM_TYPE, (number | string)[]]} value
 */
function valueInfo([name, type, dims]) {
  const shape = dims.flatMap((d) => pbBytes(1, typeof d === 'number' ? pbInt(1, d) : pbBytes(2, d)));
  return [...pbBytes(1, name), ...pbBytes(2, pbBytes(1, [...pbInt(1, ELEM_TYPE[type]), ...pbBytes(2, shape)]))];
}

/**
 * An AttributeProto.
 * @param {string} name
 * @param {'int' | 'string' | 'ints' | 'floats' | 'strings'} kind
 * @param {number | string | readonly (number | string)[]} value
 */
function attribute(name, kind, value) {
  const list = /** @type {readonly (number | string)[]} */ (Array.isArray(value) ? value : [value]);
  const body = {
    int: () => [...pbInt(3, Number(value)), ...pbInt(20, 2)],
    string: () => [...pbBytes(4, String(value)), ...pbInt(20, 3)],
    floats: () => [...list.flatMap((v) => pbFloat(7, Number(v))), ...pbInt(20, 6)],
    ints: () => [...list.flatMap((v) => pbInt(8, Number(v))), ...pbInt(20, 7)],
    strings: () => [...list.flatMap((v) => pbBytes(9, String(v))), ...pbInt(20, 8)],
  }[kind]();
  return [...pbBytes(1, name), ...body];
}

/**
 * A ModelProto (IR 8, opset 13, ai.onnx.ml 2) with one graph.
 * @param {{ op: string, domain?: string, inputs: string[], outputs: string[], attributes?: number[][] }[]} nodes
 * @param {[string, keyof typeof ELEM_TYPE, (number | string)[]][]} inputs
 * @param {[string, keyof typeof ELEM_TYPE, (number | string)[]][]} outputs
 */
function onnxModel(nodes, inputs, outputs) {
  const graph = [
    ...nodes.flatMap(({ op, domain = '', inputs: ins, outputs: outs, attributes = [] }) => pbBytes(1, [
      ...ins.flatMap((i) => pbBytes(1, i)), ...outs.flatMap((o) => pbBytes(2, o)), ...pbBytes(3, outs[0]),
      ...pbBytes(4, op), ...attributes.flatMap((a) => pbBytes(5, a)), ...pbBytes(7, domain),
    ])),
    ...pbBytes(2, 'strings'),
    ...inputs.flatMap((v) => pbBytes(11, valueInfo(v))),
    ...outputs.flatMap((v) => pbBytes(12, valueInfo(v))),
  ];
  return Uint8Array.from([
    ...pbInt(1, 8), ...pbBytes(2, 'onnx-edge session.test.js'), ...pbBytes(7, graph),
    ...pbBytes(8, [...pbBytes(1, ''), ...pbInt(2, 13)]), ...pbBytes(8, [...pbBytes(1, 'ai.onnx.ml'), ...pbInt(2, 2)]),
  ]);
}

/** Identity on a string input, beside a float input. */
const STRING_IDENTITY = onnxModel(
  [{ op: 'Identity', inputs: ['text'], outputs: ['text_out'] }, { op: 'Identity', inputs: ['x'], outputs: ['x_out'] }],
  [['text', 'string', ['n']], ['x', 'float32', ['n']]],
  [['text_out', 'string', ['n']], ['x_out', 'float32', ['n']]],
);

/**
 * The string ops of scikit-learn exports: LabelEncoder string -> int64 and int64 -> string, and a classifier with
 * string class labels. onnxruntime 1.2x gives the outputs the test expects (checked once, by hand).
 */
const STRING_ML = onnxModel([
  { op: 'LabelEncoder', domain: 'ai.onnx.ml', inputs: ['text'], outputs: ['code'], attributes: [
    attribute('keys_strings', 'strings', ['cat', 'dog', 'bird']), attribute('values_int64s', 'ints', [0, 1, 2]),
    attribute('default_int64', 'int', -1)] },
  { op: 'LabelEncoder', domain: 'ai.onnx.ml', inputs: ['code'], outputs: ['name'], attributes: [
    attribute('keys_int64s', 'ints', [0, 1, 2]), attribute('values_strings', 'strings', ['Cat', 'Dog', 'Bird']),
    attribute('default_string', 'string', '?')] },
  { op: 'LinearClassifier', domain: 'ai.onnx.ml', inputs: ['x'], outputs: ['label', 'scores'], attributes: [
    attribute('coefficients', 'floats', [1, 0, 0, 1, -1, -1]), attribute('intercepts', 'floats', [0, 0, 0]),
    attribute('classlabels_strings', 'strings', ['cat', 'dog', 'bird'])] },
], [['text', 'string', ['n']], ['x', 'float32', ['n', 2]]], [
  ['code', 'int64', ['n']], ['name', 'string', ['n']], ['label', 'string', ['n']], ['scores', 'float32', ['n', 3]],
]);

describe('string tensors', () => {
  /** @type {InferenceSession} */
  let identity;

  before(async () => {
    identity = await InferenceSession.create(STRING_IDENTITY);
  });

  test('metadata reports string inputs and outputs', () => {
    assert.deepEqual(identity.inputMetadata.map((m) => [m.name, m.type, [...m.shape]]), [
      ['text', 'string', ['n']], ['x', 'float32', ['n']],
    ]);
    assert.deepEqual(identity.outputMetadata.map((m) => [m.name, m.type]), [['text_out', 'string'], ['x_out', 'float32']]);
  });

  test('strings round-trip: empty, non-ASCII, long, and an empty tensor', async () => {
    const values = ['', 'a', 'dog', 'ünïcödé ✓ 😀', 'x'.repeat(10000), '\u0000nul inside', ' spaced '];
    const out = await identity.run({ text: new Tensor(values), x: new Tensor('float32', new Float32Array(values.length)) });
    const text = out.text_out;
    assert.ok(text instanceof Tensor);
    assert.equal(text.type, 'string');
    assert.ok(Array.isArray(text.data));
    assert.deepEqual(text.data, values);
    assert.deepEqual([...text.dims], [values.length]);
    const none = await identity.run({ text: new Tensor('string', [], [0]), x: new Tensor('float32', [], [0]) });
    assert.deepEqual(none.text_out.data, []);
    assert.deepEqual([...none.text_out.dims], [0]);
  });

  test('onnxruntime-web string tensors are accepted as feeds', async () => {
    const { Tensor: OrtTensor } = await import('onnxruntime-common');
    const out = await identity.run(/** @type {any} */ ({
      text: new OrtTensor('string', ['p', 'q'], [2]), x: new OrtTensor('float32', new Float32Array(2), [2]),
    }));
    assert.deepEqual(out.text_out.data, ['p', 'q']);
  });

  test('a string feed holding a non-string is INPUT_DTYPE (with the index), before wasm is called', async () => {
    const x = new Tensor('float32', new Float32Array(3));
    for (const data of [['a', 1, 'c'], ['a', null, 'c'], ['a', undefined, 'c']]) {
      await assert.rejects(identity.run(/** @type {any} */ ({ text: { type: 'string', data, dims: [3] }, x })), (error) => {
        assert.ok(isOnnxEdgeError(error));
        assert.equal(error.code, 'INPUT_DTYPE');
        assert.equal(error.details.input, 'text');
        assert.equal(error.details.index, 1);
        return true;
      });
    }
    for (const data of [new Uint8Array(3), 'abc', { length: 3 }]) {
      await assert.rejects(identity.run(/** @type {any} */ ({ text: { type: 'string', data, dims: [3] }, x })), { code: 'INPUT_DTYPE' });
    }
  });

  test('a string tensor for a number input, or numbers for a string input, is INPUT_DTYPE', async () => {
    await assert.rejects(identity.run({ text: new Tensor(['a']), x: new Tensor(['1']) }), (error) => {
      assert.ok(isOnnxEdgeError(error));
      assert.deepEqual([error.code, error.details.input, error.details.expected, error.details.actual], ['INPUT_DTYPE', 'x', 'float32', 'string']);
      return true;
    });
    await assert.rejects(identity.run({ text: new Tensor('float32', [1]), x: new Tensor('float32', [1]) }), (error) => {
      assert.ok(isOnnxEdgeError(error));
      assert.deepEqual([error.code, error.details.input, error.details.expected, error.details.actual], ['INPUT_DTYPE', 'text', 'string', 'float32']);
      return true;
    });
  });

  test('string feeds: dims must match the array length; limits.maxTensorElements counts strings', async () => {
    const x = new Tensor('float32', new Float32Array(2));
    await assert.rejects(identity.run(/** @type {any} */ ({ text: { type: 'string', data: ['a', 'b'], dims: [3] }, x })), { code: 'INPUT_SHAPE' });
    const limited = await InferenceSession.create(STRING_IDENTITY, { limits: { maxTensorElements: 2 } });
    try {
      await assert.rejects(limited.run({ text: new Tensor(['a', 'b', 'c']), x: new Tensor('float32', new Float32Array(3)) }), { code: 'LIMIT_EXCEEDED' });
    } finally {
      await limited.release();
    }
  });

  test('LabelEncoder both ways and a classifier with string labels (the scikit-learn shapes)', async () => {
    const session = await InferenceSession.create(STRING_ML);
    try {
      assert.deepEqual(session.outputMetadata.map((m) => m.type), ['int64', 'string', 'string', 'float32']);
      const out = await session.run({
        text: new Tensor(['dog', 'cat', 'fish']), x: new Tensor('float32', [2, 1, 0, 3, -1, -2], [3, 2]),
      });
      assert.deepEqual([...out.code.data], [1n, 0n, -1n]);
      assert.deepEqual(out.name.data, ['Dog', 'Cat', '?']);
      assert.equal(out.label.type, 'string');
      assert.deepEqual(out.label.data, ['cat', 'dog', 'bird']);
      assert.deepEqual([...out.scores.data], [2, 1, -3, 0, 3, -3, -1, -2, 3]);
    } finally {
      await session.release();
    }
  });
});
