// Reads a DICOM file in the browser (and in node, for the classify command):
// dicom-parser for the data set, Cornerstone's codecs for compressed pixel
// data, DCMTK's 12-bit IJG library (wasm/jpeg12.c) for 12-bit lossy JPEG,
// pako for deflate. Hands back the attributes core/dicom_image needs
// (as its JSON header) and the uncompressed little-endian pixel words of all
// frames; the display pipeline itself is the wasm core's. Decoders load on
// first use, from this origin. Patient identifiers are never read.
const kNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Transfer syntax UID -> [name, decoder kind].
const kSyntaxes = {
  '1.2.840.10008.1.2': ['Implicit VR Little Endian', 'native'],
  '1.2.840.10008.1.2.1': ['Explicit VR Little Endian', 'native'],
  '1.2.840.10008.1.2.1.99': ['Deflated Explicit VR Little Endian', 'native'],
  '1.2.840.10008.1.2.2': ['Explicit VR Big Endian', 'native'],
  '1.2.840.10008.1.2.5': ['RLE Lossless', 'rle'],
  '1.2.840.10008.1.2.4.50': ['JPEG Baseline (Process 1)', 'jpeg'],
  '1.2.840.10008.1.2.4.51': ['JPEG Extended (Process 2 & 4)', 'jpeg'],
  '1.2.840.10008.1.2.4.57': ['JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'],
  '1.2.840.10008.1.2.4.70': ['JPEG Lossless, Process 14, Selection Value 1', 'jpeg-lossless'],
  '1.2.840.10008.1.2.4.80': ['JPEG-LS Lossless', 'jpeg-ls'],
  '1.2.840.10008.1.2.4.81': ['JPEG-LS Near-Lossless', 'jpeg-ls'],
  '1.2.840.10008.1.2.4.90': ['JPEG 2000 (Lossless Only)', 'j2k'],
  '1.2.840.10008.1.2.4.91': ['JPEG 2000', 'j2k'],
};

const vendor = (file) => new URL(`./vendor/${file}`, import.meta.url);
const loaded = new Map();

// Loads a vendor module once; Emscripten codecs get their wasm from this origin.
function library(name) {
  if (!loaded.has(name)) loaded.set(name, (async () => {
    const exports = await import(vendor(`${name}.mjs`).href);
    const module = exports.default ?? exports;
    if (!['charls', 'openjpeg', 'libjpeg-turbo', 'jpeg12'].includes(name)) return module;
    const wasmUrl = vendor(`${name}.wasm`);
    const quiet = { print: () => {}, printErr: () => {} };  // OpenJPEG logs every tile to stdout
    if (kNode) {
      const { readFileSync } = await import('node:fs');
      const { fileURLToPath } = await import('node:url');
      return module({ ...quiet, wasmBinary: readFileSync(fileURLToPath(wasmUrl)) });
    }
    return module({ ...quiet, locateFile: () => wasmUrl.href });
  })());
  return loaded.get(name);
}

// True for a Part 10 file: "DICM" after the 128-byte preamble.
export function dicomIsDicom(bytes) {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function numbers(dataSet, tag) {
  const text = dataSet.string(tag);
  return text ? text.split('\\').map(Number) : [];
}

function header(dataSet, uid) {
  const u16 = (tag, fallback) => dataSet.elements[tag] ? dataSet.uint16(tag) : fallback;
  const str = (tag) => dataSet.string(tag) ?? '';
  const spacing = numbers(dataSet, 'x00280030').length === 2 ? numbers(dataSet, 'x00280030') : numbers(dataSet, 'x00181164');
  const centers = numbers(dataSet, 'x00281050');
  const widths = numbers(dataSet, 'x00281051');
  const explanations = (dataSet.string('x00281055') ?? '').split('\\');
  const bitsAllocated = u16('x00280100', 0);
  const bitsStored = u16('x00280101', bitsAllocated);
  const photometric = str('x00280004');
  return {
    transfer_syntax: uid,
    modality: str('x00080060'),
    body_part: str('x00180015'),
    view_position: str('x00185101'),
    laterality: str('x00200062') || str('x00200060'),
    series_description: str('x0008103e'),
    photometric_in_file: photometric,
    photometric,
    rows: u16('x00280010', 0),
    columns: u16('x00280011', 0),
    frames: Math.max(1, dataSet.intString('x00280008') || 1),
    samples_per_pixel: u16('x00280002', 1),
    planar_configuration: u16('x00280006', 0),
    bits_allocated: bitsAllocated,
    bits_stored: bitsStored,
    high_bit: u16('x00280102', bitsStored - 1),
    pixel_representation: u16('x00280103', 0),
    rescale_slope: dataSet.floatString('x00281053') ?? 1,
    rescale_intercept: dataSet.floatString('x00281052') ?? 0,
    rescale_type: str('x00281054'),
    pixel_spacing_mm: spacing.length === 2 && spacing.every(Number.isFinite) ? spacing : [0, 0],
    // DCMTK pairs centres and widths up to the shorter list; so do we.
    windows: centers.slice(0, widths.length).map((center, i) => ({ center, width: widths[i], explanation: explanations[i] ?? '' })),
    voi_luts: (dataSet.elements.x00283010?.items ?? []).map(({ dataSet: item }) => voiLut(item)).filter(Boolean),
    voi_function: str('x00281056'),
    presentation_lut_shape: str('x20500020'),
  };
}

function voiLut(item) {
  const descriptor = item.elements.x00283002;
  const data = item.elements.x00283006;
  if (!descriptor || descriptor.length < 6 || !data) return null;
  const entries = item.uint16('x00283002', 0);
  const words = [];
  for (let i = 0; i < data.length / 2; i++) words.push(item.uint16('x00283006', i));
  return {
    entries: entries === 0 ? 65536 : entries,
    first_mapped: item.uint16('x00283002', 1),
    bits: item.uint16('x00283002', 2),
    data: words,
    explanation: item.string('x00283003') ?? '',
  };
}

// The compressed bytes of each frame.
function frames(dicomParser, dataSet, element, count) {
  const fragments = element.fragments ?? [];
  if (element.basicOffsetTable?.length) {
    return Array.from({ length: count }, (_, i) => dicomParser.readEncapsulatedImageFrame(dataSet, element, i));
  }
  if (count === 1) return [dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length)];
  if (fragments.length === count) {
    return fragments.map((_, i) => dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, i, 1));
  }
  const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
  return Array.from({ length: count }, (_, i) => dicomParser.readEncapsulatedImageFrame(dataSet, element, i, table));
}

const bytesOf = (typed) => new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);

// Runs an Emscripten codec's decoder on one frame; returns its output bytes.
function codecDecode(decoder, frame) {
  decoder.getEncodedBuffer(frame.length).set(frame);
  decoder.decode();
  return decoder.getDecodedBuffer().slice();
}

// The sample precision in a JPEG stream's frame header (SOFn), or 0.
function jpegPrecision(frame) {
  let i = 2;  // after SOI
  while (i + 4 < frame.length && frame[i] === 0xff) {
    const marker = frame[i + 1];
    if (marker === 0xff) { i += 1; continue; }  // fill byte
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return frame[i + 4];
    i += 2 + ((frame[i + 2] << 8) | frame[i + 3]);
  }
  return 0;
}

// 12-bit lossy JPEG through wasm/jpeg12.c; returns little-endian 16-bit samples.
async function jpeg12Decode(frame) {
  const m = await library('jpeg12');
  const input = m._malloc(frame.length), sizes = m._malloc(12), error = m._malloc(200);  // JMSG_LENGTH_MAX
  try {
    m.HEAPU8.set(frame, input);
    const samples = m._jpeg12_decode(input, frame.length, sizes, sizes + 4, sizes + 8, error);
    if (!samples) throw new Error(m.UTF8ToString(error));
    const [width, height, components] = m.HEAP32.subarray(sizes >> 2, (sizes >> 2) + 3);
    const bytes = m.HEAPU8.slice(samples, samples + width * height * components * 2);
    m._free(samples);
    return bytes;
  } finally {
    for (const p of [input, sizes, error]) m._free(p);
  }
}

async function frameDecode(kind, frame, h) {
  const imageFrame = {
    rows: h.rows, columns: h.columns, bitsAllocated: h.bits_allocated, samplesPerPixel: h.samples_per_pixel,
    planarConfiguration: h.planar_configuration, pixelRepresentation: h.pixel_representation,
  };
  if (kind === 'rle') return bytesOf((await (await library('rle'))(imageFrame, frame)).pixelData);
  if (kind === 'jpeg-lossless') {
    const { Decoder } = await library('jpeg-lossless');
    return bytesOf(new Decoder().decode(frame.buffer, frame.byteOffset, frame.length, h.bits_allocated <= 8 ? 1 : 2));
  }
  // libjpeg-turbo's npm build is 8-bit only; DCMTK too picks its decoder by this precision.
  if (kind === 'jpeg' && jpegPrecision(frame) === 12) return jpeg12Decode(frame);
  const codec = await library({ jpeg: 'libjpeg-turbo', 'jpeg-ls': 'charls', j2k: 'openjpeg' }[kind]);
  const decoder = new { jpeg: codec.JPEGDecoder, 'jpeg-ls': codec.JpegLSDecoder, j2k: codec.J2KDecoder }[kind]();
  try {
    const out = codecDecode(decoder, frame);
    if (kind === 'jpeg-ls' && h.samples_per_pixel === 3 && decoder.getInterleaveMode() === 0) h.planar_configuration = 1;
    return out;
  } finally {
    decoder.delete();
  }
}

// bytes: the whole file. Returns { header, words } or throws an Error with
// the reason (callers put the file's path in front).
export async function dicomRead(bytes) {
  const dicomParser = await library('dicom-parser');
  let dataSet;
  try {
    const pako = await library('pako');
    dataSet = dicomParser.parseDicom(bytes, {
      inflater: (array, position) => {
        const inflated = pako.inflateRaw(array.subarray(position));
        const whole = new Uint8Array(position + inflated.length);
        whole.set(array.subarray(0, position));
        whole.set(inflated, position);
        return whole;
      },
    });
  } catch (e) {
    throw new Error(`not a readable DICOM file (${e.message ?? e})`);
  }
  const uid = (dataSet.string('x00020010') ?? '').replace(/\0/g, '').trim();
  const syntax = kSyntaxes[uid];
  if (!syntax) throw new Error(`transfer syntax ${uid || '(none)'} cannot be decoded`);
  const h = header(dataSet, uid);
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new Error('no Pixel Data');
  const [syntaxName, kind] = syntax;
  try {
    if (kind === 'native') {
      // dataSet.byteArray: the inflated stream for the deflated syntax.
      const words = dataSet.byteArray.slice(element.dataOffset, element.dataOffset + element.length);
      if (uid === '1.2.840.10008.1.2.2' && h.bits_allocated === 16) {  // big endian: swap each word
        for (let i = 0; i + 1 < words.length; i += 2) [words[i], words[i + 1]] = [words[i + 1], words[i]];
      }
      return { header: h, words };
    }
    const parts = [];
    for (const frame of frames(dicomParser, dataSet, element, h.frames)) parts.push(await frameDecode(kind, frame, h));
    // JPEG and JPEG 2000 decoders hand back interleaved RGB: libjpeg-turbo
    // converts YBR_FULL_422 and OpenJPEG undoes ICT / RCT.
    if (h.samples_per_pixel === 3 && kind !== 'rle' && kind !== 'jpeg-ls') {
      h.photometric = 'RGB';
      h.planar_configuration = 0;
    }
    const words = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (words.set(p, at), at + p.length), 0);
    return { header: h, words };
  } catch (e) {
    throw new Error(`cannot decode ${syntaxName} pixel data (${e.message ?? e})`);
  }
}
