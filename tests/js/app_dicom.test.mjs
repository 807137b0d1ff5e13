// DICOM files of several transfer syntaxes opened through the real page: the
// header panel offers the file's own window presets (as the core lists them
// in node), the probabilities equal the classify command's on the same file,
// V and PgDn change the shown preset and frame, and a file that cannot be
// decoded is a row with its reason, as in the classify command's CSV. Exported CSV holds no patient identifier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../cli/classify.mjs';
import { coreLoad } from '../../cli/core_node.mjs';
import { answerOf, appChoose, appClassify, appCsv, appKey, appOpen, appState, browserOpen, csvRows, kData, kRoot, kSite } from './browser.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-app-dicom-');
const kDicom = join(kData, 'dicom');
const kFiles = [
  'cr_chest_philips_mono1_15bit_j2k_lossy.dcm',   // JPEG 2000, MONOCHROME1, one window
  'mg_breast_ge_sigmoid_voi_lut_jpeg_lossless.dcm',  // JPEG lossless, 3 windows (SIGMOID) + 3 VOI LUTs
  'ct_ge_signed_explicit_be.dcm',                 // big endian, signed, rescale, no window
  'cr_hip_fuji_mono2_jpegls_near_lossless.dcm',   // JPEG-LS
  'mr_head_enhanced_10frames.dcm',                // 10 frames
  'cr_tibia_fuji_mono1_jpeg_extended_lossy.dcm',  // 12-bit lossy JPEG (DCMTK's IJG library, built by emcc)
];

// A copy of a real file that names a transfer syntax no one decodes.
function unknownSyntaxFile() {
  const bytes = readFileSync(join(kDicom, 'mr_brain_mosaic_siemens_jpeg_lossless_sv1.dcm'));
  bytes.set(Buffer.from('1.2.840.10008.1.2.4.99'), bytes.indexOf('1.2.840.10008.1.2.4.70'));
  const path = join(mkdtempSync(join(kScratch, 'app-dicom-')), 'unknown_syntax.dcm');
  writeFileSync(path, bytes);
  return path;
}

test('DICOM files open in the page with their presets and the classify command\'s probabilities', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const task = 'chest_pneumonia';
  await appChoose(page, task);
  const paths = [...kFiles.map((f) => join(kDicom, f)), unknownSyntaxFile()];
  await appClassify(page, paths);

  const app = csvRows(await appCsv(page));
  const lines = [];
  await classify({ cardPath: join(kRoot, 'web/models', `${task}.card.json`), paths, out: { write: (l) => lines.push(l) } });
  const cli = csvRows(lines.join(''));
  assert.deepEqual(app[0], cli[0]);
  for (let i = 0; i < paths.length; i++) {
    const [a, c] = [app[i + 1], cli[i + 1]];
    if (i === kFiles.length) {
      assert.equal(a[0], 'unknown_syntax.dcm');
      for (const error of [a.at(-1), c.at(-1)]) assert.match(error, /transfer syntax 1\.2\.840\.10008\.1\.2\.4\.99 cannot be decoded/);
      continue;
    }
    assert.equal(a[0], kFiles[i]);
    assert.equal(a.at(-1), '', `${kFiles[i]}: ${a.at(-1)}`);
    for (let k = 1; k < cli[0].length - 4; k++)
      assert.ok(Math.abs(Number(a[k]) - Number(c[k])) <= 1e-4, `${kFiles[i]} ${cli[0][k]}: page ${a[k]}, classify ${c[k]}`);
    assert.deepEqual(answerOf(a), answerOf(c), `${kFiles[i]}: decision, in_domain, note`);
  }
  // No patient identifier reaches the CSV: the files' Patient Name / ID values appear nowhere.
  const { dicomRead } = await import(join(kSite, 'dicom.js'));
  const csv = await appCsv(page);
  const core = await coreLoad();
  for (const f of kFiles.slice(0, 2)) {
    const bytes = new Uint8Array(readFileSync(join(kDicom, f)));
    const dicomParser = (await import(join(kSite, 'vendor/dicom-parser.mjs'))).default;
    const ds = dicomParser.parseDicom(bytes);
    const identifiers = ['x00100010', 'x00100020'].map((tag) => (ds.string(tag) ?? '').trim());
    assert.ok(identifiers.every((v) => v.length > 3), `${f}: expected a Patient Name and ID to look for`);
    for (const value of identifiers) assert.ok(!csv.includes(value), `${f}: ${value} in the CSV`);
    // The header panel of the selected file lists the presets the core lists.
    await appKey(page, 'ArrowUp');
    await appKey(page, 'ArrowUp');
    await appKey(page, 'ArrowUp');
    await appKey(page, 'ArrowUp');
    await appKey(page, 'ArrowUp');
    if (f !== kFiles[0]) await appKey(page, 'ArrowDown');
    await page.waitForFunction((name) => JSON.parse(Module.UTF8ToString(Module._app_state_json())).dicom?.path === name, f);
    const shown = (await appState(page)).dicom;
    const want = core.dicomPresets(await dicomRead(bytes)).map((p) => p.label);
    assert.deepEqual(shown.presets, want, f);
  }
  const mammo = (await appState(page)).dicom;
  assert.equal(mammo.presets.length, 3 + 3 + 1);  // 3 windows, 3 VOI LUTs, min-max
  assert.match(mammo.presets[0], /SIGMOID/);
  assert.equal(mammo.header.modality, 'MG');
  await appKey(page, 'v');
  await page.waitForFunction(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).dicom.preset === 1);

  // The multi-frame file: PgDn shows frame 2.
  for (let i = 0; i < 3; i++) await appKey(page, 'ArrowDown');
  await page.waitForFunction((name) => JSON.parse(Module.UTF8ToString(Module._app_state_json())).dicom?.path === name, kFiles[4]);
  await appKey(page, 'PageDown');
  await page.waitForFunction(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).dicom.frame === 1);
  assert.equal((await appState(page)).dicom.header.frames, 10);
  assert.deepEqual(problems, []);
});
