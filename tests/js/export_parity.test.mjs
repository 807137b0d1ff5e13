// The exported ONNX graph computes what LibTorch computes: probabilities and
// class activation maps agree within 1e-4 in ONNX Runtime (node), for both
// output kinds, an ensemble, a mirror-averaged pair, one that also sees
// each view minus its mirror, and a single network that sees that without
// mirror averaging, with batch norm folded and the temperature applied. A
// mirror-averaged model gives a mirrored image the same probabilities and the
// mirrored map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from '../../cli/ort_node.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-export-');
const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kTool = join(process.env.RL_NATIVE_BUILD_DIR ?? join(kRoot, 'build/native'), 'tests/export_parity_dump');
const floats = (path) => { const b = readFileSync(path); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };

test('LibTorch and ONNX Runtime agree within 1e-4', async () => {
  const dir = mkdtempSync(join(kScratch, 'export-'));
  execFileSync(kTool, [dir]);
  const input = new ort.Tensor('float32', floats(join(dir, 'input.f32')), [3, 1, 24, 20]);
  for (const kind of ['softmax', 'sigmoid', 'ensemble', 'mirrored', 'asymmetric', 'one_sided']) {
    const session = await ort.InferenceSession.create(join(dir, `${kind}.onnx`));
    const out = await session.run({ image: input });
    for (const name of ['probabilities', 'cam']) {
      const want = floats(join(dir, `${kind}.${name}.f32`));
      const got = out[name].data;
      assert.equal(got.length, want.length, `${kind} ${name}: size`);
      let worst = 0;
      for (let i = 0; i < got.length; i += 1) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      assert.ok(worst < 1e-4, `${kind} ${name}: differs by ${worst}`);
    }
    // 24x20 -> two 2x2 poolings, after a stride-2 stem for the softmax network.
    assert.deepEqual(out.cam.dims, kind === 'softmax' ? [3, 3, 3, 2] : [3, 3, 6, 5]);
  }
});

// Column x of every row of an [N, C, H, W] array, taken from column W-1-x.
function mirrored(data, dims) {
  const w = dims[3];
  return data.map((_, i) => data[i - (i % w) + (w - 1 - (i % w))]);
}

test('a mirror-averaged model cannot tell an image from its mirror', async () => {
  const dir = mkdtempSync(join(kScratch, 'export-'));
  execFileSync(kTool, [dir]);
  const dims = [3, 1, 24, 20];
  const data = floats(join(dir, 'input.f32'));
  const worst = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  // The asymmetric pair too: a mirrored view's second channel is the first view's, mirrored and negated.
  for (const kind of ['mirrored', 'asymmetric']) {
    const session = await ort.InferenceSession.create(join(dir, `${kind}.onnx`));
    const out = await session.run({ image: new ort.Tensor('float32', data, dims) });
    const flipped = await session.run({ image: new ort.Tensor('float32', mirrored(data, dims), dims) });
    assert.ok(worst(flipped.probabilities.data, out.probabilities.data) < 1e-6, `${kind}: probabilities change with the mirror`);
    assert.ok(worst(flipped.cam.data, mirrored(out.cam.data, out.cam.dims)) < 1e-6, `${kind}: the map is not mirrored with the image`);
  }
  // Without mirror averaging the map does change, with or without the
  // asymmetry channel: the checks above have something to find.
  for (const kind of ['ensemble', 'one_sided']) {
    const plain = await ort.InferenceSession.create(join(dir, `${kind}.onnx`));
    const a = await plain.run({ image: new ort.Tensor('float32', data, dims) });
    const b = await plain.run({ image: new ort.Tensor('float32', mirrored(data, dims), dims) });
    assert.ok(worst(b.cam.data, mirrored(a.cam.data, a.cam.dims)) > 1e-3, `${kind}: the map is mirror-invariant`);
  }
});
