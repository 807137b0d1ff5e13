// The local server answers odd request paths ('//', a broken % escape) with a
// status, and goes on serving: one such request used to end it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const kSite = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../build/wasm/site');

function status(port, path) {
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path }, (res) => { res.resume(); ok(res.statusCode); }).on('error', fail).end();
  });
}

test('odd paths get a status and the server keeps serving', async () => {
  const server = await serve(kSite, 0);
  const { port } = server.address();
  try {
    assert.equal(await status(port, '//'), 200);
    assert.equal(await status(port, '/%E0'), 400);
    assert.equal(await status(port, '//elsewhere.example/x'), 404);
    assert.equal(await status(port, '/'), 200);
  } finally {
    server.close();
  }
});
