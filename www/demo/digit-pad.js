// The digit pad: draw on a 28 x 28 canvas (pointer events: mouse, touch, pen), the core turns the ink into
// scikit-learn's 8 x 8 digits features (`digitFeatures`), and the digits model reads them.

import { Tensor, digitFeatures } from '../index.js';
import { renderBars } from './bars.js';
import { inkFromRgba, padPoint } from './ink.js';
import { svgElement } from './svg.js';

/** @typedef {import('../index.js').InferenceSession} InferenceSession */

const SIZE = 28;
const DIGITS = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * @param {{ session: InferenceSession, onRun: () => void }} context
 */
export function setupDigitPad({ session, onRun }) {
  const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('pad'));
  const verdict = /** @type {HTMLElement} */ (document.getElementById('digit-verdict'));
  const bars = /** @type {HTMLElement} */ (document.getElementById('digit-bars'));
  const preview = /** @type {HTMLElement} */ (document.getElementById('features'));
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
  context.lineWidth = 2.4;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.strokeStyle = '#111';
  /** @type {{ x: number, y: number } | null} */
  let last = null;
  let pending = Promise.resolve();

  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = padPoint(event, canvas.getBoundingClientRect(), SIZE);
    stroke(last, last);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (last === null) return;
    const point = padPoint(event, canvas.getBoundingClientRect(), SIZE);
    stroke(last, point);
    last = point;
  });
  const end = () => {
    if (last === null) return;
    last = null;
    classifySoon();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  /** @param {{ x: number, y: number }} from @param {{ x: number, y: number }} to */
  function stroke(from, to) {
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x + 0.01, to.y);
    context.stroke();
  }

  function clear() {
    context.clearRect(0, 0, SIZE, SIZE);
    verdict.textContent = 'Draw a digit.';
    bars.replaceChildren();
    preview.replaceChildren();
    preview.setAttribute('aria-label', 'No drawing yet');
    delete preview.dataset.features;
  }
  /** @type {HTMLElement} */ (document.getElementById('pad-clear')).addEventListener('click', clear);
  /** @type {HTMLElement} */ (document.getElementById('pad-sample')).addEventListener('click', () => {
    clear();
    stroke({ x: 11, y: 8 }, { x: 15, y: 5 });
    stroke({ x: 15, y: 5 }, { x: 15, y: 23 });
    classifySoon();
  });

  function classifySoon() {
    pending = pending.then(classify, classify);
  }

  async function classify() {
    const ink = inkFromRgba(context.getImageData(0, 0, SIZE, SIZE).data, SIZE, SIZE);
    if (!ink.some((v) => v > 0)) {
      clear();
      return;
    }
    try {
      const features = await digitFeatures(ink, SIZE, SIZE);
      showFeatures(features);
      const out = await session.run({ X: new Tensor('float32', features, [1, 64]) });
      const label = Number(out.label.data[0]);
      verdict.textContent = `It looks like a ${label}`;
      verdict.dataset.label = String(label);
      renderBars(bars, DIGITS, /** @type {Float32Array} */ (out.probabilities.data), label);
    } catch (error) {
      const e = /** @type {{ code?: string, message?: string }} */ (error);
      verdict.textContent = `Could not classify: ${e.code ?? ''} ${e.message ?? String(error)}`;
    }
    onRun();
  }

  /** @param {Float32Array} features 64 values in 0..16 */
  function showFeatures(features) {
    const svg = svgElement('svg', { viewBox: '0 0 8 8', class: 'grid8', 'aria-hidden': 'true' });
    features.forEach((v, i) => {
      svg.append(svgElement('rect', { x: i % 8, y: Math.floor(i / 8), width: 1, height: 1, 'fill-opacity': (v / 16).toFixed(3), class: 'cell' }));
    });
    preview.replaceChildren(svg);
    preview.dataset.features = Array.from(features).join(',');
    const inked = features.filter((v) => v > 0).length;
    preview.setAttribute('aria-label', `8 by 8 features, ${inked} of 64 cells inked`);
  }
}
