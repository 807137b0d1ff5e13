// The browser's DICOM path (web/dicom.js: dicom-parser, the Cornerstone
// codecs and DCMTK's 12-bit JPEG library built by emcc, then the wasm core's
// pipeline) on the 31 real files: lossless
// syntaxes must give dcm2pnm's rendering byte for byte (manifest.csv's
// SHA-256), lossy JPEG and JPEG 2000 at most 2 grey levels from it (the
// native reader, which decodes with DCMTK and OpenJPEG as the manifest did
// and matches every hash in test_dicom_file, gives the reference pixels).
// A DICOM file and its rendering saved as PNG must give the same model input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreLoad } from '../../cli/core_node.mjs';
import { csvRows } from '../../cli/csv.mjs';
import { pngEncode } from './png.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-dicom-');
const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kNativeBin = join(process.env.RL_NATIVE_BUILD_DIR ?? join(kRoot, 'build/native'), 'tests');
const kDicomDir = join(process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data'), 'dicom');
const kSite = join(process.env.RL_WASM_BUILD_DIR ?? join(kRoot, 'build/wasm/wasm'), '../site');
const kLossy = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.91']);

const { dicomRead } = await import(join(kSite, 'dicom.js'));
const manifest = (() => {
  const [head, ...rows] = csvRows(readFileSync(join(kDicomDir, 'manifest.csv'), 'utf8'));
  return rows.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h.trim(), r[i].trim()])));
})();

// dcm2pnm's VOI options as the core's choice (kind 0 window, 1 VOI LUT, 2 min-max).
function voiOf(options) {
  const m = /--use-(window|voi-lut) (\d+)/.exec(options);
  if (m) return { kind: m[1] === 'window' ? 0 : 1, index: Number(m[2]) - 1 };
  return { kind: 2, index: 0 };  // min-max; colour ignores it
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

test('every real DICOM file renders in the browser path as dcm2pnm does', async () => {
  assert.equal(manifest.length, 31);
  const core = await coreLoad();
  const maxDiff = {};
  for (const row of manifest) {
    const file = join(kDicomDir, row.file);
    const dicom = await dicomRead(new Uint8Array(readFileSync(file)));
    const voi = voiOf(row.render_options);
    const rendered = core.dicomRender(dicom, 0, voi);
    assert.ok(!rendered.error, `${row.file}: ${rendered.error}`);
    const extras = row.render_extra.split(';').filter(Boolean).map((e) => e.trim().split('='));
    if (!kLossy.has(row.transfer_syntax_uid)) {
      assert.equal(sha256(rendered.pixels), row.render_sha256, row.file);
      for (const [options, hash] of extras) assert.equal(sha256(core.dicomRender(dicom, 0, voiOf(options)).pixels), hash, `${row.file} ${options}`);
      if (row.render_all_frames_sha256) {
        const all = Array.from({ length: dicom.header.frames }, (_, f) => core.dicomRender(dicom, f, { ...voi, allFrames: true }).pixels);
        assert.equal(sha256(Buffer.concat(all)), row.render_all_frames_sha256, `${row.file} all frames`);
      }
      continue;
    }
    const reference = execFileSync(join(kNativeBin, 'dicom_render_dump'), [file, String(voi.kind), String(voi.index)], { maxBuffer: 1 << 28 });
    assert.equal(sha256(reference), row.render_sha256, `${row.file}: the native reference is not dcm2pnm's`);
    assert.equal(rendered.pixels.length, reference.length);
    let worst = 0;
    for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(rendered.pixels[i] - reference[i]));
    maxDiff[row.file] = worst;
    assert.ok(worst <= 2, `${row.file}: ${worst} grey levels from dcm2pnm`);
  }
  console.log('lossy files, largest difference from dcm2pnm in grey levels:', maxDiff);
});

test('the same picture in several encodings gives one rendering', async () => {
  const core = await coreLoad();
  const byHash = {};
  for (const row of manifest) (byHash[row.render_sha256] ??= []).push(row);
  const groups = Object.values(byHash).filter((g) => g.length > 1);
  assert.ok(groups.length >= 3, 'the manifest has three groups of one picture in several encodings');
  for (const group of groups) {
    const hashes = new Set();
    for (const row of group) {
      const dicom = await dicomRead(new Uint8Array(readFileSync(join(kDicomDir, row.file))));
      hashes.add(sha256(core.dicomRender(dicom, 0, voiOf(row.render_options)).pixels));
    }
    assert.equal(hashes.size, 1, group.map((r) => r.file).join(', '));
  }
});

test('a DICOM file and its rendering saved as PNG give the same model input', async () => {
  const core = await coreLoad();
  const work = mkdtempSync(join(kScratch, 'dicom-png-'));
  const spec = { width: 128, height: 128, resize: 'pad_to_square', scaling: 'full_range', mean: 0.5, std: 0.25 };
  for (const name of ['cr_chest_philips_mono1_15bit_j2k_lossy.dcm', 'dx_chest_canon_mono1_j2k_lossless.dcm',
    'mg_breast_ge_sigmoid_voi_lut_jpeg_lossless.dcm', 'us_ge_rgb_rle.dcm']) {
    const dicom = await dicomRead(new Uint8Array(readFileSync(join(kDicomDir, name))));
    const presets = core.dicomPresets(dicom);
    const voi = presets.length ? presets[0] : { kind: 2, index: 0 };
    const { pixels } = core.dicomRender(dicom, 0, voi);
    const { rows, columns, samples_per_pixel: channels } = dicom.header;
    const png = join(work, `${name}.png`);
    writeFileSync(png, pngEncode(columns, rows, channels, pixels));
    const fromDicom = core.preprocessDicom(dicom, spec);
    const fromPng = core.preprocess(readFileSync(png), spec);
    assert.ok(!fromDicom.error && !fromPng.error, `${name}: ${fromDicom.error ?? fromPng.error}`);
    assert.deepEqual(fromDicom.input, fromPng.input, name);
  }
});

test('broken DICOM files give a reason, never a crash', async () => {
  const whole = new Uint8Array(readFileSync(join(kDicomDir, 'mr_brain_mosaic_siemens_jpeg_lossless_sv1.dcm')));
  const cut = whole.slice(0, whole.length >> 1);
  await assert.rejects(dicomRead(cut), /./);
  const unknown = whole.slice();
  const uid = new TextEncoder().encode('1.2.840.10008.1.2.4.70');
  const at = Buffer.from(unknown).indexOf(Buffer.from(uid));
  unknown.set(new TextEncoder().encode('1.2.840.10008.1.2.4.99'), at);
  await assert.rejects(dicomRead(unknown), /transfer syntax 1\.2\.840\.10008\.1\.2\.4\.99 cannot be decoded/);
  await assert.rejects(dicomRead(new Uint8Array(300)), /not a readable DICOM file/);
  // A 12-bit JPEG stream cut in half (its fragment shortened, the sequence
  // closed after it): the IJG decoder runs out of data before the last line.
  const jpeg12 = Buffer.from(readFileSync(join(kDicomDir, 'cr_tibia_fuji_mono1_jpeg_extended_lossy.dcm')));
  const item = jpeg12.indexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0]), 0) + 8;  // empty offset table
  assert.deepEqual([...jpeg12.subarray(item + 8, item + 10)], [0xff, 0xd8], 'the first fragment holds the JPEG stream');
  const half = (jpeg12.readUInt32LE(item + 4) >> 2) * 2;
  jpeg12.writeUInt32LE(half, item + 4);
  const cut12 = Buffer.concat([jpeg12.subarray(0, item + 8 + half), Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])]);
  await assert.rejects(dicomRead(new Uint8Array(cut12)), /JPEG Extended .*Premature end of input file/);
  // Rows claims far more than the pixel data holds: the core refuses.
  const core = await coreLoad();
  const dicom = await dicomRead(new Uint8Array(readFileSync(join(kDicomDir, 'mr_brain_mosaic_siemens_explicit_le.dcm'))));
  const tall = { ...dicom, header: { ...dicom.header, rows: 4096 } };
  assert.match(core.dicomRender(tall, 0, { kind: 0, index: 0 }).error, /Pixel Data holds/);
});
