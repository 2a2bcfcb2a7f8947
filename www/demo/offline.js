// Registers the service worker (sw.js) and says when the offline copy is ready: the worker activates only after it
// precached the page, its modules, the wasm, the models and the registry.

/**
 * @param {HTMLElement} note where to say how it went
 */
export function registerOfflineCopy(note) {
  if (!('serviceWorker' in navigator)) {
    note.textContent = 'Offline copy: this browser has no service workers.';
    return;
  }
  navigator.serviceWorker.register(new URL('sw.js', import.meta.url)).then(() => navigator.serviceWorker.ready).then(() => {
    note.textContent = 'Offline copy ready: this page, its code, the wasm and the models work without the network.';
    note.dataset.ready = 'true';
  }, (/** @type {unknown} */ error) => {
    note.textContent = `Offline copy unavailable: ${error instanceof Error ? error.message : String(error)}`;
  });
}
