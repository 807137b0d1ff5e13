// A test file's scratch folder: made when the file loads and removed when its
// tests end, pass or fail, so that repeated test runs leave nothing in the
// system's temporary folder (a run used to leave about 200 MB there).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

// Call at the top level of a test file; subfolders come from mkdtempSync(join(it, ...)).
export function scratchFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
