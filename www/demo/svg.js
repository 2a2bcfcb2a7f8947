// Small inline SVG charts for the telemetry panel, drawn with DOM calls (no chart library, no inline styles, so a
// strict CSP holds). Each chart is an <svg role="img"> with a <title> that says what it shows in words.

const NS = 'http://www.w3.org/2000/svg';

/**
 * @param {string} name
 * @param {Record<string, string | number>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {SVGElement}
 */
export function svgElement(name, attributes = {}, children = []) {
  const element = /** @type {SVGElement} */ (document.createElementNS(NS, name));
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  element.append(...children);
  return element;
}

/**
 * An empty chart of `width` x `height` user units that scales to its container.
 * @param {string} title read by screen readers
 * @param {number} width
 * @param {number} height
 * @returns {SVGElement}
 */
function chart(title, width, height) {
  return svgElement('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart', preserveAspectRatio: 'xMidYMid meet' },
    [svgElement('title', {}, [title])]);
}

/**
 * A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`.
 * @param {number} value
 * @returns {number}
 */
export function niceCeiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Vertical bars with a label under each (a histogram).
 * @param {{ label: string, value: number }[]} bars
 * @param {{ title: string, unit?: string }} options
 * @returns {SVGElement}
 */
export function columnChart(bars, options) {
  const width = 320;
  const height = 150;
  const top = 14;
  const bottom = 30;
  const left = 8;
  const svg = chart(options.title, width, height);
  const max = niceCeiling(Math.max(0, ...bars.map((b) => b.value)));
  const slot = (width - left * 2) / Math.max(1, bars.length);
  const plot = height - top - bottom;
  svg.append(svgElement('line', { x1: left, x2: width - left, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  bars.forEach((bar, i) => {
    const h = (bar.value / max) * plot;
    const x = left + i * slot;
    svg.append(svgElement('rect', { x: x + 2, y: height - bottom - h, width: Math.max(1, slot - 4), height: h, class: 'bar' },
      [svgElement('title', {}, [`${bar.label}: ${bar.value}${options.unit ?? ''}`])]));
    if (bar.value > 0) svg.append(svgElement('text', { x: x + slot / 2, y: height - bottom - h - 3, class: 'value', 'text-anchor': 'middle' }, [String(bar.value)]));
    svg.append(svgElement('text', { x: x + slot / 2, y: height - bottom + 12 + (i % 2) * 11, class: 'tick', 'text-anchor': 'middle' }, [bar.label]));
  });
  return svg;
}

/**
 * Horizontal bars from 0 to `max`, with optional vertical marks (thresholds).
 * @param {{ label: string, value: number, text: string, level?: string | null }[]} rows
 * @param {{ title: string, max: number, marks?: { at: number, label: string }[] }} options
 * @returns {SVGElement}
 */
export function barChart(rows, options) {
  const width = 320;
  const rowHeight = 24;
  const labelWidth = 96;
  const textWidth = 84;
  const top = options.marks === undefined ? 4 : 16;
  const height = top + Math.max(1, rows.length) * rowHeight + 4;
  const svg = chart(options.title, width, height);
  const span = width - labelWidth - textWidth;
  const scale = (/** @type {number} */ v) => labelWidth + (Math.min(Math.max(v, 0), options.max) / options.max) * span;
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    svg.append(svgElement('text', { x: labelWidth - 6, y: y + 16, class: 'tick', 'text-anchor': 'end' }, [row.label]));
    svg.append(svgElement('rect', { x: labelWidth, y: y + 5, width: span, height: 14, class: 'track' }));
    svg.append(svgElement('rect', {
      x: labelWidth, y: y + 5, width: Math.max(1, scale(row.value) - labelWidth), height: 14, class: `bar ${row.level ? `level-${row.level}` : ''}`.trim(),
    }));
    svg.append(svgElement('text', { x: labelWidth + span + 6, y: y + 16, class: 'value' }, [row.text]));
  });
  for (const mark of options.marks ?? []) {
    const x = scale(mark.at);
    svg.append(svgElement('line', { x1: x, x2: x, y1: top - 2, y2: height - 2, class: 'mark' }));
    svg.append(svgElement('text', { x, y: top - 5, class: 'tick', 'text-anchor': 'middle' }, [mark.label]));
  }
  return svg;
}

/**
 * A line over time (oldest left), with the last value printed.
 * @param {number[]} values
 * @param {{ title: string, unit: string }} options
 * @returns {SVGElement}
 */
export function lineChart(values, options) {
  const width = 320;
  const height = 110;
  const top = 16;
  const bottom = 18;
  const svg = chart(options.title, width, height);
  const max = niceCeiling(Math.max(0, ...values));
  const plot = height - top - bottom;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(top + plot - (v / max) * plot).toFixed(1)}`);
  svg.append(svgElement('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'axis' }));
  svg.append(svgElement('text', { x: 2, y: 11, class: 'tick' }, [`max ${max} ${options.unit}`]));
  if (points.length > 1) svg.append(svgElement('polyline', { points: points.join(' '), class: 'line' }));
  const last = values.at(-1) ?? 0;
  svg.append(svgElement('text', { x: width - 2, y: height - 4, class: 'value', 'text-anchor': 'end' }, [`now ${last.toFixed(1)} ${options.unit}`]));
  return svg;
}
