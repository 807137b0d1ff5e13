// DICOM decode + window of the largest radiographs in the shared set, median
// ms: in headless Chromium (the page's web/dicom.js, then the core's render
// in node's V8, as Chromium runs the same wasm), the native build (DCMTK,
// OpenJPEG, core) and DCMTK's dcm2pnm (the manifest's commands, process time
// included, as the native figure's is not). The uncompressed file is the JPEG
// 2000 radiograph decoded by gdcmconv into a temporary folder.
//   node bench/dicom.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { coreLoad } from '../cli/core_node.mjs';
import { median } from './stats.mjs';
import { browserOpen, kData, kRoot, kSite } from '../tests/js/browser.mjs';

const [runs = 10] = process.argv.slice(2).map(Number);
const kDicom = join(kData, 'dicom');
const work = mkdtempSync(join(tmpdir(), 'rl-dicom-bench-'));
const raw = join(work, 'dx_chest_canon_uncompressed.dcm');
execFileSync('gdcmconv', ['--raw', join(kDicom, 'dx_chest_canon_mono1_j2k_lossless.dcm'), raw]);
const files = [
  ['JPEG lossless', join(kDicom, 'mg_breast_ge_sigmoid_voi_lut_jpeg_lossless.dcm'), ['dcmdjpeg']],
  ['JPEG 2000 lossless', join(kDicom, 'dx_chest_canon_mono1_j2k_lossless.dcm'), ['gdcmconv', '--raw']],
  ['uncompressed', raw, []],
];

const timeMs = (fn) => { const t = performance.now(); fn(); return performance.now() - t; };

// The manifest's commands: the decode step (dcmdjpeg or gdcmconv), then dcm2pnm with the file's first window.
function dcm2pnmMs(file, decode) {
  return median(Array.from({ length: runs }, () => timeMs(() => {
    let input = file;
    if (decode.length) execFileSync(decode[0], [...decode.slice(1), file, input = join(work, 'step.dcm')]);
    execFileSync('dcm2pnm', ['--no-overlays', '--use-window', '1', '--frame', '1', input, join(work, 'out.pgm')]);
  })));
}

const native = Object.fromEntries(execFileSync(join(kRoot, 'build/native/bench/dicom_bench'), [String(runs), ...files.map((f) => f[1])],
  { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ')).map(([f, ms]) => [f, Number(ms)]));

const core = await coreLoad();
const { dicomRead } = await import(join(kSite, 'dicom.js'));
const closers = [];
const { page, origin } = await browserOpen({ after: (f) => closers.push(f) });
await page.goto(`${origin}/`);
console.log(`DICOM decode + window, median of ${runs} runs (ms); pixels = rows x columns`);
console.log('file                                   syntax              pixels   page decode  + window   native   dcm2pnm   page/native');
for (const [syntax, file, decode] of files) {
  const bytes = readFileSync(file);
  const pageDecode = await page.evaluate(async ({ data, runs }) => {
    const { dicomRead } = await import('/dicom.js');
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const ms = [];
    for (let i = 0; i < runs; i++) { const t0 = performance.now(); await dicomRead(bytes); ms.push(performance.now() - t0); }
    return ms.sort((a, b) => a - b)[ms.length >> 1];
  }, { data: bytes.toString('base64'), runs });
  const dicom = await dicomRead(new Uint8Array(bytes));
  const windowMs = median(Array.from({ length: runs }, () => timeMs(() => core.dicomRender(dicom, 0, core.dicomPresets(dicom)[0]))));
  const pageTotal = pageDecode + windowMs;
  const pixels = dicom.header.rows * dicom.header.columns;
  console.log(`${basename(file).padEnd(46)} ${syntax.padEnd(18)} ${String(pixels).padStart(8)} ${pageDecode.toFixed(1).padStart(12)} ${windowMs.toFixed(1).padStart(9)} ${native[file].toFixed(1).padStart(8)} ${dcm2pnmMs(file, decode).toFixed(1).padStart(9)} ${(pageTotal / native[file]).toFixed(2).padStart(12)}x`);
}
for (const close of closers) await close();
