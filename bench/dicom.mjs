// DICOM decode + window of the largest radiographs in the shared set, median
// ms: in headless Chromium, the File read alone (arrayBuffer of a picked
// file), web/dicom.js alone (bytes in memory) and the whole page (the app's
// own figure for each opened file: read, decode, VOI window, the model's
// view), the native build (DCMTK, OpenJPEG, core: decode, window, the
// model's view) and DCMTK's dcm2pnm (the manifest's commands, process time
// included, as the native figure's is not). The uncompressed file is the JPEG
// 2000 radiograph decoded by gdcmconv into a temporary folder.
//   node bench/dicom.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './stats.mjs';
import { appClassify, appOpen, appState, browserOpen, kData, kRoot } from '../tests/js/browser.mjs';

const [runs = 10] = process.argv.slice(2).map(Number);
const kDicom = join(kData, 'dicom');
const work = mkdtempSync(join(tmpdir(), 'rl-dicom-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const raw = join(work, 'dx_chest_canon_uncompressed.dcm');
execFileSync('gdcmconv', ['--raw', join(kDicom, 'dx_chest_canon_mono1_j2k_lossless.dcm'), raw]);
const files = [
  ['JPEG lossless', join(kDicom, 'mg_breast_ge_sigmoid_voi_lut_jpeg_lossless.dcm'), ['dcmdjpeg']],
  ['JPEG 2000 lossless', join(kDicom, 'dx_chest_canon_mono1_j2k_lossless.dcm'), ['gdcmconv', '--raw']],
  ['uncompressed', raw, []],
  ['12-bit lossy JPEG', join(kDicom, 'mg_breast_wg04_12bit_jpeg_extended_lossy.dcm'), ['dcmdjpeg']],
];

const timeMs = (fn) => { const t = performance.now(); fn(); return performance.now() - t; };

// The manifest's commands: the decode step (dcmdjpeg or gdcmconv), then dcm2pnm with the file's first window.
function dcm2pnmMs(file, decode) {
  return median(Array.from({ length: runs }, () => timeMs(() => {
    let input = file;
    // stdio ignored: dcmdjpeg warns about the WG-04 file's SOS parameters on every run.
    if (decode.length) execFileSync(decode[0], [...decode.slice(1), file, input = join(work, 'step.dcm')], { stdio: 'ignore' });
    execFileSync('dcm2pnm', ['--no-overlays', '--use-window', '1', '--frame', '1', input, join(work, 'out.pgm')]);
  })));
}

const native = Object.fromEntries(execFileSync(join(kRoot, 'build/native/bench/dicom_bench'), [String(runs), ...files.map((f) => f[1])],
  { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ')).map(([f, ms]) => [f, Number(ms)]));

const closers = [];
const { page, origin } = await browserOpen({ after: (f) => closers.push(f) });
await appOpen(page, `${origin}/`);
console.log(`DICOM decode + window, median of ${runs} runs (ms); pixels = rows x columns`);
console.log('file                                           syntax               pixels  file read  dicom.js  page, all   native   dcm2pnm   page/native');
// A file input of the bench's own, to time Chromium's File read apart from the app.
await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="file" id="bench-read" hidden>'));
for (const [syntax, file, decode] of files) {
  const bytes = readFileSync(file);
  const [dicomJs, pixels] = await page.evaluate(async ({ data, runs }) => {
    const { dicomRead } = await import('/dicom.js');
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const ms = [];
    let header;
    for (let i = 0; i < runs; i++) { const t0 = performance.now(); ({ header } = await dicomRead(bytes)); ms.push(performance.now() - t0); }
    return [ms.sort((a, b) => a - b)[ms.length >> 1], header.rows * header.columns];
  }, { data: bytes.toString('base64'), runs });
  await page.setInputFiles('#bench-read', file);
  const readMs = await page.evaluate(async (runs) => {
    const file = document.getElementById('bench-read').files[0];
    const ms = [];
    for (let i = 0; i < runs; i++) { const t0 = performance.now(); await file.arrayBuffer(); ms.push(performance.now() - t0); }
    return ms.sort((a, b) => a - b)[ms.length >> 1];
  }, runs);
  const before = (await appState(page)).items;
  await appClassify(page, Array(runs).fill(file));
  const state = await appState(page);
  if (state.picture_ms.length !== before + runs) throw new Error(`${basename(file)}: the page did not open every copy`);
  const pageMs = median(state.picture_ms.slice(-runs));
  console.log(`${basename(file).padEnd(46)} ${syntax.padEnd(18)} ${String(pixels).padStart(8)} ${readMs.toFixed(1).padStart(10)} ${dicomJs.toFixed(1).padStart(9)} ${pageMs.toFixed(1).padStart(11)} ${native[file].toFixed(1).padStart(8)} ${dcm2pnmMs(file, decode).toFixed(1).padStart(9)} ${(pageMs / native[file]).toFixed(2).padStart(12)}x`);
}
for (const close of closers) await close();
