// The page in a real headless Chromium: it loads without console errors,
// draws, stays on its own origin (the policy blocks any other), works offline
// after one visit, and refuses a model file whose hash differs from its card.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreLoad } from '../../cli/core_node.mjs';
import { appClassify, appCsv, appOpen, appState, browserOpen, csvRows, kData, kSite } from './browser.mjs';
import { scratchFolder } from './scratch.mjs';

const kScratch = scratchFolder('rl-app-privacy-');
const kImage = join(kData, 'brain_mri/yes/y0.jpg');

test('the page draws, stays on its own origin and works offline after one visit', async (t) => {
  const { page, context, origin, problems, requests } = await browserOpen(t);
  const response = await page.goto(`${origin}/`);
  assert.match(response.headers()['content-security-policy'], /default-src 'self'/);
  await appOpen(page, `${origin}/`);
  assert.ok((await appState(page)).models.every((m) => m.state === 1), 'every shipped model loads');

  // The ImGui frame is drawn: the screenshot (decoded by our own core) shows
  // lines of bright text on the dark clear colour, which alone has none.
  const png = await page.locator('#canvas').screenshot();
  const core = await coreLoad();
  const shot = core.preprocess(png, { width: 1400, height: 850, resize: 'stretch', scaling: 'full_range', mean: 0, std: 1 });
  assert.equal(shot.error, undefined);
  const textPixels = shot.input.filter((v) => v > 0.5).length;
  assert.ok(textPixels > 1000, `canvas looks blank (${textPixels} bright pixels)`);

  // A fetch to another origin is refused by the policy.
  const blocked = await page.evaluate(() => fetch('http://127.0.0.2:9/x').then(() => false, () => true));
  assert.ok(blocked, 'a cross-origin fetch was not blocked');

  // Offline: once the service worker holds the site, a reload without any
  // network still opens, loads every model and classifies.
  await page.waitForFunction(() => window.radiolens.offline === 'ready', null, { timeout: 60000 });
  await context.setOffline(true);
  await appOpen(page, `${origin}/`);
  assert.ok((await appState(page)).models.every((m) => m.state === 1), 'models load offline');
  await appClassify(page, [kImage]);
  const rows = csvRows(await appCsv(page));
  assert.equal(rows[1].at(-1), '', `offline classification failed: ${rows[1].at(-1)}`);
  assert.equal(rows[1].at(-4), 'tumor');

  assert.deepEqual(problems.filter((p) => !p.includes('Content Security Policy')), []);
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'requests left the origin');
});

test('a tampered model is refused with a message; the others still work', async (t) => {
  const site = mkdtempSync(join(kScratch, 'site-'));
  cpSync(kSite, site, { recursive: true });
  const onnx = join(site, 'models/chest_pneumonia.onnx');
  const bytes = readFileSync(onnx);
  bytes[bytes.length - 5] ^= 1;  // one bit of one weight
  writeFileSync(onnx, bytes);
  const { page, origin } = await browserOpen(t, site);
  await appOpen(page, `${origin}/`);
  const models = (await appState(page)).models;
  const tampered = models.find((m) => m.name === 'chest_pneumonia');
  assert.equal(tampered.state, 2, 'the tampered model is disabled');
  assert.match(tampered.message, /chest_pneumonia.*sha256/i);
  assert.ok(models.filter((m) => m.name !== 'chest_pneumonia').every((m) => m.state === 1));
  await appClassify(page, [kImage]);
  assert.equal(csvRows(await appCsv(page))[1].at(-1), '');
});
