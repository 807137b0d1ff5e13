// Measures what the MedNIST model calls each task's images and writes
// web/models/gatekeeper.json: per model, the share of its dataset's images
// assigned to each MedNIST class, or to "unclear" when the call is below
// kConfidentAt. The app warns when an image's kind was (almost) never seen in
// a model's data (core/gatekeeper.h). Then it checks the rule on images it did
// not measure: a second sample of each dataset (how often a model's own kind
// of image is warned about), and the MedNIST model's test images, when
// runs/mednist/test.csv exists (how often another kind given to each model is).
//   node scripts/gatekeeper.mjs [DATA_DIR]     (default ../shared/data)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, filesUnder } from '../cli/classify.mjs';
import { coreLoad } from '../cli/core_node.mjs';
import { csvRows } from '../cli/csv.mjs';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const kGatekeeper = 'mednist';
const kSamplePerTask = 400;  // evenly spaced over the sorted file list
// 97.7 % of MedNIST's own test images are called at 0.99 or more (Hand 90 %,
// CXR 97 %, the other four 99-100 %), while other modalities draw hesitant
// calls: the Kermany and NIH films it calls AbdomenCT have medians of 0.84 and 0.82.
const kConfidentAt = 0.99;
const kTaskFolders = { brain_mri: 'brain_mri', chest_pneumonia: 'chest_pneumonia', chest_nih14: 'chest_nih14', mammo_mias: 'mammo_mias' };
const kImage = /\.(png|jpe?g|pgm|ppm|pnm)$/i;

const dataDir = resolve(process.argv[2] ?? process.env.RL_DATA_DIR ?? join(kRoot, '../shared/data'));
const card = join(kRoot, 'web/models', `${kGatekeeper}.card.json`);

// Evenly spaced files; offset 0.5 picks the ones halfway between offset 0's.
function sample(all, offset) {
  const step = Math.max(1, all.length / kSamplePerTask);
  const picks = Array.from({ length: Math.min(all.length, kSamplePerTask) }, (_, i) => all[Math.floor((i + offset) * step)]);
  return [...new Set(picks.filter(Boolean))];
}

// The MedNIST model's probabilities for each file that decoded, by path. One
// call per dataset: each call loads the core anew.
async function probabilities(paths) {
  const lines = [];
  await classify({ cardPath: card, paths, out: { write: (l) => lines.push(l) } });
  const [header, ...rows] = csvRows(lines.join(''));
  const labels = header.slice(1, -2);
  return new Map(rows.filter((r) => r.at(-2)).map((r) => [r[0], labels.map((_, i) => Number(r[1 + i]))]));
}
const pick = (byPath, paths) => paths.filter((p) => byPath.has(p)).map((p) => byPath.get(p));

// The rule comes from the core, as in the app: first with the floor alone
// (each image's kind), then with the table written below.
const core = await coreLoad();
const cardError = core.cardLoad(readFileSync(card, 'utf8'), false);
if (cardError) throw new Error(`${card}: ${cardError}`);
const judge = (gatekeeper, probs, model) => core.gatekeeperJudge(JSON.stringify(gatekeeper), probs, model);
const callOf = (probs) => judge({ model: kGatekeeper, confident_at: kConfidentAt, share: {} }, probs, '');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)} %`;

const labels = JSON.parse(readFileSync(card, 'utf8')).labels;
const share = {};
const heldOut = {};
for (const [task, folder] of Object.entries(kTaskFolders)) {
  const all = filesUnder([join(dataDir, folder)]).filter((p) => kImage.test(p));
  const first = sample(all, 0);
  const firstSet = new Set(first);
  const second = sample(all, 0.5).filter((p) => !firstSet.has(p));
  const byPath = await probabilities([...first, ...second]);
  const measured = pick(byPath, first);
  const counts = {};
  const calls = {};  // most probable class -> its probabilities, floor or not
  for (const probs of measured) {
    const v = callOf(probs);
    const kind = v.confident ? v.kind : 'unclear';
    counts[kind] = (counts[kind] ?? 0) + 1;
    (calls[v.kind] ??= []).push(v.probability);
  }
  share[task] = Object.fromEntries(Object.entries(counts).sort().map(([k, c]) => [k, Number((c / measured.length).toFixed(4))]));
  console.log(`${task}: ${measured.length} images: ${JSON.stringify(share[task])}`);
  console.log(`  most probable class, images (median probability): ${Object.entries(calls).sort()
    .map(([k, p]) => `${k} ${p.length} (${median(p).toFixed(2)})`).join(', ')}`);
  heldOut[task] = pick(byPath, second);
}
const gatekeeper = { model: kGatekeeper, measured_by: 'node scripts/gatekeeper.mjs', sample_per_task: kSamplePerTask,
  confident_at: kConfidentAt, share };
const out = join(kRoot, 'web/models/gatekeeper.json');
writeFileSync(out, JSON.stringify(gatekeeper, null, 2) + '\n');
console.log(`wrote ${out}`);

const warnedShare = (set, model) => {
  const warned = set.filter((probs) => !judge(gatekeeper, probs, model).chosen_fits).length;
  return percent(warned, set.length);
};
console.log('\nwarned about its own kind of image (second sample, not measured above):');
for (const [task, set] of Object.entries(heldOut)) {
  console.log(`  ${task}: ${set.length ? `${warnedShare(set, task)} of ${set.length}` : 'none left (every image was measured)'}`);
}

const testList = join(kRoot, 'runs/mednist/test.csv');
if (!existsSync(testList)) {
  console.log(`\nno ${testList} (it comes from training the MedNIST model): other kinds not checked`);
} else {
  const byKind = {};
  for (const row of csvRows(readFileSync(testList, 'utf8')).slice(1).filter((r) => r.length > 1)) {
    (byKind[labels[row.slice(-labels.length).indexOf('1')]] ??= []).push(resolve(kRoot, row[0]));
  }
  const byPath = await probabilities(Object.values(byKind).flat());
  console.log(`\nMedNIST test images: called at ${kConfidentAt} or more, and warned about per model:`);
  console.log(`  kind       ${['confident', ...Object.keys(kTaskFolders)].map((t) => t.padEnd(16)).join('')}`);
  let confident = 0, all = 0;
  for (const [kind, paths] of Object.entries(byKind)) {
    const set = pick(byPath, paths);
    const sure = set.filter((probs) => callOf(probs).confident).length;
    confident += sure;
    all += set.length;
    const columns = [percent(sure, set.length), ...Object.keys(kTaskFolders).map((t) => warnedShare(set, t))];
    console.log(`  ${kind.padEnd(11)}${columns.map((c) => c.padEnd(16)).join('')}(${set.length})`);
  }
  console.log(`  all        ${percent(confident, all)} of ${all} called at ${kConfidentAt} or more`);
}
