// The served page in a real headless Chromium: it loads without console
// errors, draws the app on its canvas, sends the privacy policy, and makes
// no request to any origin but its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { coreLoad } from '../../cli/core_node.mjs';

const kSite = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../build/wasm/site');
const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('the page loads, draws and stays on its own origin', async (t) => {
  const server = await serve(kSite, 0);
  t.after(() => { server.closeAllConnections(); server.close(); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: kChromiumArgs });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push(r.url()));

  const response = await page.goto(`${origin}/`);
  assert.match(response.headers()['content-security-policy'], /default-src 'self'/);
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('loaded'));
  await page.waitForTimeout(500);  // a few animation frames

  // The ImGui frame is drawn: the screenshot (decoded by our own core) shows
  // lines of bright text on the dark clear colour, which alone has none.
  const png = await page.locator('#canvas').screenshot();
  const core = await coreLoad();
  const shot = core.preprocess(png, { width: 1280, height: 800, resize: 'stretch', scaling: 'full_range', mean: 0, std: 1 });
  assert.equal(shot.error, undefined);
  const textPixels = shot.input.filter((v) => v > 0.5).length;
  assert.ok(textPixels > 1000, `canvas looks blank (${textPixels} bright pixels)`);

  // A fetch to another origin is refused by the policy.
  const blocked = await page.evaluate(() => fetch('http://127.0.0.2:9/x').then(() => false, () => true));
  assert.ok(blocked, 'a cross-origin fetch was not blocked');

  assert.deepEqual(problems.filter((p) => !p.includes('Content Security Policy')), []);
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests left the origin');
});
