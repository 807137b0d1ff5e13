// The wasm build of the core, loaded in node: the exact decode, preprocess,
// model card and decision code the browser runs, for the classify command,
// the tests and the benchmarks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kDefaultBuildDir = resolve(dirname(fileURLToPath(import.meta.url)), '../build/wasm/wasm');

// Handing over the wasm bytes keeps emcc's loader from fetch()ing a file path.
export async function coreLoad(buildDir = process.env.RL_WASM_BUILD_DIR ?? kDefaultBuildDir) {
  const createModule = createRequire(import.meta.url)(join(buildDir, 'radiolens_core.cjs'));
  const wasm = await createModule({ wasmBinary: readFileSync(join(buildDir, 'radiolens_core.wasm')) });
  const call = (fn, strings, ...rest) => {
    const ptrs = strings.map((s) => cString(wasm, s));
    try {
      return wasm.UTF8ToString(fn(...ptrs, ...rest));
    } finally {
      ptrs.forEach((p) => wasm._free(p));
    }
  };
  return {
    wasm,
    // spec: the card's input object. Returns { input: Float32Array [1, H, W], region: the part of
    // the image the model saw, { x, y, width, height } } or { error }.
    preprocess: (bytes, spec) => corePreprocess(wasm, bytes, spec),
    // A DICOM image from web/dicom.js's dicomRead ({ header, words }) through its default preset.
    preprocessDicom: (dicom, spec) => corePreprocessDicom(wasm, dicom, spec),
    // One frame rendered to 8 bits: { pixels: Uint8Array [rows, columns, samples] } or { error }.
    // voi: { kind: 0 window | 1 VOI LUT | 2 min-max, index, allFrames }.
    dicomRender: (dicom, frame, voi) => coreDicomRender(wasm, dicom, frame, voi),
    // The VOI presets [{ kind, index, label }] or { error }.
    dicomPresets: (dicom) => withDicom(wasm, dicom, (h, w) => JSON.parse(wasm.UTF8ToString(wasm._rl_dicom_presets(h, w, dicom.words.length)))),
    // Validates a card and keeps it for check and decide. Returns '' or the reason.
    cardLoad: (jsonText, draft = false) => call(wasm._rl_card_load, [jsonText], draft ? 1 : 0),
    // A card object written in the core's own layout (model_card_to_json), validated; throws with the reason.
    cardText: (card, draft = false) => {
      const text = call((p) => wasm._rl_card_canonical(p, draft ? 1 : 0), [JSON.stringify(card)]);
      if (text.startsWith('error: ')) throw new Error(text.slice(7));
      return text;
    },
    cardCheckModel: ({ sha256, channels = -1, height = -1, width = -1, outputs = -1 }) =>
      call((p) => wasm._rl_card_check_model(p, channels, height, width, outputs), [sha256]),
    // The CPU twin of shaders/display.frag: see rl_display_render. Returns { rgba, placement } or { error }.
    displayRender: (image, view, cam, spec) => coreDisplayRender(wasm, image, view, cam, spec),
    // The answer for one image: probs [labels], the model's domain distance (NaN without one), and the
    // preprocess result ({ input, region }). Returns { decision, in_domain, note }.
    cardAnswer: (probs, distance, { input, region }) => withFloats(wasm, probs, (p) => withFloats(wasm, input, (i) =>
      JSON.parse(wasm.UTF8ToString(wasm._rl_card_answer(p, distance, i, input.length, region.width, region.height))))),
    // The gatekeeper's verdict (core/gatekeeper.h) on the loaded card's probabilities for the model
    // named chosen: { kind, probability, confident, chosen_fits, suggested, message } or { error }.
    gatekeeperJudge: (gatekeeperJson, probs, chosen) =>
      withFloats(wasm, probs, (p) => JSON.parse(call((g, c) => wasm._rl_gatekeeper_judge(g, p, c), [gatekeeperJson, chosen]))),
  };
}

function cString(wasm, text) {
  const size = wasm.lengthBytesUTF8(text) + 1;
  const ptr = wasm._malloc(size);
  wasm.stringToUTF8(text, ptr, size);
  return ptr;
}

// Runs fn(pointer) with the numbers copied into the heap as float32.
function withFloats(wasm, values, fn) {
  const ptr = wasm._malloc(Math.max(1, values.length) * 4);
  try {
    wasm.HEAPF32.set(values, ptr / 4);
    return fn(ptr);
  } finally {
    wasm._free(ptr);
  }
}

// Copies out of the heap, which may grow later.
function preprocessResult(wasm, outPtr, regionPtr, count) {
  const [x, y, width, height] = wasm.HEAP32.slice(regionPtr / 4, regionPtr / 4 + 4);
  return { input: wasm.HEAPF32.slice(outPtr / 4, outPtr / 4 + count), region: { x, y, width, height } };
}

function corePreprocess(wasm, bytes, spec) {
  const count = spec.width * spec.height;
  const bytesPtr = wasm._malloc(Math.max(1, bytes.length));
  const outPtr = wasm._malloc(count * 4);
  const regionPtr = wasm._malloc(16);
  const resizePtr = cString(wasm, spec.resize);
  const scalingPtr = cString(wasm, spec.scaling);
  try {
    wasm.HEAPU8.set(bytes, bytesPtr);
    const error = wasm.UTF8ToString(wasm._rl_preprocess_image(
      bytesPtr, bytes.length, spec.width, spec.height, resizePtr, scalingPtr, spec.mean, spec.std, outPtr, regionPtr));
    if (error) return { error };
    return preprocessResult(wasm, outPtr, regionPtr, count);
  } finally {
    for (const p of [bytesPtr, outPtr, regionPtr, resizePtr, scalingPtr]) wasm._free(p);
  }
}

// Runs fn(headerPtr, wordsPtr) with the DICOM image copied into the heap.
function withDicom(wasm, dicom, fn) {
  const header = cString(wasm, JSON.stringify(dicom.header));
  const words = wasm._malloc(Math.max(1, dicom.words.length));
  try {
    wasm.HEAPU8.set(dicom.words, words);
    return fn(header, words);
  } finally {
    wasm._free(header);
    wasm._free(words);
  }
}

function corePreprocessDicom(wasm, dicom, spec) {
  const count = spec.width * spec.height;
  const outPtr = wasm._malloc(count * 4);
  const regionPtr = wasm._malloc(16);
  const resizePtr = cString(wasm, spec.resize);
  const scalingPtr = cString(wasm, spec.scaling);
  try {
    const error = withDicom(wasm, dicom, (h, w) => wasm.UTF8ToString(wasm._rl_preprocess_dicom(
      h, w, dicom.words.length, spec.width, spec.height, resizePtr, scalingPtr, spec.mean, spec.std, outPtr, regionPtr)));
    if (error) return { error };
    return preprocessResult(wasm, outPtr, regionPtr, count);
  } finally {
    for (const p of [outPtr, regionPtr, resizePtr, scalingPtr]) wasm._free(p);
  }
}

function coreDicomRender(wasm, dicom, frame, voi) {
  const count = dicom.header.rows * dicom.header.columns * dicom.header.samples_per_pixel;
  const out = wasm._malloc(Math.max(1, count));
  try {
    const error = withDicom(wasm, dicom, (h, w) => wasm.UTF8ToString(wasm._rl_dicom_render(
      h, w, dicom.words.length, frame, voi.kind, voi.index ?? 0, voi.allFrames ? 1 : 0, out)));
    if (error) return { error };
    return { pixels: wasm.HEAPU8.slice(out, out + count) };
  } finally {
    wasm._free(out);
  }
}

// image: { width, height, maxValue, pixels: Uint16Array }; view: { center, width, invert, heatOpacity };
// cam: { width, height, values: Float32Array } or null; spec: { width, height, resize, scaling (default full_range) }.
function coreDisplayRender(wasm, image, view, cam, spec) {
  const count = image.width * image.height;
  const pixels = wasm._malloc(count * 2);
  const camPtr = cam ? wasm._malloc(cam.values.length * 4) : 0;
  const out = wasm._malloc(count * 4);
  const placement = wasm._malloc(16);
  const resize = cString(wasm, spec.resize);
  const scaling = cString(wasm, spec.scaling ?? 'full_range');
  try {
    new Uint16Array(wasm.HEAPU8.buffer, pixels, count).set(image.pixels);
    if (cam) wasm.HEAPF32.set(cam.values, camPtr / 4);
    const camW = cam ? cam.width : 1, camH = cam ? cam.height : 1;
    const error = wasm.UTF8ToString(wasm._rl_display_render(pixels, image.width, image.height, image.maxValue, view.center, view.width,
      view.invert ? 1 : 0, view.heatOpacity, camPtr, camW, camH, spec.width, spec.height, resize, scaling, out, placement));
    if (error) return { error };
    return { rgba: wasm.HEAPU8.slice(out, out + count * 4), placement: Array.from(wasm.HEAPF32.slice(placement / 4, placement / 4 + 4)) };
  } finally {
    for (const p of [pixels, camPtr, out, placement, resize, scaling]) if (p) wasm._free(p);
  }
}
