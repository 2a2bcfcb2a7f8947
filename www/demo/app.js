// The minimal demo page: loads the embedded iris model and predicts from the form.
import { InferenceSession, Tensor } from '../index.js';

const CLASSES = ['setosa', 'versicolor', 'virginica'];
const MODEL_URL = new URL('../../tests/fixtures/models/iris_rf.onnx', import.meta.url);

const form = /** @type {HTMLFormElement} */ (document.getElementById('iris-form'));
const verdict = /** @type {HTMLElement} */ (document.getElementById('verdict'));
const bars = /** @type {HTMLElement} */ (document.getElementById('bars'));
const timing = /** @type {HTMLElement} */ (document.getElementById('timing'));

const session = await InferenceSession.create(MODEL_URL);

async function predict() {
  const values = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) =>
    Number(/** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value));
  const start = performance.now();
  const out = await session.run({ X: new Tensor('float32', Float32Array.from(values), [1, 4]) });
  const ms = performance.now() - start;
  const label = Number(out.label.data[0]);
  const probabilities = /** @type {Float32Array} */ (out.probabilities.data);
  verdict.textContent = `It is an Iris ${CLASSES[label]}`;
  bars.replaceChildren(...CLASSES.map((name, i) => {
    const li = document.createElement('li');
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${(probabilities[i] * 100).toFixed(1)}%`;
    li.append(`${name}: ${(probabilities[i] * 100).toFixed(1)}%`, bar);
    return li;
  }));
  timing.textContent = `Predicted in ${ms.toFixed(2)} ms`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  predict().catch((error) => { verdict.textContent = `Error ${error.code ?? ''}: ${error.message}`; });
});
await predict();
