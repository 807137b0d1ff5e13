// scripts/model.sh end to end on real data, as a smoke run (1 epoch, 64
// images a split): train, export, classify the test split, evaluate. The card
// it ships must validate against its ONNX. And a training run over files that
// do not decode names each one, counts them, and goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreLoad } from '../../cli/core_node.mjs';
import { csvRows } from '../../cli/csv.mjs';
import ort from '../../cli/ort_node.mjs';
import { pngEncode } from './png.mjs';
import { lungShare, spearman } from '../../scripts/heatmap_check.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-pipeline-');
const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const kData = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');

test('model.sh trains, scores through classify and ships a valid card', async () => {
  const work = mkdtempSync(join(kScratch, 'pipeline-'));
  const models = join(work, 'models');  // not there yet: model.sh makes it
  const env = { ...process.env, RL_RUNS_DIR: join(work, 'runs'), RL_MODELS_DIR: models, RL_DOMAIN_PER_SET: '2', RL_HEATMAP_IMAGES: '4' };
  const out = execFileSync('bash', [join(kRoot, 'scripts/model.sh'), 'mednist', '--epochs', '1', '--limit', '64'],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /mednist: 64 images in \d+ groups \(.*test\.csv\)/);
  assert.ok(existsSync(join(work, 'runs/mednist/last.pt')));
  // Validation's predictions, as calibration saw them, score through the same evaluate command.
  const run = join(work, 'runs/mednist');
  const validation = execFileSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['evaluate',
    '--draft', join(run, 'mednist.draft.json'), '--truth', join(run, 'validation.csv'),
    '--predictions', join(run, 'validation_predictions.csv'), '--out', join(work, 'validation.card.json')], { encoding: 'utf8' });
  assert.match(validation, /mednist: 64 images in \d+ groups \(.*validation\.csv\)/);
  assert.match(validation, /accuracy +\d/);
  const text = readFileSync(join(models, 'mednist.card.json'), 'utf8');
  const core = await coreLoad();
  assert.equal(core.cardLoad(text, false), '');
  const sha256 = createHash('sha256').update(readFileSync(join(models, 'mednist.onnx'))).digest('hex');
  assert.equal(core.cardCheckModel({ sha256 }), '');
  const { data } = JSON.parse(text);
  assert.equal(data.counts.test, 64);
  // The shared copy, of which --limit used a part: the card names that copy's source.
  assert.equal(data.source, JSON.parse(readFileSync(join(kRoot, 'web/models/mednist.card.json'), 'utf8')).data.source);

  // The domain check in the graph is the one the trainer fitted: its distances over the validation images have the
  // median the trainer measured in LibTorch, and at most the largest lies above the threshold (their 99th percentile).
  const { domain, input } = JSON.parse(text);
  assert.equal(domain.validation.images, 64);
  const session = await ort.InferenceSession.create(readFileSync(join(models, 'mednist.onnx')));
  const distances = [];
  for (const [path] of csvRows(readFileSync(join(run, 'validation.csv'), 'utf8')).slice(1)) {
    const prepared = core.preprocess(readFileSync(path), input);
    const out = await session.run({ image: new ort.Tensor('float32', prepared.input, [1, 1, input.height, input.width]) });
    distances.push(out[domain.output].data[0]);
  }
  distances.sort((a, b) => a - b);
  const median = (distances[31] + distances[32]) / 2;
  assert.ok(Math.abs(median - domain.validation.median) <= 1e-3 * domain.validation.median, `${median} vs ${domain.validation.median}`);
  assert.ok(distances.filter((d) => d > domain.threshold).length <= 1, `${distances.slice(-3)} above ${domain.threshold}`);
  const flagged = csvRows(readFileSync(join(run, 'validation_predictions.csv'), 'utf8')).slice(1).filter((r) => r.at(-3) === 'no');
  assert.ok(flagged.length <= 1, `${flagged.length} validation images judged out of domain`);
  // model.sh measured the check into the shipped card: own test split first, then the other sets.
  const { checks } = JSON.parse(readFileSync(join(models, 'mednist.card.json'), 'utf8')).domain;
  assert.deepEqual([checks[0].set, checks[0].relation, checks[0].images], ['MedNIST (test split)', 'own', 64]);
  assert.ok(checks.some((c) => c.set === 'synthetic blank' && c.flagged === 1), JSON.stringify(checks));  // flat: refused before the model
  const heatmaps = JSON.parse(readFileSync(join(models, 'mednist.card.json'), 'utf8')).heatmap_checks;
  assert.deepEqual(heatmaps.map((h) => [h.check.split(':')[0], h.images]), [['randomised heads', 4], ['randomised heads and last blocks', 4]]);
});

test('an ensemble trains each member in its own folder, resumes each, and ships one model', async () => {
  const work = mkdtempSync(join(kScratch, 'ensemble-'));
  const env = { ...process.env, RL_RUNS_DIR: join(work, 'runs'), RL_MODELS_DIR: work, RL_DOMAIN_PER_SET: '2', RL_HEATMAP_IMAGES: '4' };
  const run = (...extra) => {
    const r = spawnSync('bash', [join(kRoot, 'scripts/model.sh'), 'mednist', '--epochs', '2', '--limit', '64', '--members', '2', ...extra],
      { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stderr;
  };
  run('--stop-after', '1');
  const log = (m) => readFileSync(join(work, `runs/mednist/member${m}/log.jsonl`), 'utf8').trim().split('\n');
  assert.deepEqual([log(1).length, log(2).length], [1, 1]);
  assert.notEqual(JSON.parse(log(1)[0]).train_loss, JSON.parse(log(2)[0]).train_loss);  // own seeds
  const resumed = run('--resume');
  for (const m of [1, 2]) assert.match(resumed, new RegExp(`resuming \\S*member${m} after epoch 1`));
  assert.deepEqual([log(1).length, log(2).length], [2, 2]);
  const text = readFileSync(join(work, 'mednist.card.json'), 'utf8');
  const core = await coreLoad();
  assert.equal(core.cardLoad(text, false), '');
  const sha256 = createHash('sha256').update(readFileSync(join(work, 'mednist.onnx'))).digest('hex');
  assert.equal(core.cardCheckModel({ sha256 }), '');
});

test('a cross-fitted model calibrates on out-of-fold predictions, which the trainer writes for audit', async () => {
  const work = mkdtempSync(join(kScratch, 'crossfit-'));
  const env = { ...process.env, RL_RUNS_DIR: join(work, 'runs'), RL_MODELS_DIR: work, RL_DOMAIN_PER_SET: '2', RL_HEATMAP_IMAGES: '4' };
  const r = spawnSync('bash', [join(kRoot, 'scripts/model.sh'), 'mednist', '--epochs', '1', '--limit', '64', '--members', '2',
    '--cross-fit'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /mednist: 128 train and validation images in 2 folds, 64 test images/);
  const score = Number(r.stderr.match(/out-of-fold validation score of the 2 members: ([\d.]+)/)[1]);
  const foldScores = [...r.stderr.matchAll(/^fold (\d): out-of-fold validation score ([\d.]+)$/gm)];
  assert.deepEqual(foldScores.map((m) => m[1]), ['1', '2']);
  const run = join(work, 'runs/mednist');
  const draft = JSON.parse(readFileSync(join(run, 'mednist.draft.json'), 'utf8'));
  assert.deepEqual(draft.data.counts, { train: 128, validation: 128, test: 64 });
  assert.match(draft.data.split_policy, /dealt into 2 folds, each network validated on one and trained on the rest/);
  // The trainer's out-of-fold file, not the exported ensemble's scores, which model.sh must not write over it.
  const rows = (file) => csvRows(readFileSync(file, 'utf8')).slice(1);
  const oof = rows(join(run, 'validation_predictions.csv'));
  const truth = rows(join(run, 'validation.csv'));
  assert.deepEqual(oof.map((c) => c[0]), truth.map((c) => c[0]));
  // folds.csv names the member that scored each image: each fold's accuracy is the score printed for it.
  const folds = rows(join(run, 'folds.csv'));
  assert.deepEqual(folds.map((c) => c[0]), truth.map((c) => c[0]));
  const argmax = (xs) => xs.indexOf(Math.max(...xs));
  for (const [, f, printed] of foldScores) {
    const inFold = folds.flatMap((c, i) => (c[1] === f ? [i] : []));
    assert.ok(inFold.length > 0 && inFold.length < folds.length, `fold ${f}: ${inFold.length} of ${folds.length} images`);
    const right = inFold.filter((i) => argmax(oof[i].slice(1, -4).map(Number)) === argmax(truth[i].slice(3).map(Number))).length;
    assert.ok(Math.abs(right / inFold.length - Number(printed)) <= 5e-5 + 1e-12,  // printed to 4 decimals
      `fold ${f}: ${right} of ${inFold.length} right, printed ${printed}`);
  }
  const ensemble = join(work, 'ensemble.csv');
  execFileSync('node', [join(kRoot, 'cli/classify.mjs'), '--card', join(run, 'mednist.draft.json'), '--draft',
    '--list', join(run, 'validation.csv'), '--out', ensemble], { stdio: 'ignore' });
  const differ = rows(ensemble).filter((c, i) => Math.abs(Number(c[1]) - Number(oof[i][1])) > 1e-4).length;
  assert.ok(differ > oof.length / 2, `${differ} of ${oof.length} out-of-fold probabilities differ from the ensemble's`);
  // Calibration saw exactly these: evaluate's accuracy on this file is the out-of-fold score the trainer printed.
  execFileSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['evaluate', '--draft', join(run, 'mednist.draft.json'),
    '--truth', join(run, 'validation.csv'), '--predictions', join(run, 'validation_predictions.csv'),
    '--out', join(work, 'validation.card.json')], { stdio: 'ignore' });
  const measured = JSON.parse(readFileSync(join(work, 'validation.card.json'), 'utf8')).metrics;
  assert.ok(Math.abs(measured.find((m) => m.name === 'accuracy').value - score) < 5e-5, `${score}: ${JSON.stringify(measured[0])}`);
  const card = readFileSync(join(work, 'mednist.card.json'), 'utf8');
  const core = await coreLoad();
  assert.equal(core.cardLoad(card, false), '');
});

test('domain fits a shipped model\'s check again without retraining: the same threshold, and its test list', async () => {
  const work = mkdtempSync(join(kScratch, 'domain-'));
  for (const f of ['mednist.onnx', 'mednist.card.json']) writeFileSync(join(work, f), readFileSync(join(kRoot, 'web/models', f)));
  const shipped = JSON.parse(readFileSync(join(work, 'mednist.card.json'), 'utf8'));
  execFileSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['domain', '--task', 'mednist', '--model', join(work, 'mednist.onnx'),
    '--card', join(work, 'mednist.card.json'), '--run-dir', join(work, 'run')], { stdio: 'ignore' });
  const refit = JSON.parse(readFileSync(join(work, 'mednist.card.json'), 'utf8'));
  assert.ok(Math.abs(refit.domain.threshold - shipped.domain.threshold) <= 1e-6 * shipped.domain.threshold);
  assert.equal(refit.onnx.sha256, createHash('sha256').update(readFileSync(join(work, 'mednist.onnx'))).digest('hex'));
  assert.deepEqual(refit.metrics, shipped.metrics);
  assert.equal(csvRows(readFileSync(join(work, 'run/test.csv'), 'utf8')).length - 1, shipped.data.counts.test);
  // A model whose split is not the run's is refused.
  const r = spawnSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['domain', '--task', 'mednist', '--seed', '2',
    '--model', join(work, 'mednist.onnx'), '--card', join(work, 'mednist.card.json'), '--run-dir', join(work, 'run2')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /mednist\.card\.json: its split \(6299\/1350\/1351\) is not this run's/);
});

test('randomise redraws the heads, or the heads and last blocks, and nothing else', async () => {
  const work = mkdtempSync(join(kScratch, 'randomise-'));
  const card = JSON.parse(readFileSync(join(kRoot, 'web/models/brain_mri.card.json'), 'utf8'));  // three networks, mirrored
  const copy = (flags) => {
    const out = join(work, `${flags.length}.onnx`);
    execFileSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['randomise', '--model', join(kRoot, 'web/models', card.onnx.file),
      '--out', out, ...flags], { stdio: 'ignore' });
    return ort.InferenceSession.create(readFileSync(out));
  };
  const sessions = [await ort.InferenceSession.create(readFileSync(join(kRoot, 'web/models', card.onnx.file))), await copy([]),
    await copy(['--last-block'])];
  const core = await coreLoad();
  const { input } = core.preprocess(readFileSync(join(kData, 'brain_mri/yes/y0.jpg')), card.input);
  const feeds = { image: new ort.Tensor('float32', input, [1, 1, card.input.height, card.input.width]) };
  const [shipped, heads, blocks] = await Promise.all(sessions.map((s) => s.run(feeds)));
  const differ = (a, b) => a.data.some((v, i) => Math.abs(v - b.data[i]) > 1e-4);
  for (const r of [heads, blocks]) assert.ok(differ(r.cam, shipped.cam) && differ(r.probabilities, shipped.probabilities));
  // The domain check reads the first network's blocks: a new head leaves it, a new last block does not.
  assert.ok(Math.abs(heads.domain_distance.data[0] - shipped.domain_distance.data[0]) < 1e-5);
  assert.ok(differ(blocks.domain_distance, shipped.domain_distance));
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // A map lit on the lung fields' cells only puts all its mass there; on the top row, above them, none.
  const map = (lit) => Float32Array.from({ length: 64 }, (_, i) => (lit(i % 8, Math.floor(i / 8)) ? 1 : 0));
  assert.equal(lungShare(map((x, y) => (x === 2 || x === 5) && y >= 2 && y <= 5), 8, 8), 1);
  assert.equal(lungShare(map((x, y) => y === 0), 8, 8), 0);
});

test('mirror averaging is refused where mirrored images are not anatomy', () => {
  const r = spawnSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['train', '--task', 'chest_pneumonia', '--mirror-average',
    '--run-dir', mkdtempSync(join(kScratch, 'mirror-'))], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--mirror-average: chest_pneumonia does not train on mirrored images/);
});

test('a training run skips files that do not decode, by name and count, and goes on', () => {
  // Both brain_mri sources' layout with 20 noise images a class, a truncated PNG and an empty JPEG.
  const work = mkdtempSync(join(kScratch, 'skip-'));
  const data = join(work, 'data');
  let seed = 7;
  const noise = () => Uint8Array.from({ length: 48 * 48 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  for (const source of ['brain_mri', 'brain_mri_sartaj']) {
    for (const folder of ['no', 'yes']) {
      mkdirSync(join(data, source, folder), { recursive: true });
      for (let i = 0; i < 20; i++) writeFileSync(join(data, source, folder, `${folder}${i}.png`), pngEncode(48, 48, 1, noise()));
    }
  }
  writeFileSync(join(data, 'brain_mri/yes/cut.png'), pngEncode(48, 48, 1, noise()).subarray(0, 60));
  writeFileSync(join(data, 'brain_mri/no/empty.jpg'), Buffer.alloc(0));
  const run = join(work, 'run');
  const r = spawnSync(join(kRoot, 'build/native/trainer/radiolens-train'), ['train', '--task', 'brain_mri', '--data', data,
    '--run-dir', run, '--epochs', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const skipped = readFileSync(join(run, 'skipped.txt'), 'utf8').trim().split('\n');
  assert.equal(skipped.length, 2, skipped.join('\n'));
  for (const name of ['yes/cut.png', 'no/empty.jpg']) {
    const line = skipped.find((l) => l.includes(name));
    assert.ok(line && line.length > name.length + 10, `${name}: ${line}`);  // the name and a reason
    assert.ok(r.stderr.includes(line), r.stderr);
  }
  const counted = [...r.stderr.matchAll(/images: skipped (\d+) \(listed in/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.equal(counted, 2, r.stderr);
  const card = JSON.parse(readFileSync(join(run, 'brain_mri.draft.json'), 'utf8')).data;
  assert.equal(card.counts.train + card.counts.validation + card.counts.test, 80);
  // Not the shipped model's copy of Br35H: the card must not claim its counts or source.
  assert.match(card.dataset, /^Br35H: .*, 82 images listed in the copy read$/);
  assert.match(card.source, /^the data folder given to the trainer; .* SHA-256 [0-9a-f]{64}$/);
  assert.match(r.stderr, /brain_mri: 82 images listed in .*another copy than the shipped model's/);
});
