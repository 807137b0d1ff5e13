// The page classifies real images of every task exactly as the classify
// command does (same core, same ONNX files; ONNX Runtime Web against
// onnxruntime-node), shows a heat map over the part of the picture the model
// saw, and runs a mixed batch of 50 files with broken ones to the end, one CSV
// row each, and warns when an image is not of the kind the chosen model saw.
// An idle page draws only now and then; input draws at once; a short key
// press acts once, however slow the frames it spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../cli/classify.mjs';
import { coreLoad } from '../../cli/core_node.mjs';
import { answerOf, appClassify, appChoose, appCsv, appKey, appOpen, appState, browserOpen, csvRows, kData, kRoot } from './browser.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-app-classify-');
const kSamples = {
  brain_mri: ['brain_mri/yes/y0.jpg', 'brain_mri/no/no1.jpg'],
  chest_nih14: ['chest_nih14/images/00000001_000.jpg', 'chest_nih14/images/00000001_002.jpg'],
  chest_pneumonia: ['chest_pneumonia/chest_xray/test/PNEUMONIA/person100_bacteria_475.jpeg',
    'chest_pneumonia/chest_xray/test/NORMAL/IM-0001-0001.jpeg'],
  mammo_mias: ['mammo_mias/all-mias/mdb001.jpg', 'mammo_mias/all-mias/mdb005.jpg'],
  mednist: ['mednist/MedNIST/Hand/000000.jpeg', 'mednist/MedNIST/HeadCT/000006.jpeg'],
};

// Where the map lies over the picture (scale_x, bias_x, scale_y, bias_y),
// restated from core/display.cpp: the region the model saw, fitted to the
// input's aspect, one map cell per frame / map size.
function placementExpected(region, spec, camWidth, camHeight) {
  let frameWidth = region.width, frameHeight = region.height;
  const lhs = region.width * spec.height, rhs = region.height * spec.width;
  if (spec.resize !== 'stretch' && lhs !== rhs) {
    if ((lhs > rhs) === (spec.resize !== 'center_crop')) frameHeight = Math.max(1, Math.round(region.width * spec.height / spec.width));
    else frameWidth = Math.max(1, Math.round(region.height * spec.width / spec.height));
  }
  const offsetX = Math.trunc((frameWidth - region.width) / 2), offsetY = Math.trunc((frameHeight - region.height) / 2);
  const sx = camWidth / frameWidth, sy = camHeight / frameHeight;
  return [sx, (0.5 + offsetX - region.x) * sx - 0.5, sy, (0.5 + offsetY - region.y) * sy - 0.5];
}

async function cliRows(task, paths) {
  const lines = [];
  await classify({ cardPath: join(kRoot, 'web/models', `${task}.card.json`), paths, out: { write: (l) => lines.push(l) } });
  return csvRows(lines.join(''));
}

test('every model gives the classify command\'s probabilities and a heat map', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const core = await coreLoad();
  await appKey(page, 'a');
  const opened = [];  // every file in the page's queue, in order
  for (const [task, relative] of Object.entries(kSamples)) {
    const paths = relative.map((p) => join(kData, p));
    await appChoose(page, task);  // the picker's shortcut
    await appClassify(page, paths);
    opened.push(...paths);
    const state = await appState(page);
    assert.equal(state.models[state.chosen].name, task);
    const app = csvRows(await appCsv(page));
    const cli = await cliRows(task, paths);
    assert.deepEqual(app[0], cli[0], `${task}: CSV columns`);
    const appRows = app.slice(-paths.length);
    for (let i = 0; i < paths.length; i++) {
      const [a, c] = [appRows[i], cli[i + 1]];
      assert.equal(a.at(-1), '', `${task} ${relative[i]}: ${a.at(-1)}`);
      for (let k = 1; k < cli[0].length - 4; k++)
        assert.ok(Math.abs(Number(a[k]) - Number(c[k])) <= 1e-4, `${task} ${relative[i]} ${cli[0][k]}: page ${a[k]}, classify ${c[k]}`);
      assert.deepEqual(answerOf(a), answerOf(c), `${task} ${relative[i]}: decision, in_domain, note`);
    }
    // The selected file (the queue's first, rerun by this model) shows its activation map over the picture: with the
    // raw output on (A, pressed below), also where the model gives no answer, as for a brain slice on a chest model.
    await page.waitForFunction(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).cam_width > 0);
    const shown = await appState(page);
    assert.ok(shown.image_width > 0 && shown.cam_height > 0 && shown.cam_max === 1, `${task}: no heat map (${JSON.stringify(shown)})`);
    const spec = JSON.parse(readFileSync(join(kRoot, 'web/models', `${task}.card.json`), 'utf8')).input;
    const { region } = core.preprocess(readFileSync(opened[shown.selected]), spec);
    if (spec.resize === 'crop_to_content')  // the sample must exercise the crop
      assert.ok(region.width < shown.image_width && region.height < shown.image_height, `${task}: ${JSON.stringify(region)}`);
    const want = placementExpected(region, spec, shown.cam_width, shown.cam_height);
    const placed = (w) => JSON.parse(Module.UTF8ToString(Module._app_state_json())).cam_placement.every((v, k) => Math.abs(v - w[k]) < 1e-5);
    // The previous task's map may still be up for a moment.
    await page.waitForFunction(placed, want, { timeout: 5000 }).catch(async () =>
      assert.fail(`${task}: placement ${(await appState(page)).cam_placement} against ${want}`));
  }
  assert.deepEqual(problems, []);
});

test('a batch of 50 mixed files ends with one row per file and errors in their column', async (t) => {
  const dir = mkdtempSync(join(kScratch, 'batch-'));
  const jpeg = readFileSync(join(kData, 'brain_mri/yes/y0.jpg'));
  const broken = {
    'truncated.jpg': jpeg.subarray(0, jpeg.length >> 1),
    'notes.txt': Buffer.from('not an image\n'),
    'empty.png': Buffer.alloc(0),
    'random.png': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255)),
    'header-only.png': readFileSync(join(kData, 'mednist/MedNIST/Hand/000000.jpeg')).subarray(0, 40),
    'text-renamed.jpg': Buffer.from('<html>hello</html>'),
  };
  const brokenPaths = Object.entries(broken).map(([name, bytes]) => { writeFileSync(join(dir, name), bytes); return join(dir, name); });
  const good = [];
  for (const folder of ['mednist/MedNIST/Hand', 'mednist/MedNIST/CXR', 'mednist/MedNIST/AbdomenCT'])
    good.push(...readdirSync(join(kData, folder)).sort().slice(0, 15).map((f) => join(kData, folder, f)));
  const paths = [...good.slice(0, 22), ...brokenPaths, ...good.slice(22)].slice(0, 50);
  assert.equal(paths.length, 50);

  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  await appClassify(page, paths);
  const rows = csvRows(await appCsv(page));
  assert.equal(rows.length, 51, 'one row per file after the header');
  const errors = rows.slice(1).filter((r) => r.at(-1) !== '');
  assert.deepEqual(errors.map((r) => r[0]).sort(), Object.keys(broken).sort());
  for (const r of errors) assert.ok(r.at(-1).startsWith(`${r[0]}: `), `the error names the file: ${r.at(-1)}`);
  for (const r of rows.slice(1).filter((x) => x.at(-1) === '')) {
    assert.ok(r.at(-4) !== '', `${r[0]} has no decision`);
    assert.ok(['yes', 'no'].includes(r.at(-3)), `${r[0]}: in_domain '${r.at(-3)}'`);
  }
  assert.deepEqual(problems, []);
});

test('dropped and pasted images join the queue like opened ones', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const bytes = Array.from(readFileSync(join(kData, kSamples.brain_mri[0])));
  await page.evaluate((data) => {
    const transfer = () => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.jpg', { type: 'image/jpeg' }));
      return dt;
    };
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer(), cancelable: true }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer(), cancelable: true }));
  }, bytes);
  await page.waitForFunction(() => {
    const s = JSON.parse(Module.UTF8ToString(Module._app_state_json()));
    return s.items === 2 && s.finished === 2;
  });
  const rows = csvRows(await appCsv(page));
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r.at(-4), r.at(-1)]), [['dropped.jpg', 'tumor', ''], ['dropped.jpg', 'tumor', '']]);
  assert.deepEqual(problems, []);
});

test('the page hints when an image is not of the kind the chosen model was trained on', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  await appChoose(page, 'chest_pneumonia');
  const verdictOf = async (image) => {
    await page.evaluate(() => Module._app_queue_clear());
    await appClassify(page, [join(kData, image)]);
    await page.waitForFunction(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).verdict !== undefined);
    return (await appState(page)).verdict;
  };
  assert.match(await verdictOf('mednist/MedNIST/AbdomenCT/000007.jpeg'), /^Hint: Looks like AbdomenCT \(\d+ %\); chest_pneumonia was trained on other kinds/);
  assert.match(await verdictOf(kSamples.chest_pneumonia[1]), /^Looks like CXR \(\d+ %\): chest_pneumonia was trained on images like this\.$/);
  assert.deepEqual(problems, []);
});

// Waits n animation frames; returns the ms they took.
const animationFrames = (page, n) => page.evaluate((n) => new Promise((done) => {
  const start = performance.now();
  let k = 0;
  const next = () => (++k === n ? done(performance.now() - start) : requestAnimationFrame(next));
  requestAnimationFrame(next);
}), n);

test('an idle page draws only now and then, and input wakes it', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const drawn = async () => (await appState(page)).frames_drawn;
  await animationFrames(page, 30);  // loading is over: let the last wake-up pass
  let before = await drawn();
  const ms = await animationFrames(page, 60);
  const idle = (await drawn()) - before;
  // One frame every 500 ms, where every animation frame used to be drawn.
  assert.ok(idle <= Math.ceil(ms / 500) + 1, `${idle} of 60 animation frames drawn in ${ms.toFixed(0)} ms of idling`);

  before = await drawn();
  await page.mouse.move(200, 150);
  await animationFrames(page, 3);
  assert.ok((await drawn()) - before >= 3, 'moving the mouse over the canvas draws the next frames');
  assert.deepEqual(problems, []);
});

test('a batch in work reads each file once and is drawn only now and then, so that frames do not hold up its files', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const files = readdirSync(join(kData, 'brain_mri/yes')).sort().slice(0, 30).map((f) => join(kData, 'brain_mri/yes', f));
  await page.evaluate(() => {
    const read = window.radiolens.read;
    window.reads = [];
    window.radiolens.read = (id) => { window.reads.push(id); read(id); };
  });
  await animationFrames(page, 30);
  const before = (await appState(page)).frames_drawn;
  const start = await page.evaluate(() => performance.now());
  await appClassify(page, files);
  const ms = (await page.evaluate(() => performance.now())) - start;
  const state = await appState(page);
  assert.equal(state.total_ms.length, files.length);
  // Selecting the first file used to read (and decode) it a second time.
  assert.deepEqual(await page.evaluate(() => window.reads), files.map((_, i) => i));
  // One frame every 250 ms, plus a few after the selected file and the batch
  // finish (and after the files arrived, before that stopped waking the
  // loop); waking on each step drew nearly every animation frame.
  const drawn = state.frames_drawn - before;
  assert.ok(drawn <= Math.ceil(ms / 250) + 3 * 4 + 1, `${drawn} frames drawn in ${ms.toFixed(0)} ms for ${files.length} files`);
  assert.deepEqual(problems, []);
});

test('a click on the ROC plot moves the threshold to the nearest point of the test curve', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  await appChoose(page, 'brain_mri');  // a model that answers: one at chance shows no ROC plot unless asked
  await appClassify(page, [join(kData, kSamples.brain_mri[0])]);
  await animationFrames(page, 5);
  const card = JSON.parse(readFileSync(join(kRoot, 'web/models/brain_mri.card.json'), 'utf8'));
  const positive = card.labels.indexOf('tumor');
  const roc = card.roc.tumor;  // [threshold, fpr, tpr], thresholds descending
  let state = await appState(page);
  const [left, top, side] = state.roc_plot;
  assert.ok(side > 50, `plot side ${side}`);
  assert.equal(state.thresholds[positive], Math.fround(card.operating_points.find((p) => p.label === 'tumor').threshold));
  const at = ([, fpr, tpr]) => [left + fpr * side, top + (1 - tpr) * side];
  for (const target of [roc[Math.floor(roc.length / 4)], roc[Math.floor((3 * roc.length) / 4)]]) {
    const [x, y] = at(target);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await animationFrames(page, 2);
    await page.mouse.up();
    await animationFrames(page, 2);
    state = await appState(page);
    // The point whose threshold it took lies under the click (a pixel's rounding may pick a neighbour).
    const taken = roc.filter((p) => Math.fround(p[0]) === state.thresholds[positive]);
    assert.ok(taken.some((p) => Math.hypot(at(p)[0] - x, at(p)[1] - y) <= 2), `clicked at ${target}, threshold ${state.thresholds[positive]}`);
  }
  assert.deepEqual(problems, []);
});

test('+ and - rebuild the font larger and smaller, between 13 and 32.5 px', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  const fontSize = async () => (await appState(page)).font_size;
  assert.equal(await fontSize(), 13);
  await appKey(page, '=');
  await appKey(page, '=');
  assert.equal(await fontSize(), 19.5);
  for (let i = 0; i < 3; i++) await appKey(page, '-');
  assert.equal(await fontSize(), 13);
  for (let i = 0; i < 8; i++) await appKey(page, '=');
  assert.equal(await fontSize(), 32.5);
  assert.deepEqual(problems, []);
});

test('one short press of Down moves one file, even when a slow frame falls inside the press', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  await appClassify(page, kSamples.brain_mri.concat(kSamples.mednist).map((p) => join(kData, p)));
  assert.equal((await appState(page)).selected, 0);
  await page.focus('#canvas');
  await page.keyboard.down('ArrowDown');
  // The app draws the press in this animation frame; then 400 ms of main-thread
  // work (as a large DICOM's decode on a busy machine) before the next one.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => {
    const start = performance.now();
    while (performance.now() - start < 400);
    requestAnimationFrame(() => requestAnimationFrame(done));
  })));
  await page.keyboard.up('ArrowDown');
  await appKey(page, 'Shift');  // a few more frames, with Down up
  assert.equal((await appState(page)).selected, 1);
  assert.deepEqual(problems, []);
});

test('outside its domain a model gives no answer: panel, table, CSV and announcement, like the classify command', async (t) => {
  const { page, origin, problems } = await browserOpen(t);
  await appOpen(page, `${origin}/`);
  await appChoose(page, 'brain_mri');
  const paths = [join(kData, 'mammo_mias/all-mias/mdb001.jpg'), join(kData, kSamples.brain_mri[0])];
  await appClassify(page, paths.slice(0, 1));  // alone: a batch's end would be read out after it
  const state = await appState(page);
  assert.deepEqual([state.answer.decision, state.answer.in_domain], ['abstain', false]);
  assert.match(state.answer.note, /^This image does not look like the brain MRI slices brain_mri was trained on: no answer/);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes("no answer (outside the model's domain)"));
  // No heat map either, unless the raw output is asked for (A), and then labelled as such.
  const camWidth = () => page.evaluate(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).cam_width);
  assert.equal(await camWidth(), 0);
  await appKey(page, 'a');
  await page.waitForFunction(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())).cam_width > 0);
  await appKey(page, 'a');
  assert.equal(await camWidth(), 0);
  await appClassify(page, paths);  // the second joins the queue; the first keeps its answer
  const app = csvRows(await appCsv(page)).filter((r, i) => i !== 2);  // the mammogram was opened twice
  const cli = await cliRows('brain_mri', paths);
  for (const i of [1, 2]) assert.deepEqual(answerOf(app[i]), answerOf(cli[i]), `${paths[i - 1]}: decision, in_domain, note, error`);
  assert.deepEqual(app[1].slice(-4, -2), ['abstain', 'no']);
  assert.deepEqual(app[2].slice(-3, -1), ['yes', '']);
  assert.deepEqual(problems, []);
});
