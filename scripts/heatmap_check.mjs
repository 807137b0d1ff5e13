// Checks each shipped model's heat map (its class activation map, the `cam`
// output the page shows) on its own test split, through ONNX Runtime:
// - model randomisation (Adebayo et al., NeurIPS 2018): the maps of copies
//   whose heads, then heads and last blocks, are redrawn at random
//   (`radiolens-train randomise`), against the model's own; the mean
//   absolute Spearman rank correlation over images. A map that hardly
//   changes does not explain the model (aim: below 0.5);
// - mammo_mias: the share of abnormal test films with a marked lesion whose
//   map peaks inside a marked circle (Info.txt; the pointing game, aim 0.6);
// - chest_pneumonia: the share of the map's mass (as shown: scaled to
//   [0, 1]) inside the lung fields, over its pneumonia test films.
// The map is the decided label's: the positive one of two, else the most probable.
//   node scripts/heatmap_check.mjs [--write] [--images N] [MODEL...]
// Test splits come from runs/<task>/test.csv (`radiolens-train domain` writes them); --write puts the figures into
// each card (heatmap_checks). RL_RUNS_DIR and RL_MODELS_DIR move the runs and the cards, as for scripts/model.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ort from '../cli/ort_node.mjs';
import { coreLoad } from '../cli/core_node.mjs';
import { csvRows } from '../cli/csv.mjs';
import { spread } from './domain_check.mjs';

const kRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const kData = process.env.RL_DATA_DIR ?? join(kRoot, '../shared/data');
const kRuns = process.env.RL_RUNS_DIR ?? join(kRoot, 'runs');
const kCards = process.env.RL_MODELS_DIR ?? join(kRoot, 'web/models');
const kTrainer = join(kRoot, 'build/native/trainer/radiolens-train');
const kModels = ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist'];
const kMiasSide = 1024;  // px: Info.txt's frame, origin at the bottom left
// The lung fields of Kermany's films as the model sees them (stretched square), as shares of the side: a fixed mask,
// each side's rectangle the mean of 8 test films marked by hand on a 16 px grid (docs/trust.md, "Heat maps, checked").
const kLungFields = [{ x0: 19 / 128, x1: 54 / 128, y0: 19 / 128, y1: 104 / 128 }, { x0: 74 / 128, x1: 109 / 128, y0: 19 / 128, y1: 104 / 128 }];

// Spearman's rank correlation of two equally long arrays (ties get their mean rank).
export function spearman(a, b) {
  const ranks = (x) => {
    const order = Array.from(x.keys()).sort((i, j) => x[i] - x[j]);
    const r = new Float64Array(x.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
      for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (a.length - 1) / 2;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}

// Film name -> lesion circles { x, y, radius } in Info.txt's frame.
function miasLesions() {
  const lesions = new Map();
  for (const line of readFileSync(join(kData, 'mammo_mias/all-mias/Info.txt'), 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!/^mdb\d+$/.test(f[0]) || f.length < 7) continue;
    if (!lesions.has(f[0])) lesions.set(f[0], []);
    lesions.get(f[0]).push({ x: Number(f[4]), y: Number(f[5]), radius: Number(f[6]) });
  }
  return lesions;
}

// The share of a map's mass inside the lung fields: each cell weighted by the part of it the mask covers.
export function lungShare(map, w, h) {
  const lo = Math.min(...map), hi = Math.max(...map);
  if (!(hi > lo)) return NaN;
  const overlap = (a0, a1, b0, b1) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  let inside = 0, all = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = (map[y * w + x] - lo) / (hi - lo);
    const covered = kLungFields.reduce((sum, f) => sum + overlap(x / w, (x + 1) / w, f.x0, f.x1) * overlap(y / h, (y + 1) / h, f.y0, f.y1), 0) * w * h;
    inside += v * covered;
    all += v;
  }
  return inside / all;
}

// The label whose map is checked, by index.
function decidedLabel(card, probs) {
  if (card.output_kind === 'softmax' && card.labels.length === 2) return 1;
  return probs.indexOf(Math.max(...probs));
}

async function heatmapCheck(core, model, images, scratch) {
  const cardPath = join(kCards, `${model}.card.json`);
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));
  const onnx = join(kCards, card.onnx.file);
  const copies = [['heads', []], ['heads and last blocks', ['--last-block']]].map(([what, flag]) => {
    const out = join(scratch, `${model}.${flag.length ? 'block' : 'head'}.onnx`);
    execFileSync(kTrainer, ['randomise', '--model', onnx, '--out', out, ...flag], { stdio: 'inherit' });
    return { what, path: out };
  });
  const sessions = await Promise.all([onnx, ...copies.map((c) => c.path)].map((p) => ort.InferenceSession.create(readFileSync(p))));
  const rows = csvRows(readFileSync(join(kRuns, model, 'test.csv'), 'utf8'));
  const all = rows.slice(1);
  const truth = (row, label) => row[row.length - card.labels.length + label] === '1';  // the labels are test.csv's last columns
  const chosen = spread(all, images);
  const correlations = copies.map(() => []);
  const lesions = model === 'mammo_mias' ? miasLesions() : null;
  const abnormal = card.labels.indexOf('abnormal');
  const pointing = [];
  const lungs = [];  // chest_pneumonia's pneumonia films: the map's share on the lungs
  const pneumonia = model === 'chest_pneumonia' ? card.labels.indexOf('pneumonia') : -1;
  for (const row of (lesions || pneumonia >= 0 ? all : chosen)) {
    const { input, error } = core.preprocess(readFileSync(row[0]), card.input);
    if (error) throw new Error(`${row[0]}: ${error}`);
    const feeds = { [card.onnx.input]: new ort.Tensor('float32', input, [1, 1, card.input.height, card.input.width]) };
    const outs = await Promise.all(sessions.map((s) => s.run(feeds)));
    const [, , h, w] = outs[0][card.onnx.cam].dims;
    const label = decidedLabel(card, Array.from(outs[0][card.onnx.probabilities].data));
    const plane = (out, k) => out[card.onnx.cam].data.slice(k * h * w, (k + 1) * h * w);
    if (chosen.includes(row)) copies.forEach((_, c) => correlations[c].push(Math.abs(spearman(plane(outs[0], label), plane(outs[c + 1], label)))));
    if (pneumonia >= 0 && truth(row, pneumonia)) lungs.push(lungShare(plane(outs[0], pneumonia), w, h));
    const film = row[0].match(/(mdb\d+)/)?.[1];
    if (!lesions || !truth(row, abnormal) || !lesions.get(film)?.some((l) => l.radius > 0)) continue;
    const map = plane(outs[0], abnormal);
    const peak = map.indexOf(Math.max(...map));
    const x = ((peak % w) + 0.5) / w * kMiasSide, y = kMiasSide - (Math.floor(peak / w) + 0.5) / h * kMiasSide;
    pointing.push(lesions.get(film).some((l) => Math.hypot(x - l.x, y - l.y) <= l.radius));
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const checks = copies.map((c, i) => ({
    check: `randomised ${c.what}: mean absolute rank correlation of the maps with the shipped model's`,
    images: correlations[i].length, value: Math.round(mean(correlations[i]) * 1e4) / 1e4 }));
  if (pointing.length)
    checks.push({ check: 'abnormal test films with a marked lesion whose map peaks inside it (pointing game)',
      images: pointing.length, value: Math.round(mean(pointing.map(Number)) * 1e4) / 1e4 });
  if (lungs.length) {
    const even = kLungFields.reduce((sum, f) => sum + (f.x1 - f.x0) * (f.y1 - f.y0), 0);  // the fields' share of the picture
    checks.push({ check: `share of the map on the lung fields, pneumonia test films (an even map: ${even.toFixed(2)})`,
      images: lungs.length, value: Math.round(mean(lungs) * 1e4) / 1e4 });
  }
  return checks;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: {
    write: { type: 'boolean' }, images: { type: 'string', default: '100' } } });
  const scratch = mkdtempSync(join(tmpdir(), 'radiolens-heatmap-'));
  try {
    const core = await coreLoad();
    for (const model of positionals.length ? positionals : kModels) {
      const checks = await heatmapCheck(core, model, Number(values.images), scratch);
      for (const c of checks) console.log(`${model.padEnd(16)} ${c.value.toFixed(3)}  (${c.images} images)  ${c.check}`);
      if (!values.write) continue;
      const cardPath = join(kCards, `${model}.card.json`);
      const card = JSON.parse(readFileSync(cardPath, 'utf8'));
      card.heatmap_checks = checks;
      writeFileSync(cardPath, core.cardText(card));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
