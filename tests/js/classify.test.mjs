// The classify command: one CSV row per file in input order, columns named as
// the card's labels, errors in the error column without stopping the batch,
// the same numbers as ONNX Runtime on the core's input, refusal of a
// tampered model or an incomplete card, and ONNX Runtime's telemetry off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from '../../cli/ort_node.mjs';
import { coreLoad } from '../../cli/core_node.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-classify-');
const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kTool = join(process.env.RL_NATIVE_BUILD_DIR ?? join(kRoot, 'build/native'), 'tests/export_parity_dump');
const kData = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');
const kClassify = join(kRoot, 'cli/classify.mjs');

function draftCard(onnxBytes) {
  return {
    format_version: 1, name: 'toy', task: 'three made-up classes', labels: ['a', 'b', 'c'], output_kind: 'softmax',
    input: { channels: 1, width: 20, height: 24, resize: 'pad_to_square', scaling: 'full_range', mean: 0.5, std: 0.25 },
    onnx: { file: 'softmax.onnx', sha256: createHash('sha256').update(onnxBytes).digest('hex'), input: 'image',
      probabilities: 'probabilities', cam: 'cam' },
    calibration: { temperature: 1.7 }, operating_points: [], metrics: [], roc: {},
    data: { dataset: 'none', source: 'random weights', license: 'n/a', split_policy: 'n/a', counts: { train: 1, validation: 1, test: 1 } },
    intended_use: 'tests', limitations: ['random weights'],
  };
}

// A small exported model (random weights) and its draft card in a fresh folder.
function toyModel() {
  const dir = mkdtempSync(join(kScratch, 'classify-'));
  execFileSync(kTool, [dir]);
  const onnx = readFileSync(join(dir, 'softmax.onnx'));
  const card = join(dir, 'toy.card.json');
  writeFileSync(card, JSON.stringify(draftCard(onnx)));
  return { dir, onnx, card };
}

function classify(args) {
  return spawnSync('node', [kClassify, ...args], { encoding: 'utf8' });
}

test('classify writes one row per file and keeps going past bad ones', async () => {
  const { dir, onnx, card } = toyModel();

  const inputs = join(dir, 'inputs');
  mkdirSync(join(inputs, 'nested'), { recursive: true });
  copyFileSync(join(kData, 'brain_mri/no/No12.jpg'), join(inputs, 'a.jpg'));
  copyFileSync(join(kData, 'mammo_mias/all-mias/mdb001.jpg'), join(inputs, 'nested/b,with comma.jpg'));
  writeFileSync(join(inputs, 'c.jpg'), readFileSync(join(kData, 'brain_mri/yes/y0.jpg')).subarray(0, 500));
  writeFileSync(join(inputs, 'd.txt'), 'not an image');
  const result = classify(['--card', card, '--draft', inputs]);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines[0], 'path,a,b,c,decision,in_domain,note,error');
  assert.equal(lines.length, 1 + 4);
  const rows = lines.slice(1);
  assert.match(rows[0], /a\.jpg,[\d.e-]+,[\d.e-]+,[\d.e-]+,[abc],yes,,$/);  // no domain check in the card: judged in domain
  assert.match(rows[1], /c\.jpg,,,,,,,truncated JPEG/);
  assert.match(rows[2], /d\.txt,,,,,,,"unsupported format/);
  assert.match(rows[3], /^".*nested\/b,with comma\.jpg",/);
  assert.match(result.stderr, /classified 2 of 4 files; 2 failed/);

  // The row equals ONNX Runtime on the wasm core's input, and the decision is the argmax.
  const core = await coreLoad();
  const { input } = core.preprocess(readFileSync(join(inputs, 'a.jpg')), draftCard(onnx).input);
  const session = await ort.InferenceSession.create(onnx);
  const want = (await session.run({ image: new ort.Tensor('float32', input, [1, 1, 24, 20]) })).probabilities.data;
  const got = rows[0].split(',').slice(1, 4).map(Number);
  got.forEach((p, i) => assert.ok(Math.abs(p - want[i]) < 1e-6, `label ${i}: ${p} vs ${want[i]}`));
  assert.equal(rows[0].split(',')[4], ['a', 'b', 'c'][got.indexOf(Math.max(...got))]);
});

test('classify refuses a tampered model and an incomplete card', () => {
  const { dir, onnx, card } = toyModel();
  const image = join(kData, 'brain_mri/no/No12.jpg');

  let result = classify(['--card', card, image]);  // no --draft: the card lacks test metrics
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /toy\.card\.json: field 'metrics' is empty/);

  onnx[onnx.length - 10] ^= 0xff;
  writeFileSync(join(dir, 'softmax.onnx'), onnx);
  result = classify(['--card', card, '--draft', image]);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /softmax\.onnx: SHA-256 [0-9a-f]{64} does not match .*'onnx\.sha256'/);
});

test('classify leaves no trace of ONNX Runtime telemetry (device id, event store, debug log)', () => {
  const { dir, card } = toyModel();
  const home = join(dir, 'home');
  mkdirSync(home);
  // This process already turned telemetry off (cli/ort_node.mjs); the child must do it itself.
  const env = { ...process.env, HOME: home };
  delete env.ORT_DISABLE_TELEMETRY;
  delete env.XDG_CACHE_HOME;
  const result = spawnSync('node', [kClassify, '--card', card, '--draft', join(kData, 'brain_mri/no/No12.jpg')], { encoding: 'utf8', env });
  assert.equal(result.status, 0, result.stderr);
  // With telemetry on, ONNX Runtime 1.30 writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db}
  // and /tmp/mat-debug-<pid>.log.
  assert.deepEqual(readdirSync(home), []);
  assert.equal(existsSync(join(tmpdir(), `mat-debug-${result.pid}.log`)), false);
});

// The other node entry points (scripts, benchmarks, tests) load ONNX Runtime the same way.
test('every node file takes ONNX Runtime from cli/ort_node.mjs', () => {
  const files = ['bench', 'cli', 'scripts', 'tests', 'web']
    .flatMap((dir) => readdirSync(join(kRoot, dir), { recursive: true }).map((f) => join(dir, f)))
    .filter((f) => /\.m?js$/.test(f));
  const direct = files.filter((f) => /from\s+['"]onnxruntime-node['"]|require\(\s*['"]onnxruntime-node/.test(readFileSync(join(kRoot, f), 'utf8')));
  assert.deepEqual(direct, []);
  assert.ok(files.includes('cli/classify.mjs') && files.includes('bench/app.mjs'));
});

test('classify reads DICOM files and folders, and reports a broken one', async () => {
  const { dir, card } = toyModel();
  const inputs = join(dir, 'dicom');
  mkdirSync(inputs);
  const dicomDir = join(kData, 'dicom');
  copyFileSync(join(dicomDir, 'dx_chest_canon_mono1_j2k_lossless.dcm'), join(inputs, 'a.dcm'));
  copyFileSync(join(dicomDir, 'ct_ge_signed_rle.dcm'), join(inputs, 'b'));  // no extension: found by its DICM magic
  copyFileSync(join(dicomDir, 'ct_ge_signed_explicit_be.dcm'), join(inputs, 'c.dcm'));  // same picture as b
  writeFileSync(join(inputs, 'd.dcm'), readFileSync(join(dicomDir, 'mr_brain_mosaic_siemens_rle.dcm')).subarray(0, 4000));
  const result = classify(['--card', card, '--draft', inputs]);
  assert.equal(result.status, 0, result.stderr);
  const rows = result.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((r) => r[0].slice(inputs.length + 1)), ['a.dcm', 'b', 'c.dcm', 'd.dcm']);
  for (const r of rows.slice(0, 3)) assert.equal(r[7], '', r.join(','));
  assert.deepEqual(rows[1].slice(1, 5), rows[2].slice(1, 5));  // one picture, two syntaxes, one answer
  assert.match(rows[3][7], /./);
  assert.match(result.stderr, /classified 3 of 4 files; 1 failed/);
});
