// The script of csp.html (a file: the page's policy allows no inline script). Listens for CSP violations before
// anything else runs, predicts on this thread and in a worker, then makes one violation on purpose (a fetch to
// another origin, which connect-src 'self' refuses before any network) to show that the policy is in force and
// that the listener hears it.

/** @type {{ directive: string, blocked: string, phase: string }[]} */
const violations = [];
let phase = 'predicting';
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, phase });
});

const { InferenceSession, Tensor, createWorkerSession } = await import('../../../www/index.js');

/**
 * The typed array for a fixture's flat data.
 * @param {{ type: string, data: (number | string)[] }} spec
 */
function decode({ type, data }) {
  if (type === 'float32') return Float32Array.from(data, Number);
  throw new Error(`this page does not decode ${type}`);
}

/**
 * Every run of the case through `session`, outputs as plain fields.
 * @param {{ run: (feeds: any) => Promise<Record<string, { type: string, dims: readonly number[], data: ArrayLike<unknown> }>> }} session
 * @param {{ runs: { inputs: Record<string, { type: string, dims: number[], data: (number | string)[] }> }[] }} fixture
 */
async function predict(session, fixture) {
  const runs = [];
  for (const run of fixture.runs) {
    /** @type {Record<string, unknown>} */
    const feeds = {};
    for (const [input, spec] of Object.entries(run.inputs)) feeds[input] = new Tensor(/** @type {any} */ (spec.type), decode(spec), spec.dims);
    const outputs = await session.run(feeds);
    runs.push(Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { type: t.type, dims: [...t.dims], data: Array.from(t.data, (v) => Number(v)) }])));
  }
  return runs;
}

async function main() {
  const name = new URLSearchParams(location.search).get('case') ?? 'iris_rf';
  const fixture = await (await fetch(`../../fixtures/cases/${name}.json`)).json();
  const model = new URL(`../../fixtures/${fixture.model}`, location.href);
  const here = await InferenceSession.create(model);
  const mainThread = await predict(here, fixture);
  await here.release();
  const inWorker = await createWorkerSession(model);
  const worker = await predict(inWorker, fixture);
  await inWorker.release();

  phase = 'control';
  const elsewhere = `http://localhost:${location.port}/tests/fixtures/cases/${name}.json`; // same server, other origin
  const controlBlocked = await fetch(elsewhere).then(() => false, () => true);
  await new Promise((resolve) => setTimeout(resolve, 50)); // violation events are queued as tasks
  return { ok: true, name, mainThread, worker, controlBlocked };
}

const result = await main().catch((e) => ({ ok: false, name: e?.name, code: e?.code, details: e?.details, message: String(e?.message ?? e) }));
/** @type {any} */ (window).onnxEdgeResult = { ...result, violations };
/** @type {HTMLElement} */ (document.getElementById('out')).textContent = JSON.stringify({ ...result, violations }, null, 1).slice(0, 4000);
document.title = 'done';
