// Configures the Emscripten module before app.js runs: which canvas to draw
// on, where errors go, and keeping the canvas the size of the window.
'use strict';
var Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  printErr: (text) => console.error(text),
  onRuntimeInitialized: () => { document.getElementById('status').textContent = 'Radiolens loaded. This page cannot classify images yet.'; },
};
window.addEventListener('resize', () => Module.setCanvasSize && Module.setCanvasSize(window.innerWidth, window.innerHeight));
