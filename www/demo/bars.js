// Class probabilities as a list of labelled bars (HTML, so the numbers are text a screen reader reads in order).
// The exact probability is kept in `data-probability` for the e2e test.

/**
 * @param {HTMLElement} list a <ul>
 * @param {readonly string[]} classes
 * @param {ArrayLike<number>} probabilities
 * @param {number} predicted the index of the predicted class
 */
export function renderBars(list, classes, probabilities, predicted) {
  list.replaceChildren(...Array.from(classes, (name, i) => {
    const p = probabilities[i];
    const item = document.createElement('li');
    item.dataset.class = name;
    item.dataset.probability = String(p);
    if (i === predicted) item.className = 'predicted';
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const track = document.createElement('span');
    track.className = 'track';
    track.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.width = `${(Math.min(Math.max(p, 0), 1) * 100).toFixed(1)}%`; // CSSOM: allowed by the page's CSP
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'percent';
    value.textContent = `${(p * 100).toFixed(1)}%`;
    item.append(label, track, value);
    return item;
  }));
}
