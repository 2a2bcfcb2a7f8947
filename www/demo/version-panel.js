// The version panel: iris's versions in the demo registry, this visitor's A/B assignment, hot swaps (blue-green,
// no reload: runs keep being answered while the new version loads and passes its gate), the staging gate's verdict
// per version and the deployment's events (switch, rollback, gate-failed, release, probation-passed).

import { assignVariant, bucketOf } from '../index.js';

/** @typedef {import('../rollout/deployment.js').Deployment} Deployment */
/** @typedef {import('../index.js').ModelRegistry} ModelRegistry */
/** @typedef {{ ok: boolean, text: string }} Verdict */

/**
 * @param {{ registry: ModelRegistry, deployment: Deployment, visitor: string, verdicts: Map<string, Verdict>, onVerdict: (listener: () => void) => void }} context
 */
export async function setupVersionPanel({ registry, deployment, visitor, verdicts, onVerdict }) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const body = /** @type {HTMLTableSectionElement} */ ($('versions-table').querySelector('tbody'));
  const serving = $('serving');
  const swapStatus = $('swap-status');
  const events = $('events');
  const follow = /** @type {HTMLButtonElement} */ ($('follow-rollout'));
  /** @type {HTMLButtonElement[]} */
  let buttons = [];

  const manifest = await registry.manifest();
  const entry = manifest.models.iris;
  const weights = entry.rollout?.weights ?? {};
  const history = await registry.versions('iris');
  const assigned = await assignVariant(visitor, weights);
  const bucket = await bucketOf(visitor);
  const visitorNote = $('visitor');
  visitorNote.textContent = `You are visitor ${visitor.slice(0, 8)}… (key kept in this browser), bucket ${bucket} of 10,000: `
    + `the A/B rollout (${Object.entries(weights).map(([v, w]) => `${v}: ${w}`).join(', ')}) assigns you iris ${assigned ?? 'stable'}.`;
  visitorNote.dataset.assigned = assigned ?? '';

  function drawVersions() {
    const state = deployment.current;
    buttons = [];
    body.replaceChildren(...history.versions.map((v) => {
      const row = document.createElement('tr');
      row.dataset.version = v.version;
      const verdict = verdicts.get(v.version);
      const graph = String(entry.versions[v.version]?.metadata?.graphName ?? '');
      const cells = [
        v.version,
        graph.replace(/^ONNX\((.*)\)$/, '$1'),
        v.aliases.join(', ') || '–',
        weights[v.version] === undefined ? '–' : String(weights[v.version]),
        verdict === undefined ? 'not run yet' : verdict.text,
      ];
      row.append(...cells.map((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.setAttribute('scope', 'row');
        if (i === 4 && verdict !== undefined) cell.className = verdict.ok ? 'ok' : 'bad';
        cell.textContent = text;
        return cell;
      }));
      const action = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      const pinned = state.spec.includes('@') && state.version === v.version;
      button.textContent = pinned ? 'Serving' : `Serve ${v.version}`;
      button.setAttribute('aria-label', pinned ? `iris ${v.version} serves every visitor` : `Hot-swap to iris ${v.version}`);
      button.disabled = pinned;
      button.addEventListener('click', () => swap(`iris@${v.version}`));
      buttons.push(button);
      action.append(button);
      row.append(action);
      return row;
    }));
    const followed = !state.spec.includes('@');
    follow.disabled = followed;
    const serves = state.serving.map((s) => `${s.version} (${s.variant})`).join(' and ');
    serving.textContent = followed
      ? `Following the manifest: ${serves} serve, split by visitor key.`
      : `Pinned: iris ${state.version} serves every visitor.`;
    serving.dataset.version = state.version;
    serving.dataset.spec = state.spec;
    const notes = [];
    if (state.probation.length > 0) notes.push(`on probation: ${state.probation.map((p) => `${p.version} (${p.runs} of ${p.window} runs)`).join(', ')}`);
    if (state.rolledBack.length > 0) notes.push(`rolled back: ${state.rolledBack.join(', ')}`);
    if (notes.length > 0) serving.textContent += ` ${notes.join('; ')}.`;
  }

  /** @param {string} spec */
  async function swap(spec) {
    for (const b of [...buttons, follow]) b.disabled = true;
    swapStatus.textContent = `Loading and gating ${spec} beside the serving version…`;
    try {
      const state = await deployment.update(spec);
      swapStatus.textContent = `Now serving ${state.version}${state.spec.includes('@') ? '' : ' and the A/B split'}.`;
    } catch (error) {
      const e = /** @type {{ code?: string, message?: string }} */ (error);
      swapStatus.textContent = `Not switched (${e.code ?? 'error'}): ${e.message ?? String(error)}`;
    }
    drawVersions();
  }
  follow.addEventListener('click', () => swap('iris'));

  /**
   * @param {string} text
   * @param {string} kind
   */
  function log(text, kind) {
    const item = document.createElement('li');
    item.className = kind;
    item.dataset.event = kind;
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString();
    item.append(time, ` ${text}`);
    events.prepend(item);
    while (events.children.length > 30) events.lastElementChild?.remove();
  }
  const ms = (/** @type {number} */ v) => `${v.toFixed(0)} ms`;
  deployment.on('switch', (e) => {
    log(`switch (${e.reason}): ${e.from ?? 'nothing'} → ${e.to}; load ${ms(e.timings.loadMs)}, gate ${ms(e.timings.gateMs)}, swap ${e.timings.swapMs.toFixed(3)} ms`, 'switch');
    drawVersions();
  });
  deployment.on('rollback', (e) => {
    const why = e.figures.reasons.join(', ');
    log(`rollback: ${e.from} → ${e.to} (${why}; p95 ${fmt(e.figures.window.p95Ms)} ms against ${fmt(e.figures.baseline.p95Ms)} ms, ${e.figures.window.count} runs)`, 'rollback');
    drawVersions();
  });
  deployment.on('gate-failed', (e) => { log(`gate failed: ${e.version} (${e.reason})`, 'gate-failed'); drawVersions(); });
  deployment.on('probation-passed', (e) => { log(`probation passed: ${e.version}`, 'probation-passed'); drawVersions(); });
  deployment.on('release', (e) => log(`released ${e.version}`, 'release'));
  onVerdict(drawVersions);
  const first = deployment.current;
  log(`deployed: ${first.serving.map((s) => `${s.version} (${s.variant})`).join(' and ')}`, 'switch');
  drawVersions();
  return { refresh: drawVersions };
}

/** @param {unknown} v */
function fmt(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(1) : '–';
}
