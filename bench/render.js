// BENCHMARKS.md and the bar chart of `make bench`, from the result object bench/compare.mjs builds.

/**
 * @typedef {{ n: number, min: number, median: number, p95: number, max: number }} Stats
 * @typedef {{ error: string | null, instantiateMs?: number | null, startMs?: number | null, loadMs?: number | null, firstRunMs?: number | null, runs?: Stats | null, peakMemoryBytes?: number | null }} SideResult
 * @typedef {{ name: string, group: string, large: boolean, inputs: string, ours: SideResult, peer: SideResult, native: SideResult,
 *   agreement: { oursVsPeer: Record<string, number> | null, nativeVsPeer: Record<string, number> | null }, ratioPeer: number | null, ratioNative: number | null }} Row
 * @typedef {{ environment: Record<string, any>, options: Record<string, any>, timing: Record<string, any>, rows: Row[], notes: string[] }} Result
 */

export const GROUPS = ['sklearn', 'sklearn ×1000', 'bert', 'silero', 'cnn', 'ocr'];

/** @param {number[]} v */
export function geomean(v) {
  return v.length === 0 ? null : Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

/** @param {number | null | undefined} ms */
function fmtMs(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** @param {number | null | undefined} r */
const fmtRatio = (r) => (r === null || r === undefined ? '–' : `${r.toFixed(2)}×`);

/** @param {Record<string, number> | null} errors */
function fmtErr(errors) {
  if (errors === null) return '–';
  const worst = Math.max(0, ...Object.values(errors));
  return worst === 0 ? '0' : worst.toExponential(1);
}

/** @param {number | null | undefined} bytes */
const fmtMiB = (bytes) => (bytes === null || bytes === undefined ? '–' : (bytes / 2 ** 20).toFixed(0));

/** Time to the first answer, load + first run. @param {SideResult} s */
const start = (s) => (s.loadMs == null || s.firstRunMs == null ? null : s.loadMs + s.firstRunMs);

/**
 * Per group: rows, geomean ratios against both peers, wins, geomean start ratio.
 * @param {Row[]} rows
 */
export function summary(rows) {
  /** @type {[string, Row[]][]} */
  const groups = [...GROUPS.map((g) => /** @type {[string, Row[]]} */ ([g, rows.filter((r) => r.group === g)])), ['all', rows]];
  return groups
    .filter(([, members]) => members.length > 0)
    .map(([group, members]) => {
      const peer = members.map((r) => r.ratioPeer).filter((r) => r !== null).map(Number);
      const native = members.map((r) => r.ratioNative).filter((r) => r !== null).map(Number);
      const starts = members.map((r) => { const a = start(r.ours); const b = start(r.peer); return a === null || b === null ? null : a / b; })
        .filter((r) => r !== null).map(Number);
      return {
        group, models: members.length, comparedPeer: peer.length, geomeanPeer: geomean(peer), oursFaster: peer.filter((r) => r < 1).length,
        comparedNative: native.length, geomeanNative: geomean(native), geomeanStartPeer: geomean(starts),
      };
    });
}

/**
 * @param {Result} result
 * @param {string} svgPath relative to the markdown file
 */
export function renderMarkdown(result, svgPath) {
  const env = result.environment;
  // Judged on the 1-minute load before the first model: the end figures include the benchmark's own processes
  // (two engines, then the native binary, on a 2-core machine load it to about 2).
  const busy = env.loadAverageAtStart[0] >= env.cores * 0.75;
  const lines = ['# Benchmarks: onnx-edge vs onnxruntime-web vs native tract', ''];
  lines.push('Made by `make bench` (bench/compare.mjs; see bench/README.md). Each model runs in a fresh Node process with both '
    + 'wasm engines (timed runs alternate onnx-edge and onnxruntime-web in ABBA blocks), then natively through the core '
    + '(`bench_native`). All three get the same input bytes (.npy files).', '');
  lines.push(`- machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.platform}`);
  lines.push(`- load average (1, 5, 15 min): ${env.loadAverageAtStart.join(', ')} at the start, ${env.loadAverageAtEnd.join(', ')} at the end`
    + `${busy ? ' — **the machine was busy** when the run started (other work competed for the CPU): absolute times are inflated and noisy; the ours/ORT-web ratios are measured alternating in one process and hold up better than the native ratios, which are measured after the wasm runs' : ''}`);
  lines.push(`- commit ${env.commit}${env.uncommitted ? ' (with uncommitted changes)' : ''}, date ${env.date}; onnx-edge wasm `
    + `${(env.wasm.bytes / 2 ** 20).toFixed(2)} MiB, sha256 ${env.wasm.sha256}…, built ${env.wasm.built}`);
  lines.push(`- Node ${env.node}; onnxruntime-web ${env.ortWeb} (wasm backend, numThreads 1, SIMD, no proxy, graphOptimizationLevel all); `
    + `native: ${env.rustc}, release profile without LTO (\`bench_native\`), 1 thread`);
  lines.push(`- runs: small models ${result.timing.small.warmMs} ms warm-up, then ≥ ${result.timing.small.targetMs} ms or ≥ ${result.timing.small.minRuns} runs; `
    + `large models (cnn, ocr) 5 warm-up runs, then ≥ ${result.timing.large.targetMs} ms or ≥ ${result.timing.large.minRuns} runs; `
    + `load = median of ${result.timing.small.loads} (large: ${result.timing.large.loads}) creations after the first`);
  lines.push('', '## Summary', '');
  lines.push('Geometric means of median-time ratios; below 1 means onnx-edge is faster.', '');
  lines.push('| group | models | ours / ORT-web | onnx-edge faster | ours / native | (load + first run) ours / ORT-web |', '|---|---:|---:|---:|---:|---:|');
  for (const s of summary(result.rows)) {
    lines.push(`| ${s.group} | ${s.models} | ${fmtRatio(s.geomeanPeer)} | ${s.oursFaster} of ${s.comparedPeer} | ${fmtRatio(s.geomeanNative)} | ${fmtRatio(s.geomeanStartPeer)} |`);
  }
  lines.push('', `![median time ratios](${svgPath})`, '');
  lines.push('## Models', '');
  lines.push('Times in ms. Cells are "onnx-edge / ORT-web / native" (instantiate and peak memory: "onnx-edge / ORT-web"). '
    + 'Instantiate = compiling and instantiating the engine\'s wasm in a fresh process; load = model bytes to a runnable session; '
    + 'peak memory = the wasm linear memory\'s size after all runs (it never shrinks). Agreement = max |output − ORT-web output| / max |ORT-web output| '
    + '(relative: the CNNs have random weights and tiny logits) over the outputs of the first run, onnx-edge / native.', '');
  lines.push('| model | group | inputs | instantiate | load | first run | median | p95 | ours / ORT-web | ours / native | peak wasm MiB | rel. error vs ORT-web |');
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const order = (/** @type {Row} */ r) => (GROUPS.includes(r.group) ? GROUPS.indexOf(r.group) : GROUPS.length);
  for (const r of [...result.rows].sort((a, b) => order(a) - order(b))) {
    const three = (/** @type {(s: SideResult) => number | null | undefined} */ pick) => [r.ours, r.peer, r.native].map((s) => (s.error && pick(s) == null ? '✗' : fmtMs(pick(s)))).join(' / ');
    lines.push(`| ${r.name} | ${r.group} | ${r.inputs.length > 60 ? `${r.inputs.slice(0, 57)}…` : r.inputs} `
      + `| ${fmtMs(r.ours.instantiateMs)} / ${fmtMs(r.peer.instantiateMs)} | ${three((s) => s.loadMs)} | ${three((s) => s.firstRunMs)} `
      + `| ${three((s) => s.runs?.median)} | ${three((s) => s.runs?.p95)} | ${fmtRatio(r.ratioPeer)} | ${fmtRatio(r.ratioNative)} `
      + `| ${fmtMiB(r.ours.peakMemoryBytes)} / ${fmtMiB(r.peer.peakMemoryBytes)} | ${fmtErr(r.agreement.oursVsPeer)} / ${fmtErr(r.agreement.nativeVsPeer)} |`);
    for (const [label, s] of /** @type {const} */ ([['onnx-edge', r.ours], ['ORT-web', r.peer], ['native', r.native]])) {
      if (s.error) lines.push(`| ↳ ${label}: ${s.error.replace(/\|/g, '\\|')} | | | | | | | | | | | |`);
    }
  }
  if (result.notes.length > 0) lines.push('', '## Notes', '', ...result.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** @param {string} s */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal bar chart on a log2 axis centred on 1: per group the geomean ratios, then each model that is not
 * a scikit-learn fixture; one bar against ORT-web, one against native.
 * @param {Result} result
 */
export function renderSvg(result) {
  /** @type {{ label: string, peer: number | null, native: number | null }[]} */
  const entries = summary(result.rows).map((s) => ({ label: `${s.group} (geomean of ${s.models})`, peer: s.geomeanPeer, native: s.geomeanNative }));
  for (const g of GROUPS) for (const r of result.rows) if (r.group === g && !g.startsWith('sklearn')) entries.push({ label: r.name, peer: r.ratioPeer, native: r.ratioNative });
  const values = entries.flatMap((e) => [e.peer, e.native]).filter((v) => v !== null && v > 0).map(Number);
  const lo = Math.min(-2, Math.floor(Math.log2(Math.min(...values, 1))));
  const hi = Math.max(2, Math.ceil(Math.log2(Math.max(...values, 1))));
  const left = 230;
  const plot = 520;
  const rowH = 30;
  const top = 56;
  const height = top + entries.length * rowH + 40;
  const x = (/** @type {number} */ v) => left + ((Math.log2(v) - lo) / (hi - lo)) * plot;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + plot + 40}" height="${height}" viewBox="0 0 ${left + plot + 40} ${height}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(`<text x="12" y="18" font-size="14" font-weight="bold">Median run time, onnx-edge / peer (log scale; left of 1 = onnx-edge faster)</text>`);
  out.push(`<rect x="${left}" y="28" width="12" height="10" fill="#3b6fb6"/><text x="${left + 16}" y="37">vs onnxruntime-web ${esc(String(result.environment.ortWeb))} (wasm)</text>`);
  out.push(`<rect x="${left + 250}" y="28" width="12" height="10" fill="#e08a2c"/><text x="${left + 266}" y="37">vs native tract (same core)</text>`);
  for (let p = lo; p <= hi; p += 1) {
    const gx = x(2 ** p);
    out.push(`<line x1="${gx.toFixed(1)}" y1="${top - 6}" x2="${gx.toFixed(1)}" y2="${height - 30}" stroke="${p === 0 ? '#333' : '#ddd'}"/>`);
    out.push(`<text x="${gx.toFixed(1)}" y="${height - 14}" text-anchor="middle">${p >= 0 ? 2 ** p : `1/${2 ** -p}`}×</text>`);
  }
  entries.forEach((e, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(e.label)}</text>`);
    for (const [k, v, color] of /** @type {const} */ ([[0, e.peer, '#3b6fb6'], [1, e.native, '#e08a2c']])) {
      if (v === null || !(v > 0)) continue;
      const x0 = x(1);
      const x1 = x(v);
      const by = y + 4 + k * 11;
      out.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${by}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="10" fill="${color}"/>`);
      out.push(`<text x="${(x1 >= x0 ? x1 + 3 : x1 - 3).toFixed(1)}" y="${by + 9}" font-size="10" text-anchor="${x1 >= x0 ? 'start' : 'end'}">${v.toFixed(2)}</text>`);
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
