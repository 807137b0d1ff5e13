// shaders/display.frag in a real WebGL2 context (Chromium) against its CPU
// twin in core/display.cpp (through the wasm core): the same 16-bit image,
// window, inversion and heat map give the same pixels, to one grey level
// (the GPU's rounding of the final byte).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreLoad } from '../../cli/core_node.mjs';
import { browserOpen, kRoot } from './browser.mjs';

const kWidth = 61, kHeight = 47;  // odd sizes: no accidental alignment

function imageMake() {
  const pixels = new Uint16Array(kWidth * kHeight);
  for (let y = 0; y < kHeight; y++)
    for (let x = 0; x < kWidth; x++) pixels[y * kWidth + x] = (x * 1103 + y * 977 + ((x * y) % 13) * 4099) % 65536;
  return { width: kWidth, height: kHeight, maxValue: 65535, pixels };
}

function camMake() {  // already in [0, 1] with both ends present, as the app uploads it
  const values = new Float32Array(20).map((_, i) => ((i * 7) % 20) / 19);
  return { width: 5, height: 4, values };
}

// Runs the app's shaders on a blank page; returns RGBA rows in image order.
function shaderRender(vertex, fragment, image, cam, view, placement) {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  const compile = (kind, source) => {
    const s = gl.createShader(kind);
    gl.shaderSource(s, source);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
    return s;
  };
  const program = gl.createProgram();
  gl.attachShader(program, compile(gl.VERTEX_SHADER, vertex));
  gl.attachShader(program, compile(gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(program);
  const texture = (unit, internal, format, type, w, h, data) => {
    const t = gl.createTexture();
    gl.activeTexture(gl.TEXTURE0 + unit);
    gl.bindTexture(gl.TEXTURE_2D, t);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texImage2D(gl.TEXTURE_2D, 0, internal, w, h, 0, format, type, data);
    return t;
  };
  texture(0, gl.R16UI, gl.RED_INTEGER, gl.UNSIGNED_SHORT, image.width, image.height, new Uint16Array(image.pixels));
  texture(1, gl.R32F, gl.RED, gl.FLOAT, cam.width, cam.height, new Float32Array(cam.values));
  const target = texture(2, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, image.width, image.height, null);
  const fbo = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, target, 0);
  gl.viewport(0, 0, image.width, image.height);
  gl.useProgram(program);
  const u = (name) => gl.getUniformLocation(program, name);
  gl.uniform1i(u('u_image'), 0);
  gl.uniform1i(u('u_cam'), 1);
  gl.uniform1f(u('u_window_low'), view.center - view.width / 2);
  gl.uniform1f(u('u_window_width'), view.width);
  gl.uniform1i(u('u_invert'), view.invert ? 1 : 0);
  gl.uniform1f(u('u_heat_opacity'), view.heatOpacity);
  gl.uniform4f(u('u_cam_placement'), ...placement);
  gl.bindVertexArray(gl.createVertexArray());
  gl.drawArrays(gl.TRIANGLES, 0, 3);
  const out = new Uint8Array(image.width * image.height * 4);
  gl.readPixels(0, 0, image.width, image.height, gl.RGBA, gl.UNSIGNED_BYTE, out);
  return Array.from(out);
}

test('the display shader and its CPU twin draw the same pixels', async (t) => {
  const vertex = readFileSync(join(kRoot, 'shaders/display.vert'), 'utf8');
  const fragment = readFileSync(join(kRoot, 'shaders/display.frag'), 'utf8');
  const core = await coreLoad();
  const { page } = await browserOpen(t);
  const image = imageMake(), cam = camMake();
  const spec = { width: 32, height: 32, resize: 'pad_to_square' };
  const views = [
    { center: 32768, width: 65536, invert: false, heatOpacity: 0 },
    { center: 20000, width: 9000, invert: true, heatOpacity: 0 },
    { center: 40000, width: 30000, invert: false, heatOpacity: 0.7 },
  ];
  for (const view of views) {
    const twin = core.displayRender(image, view, cam, spec);
    assert.equal(twin.error, undefined);
    const gpu = await page.evaluate(([f, args]) => new Function(`return (${f})`)()(...args),
      [shaderRender.toString(), [vertex, fragment, { ...image, pixels: Array.from(image.pixels) },
        { ...cam, values: Array.from(cam.values) }, view, twin.placement]]);
    let worst = 0, different = 0;
    for (let i = 0; i < gpu.length; i++) {
      const d = Math.abs(gpu[i] - twin.rgba[i]);
      worst = Math.max(worst, d);
      different += d > 0;
    }
    assert.ok(worst <= 1, `${JSON.stringify(view)}: largest difference ${worst} grey levels`);
    // The comparison is not vacuous: the picture has structure and the overlay colours it.
    assert.ok(new Set(twin.rgba).size > 50);
    if (view.heatOpacity) assert.ok(twin.rgba.some((v, i) => i % 4 === 0 && v !== twin.rgba[i + 2]), 'the heat map adds colour');
    t.diagnostic(`${JSON.stringify(view)}: ${different} of ${gpu.length} channels differ by one level`);
  }
});
