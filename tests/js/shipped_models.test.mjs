// Every model shipped in web/models/: its card is complete and valid, the
// ONNX file is the one the card hashes, at most 5 MB, and it answers a real
// image of its task with probabilities and a class activation map. The
// shipped gatekeeper table warns about images of another kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from '../../cli/ort_node.mjs';
import { coreLoad } from '../../cli/core_node.mjs';

const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kModels = join(kRoot, 'web/models');
const kData = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');
const kSample = {  // one real image per task
  brain_mri: 'brain_mri/yes/y0.jpg', chest_pneumonia: 'chest_pneumonia/chest_xray/test/NORMAL/IM-0001-0001.jpeg',
  chest_nih14: 'chest_nih14/images/00000001_000.jpg', mammo_mias: 'mammo_mias/all-mias/mdb001.jpg',
  mednist: 'mednist/MedNIST/Hand/000000.jpeg',
};
const cards = readdirSync(kModels).filter((f) => f.endsWith('.card.json')).sort();

test('all five tasks ship a model', () => {
  assert.deepEqual(cards.map((c) => c.replace('.card.json', '')), Object.keys(kSample).sort());
});

for (const file of cards) {
  test(`${file}: valid, hashed, small, and it answers`, async () => {
    const core = await coreLoad();
    const text = readFileSync(join(kModels, file), 'utf8');
    assert.equal(core.cardLoad(text, false), '');
    const card = JSON.parse(text);
    const onnxPath = join(kModels, card.onnx.file);
    const onnx = readFileSync(onnxPath);
    assert.equal(core.cardCheckModel({ sha256: createHash('sha256').update(onnx).digest('hex') }), '');
    assert.ok(statSync(onnxPath).size <= 5 * 1024 * 1024, `${card.onnx.file} is over 5 MB`);

    const { input, error } = core.preprocess(readFileSync(join(kData, kSample[card.name])), card.input);
    assert.equal(error, undefined);
    const session = await ort.InferenceSession.create(onnx);
    const out = await session.run({ [card.onnx.input]: new ort.Tensor('float32', input, [1, 1, card.input.height, card.input.width]) });
    const probs = out[card.onnx.probabilities];
    assert.deepEqual(probs.dims, [1, card.labels.length]);
    for (const p of probs.data) assert.ok(p >= 0 && p <= 1);
    if (card.output_kind === 'softmax') assert.ok(Math.abs(probs.data.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    const cam = out[card.onnx.cam];
    assert.equal(cam.dims[1], card.labels.length);
    assert.ok(cam.dims[2] >= 4 && cam.dims[3] >= 4, `CAM ${cam.dims} too coarse to show`);
  });
}

// The shipped gatekeeper (web/models/gatekeeper.json with the MedNIST model),
// judged by the core's rule as in the app, on real images.
test('gatekeeper.json: a CT given to a chest or brain model is warned about, their own images are not', async () => {
  const core = await coreLoad();
  const mednist = JSON.parse(readFileSync(join(kModels, 'mednist.card.json'), 'utf8'));
  assert.equal(core.cardLoad(JSON.stringify(mednist), false), '');
  const session = await ort.InferenceSession.create(readFileSync(join(kModels, mednist.onnx.file)));
  const gatekeeper = readFileSync(join(kModels, 'gatekeeper.json'), 'utf8');
  const judge = async (image, model) => {
    const { input, error } = core.preprocess(readFileSync(join(kData, image)), mednist.input);
    assert.equal(error, undefined);
    const out = await session.run({ [mednist.onnx.input]: new ort.Tensor('float32', input, [1, 1, mednist.input.height, mednist.input.width]) });
    return core.gatekeeperJudge(gatekeeper, out[mednist.onnx.probabilities].data, model);
  };
  const abdomen = await judge('mednist/MedNIST/AbdomenCT/000007.jpeg', 'chest_pneumonia');
  assert.equal(abdomen.chosen_fits, false, abdomen.message);
  assert.match(abdomen.message, /^Warning: Looks like AbdomenCT/);
  const head = await judge('mednist/MedNIST/HeadCT/000006.jpeg', 'brain_mri');
  assert.equal(head.chosen_fits, false, head.message);

  const film = await judge('chest_pneumonia/chest_xray/test/NORMAL/IM-0001-0001.jpeg', 'chest_pneumonia');
  assert.deepEqual([film.kind, film.confident, film.chosen_fits], ['CXR', true, true], film.message);
  // The MedNIST model hesitates between AbdomenCT and CXR on this film: unclear, as many of the model's own.
  const hesitant = await judge('chest_pneumonia/chest_xray/test/PNEUMONIA/person100_bacteria_475.jpeg', 'chest_pneumonia');
  assert.deepEqual([hesitant.confident, hesitant.chosen_fits], [false, true], hesitant.message);
  const mri = await judge('brain_mri/yes/y0.jpg', 'brain_mri');
  assert.equal(mri.chosen_fits, true, mri.message);
});
