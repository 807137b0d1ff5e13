// The page's own figures in headless Chromium (wasm backend), printed:
//  - per image, read + decode + preprocess + inference + postprocess, median
//    per model, against the same steps in node with onnxruntime-node (the
//    native ONNX Runtime) and the same wasm core; both run the MedNIST
//    gatekeeper too, as the page does; and the same for files opened one at
//    a time, each once the one before has finished (a clinician's use);
//  - page open to ready (every model loaded): cold, and from the service worker,
//    each broken down by the page's own performance marks (web/main.js,
//    web/inference.js): app ready, ONNX Runtime import, and each model's
//    fetch, hash check and session creation;
//  - batch throughput on 256 px files (Br35H), and the CPU an idle page uses;
//  - sizes of the app's files and of the ONNX Runtime files actually loaded.
//   node bench/app.mjs [FILES_PER_MODEL]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from '../cli/ort_node.mjs';
import { coreLoad } from '../cli/core_node.mjs';
import { median } from './stats.mjs';
import { appChoose, appClassify, appOpen, appState, browserOpen, kData, kRoot } from '../tests/js/browser.mjs';

const [perModel = 30] = process.argv.slice(2).map(Number);
const kFolders = { brain_mri: 'brain_mri', chest_nih14: 'chest_nih14/images', chest_pneumonia: 'chest_pneumonia/chest_xray/test',
  mammo_mias: 'mammo_mias/all-mias', mednist: 'mednist/MedNIST' };
const filesOf = (folder, n) => {
  const all = readdirSync(join(kData, folder), { recursive: true }).filter((f) => /\.(jpe?g|png|pgm)$/i.test(f)).sort();
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => i % step === 0).slice(0, n).map((f) => join(kData, folder, f));
};

// Node reference: the classify command's steps, one image at a time.
const core = await coreLoad();
async function nodeModel(name) {
  const card = JSON.parse(readFileSync(join(kRoot, 'web/models', `${name}.card.json`), 'utf8'));
  const session = await ort.InferenceSession.create(readFileSync(join(kRoot, 'web/models', card.onnx.file)), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  return { card, session };
}
const gate = await nodeModel('mednist');
async function nodeImageMs(model, file) {
  const start = performance.now();
  const bytes = readFileSync(file);
  for (const m of model === gate ? [model] : [model, gate]) {
    const prepared = core.preprocess(bytes, m.card.input);
    const { width, height } = m.card.input;
    const out = await m.session.run({ image: new ort.Tensor('float32', prepared.input, [1, 1, height, width]) });
    core.cardLoad(JSON.stringify(m.card));
    core.cardAnswer(out.probabilities.data, out[m.card.domain.output].data[0], prepared);
  }
  return performance.now() - start;
}

// The page's load steps from its performance timeline, in ms since navigation.
async function loadSteps(page) {
  const entries = await page.evaluate(() => [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('measure')]
    .map((e) => ({ name: e.name, start: e.startTime, end: e.startTime + e.duration })));
  return entries.sort((a, b) => a.start - b.start)
    .map((e) => `  ${e.name.padEnd(24)} ${e.start.toFixed(0).padStart(5)} to ${e.end.toFixed(0).padStart(5)}`).join('\n');
}

const t = { after: (f) => cleanups.push(f) };
const cleanups = [];
const { page, origin } = await browserOpen(t);
let start = performance.now();
await appOpen(page, `${origin}/`);
const coldMs = performance.now() - start;
const coldSteps = await loadSteps(page);
await page.waitForFunction(() => window.radiolens.offline === 'ready', null, { timeout: 60000 });
const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ url: e.name, bytes: e.encodedBodySize })));
start = performance.now();
await appOpen(page, `${origin}/`);
const cachedMs = performance.now() - start;
const cachedSteps = await loadSteps(page);

console.log(`per image (read, decode, preprocess, inference, postprocess, with the gatekeeper), median of ${perModel} files`);
console.log('model             page ms   node ms   page/node   page inference ms   one at a time ms');
for (const [name, folder] of Object.entries(kFolders)) {
  await appChoose(page, name);
  await page.evaluate(() => Module._app_queue_clear());
  const files = filesOf(folder, perModel);
  await appClassify(page, files);
  const state = await appState(page);
  const pageMs = median(state.total_ms.slice(1));  // the first includes warm-up
  const inferenceMs = median(state.inference_ms.slice(1));
  const model = name === 'mednist' ? gate : await nodeModel(name);
  await nodeImageMs(model, files[0]);
  const times = [];
  for (const f of files) times.push(await nodeImageMs(model, f));
  const nodeMs = median(times);
  await page.evaluate(() => Module._app_queue_clear());
  for (const f of files.slice(0, 6)) await appClassify(page, [f]);
  const singleMs = median((await appState(page)).total_ms.slice(1));
  console.log(`${name.padEnd(16)} ${pageMs.toFixed(2).padStart(8)}  ${nodeMs.toFixed(2).padStart(8)}   ${(pageMs / nodeMs).toFixed(2)}x   ${inferenceMs.toFixed(2).padStart(8)}` +
    `            ${singleMs.toFixed(2).padStart(8)}`);
}

await appChoose(page, 'brain_mri');
await page.evaluate(() => Module._app_queue_clear());
const batch = filesOf('brain_mri', 200);
start = performance.now();
await appClassify(page, batch);
const batchS = (performance.now() - start) / 1000;
console.log(`\nbatch: ${batch.length} Br35H files (long side 256 px), brain_mri + gatekeeper: ${(batch.length / batchS).toFixed(1)} images/s`);
// Each animation frame woken by a mouse move, so that the app draws it.
const frameMs = median(await page.evaluate(async () => {
  const canvas = document.getElementById('canvas');
  const times = [];
  let last = performance.now();
  for (let i = 0; i < 30; i++) {
    canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: 100 + i, clientY: 100, bubbles: true }));
    await new Promise((ok) => requestAnimationFrame(ok));
    times.push(performance.now() - last);
    last = performance.now();
  }
  return times;
}));
console.log(`frame interval ${frameMs.toFixed(1)} ms while drawing: headless Chromium draws WebGL in software (SwiftShader)`);
console.log(`page open to ready (all 5 models loaded): cold ${coldMs.toFixed(0)} ms, from the service worker ${cachedMs.toFixed(0)} ms`);
console.log(`cold, ms since navigation:\n${coldSteps}\nfrom the service worker, ms since navigation:\n${cachedSteps}`);

const size = (re) => loaded.filter((e) => re.test(e.url)).reduce((a, e) => a + e.bytes, 0);
console.log(`\nloaded: app.wasm + app.js ${(size(/\/app\.(wasm|js)$/) / 1024).toFixed(0)} KB, ` +
  `ONNX Runtime ${(size(/\/ort\//) / 1024 / 1024).toFixed(1)} MB (${loaded.filter((e) => /\/ort\//.test(e.url)).map((e) => e.url.split('/').pop()).join(', ')}), ` +
  `models ${(size(/\.onnx$/) / 1024 / 1024).toFixed(1)} MB`);

// The idle page's cost: CPU time of every Chromium process (/proc) over 10 s with nothing to do.
const chromiumCpuS = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).reduce((sum, p) => {
  try {
    if (!readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('chromium')) return sum;
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;  // utime + stime, in ticks of 10 ms (USER_HZ)
  } catch { return sum; }  // a process that ended meanwhile
}, 0);
await new Promise((ok) => setTimeout(ok, 2000));
const cpu0 = chromiumCpuS();
const idleStart = performance.now();
await new Promise((ok) => setTimeout(ok, 10000));
const idleCpu = (chromiumCpuS() - cpu0) / ((performance.now() - idleStart) / 1000);
console.log(`idle page: Chromium busy ${(100 * idleCpu).toFixed(0)} % of one core over 10 s`);
for (const f of cleanups.reverse()) await f();
