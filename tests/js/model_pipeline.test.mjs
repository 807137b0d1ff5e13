// scripts/model.sh end to end on real data, as a smoke run (1 epoch, 64
// images a split): train, export, classify the test split, evaluate. The card
// it ships must validate against its ONNX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreLoad } from '../../cli/core_node.mjs';

const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

test('model.sh trains, scores through classify and ships a valid card', async () => {
  const work = mkdtempSync(join(tmpdir(), 'rl-pipeline-'));
  const env = { ...process.env, RL_RUNS_DIR: join(work, 'runs'), RL_MODELS_DIR: work };
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
  const text = readFileSync(join(work, 'mednist.card.json'), 'utf8');
  const core = await coreLoad();
  assert.equal(core.cardLoad(text, false), '');
  const sha256 = createHash('sha256').update(readFileSync(join(work, 'mednist.onnx'))).digest('hex');
  assert.equal(core.cardCheckModel({ sha256 }), '');
  assert.equal(JSON.parse(text).data.counts.test, 64);
});

test('an ensemble trains each member in its own folder, resumes each, and ships one model', async () => {
  const work = mkdtempSync(join(tmpdir(), 'rl-ensemble-'));
  const env = { ...process.env, RL_RUNS_DIR: join(work, 'runs'), RL_MODELS_DIR: work };
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
