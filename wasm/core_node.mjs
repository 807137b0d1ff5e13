// The wasm build of the core, loaded in node: the exact decode + preprocess
// code the browser runs, for the classify command and the parity tests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kDefaultBuildDir = resolve(dirname(fileURLToPath(import.meta.url)), '../build/wasm/wasm');

// Handing over the wasm bytes keeps emcc's loader from fetch()ing a file path.
export async function coreLoad(buildDir = process.env.RL_WASM_BUILD_DIR ?? kDefaultBuildDir) {
  const createModule = createRequire(import.meta.url)(join(buildDir, 'radiolens_core.cjs'));
  const wasm = await createModule({ wasmBinary: readFileSync(join(buildDir, 'radiolens_core.wasm')) });
  return { wasm, preprocess: (bytes, spec) => corePreprocess(wasm, bytes, spec) };
}

function cString(wasm, text) {
  const size = wasm.lengthBytesUTF8(text) + 1;
  const ptr = wasm._malloc(size);
  wasm.stringToUTF8(text, ptr, size);
  return ptr;
}

// spec: the model card's input object. Returns { input: Float32Array [1, H, W] } or { error }.
function corePreprocess(wasm, bytes, spec) {
  const count = spec.width * spec.height;
  const bytesPtr = wasm._malloc(Math.max(1, bytes.length));
  const outPtr = wasm._malloc(count * 4);
  const resizePtr = cString(wasm, spec.resize);
  const scalingPtr = cString(wasm, spec.scaling);
  try {
    wasm.HEAPU8.set(bytes, bytesPtr);
    const error = wasm.UTF8ToString(wasm._rl_preprocess_image(
      bytesPtr, bytes.length, spec.width, spec.height, resizePtr, scalingPtr, spec.mean, spec.std, outPtr));
    if (error) return { error };
    return { input: wasm.HEAPF32.slice(outPtr / 4, outPtr / 4 + count) };  // copy: the heap may grow later
  } finally {
    for (const p of [bytesPtr, outPtr, resizePtr, scalingPtr]) wasm._free(p);
  }
}
