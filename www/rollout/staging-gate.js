// The staging gate: before a version serves, it must reproduce the outputs its manifest entry stores for the
// reference inputs (within the manifest's tolerance, compared by the core), then pass the user's check. The gate's
// run is also the session's warm-up.

import { callWasm, liveEngine } from '../init.js';
import { isOnnxEdgeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { rolloutGlue } from './assignment.js';
import { gateOf, toWasmTensors } from './gate-tensors.js';

/** @typedef {import('../session.js').InferenceSession} InferenceSession */
/** @typedef {import('./assignment.js').OutputComparison} OutputComparison */
/** @typedef {import('./deploy-options.js').StagingCheck} StagingCheck */

/** The variant label of the gate's runs (telemetry keeps them apart from served traffic). */
export const GATE_VARIANT = 'gate';

/**
 * @typedef {object} GateFigures
 * @property {(OutputComparison & { tolerance: { atol: number, rtol: number }, rows: number }) | null} outputs the
 *   comparison with the manifest's expected outputs (null when the version has no gate)
 * @property {{ ok: boolean, figures: unknown } | null} check the user's check (null when none ran)
 * @property {{ code: string, message: string } | null} error what failed, when something threw (the gate's run,
 *   a malformed gate, the check)
 * @property {number} ms time the gate took
 */

/**
 * @typedef {object} GateResult
 * @property {boolean} ok
 * @property {'outputs' | 'check' | 'noGate' | 'error' | null} reason why it failed
 * @property {GateFigures} figures
 */

/**
 * Run the gate of a loaded version.
 * @param {InferenceSession} session
 * @param {{ name: string, version: string, entry: unknown, check?: StagingCheck, requireGate: boolean }} target
 * @returns {Promise<GateResult>}
 */
export async function runGate(session, target) {
  const started = performance.now();
  /** @type {GateFigures} */
  const figures = { outputs: null, check: null, error: null, ms: 0 };
  /**
   * @param {GateResult['reason']} reason
   * @returns {GateResult}
   */
  const done = (reason) => {
    figures.ms = performance.now() - started;
    return { ok: reason === null, reason, figures };
  };
  const where = `${target.name}@${target.version}`;
  try {
    const gate = gateOf(target.entry, where);
    if (gate === null) {
      if (target.requireGate) return done('noGate');
      await warmUp(session);
    } else {
      const outputs = await session.run(gate.inputs, undefined, { variant: GATE_VARIANT });
      const engine = await liveEngine();
      const { atol, rtol } = gate.tolerance;
      const comparison = callWasm(engine, () => rolloutGlue(engine).compareOutputs(toWasmTensors(gate.outputs), toWasmTensors(outputs), atol, rtol));
      const rows = Object.values(gate.inputs)[0]?.dims[0] ?? 0;
      figures.outputs = { ...comparison, tolerance: { atol, rtol }, rows };
      if (!comparison.ok) return done('outputs');
    }
  } catch (error) {
    figures.error = describeError(error);
    return done('error');
  }
  if (target.check !== undefined) {
    try {
      const result = await target.check(session, { name: target.name, version: target.version });
      const ok = typeof result === 'object' && result !== null && result.ok === true;
      figures.check = { ok, figures: result?.figures ?? null };
      if (!ok) return done('check');
    } catch (error) {
      figures.check = { ok: false, figures: null };
      figures.error = describeError(error);
      return done('check');
    }
  }
  return done(null);
}

/**
 * One run on zeros (symbolic dims as 1), so that the first served run does not pay for the first-run work; its
 * failure is ignored (a model may refuse zeros).
 * @param {InferenceSession} session
 */
async function warmUp(session) {
  /** @type {Record<string, Tensor>} */
  const feeds = {};
  for (const meta of session.inputMetadata) {
    if (meta.type === null) return;
    const dims = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    const size = dims.reduce((a, b) => a * b, 1);
    const data = meta.type === 'string' ? Array.from({ length: size }, () => '')
      : meta.type === 'int64' ? new BigInt64Array(size)
        : meta.type === 'uint64' ? new BigUint64Array(size) : new Array(size).fill(0);
    feeds[meta.name] = new Tensor(meta.type, /** @type {any} */ (data), dims);
  }
  await session.run(feeds, undefined, { variant: GATE_VARIANT }).catch(() => {});
}

/**
 * @param {unknown} error
 * @returns {{ code: string, message: string }}
 */
export function describeError(error) {
  const code = isOnnxEdgeError(error) || (typeof error === 'object' && error !== null && typeof (/** @type {any} */ (error)).code === 'string')
    ? String(/** @type {{ code: string }} */ (error).code) : 'ERROR';
  return { code, message: error instanceof Error ? error.message : String(error) };
}
