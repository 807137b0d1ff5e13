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

// A model's card and ONNX bytes with their SHA-256, or the error that stopped them.
async function modelFiles(name) {
  const cardUrl = `models/${name}.card.json`;
  try {
    const start = performance.now();
    const cardText = await fetchOk(cardUrl, 'text');
    const card = JSON.parse(cardText);
    const bytes = await fetchOk(`models/${card.onnx?.file}`, 'arrayBuffer');
    const hashStart = performance.now();
    const sha256 = await sha256Hex(bytes);
    // Where loading time goes, in the browser's performance timeline (bench/app.mjs prints it).
    performance.measure(`${name} fetch`, { start, end: hashStart });
    performance.measure(`${name} hash`, { start: hashStart });
    return { cardText, card, bytes, sha256 };
  } catch (e) {
    return { error: `${cardUrl}: ${e.message}` };
  }
}

async function modelLoad(Module, name, files) {
  if (files.error) return Module.ccall('app_model_failed', null, ['string', 'string'], [name, files.error]);
  // The app validates the card and compares the hash; an error disables the model.
  if (Module.ccall('app_model_offer', 'number', ['string', 'string', 'string'], [name, files.cardText, files.sha256]) !== 0) return;
  try {
    const start = performance.now();
    const session = await ort.InferenceSession.create(files.bytes, { executionProviders: [backend] });
    sessions.set(name, { session, card: files.card });
    performance.measure(`${name} session`, { start });
    Module.ccall('app_model_ready', null, ['string', 'string', 'number'], [name, backend, performance.now() - start]);
  } catch (e) {
    Module.ccall('app_model_failed', null, ['string', 'string'], [name, `models/${files.card.onnx.file}: ${e.message}`]);
  }
}

async function runtimeLoad() {
  const start = performance.now();
  backend = await backendChoose();
  ort = await import(kOrtBuilds[backend]);
  ort.env.wasm.wasmPaths = new URL('./ort/', location.href).href;
  ort.env.wasm.numThreads = 1;  // threads need cross-origin isolation and gave nothing on 2 cores
  ort.env.logLevel = 'error';
  performance.measure('ONNX Runtime import', { start });
}

export async function inferenceStart(Module) {
  window.radiolens.infer = infer;
  const runtime = runtimeLoad();
  let index;
  try {
    index = await fetchOk('models/index.json', 'json');
  } catch (e) {
    Module.ccall('app_model_failed', null, ['string', 'string'], ['(index)', `models/index.json: ${e.message}`]);
    return;
  }
  for (const name of index.models) Module.ccall('app_model_listed', null, ['string'], [name]);
  // Every model downloads and is hash-checked while ONNX Runtime loads (docs/benchmarks.md, for the
  // figures); sessions are then made one at a time.
  const files = index.models.map(modelFiles);
  try {
    const gatekeeper = await fetchOk(`models/${index.gatekeeper}`, 'text');
    Module.ccall('app_gatekeeper_offer', null, ['string'], [gatekeeper]);
  } catch (e) {
    console.warn(`gatekeeper: ${e.message}`);  // the app works without it, with no image-kind check
  }
  await runtime;
  for (const [i, name] of index.models.entries()) await modelLoad(Module, name, await files[i]);
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
      const domainDistance = card.domain ? out[card.domain.output].data[0] : NaN;
      const ptr = Module._malloc((probs.length + cam.data.length) * 4);
      Module.HEAPF32.set(probs, ptr / 4);
      Module.HEAPF32.set(cam.data, ptr / 4 + probs.length);
      Module._app_inference_done(request, ptr, probs.length, ptr + probs.length * 4, cam.dims[2], cam.dims[3], domainDistance, latencyMs);
      Module._free(ptr);
    } catch (e) {
      Module.ccall('app_inference_failed', null, ['number', 'string'], [request, `${name}: ${e.message}`]);
    }
  });
}
