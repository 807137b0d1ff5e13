// Assembles the static site next to the emcc output: the page from web/, the
// ONNX Runtime Web files and the DICOM parser and codecs the page may load
// (from node_modules, served from this origin), the list of shipped models, and the service worker with the
// exact files and content hash it must keep for offline use.
//   node scripts/site.mjs SITE_DIR JPEG12_JS   (JPEG12_JS: emcc's jpeg12 target, wasm/jpeg12.c)
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = resolve(process.argv[2]);
const jpeg12 = resolve(process.argv[3]);
const kOrtDist = join(kRoot, 'node_modules/onnxruntime-web/dist');
// wasm backend (always) and WebGPU backend (only fetched where a real GPU is found).
const kOrtWasm = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const kOrtWebgpu = ['ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

// DICOM (web/dicom.js): the parser and decoders as ES modules in vendor/,
// the 12-bit JPEG decoder built here among them.
// CommonJS/UMD builds get a module shim; in node the shim's require is
// node's own (Emscripten's loaders need fs there), in a browser a stub.
const kCornerstone = join(kRoot, 'node_modules/@cornerstonejs');
const kVendorCommonJs = {
  'dicom-parser.mjs': join(kRoot, 'node_modules/dicom-parser/dist/dicomParser.min.js'),
  'charls.mjs': join(kCornerstone, 'codec-charls/dist/charlswasm_decode.js'),
  'openjpeg.mjs': join(kCornerstone, 'codec-openjpeg/dist/openjpegwasm_decode.js'),
  'libjpeg-turbo.mjs': join(kCornerstone, 'codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.js'),
  'jpeg12.mjs': jpeg12,
};
const kVendorFiles = {
  'charls.wasm': join(kCornerstone, 'codec-charls/dist/charlswasm_decode.wasm'),
  'openjpeg.wasm': join(kCornerstone, 'codec-openjpeg/dist/openjpegwasm_decode.wasm'),
  'libjpeg-turbo.wasm': join(kCornerstone, 'codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm'),
  'jpeg12.wasm': jpeg12.replace(/\.js$/, '.wasm'),
  'jpeg-lossless.mjs': join(kCornerstone, 'jpeg-lossless-decoder-js/release/lossless.js'),
  'rle.mjs': join(kCornerstone, 'dicom-image-loader/dist/esm/shared/decoders/decodeRLE.js'),
  'pako.mjs': join(kRoot, 'node_modules/pako/dist/pako.esm.mjs'),
};
const kCommonJsShim = `const module = { exports: {} }; const exports = module.exports;
const __rlNode = globalThis.process?.versions?.node;
const require = __rlNode ? (await import('node:module')).createRequire(import.meta.url) : () => ({});
const __filename = __rlNode ? (await import('node:url')).fileURLToPath(import.meta.url) : '';
const __dirname = __rlNode ? (await import('node:path')).dirname(__filename) : '';
`;

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

cpSync(join(kRoot, 'web'), site, { recursive: true });
mkdirSync(join(site, 'ort'), { recursive: true });
for (const f of [...kOrtWasm, ...kOrtWebgpu]) cpSync(join(kOrtDist, f), join(site, 'ort', f));
mkdirSync(join(site, 'vendor'), { recursive: true });
for (const [name, src] of Object.entries(kVendorCommonJs)) {
  writeFileSync(join(site, 'vendor', name), `${kCommonJsShim}${readFileSync(src, 'utf8')}\nexport default module.exports;\n`);
}
for (const [name, src] of Object.entries(kVendorFiles)) cpSync(src, join(site, 'vendor', name));

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
