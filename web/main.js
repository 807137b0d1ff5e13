// Boots the page: configures the Emscripten module (canvas, logging, size),
// loads the app, then wires file intake and the models, and registers the
// service worker that keeps everything for offline use.
import { intakeStart } from './intake.js';
import { inferenceStart } from './inference.js';

const status = document.getElementById('status');
window.radiolens = {
  // The app mirrors results here for screen readers (see wasm/bridge.cpp).
  announce: (text) => { status.textContent = text; },
  offline: 'not yet',
  // A JavaScript string as a malloc'd C string (the app frees it).
  text: (Module, s) => {
    const size = Module.lengthBytesUTF8(s) + 1;
    const ptr = Module._malloc(size);
    Module.stringToUTF8(s, ptr, size);
    return ptr;
  },
};

window.Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  printErr: (text) => console.error(text),
  onRuntimeInitialized: () => {
    performance.mark('app ready');  // in the performance timeline with the model loading steps (inference.js)
    status.textContent = 'Radiolens loaded. Drop images, paste, or press O to open files.';
    intakeStart(window.Module);
    inferenceStart(window.Module).finally(offlineStart);
  },
};
window.addEventListener('resize', () => window.Module.setCanvasSize?.(window.innerWidth, window.innerHeight));

const app = document.createElement('script');
app.src = 'app.js';
document.body.appendChild(app);

// Registered once the models are loaded, not as the page opens (its first
// install downloads every file again): open to ready was faster in each of
// three paired runs of bench/app.mjs, cold 4.2-4.7 s against 4.5-5.0 s and
// from the cache 1.9-2.3 s against 2.6-2.7 s.
function offlineStart() {
  if (!('serviceWorker' in navigator)) {
    window.radiolens.offline = 'unavailable (no service worker in this browser)';
    return;
  }
  navigator.serviceWorker.register('sw.js').catch((e) => { window.radiolens.offline = `unavailable (${e.message})`; });
  navigator.serviceWorker.ready.then(() => { window.radiolens.offline = 'ready'; });
}
