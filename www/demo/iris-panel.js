// The iris panel: four measurements (a slider and an exact number each) predicted as they change through the
// deployment, class probabilities as bars, "the true species is ..." feedback and a replay of the labelled data set
// (live accuracy in the telemetry panel).

import { Tensor } from '../index.js';
import { renderBars } from './bars.js';

/** @typedef {import('../rollout/deployment.js').Deployment} Deployment */
/** @typedef {import('../index.js').Telemetry} Telemetry */

export const IRIS_CLASSES = Object.freeze(['setosa', 'versicolor', 'virginica']);
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/**
 * @param {{ deployment: Deployment, telemetry: Telemetry, testSet: { data: number[], labels: number[] }, onRun: () => void }} context
 */
export function setupIrisPanel({ deployment, telemetry, testSet, onRun }) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const verdict = $('iris-verdict');
  const bars = $('iris-bars');
  const served = $('iris-served');
  const feedbackNote = $('iris-feedback');
  const replay = /** @type {HTMLButtonElement} */ ($('iris-replay'));
  /** @type {string | null} */
  let lastPrediction = null;
  let running = false;
  let again = false;

  const sliders = FEATURES.map((name) => /** @type {HTMLInputElement} */ ($(name)));
  const numbers = FEATURES.map((name) => /** @type {HTMLInputElement} */ ($(`${name}-number`)));
  sliders.forEach((slider, i) => {
    slider.addEventListener('input', () => { numbers[i].value = slider.value; schedule(); });
    numbers[i].addEventListener('input', () => {
      if (numbers[i].value !== '' && Number.isFinite(Number(numbers[i].value))) slider.value = numbers[i].value;
      schedule();
    });
  });
  $('iris-form').addEventListener('submit', (event) => { event.preventDefault(); schedule(); });

  /** One run at a time; changes made meanwhile are predicted once it is answered. */
  function schedule() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    predict().finally(() => {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    });
  }

  async function predict() {
    const values = numbers.map((input) => Number(input.value));
    if (values.some((v) => !Number.isFinite(v) || numbersEmpty())) {
      verdict.textContent = 'Enter four measurements.';
      return;
    }
    try {
      const result = await deployment.run({ X: new Tensor('float32', Float32Array.from(values), [1, 4]) });
      const label = Number(result.outputs.label.data[0]);
      lastPrediction = result.predictionId;
      verdict.textContent = `Iris ${IRIS_CLASSES[label]}`;
      renderBars(bars, IRIS_CLASSES, /** @type {Float32Array} */ (result.outputs.probabilities.data), label);
      served.textContent = `Answered by iris ${result.version} (variant ${result.variant}) in ${result.durationMs.toFixed(1)} ms.`;
      served.dataset.version = result.version;
      served.dataset.inputs = values.join(',');
      feedbackNote.textContent = '';
    } catch (error) {
      const e = /** @type {{ code?: string, message?: string }} */ (error);
      verdict.textContent = `Could not predict: ${e.code ?? ''} ${e.message ?? String(error)}`;
    }
    onRun();
  }

  function numbersEmpty() {
    return numbers.some((input) => input.value.trim() === '');
  }

  for (const button of document.querySelectorAll('#iris [data-species]')) {
    button.addEventListener('click', () => {
      const species = Number(/** @type {HTMLElement} */ (button).dataset.species);
      if (lastPrediction === null) {
        feedbackNote.textContent = 'Predict a flower first.';
        return;
      }
      const matched = telemetry.feedback(lastPrediction, species);
      feedbackNote.textContent = matched
        ? `Thanks: recorded as ${IRIS_CLASSES[species]} (live accuracy below).`
        : 'That prediction already has its label.';
      if (matched) lastPrediction = null;
      onRun();
    });
  }

  replay.addEventListener('click', async () => {
    replay.disabled = true;
    const rows = testSet.labels.length;
    let correct = 0;
    let failed = 0;
    for (let i = 0; i < rows; i += 1) {
      const x = Float32Array.from(testSet.data.slice(i * 4, i * 4 + 4));
      try {
        const result = await deployment.run({ X: new Tensor('float32', x, [1, 4]) });
        if (Number(result.outputs.label.data[0]) === testSet.labels[i]) correct += 1;
        telemetry.feedback(result.predictionId, testSet.labels[i]);
      } catch {
        failed += 1;
      }
      if (i % 10 === 9 || i === rows - 1) {
        feedbackNote.textContent = `Replaying: ${i + 1} of ${rows} rows…`;
        onRun();
      }
    }
    feedbackNote.textContent = `Replayed ${rows} labelled rows: ${correct} right, ${rows - correct - failed} wrong${failed > 0 ? `, ${failed} failed` : ''}.`;
    feedbackNote.dataset.replayed = String(rows);
    replay.disabled = false;
    onRun();
  });

  schedule();
}
