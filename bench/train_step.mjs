// Training-step throughput of the shipped network: the LibTorch trainer's
// step, in the precision it trains in here, against the same network in
// PyTorch (Debian's python3-torch), same machine, same threads, run
// alternately. Prints median images/s, the trainer's step in float32 too,
// and two ratios: against the network as PyTorch code usually writes it, and
// against PyTorch doing what the trainer does (channels-last tensors, ReLU in
// place, the same precision), which leaves only the language and runtime.
// This VM's speed drifts by a third from minute to minute, so each figure is
// the median over ROUNDS rounds, and a round runs all four once, in turn.
// "x2" after the input size: two input channels (brain_mri's asymmetry).
//   node bench/train_step.mjs [STEPS] [ROUNDS]
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const kNative = join(kRoot, 'build/native/bench/train_step_bench');
const [steps = 20, rounds = 3] = process.argv.slice(2).map(Number);
// Allocator settings the trainer applies itself (trainer/main.cpp), given to Python the only way it can take them.
const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824' };
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`training step (forward + backward + AdamW), median of ${steps} steps, then of ${rounds} rounds, all cores`);
console.log('task              network (stem)       input      batch   precision   LibTorch img/s   (float32)   PyTorch img/s   ratio   PyTorch as trainer img/s   ratio');
for (const task of ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist']) {
  const native = (precision) => execFileSync(kNative, [task, String(steps), precision], { env }).toString().trim().split('\n');
  const [widths, stem, size, batch, precision, asymmetry] = native('auto')[0].split(' ');
  const python = (...extra) => execFileSync('/usr/bin/python3',
    [join(kRoot, 'bench/train_step.py'), widths, stem, size, batch, asymmetry, String(steps), ...extra], { env });
  const runs = { cpp: [], cpp32: [], py: [], same: [] };
  for (let r = 0; r < rounds; ++r) {
    runs.cpp.push(Number(native(precision)[1]));
    runs.cpp32.push(Number(native('float32')[1]));
    runs.py.push(Number(python()));
    runs.same.push(Number(python('as_trainer', precision)));
  }
  const [cpp, cpp32, py, same] = [runs.cpp, runs.cpp32, runs.py, runs.same].map(median);
  console.log(`${task.padEnd(17)} ${`${widths} (${stem})`.padEnd(20)} ${`${size}px${asymmetry === '1' ? ' x2' : ''}`.padEnd(10)} ${batch.padStart(5)}   ${precision.padEnd(9)}` +
    `   ${cpp.toFixed(1).padStart(14)}   ${cpp32.toFixed(1).padStart(9)}   ${py.toFixed(1).padStart(13)}   ${(cpp / py).toFixed(2)}x` +
    `   ${same.toFixed(1).padStart(24)}   ${(cpp / same).toFixed(2)}x`);
}
