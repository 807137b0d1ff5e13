// Training-step throughput of the shipped network: the LibTorch trainer
// against the same network in PyTorch (Debian's python3-torch), same
// machine, same threads, run alternately. Prints median images/s and two
// ratios: against the network as PyTorch code usually writes it, and against
// PyTorch doing what the trainer does (channels-last tensors, ReLU in place),
// which leaves only the language and runtime.
//   node bench/train_step.mjs [STEPS]
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const kNative = join(kRoot, 'build/native/bench/train_step_bench');
const [steps = 20] = process.argv.slice(2).map(Number);
// Allocator settings the trainer applies itself (trainer/main.cpp), given to Python the only way it can take them.
const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824' };
console.log(`training step (forward + backward + AdamW), median of ${steps} steps, all cores`);
console.log('task              network (stem)       input   batch   LibTorch img/s   PyTorch img/s   ratio   PyTorch as trainer img/s   ratio');
for (const task of ['brain_mri', 'chest_pneumonia', 'chest_nih14', 'mammo_mias', 'mednist']) {
  const [shape, cppRate] = execFileSync(kNative, [task, String(steps)], { env }).toString().trim().split('\n');
  const [widths, stem, size, batch] = shape.split(' ');
  const cpp = Number(cppRate);
  const python = (...extra) => Number(execFileSync('/usr/bin/python3', [join(kRoot, 'bench/train_step.py'), widths, stem, size, batch, String(steps), ...extra], { env }));
  const py = python();
  const same = python('as_trainer');
  console.log(`${task.padEnd(17)} ${`${widths} (${stem})`.padEnd(20)} ${`${size}px`.padEnd(7)} ${batch.padStart(5)}` +
    `   ${cpp.toFixed(1).padStart(14)}   ${py.toFixed(1).padStart(13)}   ${(cpp / py).toFixed(2)}x` +
    `   ${same.toFixed(1).padStart(24)}   ${(cpp / same).toFixed(2)}x`);
}
