// Inference with ONNX Runtime Web, served from this origin. WebGPU when the
// browser offers a real (not software fallback) adapter, else wasm; only the
// chosen backend's files are fetched. Every model's SHA-256 is checked
// against its card by the app before a session is created.
const kOrtBuilds = { webgpu: './ort/ort.webgpu.min.mjs', wasm: './ort/ort.wasm.min.mjs' };

let ort = null;
let backend = 'wasm';
const sessions = new Map();  // model name -> { session, card }
let queue = Promise.resolve();  // runs one at a time, in request order

async function backendChoose() {
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter && !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter)) return 'webgpu';
  } catch { /* no WebGPU: wasm */ }
  return 'wasm';
}

async function sha256Hex(bytes) {
  if (!crypto.subtle) throw new Error('cannot check model files: open the page on localhost or https');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response[as]();
}

async function modelLoad(Module, name) {
  const cardUrl = `models/${name}.card.json`;
  try {
    const cardText = await fetchOk(cardUrl, 'text');
    const card = JSON.parse(cardText);
    const onnxUrl = `models/${card.onnx?.file}`;
    const bytes = await fetchOk(onnxUrl, 'arrayBuffer');
    const sha256 = await sha256Hex(bytes);
    // The app validates the card and compares the hash; an error disables the model.
    if (Module.ccall('app_model_offer', 'number', ['string', 'string', 'string'], [name, cardText, sha256]) !== 0) return;
    const start = performance.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: [backend] });
    sessions.set(name, { session, card });
    Module.ccall('app_model_ready', null, ['string', 'string', 'number'], [name, backend, performance.now() - start]);
  } catch (e) {
    Module.ccall('app_model_failed', null, ['string', 'string'], [name, `${cardUrl}: ${e.message}`]);
  }
}

export async function inferenceStart(Module) {
  window.radiolens.infer = infer;
  backend = await backendChoose();
  ort = await import(kOrtBuilds[backend]);
  ort.env.wasm.wasmPaths = new URL('./ort/', location.href).href;
  ort.env.wasm.numThreads = 1;  // threads need cross-origin isolation and gave nothing on 2 cores
  ort.env.logLevel = 'error';

  let index;
  try {
    index = await fetchOk('models/index.json', 'json');
  } catch (e) {
    Module.ccall('app_model_failed', null, ['string', 'string'], ['(index)', `models/index.json: ${e.message}`]);
    return;
  }
  for (const name of index.models) Module.ccall('app_model_listed', null, ['string'], [name]);
  try {
    const gatekeeper = await fetchOk(`models/${index.gatekeeper}`, 'text');
    Module.ccall('app_gatekeeper_offer', null, ['string'], [gatekeeper]);
  } catch (e) {
    console.warn(`gatekeeper: ${e.message}`);  // the app works without it, with no image-kind check
  }
  for (const name of index.models) await modelLoad(Module, name);
}

// Called from the app (wasm/bridge.cpp) with a copy of the model input.
// Answers through app_inference_done / app_inference_failed.
function infer(Module, request, name, input, height, width) {
  queue = queue.then(async () => {
    try {
      const { session, card } = sessions.get(name);
      const start = performance.now();
      const out = await session.run({ [card.onnx.input]: new ort.Tensor('float32', input, [1, 1, height, width]) });
      const latencyMs = performance.now() - start;
      const probs = out[card.onnx.probabilities].data;
      const cam = out[card.onnx.cam];
      const ptr = Module._malloc((probs.length + cam.data.length) * 4);
      Module.HEAPF32.set(probs, ptr / 4);
      Module.HEAPF32.set(cam.data, ptr / 4 + probs.length);
      Module._app_inference_done(request, ptr, probs.length, ptr + probs.length * 4, cam.dims[2], cam.dims[3], latencyMs);
      Module._free(ptr);
    } catch (e) {
      Module.ccall('app_inference_failed', null, ['number', 'string'], [request, `${name}: ${e.message}`]);
    }
  });
}
