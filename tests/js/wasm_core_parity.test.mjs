// The wasm build of the core must turn an image into exactly the same model
// input as the native build: same bytes, for every format, bit depth and
// input spec, and the same errors for files that cannot be decoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreLoad } from '../../cli/core_node.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-parity-');
const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kNativeBin = join(process.env.RL_NATIVE_BUILD_DIR ?? join(kRoot, 'build/native'), 'tests');
const kDataDir = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');
const kSpecs = [
  { width: 64, height: 64, resize: 'pad_to_square', scaling: 'full_range', mean: 0.5, std: 0.25 },
  { width: 128, height: 128, resize: 'center_crop', scaling: 'min_max', mean: 0, std: 1 },
  { width: 224, height: 160, resize: 'stretch', scaling: 'full_range', mean: 0.449, std: 0.226 },
  { width: 128, height: 128, resize: 'crop_to_content', scaling: 'full_range', mean: 0.2779, std: 0.272 },
  { width: 128, height: 128, resize: 'crop_to_content', scaling: 'equalize', mean: 0.3278, std: 0.313 },
];

// Every 40th file of each task folder: all five datasets, many sizes.
function dataSample() {
  const files = [];
  for (const task of ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist']) {
    const all = readdirSync(join(kDataDir, task), { recursive: true })
      .filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
    assert.ok(all.length > 0, `no images under ${join(kDataDir, task)}`);
    for (let i = 0; i < all.length; i += 40) files.push(join(kDataDir, task, all[i]));
  }
  return files;
}

test('wasm and native preprocessing agree byte for byte', async () => {
  const work = mkdtempSync(join(kScratch, 'parity-'));
  execFileSync(join(kNativeBin, 'fixture_write'), [work]);
  const files = [...readdirSync(work).map((f) => join(work, f)), ...dataSample(), join(kDataDir, 'README.md')];
  const core = await coreLoad();
  let compared = 0;
  for (const [s, spec] of kSpecs.entries()) {
    const out = join(work, `native-${s}`);
    execFileSync('mkdir', ['-p', out]);
    execFileSync(join(kNativeBin, 'preprocess_dump'),
      [out, spec.width, spec.height, spec.resize, spec.scaling, spec.mean, spec.std, ...files].map(String));
    for (const [i, file] of files.entries()) {
      const wasm = core.preprocess(readFileSync(file), spec);
      if (existsSync(join(out, `${i}.err`))) {
        const nativeError = readFileSync(join(out, `${i}.err`), 'utf8');
        assert.equal(nativeError, `${file}: ${wasm.error}`, `${file}: errors differ`);
        continue;
      }
      assert.equal(wasm.error, undefined, `${file}: wasm failed where native succeeded`);
      const native = readFileSync(join(out, `${i}.f32`));
      const wasmBytes = Buffer.from(wasm.input.buffer);
      assert.ok(native.equals(wasmBytes), `${file} (spec ${s}): inputs differ`);
      compared += 1;
    }
  }
  assert.ok(compared >= kSpecs.length * 400, `only ${compared} comparisons`);
});
