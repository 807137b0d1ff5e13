// Shared by the browser tests: serves a site folder, opens it in headless
// Chromium (Debian's, through playwright-core) and records console errors
// and every request.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export { csvRows } from '../../cli/csv.mjs';

export const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const kSite = resolve(kRoot, 'build/wasm/site');
export const kData = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');
const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Returns { page, context, origin, problems, requests }; everything closes after test t.
export async function browserOpen(t, site = kSite) {
  const server = await serve(site, 0);
  t.after(() => { server.closeAllConnections(); server.close(); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: kChromiumArgs });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  context.on('request', (r) => requests.push(r.url()));
  return { page, context, origin, problems, requests };
}

// A CSV row's answer: decision, in_domain, note and error, the note's domain distance left out (the page's
// ONNX Runtime and node's agree to about 1e-5, which can move its second decimal).
export function answerOf(row) {
  return [row.at(-4), row.at(-3), row.at(-2).replace(/domain distance [\d.]+/, 'domain distance'), row.at(-1)];
}

export async function appState(page) {
  return page.evaluate(() => JSON.parse(Module.UTF8ToString(Module._app_state_json())));
}

export async function appCsv(page) {
  return page.evaluate(() => Module.UTF8ToString(Module._app_batch_csv()));
}

// Opens the page and waits until every listed model has loaded or been refused.
export async function appOpen(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('loaded'));
  await page.waitForFunction(() => {
    const s = JSON.parse(Module.UTF8ToString(Module._app_state_json()));
    return s.models.length > 0 && s.models.every((m) => m.state !== 0);
  }, null, { timeout: 60000 });
}

// A key held down for two animation frames, then left up for two: ImGui
// 1.86 reads the keys once a frame, so it misses a press, or a release
// before the next press, that falls between two frames. Frames, not a fixed
// time: a 100 ms hold timed a test out once on a machine busy training (a
// missed key, most likely: frames there took longer).
export async function appKey(page, key) {
  const twoFrames = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.focus('#canvas');
  await page.keyboard.down(key);
  await twoFrames();
  await page.keyboard.up(key);
  await twoFrames();
}

// Chooses a model by its shortcut (1 .. 9, in the list's order) and waits until the app has it.
export async function appChoose(page, name) {
  const index = (await appState(page)).models.findIndex((m) => m.name === name);
  await appKey(page, String(index + 1));
  await page.waitForFunction((i) => JSON.parse(Module.UTF8ToString(Module._app_state_json())).chosen === i, index);
}

// Opens files through the page's own file input and waits for the queue.
export async function appClassify(page, paths) {
  await page.setInputFiles('#file-input', paths);
  await page.waitForFunction((n) => {
    const s = JSON.parse(Module.UTF8ToString(Module._app_state_json()));
    return s.items >= n && s.finished === s.items;
  }, paths.length, { timeout: 120000 });
}
