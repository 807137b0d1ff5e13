// Serves the built static site on localhost. Static files only, each response
// with a Content-Security-Policy that allows no origin but this one.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const kTypes = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.onnx': 'application/octet-stream', '.md': 'text/plain; charset=utf-8', '.png': 'image/png',
};
const kPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export function serve(root, port, host = '127.0.0.1') {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    let path;
    try {  // req.url is a path; as a URL relative to a base, '//' would be a host and throw
      path = decodeURIComponent(new URL(`http://localhost${req.url}`).pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request');
      return;
    }
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) { res.writeHead(403).end('forbidden'); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': kTypes[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': kPolicy,
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = 'build/wasm/site', port = process.env.PORT ?? '8080'] = process.argv.slice(2);
  const server = await serve(root, Number(port));
  console.log(`Radiolens is served at http://localhost:${server.address().port}/ (Ctrl+C stops it)`);
}
