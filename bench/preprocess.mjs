// Decode + preprocess per image, per task: the native core against the wasm
// core (in node, the engine family the page runs on), same files, same spec.
// Prints the median over files of each file's median time, and the ratio.
//   node bench/preprocess.mjs [REPEATS] [FILES_PER_TASK]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { coreLoad } from '../cli/core_node.mjs';
import { median } from './stats.mjs';

const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const kDataDir = process.env.RL_DATA_DIR ?? resolve(kRoot, '../shared/data');
const kNative = join(kRoot, 'build/native/bench/preprocess_bench');
const kSpec = { width: 128, height: 128, resize: 'pad_to_square', scaling: 'full_range', mean: 0, std: 1 };
const [repeats = 15, perTask = 40] = process.argv.slice(2).map(Number);


const core = await coreLoad();
console.log(`decode + preprocess to ${kSpec.width}x${kSpec.height} ${kSpec.resize}, ` +
  `median of per-file medians over ${repeats} runs, ${perTask} files a task`);
console.log('task              native ms   wasm ms   wasm/native');
for (const task of ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist']) {
  const all = readdirSync(join(kDataDir, task), { recursive: true }).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const step = Math.max(1, Math.floor(all.length / perTask));
  const files = all.filter((_, i) => i % step === 0).slice(0, perTask).map((f) => join(kDataDir, task, f));
  const nativeMs = Number(execFileSync(kNative,
    [repeats, kSpec.width, kSpec.height, kSpec.resize, kSpec.scaling, ...files].map(String)).toString());
  const wasmMs = median(files.map((file) => {
    const bytes = readFileSync(file);
    const times = [];
    for (let r = 0; r < repeats; ++r) {
      const start = performance.now();
      if (core.preprocess(bytes, kSpec).error) throw new Error(`${file}: cannot decode`);
      times.push(performance.now() - start);
    }
    return median(times);
  }));
  console.log(`${task.padEnd(17)} ${nativeMs.toFixed(3).padStart(9)} ${wasmMs.toFixed(3).padStart(9)}` +
    `   ${(wasmMs / nativeMs).toFixed(2).padStart(8)}x`);
}
