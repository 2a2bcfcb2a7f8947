// Type tests for the public API: each `@ts-expect-error` line is a misuse that must not compile.
// Checked by `tsc -p tsconfig.json` (never run).
import {
  ErrorCode, InferenceSession, OnnxEdgeError, Tensor, engineInfo, init, isOnnxEdgeError,
  type DataType, type EngineInfo, type ErrorCodeName, type SessionOptions, type ValueMetadata,
} from '../index.js';

export async function typeTests(bytes: Uint8Array): Promise<void> {
  // Tensors: explicit type, inferred type, plain arrays.
  const a = new Tensor('float32', new Float32Array(8), [2, 4]);
  const af: Float32Array = a.data;
  const at: 'float32' = a.type;
  const b = new Tensor('int64', [1, 2n, 3], [3]);
  const bd: BigInt64Array = b.data;
  const c = new Tensor(new Int32Array(3), [3]);
  const cd: number = c.size;
  const h = new Tensor('float16', new Uint16Array(2));
  const hd: Uint16Array = h.data;
  const flag = new Tensor('bool', [true, false, 1]);
  const s = new Tensor('string', ['cat', 'dog'], [2]);
  const sd: string[] = s.data;
  const st: 'string' = s.type;
  const si = new Tensor(['a', 'b', 'c']);
  const sit: 'string' = si.type;
  const labels: readonly string[] = ['x'];
  const sr = new Tensor('string', labels);
  const anyType: DataType = 'string';
  void [af, at, bd, cd, hd, flag, sd, st, sit, sr, anyType];

  // @ts-expect-error not a tensor type
  new Tensor('float33', new Float32Array(1), [1]);
  // @ts-expect-error float32 takes a Float32Array, not an Int32Array
  new Tensor('float32', new Int32Array(1), [1]);
  // @ts-expect-error int64 takes bigints or numbers, not strings
  new Tensor('int64', ['1'], [1]);
  // @ts-expect-error a string tensor takes strings, not numbers
  new Tensor('string', [1, 2], [2]);
  // @ts-expect-error a string tensor takes an array of strings, not a typed array
  new Tensor('string', new Uint8Array(2), [2]);
  // @ts-expect-error float32 data is not strings
  new Tensor('float32', ['1'], [1]);
  // @ts-expect-error a string tensor's data is not a Float32Array
  const notFloats: Float32Array = s.data;
  void notFloats;
  // @ts-expect-error dims are numbers
  new Tensor('float32', new Float32Array(1), ['1']);
  // @ts-expect-error dims are read-only
  a.dims.push(1);
  // @ts-expect-error a tensor's type cannot be reassigned
  a.type = 'float64';
  // @ts-expect-error the data of a float32 tensor is not an Int32Array
  const wrong: Int32Array = a.data;
  void wrong;

  // Sessions.
  await init();
  await init({ variant: 'baseline' });
  const info: EngineInfo = engineInfo();
  const running: 'simd' | 'baseline' | 'custom' | null = info.variant;
  void running;
  const options: SessionOptions = {
    inputShapes: { X: ['batch', 4] },
    freeDimensionOverrides: { batch: 2 },
    limits: { maxModelBytes: 1 << 20, maxTensorElements: 1 << 16 },
    optimize: true,
    model: { name: 'iris', version: '1.0.0' },
  };
  const session = await InferenceSession.create(bytes, options);
  const names: readonly string[] = session.inputNames;
  const meta: readonly ValueMetadata[] = session.inputMetadata;
  const producer: string = session.metadata.producerName;
  const out = await session.run({ X: a });
  const probabilities = out.probabilities;
  const type: DataType = probabilities.type;
  const dims: readonly number[] = probabilities.dims;
  // An output may be a string tensor: its data is a union until the type is checked.
  // @ts-expect-error string[] is in the union, so this is not a typed array
  const numbersOnly: Exclude<import('../index.js').DataTypeMap[DataType], string[]> = probabilities.data;
  void numbersOnly;
  const label = out.label;
  if (label.type === 'string') {
    const names: string = (label.data as string[]).join(',');
    void names;
  }
  await session.run({ X: a, labels: s });
  const inputType: DataType | null = meta[0].type;
  void inputType;
  await session.run({ X: a }, ['probabilities']);
  await session.run({ X: a }, { probabilities: null });
  await session.release();
  void [names, meta, producer, type, dims];

  // @ts-expect-error a number is not a model source
  await InferenceSession.create(42);
  // @ts-expect-error sessions come from InferenceSession.create, not new
  new InferenceSession();
  // @ts-expect-error feeds are tensors, not bare typed arrays
  await session.run({ X: new Float32Array(4) });
  // @ts-expect-error inputNames is read-only
  session.inputNames = [];
  // @ts-expect-error limits take numbers
  await InferenceSession.create(bytes, { limits: { maxModelBytes: '1MB' } });
  // @ts-expect-error inputShapes dims are numbers or symbol names
  await InferenceSession.create(bytes, { inputShapes: { X: [true] } });

  // Errors.
  try {
    await session.run({ X: a });
  } catch (error) {
    if (isOnnxEdgeError(error)) {
      const code: ErrorCodeName = error.code;
      const details: Record<string, unknown> = error.details;
      void [code, details];
    }
  }
  const e = new OnnxEdgeError(ErrorCode.RELEASED, 'released');
  const released: 'RELEASED' = ErrorCode.RELEASED;
  void [e, released];
  // @ts-expect-error not an error code
  new OnnxEdgeError('NOT_A_CODE', 'x');
  // @ts-expect-error the code table is read-only
  ErrorCode.RELEASED = 'X';
}
