// radiolens classify: runs a shipped model on files and folders, headless,
// through the same wasm core preprocessing the browser uses and ONNX Runtime
// (node). Writes CSV: path, one column per label (calibrated probability),
// decision ("abstain" where the model gives no answer), in_domain (yes/no),
// note (why there is no answer), error. A file that fails is a row with its
// error, never a stop.
// DICOM files are read by the page's own reader (web/dicom.js, from the built
// site) and enter the model through their default VOI preset, as in the app.
//   node cli/classify.mjs --card web/models/brain_mri.card.json [--out results.csv] PATH...
//   node cli/classify.mjs --card DRAFT --draft --list runs/T/test.csv --out P.csv   (trainer's test scoring)
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ort from './ort_node.mjs';
import { coreLoad } from './core_node.mjs';
import { csvField } from './csv.mjs';

const kSiteDir = join(dirname(fileURLToPath(import.meta.url)), '../build/wasm/site');

const kBatch = 32;  // images per ONNX Runtime call

const kUsage = `usage: node cli/classify.mjs --card CARD.json [--draft] [--out FILE.csv] [--list LIST.csv] PATH...
  --card   the model card; its ONNX file sits beside it
  --draft  accept a card without test metrics (the trainer's draft)
  --list   a CSV whose first column holds the paths to classify (after a header row)
  --out    write the CSV here instead of standard output`;

// Files under each path, folders walked in sorted order; hidden entries skipped.
export function filesUnder(paths) {
  const out = [];
  const walk = (p) => {
    let st;
    try { st = statSync(p); } catch { out.push(p); return; }  // reported as a row with its error
    if (!st.isDirectory()) { out.push(p); return; }
    for (const name of readdirSync(p).sort()) if (!name.startsWith('.')) walk(join(p, name));
  };
  paths.forEach(walk);
  return out;
}

function listPaths(listFile) {
  return readFileSync(listFile, 'utf8').split('\n').slice(1).filter((l) => l.trim())
    .map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('"', 1)) : l.split(',')[0]));
}

// Returns the number of files that failed. core: a loaded core to reuse (coreLoad), for callers that classify often.
export async function classify({ cardPath, draft = false, paths, out, core = null }) {
  core ??= await coreLoad();
  const cardText = readFileSync(cardPath, 'utf8');
  const cardError = core.cardLoad(cardText, draft);
  if (cardError) throw new Error(`${cardPath}: ${cardError}`);
  const card = JSON.parse(cardText);
  const onnxPath = join(dirname(cardPath), card.onnx.file);
  const onnxBytes = readFileSync(onnxPath);
  const sha256 = createHash('sha256').update(onnxBytes).digest('hex');
  const modelError = core.cardCheckModel({ sha256 });
  if (modelError) throw new Error(modelError);
  const session = await ort.InferenceSession.create(onnxBytes, { executionProviders: ['cpu'] });

  const labels = card.labels;
  out.write(['path', ...labels, 'decision', 'in_domain', 'note', 'error'].map(csvField).join(',') + '\n');
  let failed = 0;
  let pending = [];  // { path, input } or { path, error }, written in input order
  const flush = async () => {
    const ready = pending.filter((p) => p.input);
    let probs = new Float32Array(0);
    let distances = new Float32Array(0);
    if (ready.length) {
      const { width, height } = card.input;
      const batch = new Float32Array(ready.length * width * height);
      ready.forEach((p, i) => batch.set(p.input, i * width * height));
      const result = await session.run({ [card.onnx.input]: new ort.Tensor('float32', batch, [ready.length, 1, height, width]) });
      const output = result[card.onnx.probabilities];
      if (output.dims[1] !== labels.length)
        throw new Error(`${onnxPath}: outputs ${output.dims[1]} values, the card lists ${labels.length} labels`);
      probs = output.data;
      distances = card.domain ? result[card.domain.output].data : new Float32Array(ready.length).fill(NaN);
    }
    let i = 0;
    for (const p of pending) {
      if (p.error) {
        out.write([p.path, ...labels.map(() => ''), '', '', '', p.error].map(csvField).join(',') + '\n');
        continue;
      }
      const row = probs.slice(i * labels.length, (i + 1) * labels.length);
      const answer = core.cardAnswer(row, distances[i], p);
      i += 1;
      out.write([p.path, ...Array.from(row, String), answer.decision, answer.in_domain ? 'yes' : 'no', answer.note, '']
        .map(csvField).join(',') + '\n');
    }
    pending = [];
  };
  const { dicomIsDicom, dicomRead } = await import(join(process.env.RL_SITE_DIR ?? kSiteDir, 'dicom.js'));
  for (const path of paths) {
    let result;
    let bytes;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      result = { error: `cannot read (${e.code ?? e.message})` };
    }
    if (bytes && (dicomIsDicom(bytes) || /\.dcm$/i.test(path))) {
      try {
        result = core.preprocessDicom(await dicomRead(new Uint8Array(bytes)), card.input);
      } catch (e) {
        result = { error: e.message };
      }
    } else if (bytes) {
      result = core.preprocess(bytes, card.input);
    }
    if (result.error) failed += 1;
    pending.push({ path, ...result });
    if (pending.length === kBatch) await flush();
  }
  await flush();
  return failed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: {
      card: { type: 'string' }, draft: { type: 'boolean' }, list: { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    console.error(`${e.message}\n${kUsage}`);
    process.exit(2);
  }
  const { values, positionals } = args;
  if (values.help || !values.card || (!values.list && !positionals.length)) {
    console.error(kUsage);
    process.exit(values.help ? 0 : 2);
  }
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    const paths = values.list ? listPaths(values.list) : filesUnder(positionals);
    const failed = await classify({ cardPath: values.card, draft: values.draft, paths, out });
    if (values.out) await new Promise((ok) => out.end(ok));
    console.error(`classified ${paths.length - failed} of ${paths.length} files${failed ? `; ${failed} failed (see the error column)` : ''}`);
  } catch (e) {
    console.error(`classify: ${e.message}`);
    process.exit(1);
  }
}
