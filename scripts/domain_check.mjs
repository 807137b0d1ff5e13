// Measures each shipped model's domain check through the classify command's
// path (wasm core + ONNX Runtime): the share of images it judges out of
// domain in its own test split, each other task's images, each MedNIST
// class, the data folder's DICOM files by kind, everyday photographs
// (scikit-image's samples, from Debian) and synthetic patterns. The aim: at
// most 5 % of its own images, at least 95 % of every unrelated set; related
// sets (another population of the same kind of image) are reported only.
//   node scripts/domain_check.mjs [--write] [--per-set N] [--development] [MODEL...]
// --write puts each model's table into its card (domain.checks). Own test
// splits come from runs/<task>/test.csv, which `radiolens-train train` and
// `radiolens-train domain` write. RL_RUNS_DIR and RL_MODELS_DIR move the runs
// and the cards, as for scripts/model.sh. --development shows only the data
// folder's sets, 150 images each, half a step away from the reported ones:
// the samples a change of method is judged on (docs/models.md, "Domain check").
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { classify, filesUnder } from '../cli/classify.mjs';
import { coreLoad } from '../cli/core_node.mjs';
import { csvRows } from '../cli/csv.mjs';
import { pngEncode } from '../tests/js/png.mjs';

const kRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const kData = process.env.RL_DATA_DIR ?? join(kRoot, '../shared/data');
const kRuns = process.env.RL_RUNS_DIR ?? join(kRoot, 'runs');
const kCards = process.env.RL_MODELS_DIR ?? join(kRoot, 'web/models');
const kModels = ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist'];
const kMedNist = ['AbdomenCT', 'BreastMRI', 'CXR', 'ChestCT', 'Hand', 'HeadCT'];
const kSide = 256;  // px, synthetic patterns

// Sets each model counts as related (another population of its kind); its own are its test split's, one per
// source, and every other set is unrelated. A task's own folders are never shown to its model: it trained on them.
const kRelated = {
  brain_mri: ['DICOM brain MR'],
  chest_pneumonia: ['NIH chest X-rays', 'MedNIST CXR', 'DICOM chest X-rays'],
  chest_nih14: ['Kermany chest X-rays', 'MedNIST CXR', 'DICOM chest X-rays'],
  mammo_mias: ['DICOM mammograms'],
  mednist: ['Kermany chest X-rays', 'NIH chest X-rays', 'DICOM chest X-rays', 'DICOM CT'],
};
const kTrainedOn = { brain_mri: ['Br35H brain MRI', 'Sartaj brain MRI'], chest_pneumonia: ['Kermany chest X-rays'],
  chest_nih14: ['NIH chest X-rays'], mammo_mias: ['MIAS mammograms'], mednist: kMedNist.map((c) => `MedNIST ${c}`) };
// The trainer's source names (test.csv's source column), as the sets here call their images.
const kSourceSet = { Br35H: 'Br35H brain MRI', Sartaj: 'Sartaj brain MRI', Kermany: 'Kermany chest X-rays', NIH: 'NIH chest X-rays',
  MIAS: 'MIAS mammograms', MedNIST: 'MedNIST' };

// Grey 8-bit patterns no model was trained on: { name: [png bytes] }.
export function syntheticPatterns() {
  const image = (f) => {
    const pixels = new Uint8Array(kSide * kSide);
    for (let y = 0; y < kSide; y++) for (let x = 0; x < kSide; x++) pixels[y * kSide + x] = Math.max(0, Math.min(255, Math.round(f(x, y))));
    return pngEncode(kSide, kSide, 1, pixels);
  };
  const random = (seed) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t = (v) => (v / (kSide - 1)) * 255;
  const r = (x, y) => Math.hypot(x - kSide / 2, y - kSide / 2);
  return {
    blank: [0, 64, 128, 192, 255].map((v) => image(() => v)),
    noise: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => { const next = random(s); return image(() => next() * 256); }),
    gradients: [(x) => t(x), (x) => 255 - t(x), (x, y) => t(y), (x, y) => 255 - t(y), (x, y) => (t(x) + t(y)) / 2,
      (x, y) => 255 - r(x, y) * 1.4, (x, y) => r(x, y) * 1.4, (x, y) => 128 + 127 * Math.sin(x / 9)].map(image),
    checkerboards: [2, 4, 8, 16, 32, 64].map((n) => image((x, y) => ((Math.floor(x / n) + Math.floor(y / n)) % 2) * 255)),
  };
}

// Up to n paths spread evenly over the sorted list, `offset` of a step in: the same sample on every run.
export function spread(paths, n, offset = 0) {
  if (paths.length <= n) return paths;
  return Array.from({ length: n }, (_, i) => paths[Math.floor(((i + offset) * paths.length) / n)]);
}

// The own test split, one set per source: [{ name, files }], or null when the run has none.
function testSplits(task) {
  const list = join(kRuns, task, 'test.csv');
  if (!existsSync(list)) return null;
  const [header, ...rows] = csvRows(readFileSync(list, 'utf8'));
  const source = header.indexOf('source');
  if (source < 0) throw new Error(`${list}: no source column (written before the trainer read several sources): ` +
    `build/native/trainer/radiolens-train domain --task ${task} --model web/models/${task}.onnx --card web/models/${task}.card.json writes it again`);
  const names = [...new Set(rows.map((r) => r[source]))].sort();
  return names.map((n) => ({ name: `${kSourceSet[n] ?? n} (test split)`, files: rows.filter((r) => r[source] === n).map((r) => r[0]) }));
}

// [{ name, files }] for everything but the own test splits.
function commonSets(perSet, scratch, development) {
  const images = (dir) => filesUnder([join(kData, dir)]).filter((f) => /\.(jpe?g|png|pgm)$/i.test(f));
  const dicom = (re) => readdirSync(join(kData, 'dicom')).filter((f) => f.endsWith('.dcm') && re.test(f)).map((f) => join(kData, 'dicom', f));
  const sets = [
    { name: 'Br35H brain MRI', files: images('brain_mri') },
    { name: 'Sartaj brain MRI', files: images('brain_mri_sartaj') },
    { name: 'Kermany chest X-rays', files: images('chest_pneumonia') },
    { name: 'NIH chest X-rays', files: images('chest_nih14') },
    { name: 'MIAS mammograms', files: images('mammo_mias') },
    ...kMedNist.map((c) => ({ name: `MedNIST ${c}`, files: images(`mednist/MedNIST/${c}`) })),
    { name: 'DICOM chest X-rays', files: dicom(/^(cr|dx)_chest/) },
    { name: 'DICOM mammograms', files: dicom(/^mg_/) },
    { name: 'DICOM brain MR', files: dicom(/^mr_(brain|head)/) },
    { name: 'DICOM CT', files: dicom(/^ct_/) },
    { name: 'DICOM other (bone CR, MR body, US, XA, test pattern)', files: dicom(/^(cr_(hip|tibia)|mr_(abdomen|shoulder)|us_|xa_|ot_)/) },
    { name: 'everyday photographs', files: filesUnder([join(kRoot, '.deps/pictures')]) },
  ];
  if (development) return sets.filter((s) => !s.name.startsWith('DICOM') && s.name !== 'everyday photographs')
    .map((s) => ({ ...s, files: spread(s.files, 150, 0.5) }));
  for (const [name, pngs] of Object.entries(syntheticPatterns())) {
    const files = pngs.map((png, i) => { const f = join(scratch, `${name}_${i}.png`); writeFileSync(f, png); return f; });
    sets.push({ name: `synthetic ${name}`, files });
  }
  return sets.map((s) => ({ ...s, files: spread(s.files, perSet) }));
}

// { images, flagged } over the files that classified (errors are not images the model saw).
async function measure(core, cardPath, files) {
  let text = '';
  await classify({ core, cardPath, paths: files, out: { write: (s) => { text += s; } } });
  const [header, ...rows] = csvRows(text);
  const inDomain = header.indexOf('in_domain');
  const seen = rows.filter((r) => r.at(-1) === '');
  return { images: seen.length, flagged: seen.filter((r) => r[inDomain] === 'no').length / Math.max(1, seen.length) };
}

async function domainCheck(core, model, sets, log) {
  const cardPath = join(kCards, `${model}.card.json`);
  const own = testSplits(model);
  if (!own) throw new Error(`${join(kRuns, model, 'test.csv')} is missing: build/native/trainer/radiolens-train domain --task ${model} ` +
    `--model web/models/${model}.onnx --card web/models/${model}.card.json writes it (or scripts/model.sh ${model})`);
  const rows = [];
  const shown = sets.filter((s) => !kTrainedOn[model].includes(s.name) && s.files.length);
  for (const set of [...own.map((o) => ({ ...o, own: true })), ...shown]) {
    const relation = set.own ? 'own' : kRelated[model].includes(set.name) ? 'related' : 'unrelated';
    const { images, flagged } = await measure(core, cardPath, set.files);
    if (!images) continue;
    const aim = relation === 'own' ? flagged <= 0.05 : relation === 'unrelated' ? flagged >= 0.95 : null;
    log(`${model.padEnd(16)} ${set.name.padEnd(56)} ${relation.padEnd(9)} ${String(images).padStart(5)} ` +
      `${(100 * flagged).toFixed(1).padStart(6)} %  ${aim === null ? '' : aim ? 'meets the aim' : 'MISSES the aim'}`);
    rows.push({ set: set.name, relation, images, flagged: Math.round(flagged * 10000) / 10000 });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    write: { type: 'boolean' }, 'per-set': { type: 'string', default: '200' }, development: { type: 'boolean' } } });
  if (values.write && values.development) throw new Error('--development samples are not the card\'s figures: no --write');
  execFileSync('bash', [join(kRoot, 'scripts/setup.sh'), 'pictures'], { stdio: 'inherit' });
  const scratch = mkdtempSync(join(tmpdir(), 'radiolens-domain-'));
  try {
    const sets = commonSets(Number(values['per-set']), scratch, values.development);
    const core = await coreLoad();
    console.log(`${'model'.padEnd(16)} ${'images'.padEnd(56)} ${'relation'.padEnd(9)} count  judged out of domain`);
    for (const model of positionals.length ? positionals : kModels) {
      const rows = await domainCheck(core, model, sets, console.log);
      if (!values.write) continue;
      const cardPath = join(kCards, `${model}.card.json`);
      const card = JSON.parse(readFileSync(cardPath, 'utf8'));
      card.domain.checks = rows;
      writeFileSync(cardPath, core.cardText(card));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
