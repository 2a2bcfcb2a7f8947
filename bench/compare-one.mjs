// One model of `make bench` (bench/compare.mjs), in a fresh Node process so that each engine's wasm
// instantiation and peak memory belong to this model alone. Usage: node bench/compare-one.mjs SPEC.json
// SPEC: { model, runs: [{ inputs: { name: file.npy }, outDir }], loads, warmMs, targetMs, minRuns, maxRuns }
// (one model, one or more input sets: a scikit-learn model's fixture rows and its 1,000-row batch).
// Prints one JSON object: per side (ours, peer) instantiate ms, start ms, load ms (all), peak wasm memory bytes
// and error; per input set and side the first run ms, samples and error, plus agreement (ours against
// onnxruntime-web per output: max |difference| / max |ORT-web output|). Writes onnxruntime-web's outputs of each
// set's first run to its outDir/NAME.npy for the native comparison.

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { maxRelative, readNpy, writeNpy } from './npy.js';

/** Every wasm compile/instantiate of an engine, timed, and the memories it made: the peak is their final size. */
const wasmLog = { phase: 'ours', ms: /** @type {Record<string, number>} */ ({ ours: 0, peer: 0 }), memories: /** @type {Record<string, WebAssembly.Memory[]>} */ ({ ours: [], peer: [] }) };

/** @param {unknown} result */
function keepMemories(result) {
  const r = /** @type {any} */ (result);
  const instance = r instanceof WebAssembly.Instance ? r : r?.instance;
  if (!(instance instanceof WebAssembly.Instance)) return;
  for (const value of Object.values(instance.exports)) {
    if (value instanceof WebAssembly.Memory) wasmLog.memories[wasmLog.phase].push(value);
  }
}

for (const name of /** @type {const} */ (['compile', 'instantiate'])) {
  const original = /** @type {(...args: any[]) => Promise<any>} */ (WebAssembly[name]).bind(WebAssembly);
  /** @type {any} */ (WebAssembly)[name] = async (/** @type {any[]} */ ...args) => {
    const phase = wasmLog.phase;
    for (const imports of Object.values(args[1] ?? {})) {
      for (const value of Object.values(/** @type {object} */ (imports))) {
        if (value instanceof WebAssembly.Memory) wasmLog.memories[phase].push(value);
      }
    }
    const t0 = performance.now();
    const result = await original(...args);
    wasmLog.ms[phase] += performance.now() - t0;
    if (name === 'instantiate') keepMemories(result);
    return result;
  };
}

const ort = await import('onnxruntime-web');
const { init, InferenceSession, Tensor } = await import('../www/index.js');

/** @param {unknown} error */
function errorText(error) {
  const e = /** @type {{ code?: unknown, message?: unknown }} */ (error);
  const message = String(e?.message ?? error).split('\n')[0].slice(0, 160);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}

/** @param {number[]} v */
function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[(s.length - 1) >> 1];
}

const spec = JSON.parse(await readFile(process.argv[2], 'utf8'));
const bytes = new Uint8Array(await readFile(spec.model));

/**
 * @typedef {{ run: (feeds: any) => Promise<Record<string, any>>, release: () => Promise<void> }} AnySession
 * @typedef {{ key: 'ours' | 'peer', start: () => Promise<void>, create: (b: Uint8Array) => Promise<AnySession>, Tensor: any }} Runtime
 */
/** @type {Runtime[]} */
const runtimes = [
  { key: 'ours', start: async () => { await init(); }, create: async (b) => /** @type {any} */ (await InferenceSession.create(b)), Tensor },
  {
    key: 'peer',
    start: async () => {
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.simd = true;
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
    },
    create: async (b) => /** @type {any} */ (await ort.InferenceSession.create(b, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' })),
    Tensor: ort.Tensor,
  },
];

// Start each engine and load the model 1 + `loads` times: the first creation also starts the engine (ORT-web
// instantiates its wasm there; the hook times that part alone), the load time is the median of the others.
const engines = [];
for (const runtime of runtimes) {
  wasmLog.phase = runtime.key;
  const engine = {
    runtime, error: /** @type {string | null} */ (null), instantiateMs: /** @type {number | null} */ (null), startMs: /** @type {number | null} */ (null),
    loadMs: /** @type {number[]} */ ([]), peakMemoryBytes: /** @type {number | null} */ (null), session: /** @type {AnySession | null} */ (null),
  };
  engines.push(engine);
  try {
    const t0 = performance.now();
    await runtime.start();
    for (let i = 0; i < spec.loads + 1; i += 1) {
      const t1 = performance.now();
      const session = await runtime.create(bytes);
      if (i === 0) engine.startMs = performance.now() - t0;
      else engine.loadMs.push(performance.now() - t1);
      if (engine.session !== null) await engine.session.release();
      engine.session = session;
    }
    engine.instantiateMs = wasmLog.ms[runtime.key];
  } catch (error) {
    engine.error = errorText(error);
    engine.session = null;
  }
}

const runs = [];
for (const set of spec.runs) {
  /** @type {Record<string, import('./npy.js').NpyTensor>} */
  const inputs = {};
  for (const [name, file] of Object.entries(set.inputs)) inputs[name] = await readNpy(/** @type {string} */ (file));
  /** @type {Record<string, Record<string, any>>} */
  const firstOutputs = {};
  const sides = [];
  for (const engine of engines) {
    const side = {
      key: engine.runtime.key, session: engine.session, feeds: /** @type {any} */ (null), error: engine.error,
      firstRunMs: /** @type {number | null} */ (null), samples: /** @type {number[]} */ ([]),
    };
    sides.push(side);
    if (side.session === null) continue;
    try {
      side.feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new engine.runtime.Tensor(t.type, t.data, t.dims)]));
      const t0 = performance.now();
      firstOutputs[side.key] = await side.session.run(side.feeds);
      side.firstRunMs = performance.now() - t0;
    } catch (error) {
      side.error = `run failed (${errorText(error)})`;
      side.session = null;
    }
  }

  // Warm up each side, pick its N, then time in 10 blocks alternating ours and the peer (ABBA).
  const live = sides.filter((s) => s.session !== null);
  const counts = [];
  for (const side of live) {
    const warm = [];
    const started = performance.now();
    while (warm.length < spec.maxRuns && (warm.length < 5 || performance.now() - started < spec.warmMs)) {
      const t0 = performance.now();
      await /** @type {AnySession} */ (side.session).run(side.feeds);
      warm.push(performance.now() - t0);
    }
    counts.push(Math.min(spec.maxRuns, Math.max(spec.minRuns, Math.ceil(spec.targetMs / Math.max(median(warm.slice(-5)), 1e-3)))));
  }
  for (let b = 0; b < 10; b += 1) {
    const order = b % 2 === 0 ? live.map((_, i) => i) : live.map((_, i) => live.length - 1 - i);
    for (const i of order) {
      const n = Math.floor((counts[i] * (b + 1)) / 10) - Math.floor((counts[i] * b) / 10);
      for (let k = 0; k < n; k += 1) {
        const t0 = performance.now();
        await /** @type {AnySession} */ (live[i].session).run(live[i].feeds);
        live[i].samples.push(performance.now() - t0);
      }
    }
  }

  /** @type {Record<string, number> | null} max |ours − peer| / max |peer| per output */
  let maxAbsVsPeer = null;
  if (firstOutputs.ours !== undefined && firstOutputs.peer !== undefined) {
    maxAbsVsPeer = {};
    for (const [name, want] of Object.entries(firstOutputs.peer)) {
      const got = firstOutputs.ours[name];
      if (got === undefined || !ArrayBuffer.isView(want.data) || !ArrayBuffer.isView(got.data)) continue;
      maxAbsVsPeer[name] = maxRelative(/** @type {any} */ (got.data), /** @type {any} */ (want.data));
    }
  }
  if (firstOutputs.peer !== undefined) {
    await mkdir(set.outDir, { recursive: true });
    for (const [name, t] of Object.entries(firstOutputs.peer)) {
      if (!ArrayBuffer.isView(t.data)) continue;
      await writeNpy(path.join(set.outDir, `${name.replace(/[/:]/g, '_')}.npy`), { type: t.type, dims: [...t.dims], data: t.data }).catch(() => {});
    }
  }
  runs.push({
    ...Object.fromEntries(sides.map((s) => [s.key, { error: s.error, firstRunMs: s.firstRunMs, samples: s.samples }])),
    maxAbsVsPeer,
  });
  /** @type {any} */ (globalThis).gc?.();
}

for (const engine of engines) {
  const memories = wasmLog.memories[engine.runtime.key];
  engine.peakMemoryBytes = memories.length === 0 ? null : Math.max(...memories.map((m) => m.buffer.byteLength));
  if (engine.session !== null) await engine.session.release().catch(() => {});
}
const result = Object.fromEntries(engines.map(({ session, runtime, ...rest }) => [runtime.key, rest]));
process.stdout.write(`${JSON.stringify({ ...result, runs })}\n`);
process.exit(0);
