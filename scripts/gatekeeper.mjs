// Measures what the MedNIST model calls each task's images and writes
// web/models/gatekeeper.json: per model, the share of its dataset's images
// assigned to each MedNIST class. The app warns when an image's class was
// (almost) never seen in a model's data (core/gatekeeper.h).
//   node scripts/gatekeeper.mjs [DATA_DIR]     (default ../shared/data)
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, filesUnder } from '../cli/classify.mjs';
import { csvRows } from '../cli/csv.mjs';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const kGatekeeper = 'mednist';
const kSamplePerTask = 400;  // evenly spaced over the sorted file list
const kTaskFolders = { brain_mri: 'brain_mri', chest_pneumonia: 'chest_pneumonia', chest_nih14: 'chest_nih14', mammo_mias: 'mammo_mias' };
const kImage = /\.(png|jpe?g|pgm|ppm|pnm)$/i;

const dataDir = resolve(process.argv[2] ?? process.env.RL_DATA_DIR ?? join(kRoot, '../shared/data'));
const card = join(kRoot, 'web/models', `${kGatekeeper}.card.json`);
const share = {};
for (const [task, folder] of Object.entries(kTaskFolders)) {
  const all = filesUnder([join(dataDir, folder)]).filter((p) => kImage.test(p));
  const step = Math.max(1, all.length / kSamplePerTask);
  const sample = Array.from({ length: Math.min(all.length, kSamplePerTask) }, (_, i) => all[Math.floor(i * step)]);
  const lines = [];
  await classify({ cardPath: card, paths: sample, out: { write: (l) => lines.push(l) } });
  const counts = {};
  let n = 0;
  for (const row of csvRows(lines.join('')).slice(1)) {
    const decision = row.at(-2);
    if (!decision) continue;  // a file that failed
    counts[decision] = (counts[decision] ?? 0) + 1;
    n += 1;
  }
  share[task] = Object.fromEntries(Object.entries(counts).sort().map(([k, c]) => [k, Number((c / n).toFixed(4))]));
  console.log(`${task}: ${n} images: ${JSON.stringify(share[task])}`);
}
const out = join(kRoot, 'web/models/gatekeeper.json');
writeFileSync(out, JSON.stringify({ model: kGatekeeper, measured_by: 'node scripts/gatekeeper.mjs', sample_per_task: kSamplePerTask, share }, null, 2) + '\n');
console.log(`wrote ${out}`);
