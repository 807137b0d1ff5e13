// Assembles the static site next to the emcc output: the page from web/, the
// ONNX Runtime Web files the page may load (from node_modules, served from
// this origin), the list of shipped models, and the service worker with the
// exact files and content hash it must keep for offline use.
//   node scripts/site.mjs SITE_DIR
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const kOrtDist = join(kRoot, 'node_modules/onnxruntime-web/dist');
// wasm backend (always) and WebGPU backend (only fetched where a real GPU is found).
const kOrtWasm = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const kOrtWebgpu = ['ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const site = resolve(process.argv[2] ?? 'build/wasm/site');
cpSync(join(kRoot, 'web'), site, { recursive: true });
mkdirSync(join(site, 'ort'), { recursive: true });
for (const f of [...kOrtWasm, ...kOrtWebgpu]) cpSync(join(kOrtDist, f), join(site, 'ort', f));

const models = readdirSync(join(site, 'models')).filter((f) => f.endsWith('.card.json')).sort()
  .map((f) => f.slice(0, -'.card.json'.length));
writeFileSync(join(site, 'models/index.json'), JSON.stringify({ models, gatekeeper: 'gatekeeper.json' }, null, 2) + '\n');

// Everything but the WebGPU backend is kept for offline use at install; the
// WebGPU files are cached when first used. The hash changes the worker's
// bytes whenever any kept file changes, which is what makes browsers update it.
const skip = new Set(['sw.js', ...kOrtWebgpu.map((f) => `ort/${f}`)]);
const keep = filesUnder(site).map((p) => relative(site, p)).filter((p) => !skip.has(p) && !p.endsWith('.md')).sort();
const hash = createHash('sha256');
for (const p of keep) hash.update(p).update(readFileSync(join(site, p)));
const worker = readFileSync(join(kRoot, 'web/sw.js'), 'utf8')
  .replace('__VERSION__', hash.digest('hex').slice(0, 16))
  .replace('__PRECACHE__', JSON.stringify(['./', ...keep]));
writeFileSync(join(site, 'sw.js'), worker);
console.log(`site: ${keep.length} files kept for offline use, ${models.length} models`);
