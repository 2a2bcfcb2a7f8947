// The telemetry panel: latency histogram, throughput, drift per feature and live accuracy of the page's sessions,
// redrawn from `telemetry.snapshot()` (and the histogram buckets of `telemetry.prometheus()`) every second.

import { barChart, columnChart, lineChart } from './svg.js';
import { boundLabel, latencyBuckets, visibleBuckets } from './latency-buckets.js';

/** @typedef {import('../index.js').Telemetry} Telemetry */
/** @typedef {import('../index.js').TelemetrySnapshot} TelemetrySnapshot */
/** @typedef {TelemetrySnapshot['models'][number]} SeriesSnapshot */

/** The staging gate's and the accuracy check's runs carry this variant: not traffic, so not charted. */
const GATE = 'gate';
const HISTORY = 60;
const FEATURE_NAMES = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/**
 * @param {{ telemetry: Telemetry }} context
 * @returns {{ refresh: () => void }}
 */
export function setupTelemetryPanel({ telemetry }) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const table = /** @type {HTMLTableSectionElement} */ ($('telemetry-table').querySelector('tbody'));
  /** Predictions counted at each tick, for the throughput line. @type {{ at: number, total: number }[]} */
  const ticks = [];
  /** @type {number[]} */
  const throughput = [];
  let queued = false;

  function draw() {
    queued = false;
    const snapshot = telemetry.snapshot();
    const traffic = snapshot.models.filter((s) => s.variant !== GATE);
    drawLatency();
    drawDrift(traffic);
    drawAccuracy(traffic);
    drawTable(traffic);
    $('telemetry').dataset.runs = String(traffic.reduce((sum, s) => sum + s.runs, 0));
  }

  function drawLatency() {
    const buckets = visibleBuckets(latencyBuckets(telemetry.prometheus(), (labels) => labels.variant !== GATE));
    const total = buckets.reduce((sum, b) => sum + b.count, 0);
    $('chart-latency').replaceChildren(columnChart(buckets.map((b) => ({ label: boundLabel(b.le), value: b.count })), {
      title: `Latency histogram of ${total} runs: ${buckets.filter((b) => b.count > 0).map((b) => `${b.count} up to ${boundLabel(b.le)} ms`).join(', ') || 'no runs yet'}`,
      unit: ' runs',
    }));
  }

  /** Once a second: predictions per second over the last second. */
  function tick() {
    const total = telemetry.snapshot().models.filter((s) => s.variant !== GATE).reduce((sum, s) => sum + s.predictions, 0);
    const now = performance.now();
    const previous = ticks.at(-1);
    ticks.push({ at: now, total });
    if (ticks.length > 2) ticks.shift();
    if (previous !== undefined) throughput.push(((total - previous.total) * 1000) / Math.max(1, now - previous.at));
    if (throughput.length > HISTORY) throughput.shift();
    const values = throughput.length === 0 ? [0] : throughput;
    $('chart-throughput').replaceChildren(lineChart(values, {
      title: `Predictions per second over the last ${values.length} seconds, now ${(values.at(-1) ?? 0).toFixed(1)}`,
      unit: '/s',
    }));
    draw();
  }

  /** @param {SeriesSnapshot[]} traffic */
  function drawDrift(traffic) {
    // The iris series with the most drift values: the version that answered most of this visitor's runs.
    const series = traffic.filter((s) => s.drift.length > 0).sort((a, b) => (b.drift[0]?.count ?? 0) - (a.drift[0]?.count ?? 0))[0];
    const holder = $('chart-drift');
    if (series === undefined) {
      holder.replaceChildren(paragraph('No drift yet: predict some flowers.'));
      return;
    }
    const features = series.drift.filter((d) => d.input === 'X');
    const rows = features.map((d) => ({
      label: FEATURE_NAMES[d.index] ?? d.feature,
      value: d.psi,
      level: d.level,
      text: d.level === null ? `${d.psi.toFixed(2)} (n=${d.count})` : `${d.psi.toFixed(2)} ${d.level}`,
    }));
    const max = Math.max(0.5, ...rows.map((r) => r.value));
    holder.replaceChildren(barChart(rows, {
      title: `Population stability index per feature of iris ${series.version} against its reference: ${rows.map((r) => `${r.label} ${r.text}`).join(', ')}`,
      max,
      marks: [{ at: 0.1, label: 'warn' }, { at: 0.25, label: 'alert' }],
    }));
    holder.append(paragraph(`iris ${series.version}, last ${features[0]?.count ?? 0} inputs; judged from 100.`));
  }

  /** @param {SeriesSnapshot[]} traffic */
  function drawAccuracy(traffic) {
    const labelled = traffic.filter((s) => s.live?.classification != null && s.live.classification.count > 0);
    const holder = $('chart-accuracy');
    if (labelled.length === 0) {
      holder.replaceChildren(paragraph('No labels yet: tell the iris panel the true species, or replay the data set.'));
      return;
    }
    const rows = labelled.map((s) => {
      const c = /** @type {{ count: number, accuracy: number }} */ (s.live?.classification);
      return { label: `${s.model} ${s.version}`, value: c.accuracy, text: `${(c.accuracy * 100).toFixed(1)}% of ${c.count}` };
    });
    holder.replaceChildren(barChart(rows, {
      title: `Rolling accuracy: ${rows.map((r) => `${r.label} ${r.text}`).join(', ')}`,
      max: 1,
      marks: [{ at: 0.8, label: 'alert' }],
    }));
  }

  /** @param {SeriesSnapshot[]} traffic */
  function drawTable(traffic) {
    table.replaceChildren(...traffic.map((s) => {
      const row = document.createElement('tr');
      const errors = Object.values(s.errors).reduce((sum, n) => sum + n, 0);
      const ms = (/** @type {number | null} */ v) => (v === null ? '–' : (v * 1000).toFixed(2));
      const cells = [s.model, s.version, s.variant || '–', String(s.runs), String(errors), ms(s.latency.p50), ms(s.latency.p95),
        s.accuracy === null ? '–' : `${(s.accuracy * 100).toFixed(1)}%`];
      row.append(...cells.map((text) => {
        const cell = document.createElement('td');
        cell.textContent = text;
        return cell;
      }));
      return row;
    }));
  }

  tick();
  setInterval(tick, 1000);
  return {
    refresh() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(draw);
    },
  };
}

/** @param {string} text */
function paragraph(text) {
  const p = document.createElement('p');
  p.className = 'small';
  p.textContent = text;
  return p;
}
