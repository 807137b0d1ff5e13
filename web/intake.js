// File intake: picker, folder picker, drag and drop (files and whole
// folders), and paste. Files stay here as File objects, read only when the
// app asks (window.radiolens.read), so a large folder costs no memory up front.
// DICOM files are parsed and decompressed here (dicom.js); the core gets the
// header and the pixel words.
import { dicomIsDicom, dicomRead } from './dicom.js';

const files = [];  // file id -> File

function add(Module, entries) {
  for (const { file, path } of entries) {
    const id = files.push(file) - 1;
    Module.ccall('app_file_add', null, ['number', 'string'], [id, path]);
  }
}

// Walks a dropped folder; readEntries returns at most 100 entries a call.
async function entryFiles(entry, prefix = '') {
  if (entry.isFile) return [{ file: await new Promise((ok, fail) => entry.file(ok, fail)), path: prefix + entry.name }];
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    batch.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const child of batch) if (!child.name.startsWith('.')) out.push(...await entryFiles(child, `${prefix}${entry.name}/`));
  }
  return out;
}

export function intakeStart(Module) {
  const picker = document.getElementById('file-input');
  const folder = document.getElementById('folder-input');
  const fromInput = (input) => () => {
    add(Module, Array.from(input.files, (f) => ({ file: f, path: f.webkitRelativePath || f.name })));
    input.value = '';  // the same files can be opened again
  };
  picker.addEventListener('change', fromInput(picker));
  folder.addEventListener('change', fromInput(folder));

  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    const entries = Array.from(e.dataTransfer.items, (item) => item.webkitGetAsEntry?.()).filter(Boolean);
    if (!entries.length) { add(Module, Array.from(e.dataTransfer.files, (f) => ({ file: f, path: f.name }))); return; }
    for (const entry of entries) add(Module, await entryFiles(entry));
  });
  window.addEventListener('paste', (e) => {
    const pasted = Array.from(e.clipboardData?.files ?? []);
    add(Module, pasted.map((f, i) => ({ file: f, path: f.name || `pasted-${i + 1}.png` })));
  });
  // O and D open the pickers from the keyboard: browsers open them only
  // inside the key event, not from the app's next frame.
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'o') picker.click();
    if (e.key === 'd') folder.click();
  });

  Object.assign(window.radiolens, {
    openFiles: () => picker.click(),
    openFolder: () => folder.click(),
    read: (id) => {
      const failed = (reason) => Module.ccall('app_file_failed', null, ['number', 'string'], [id, reason]);
      files[id].arrayBuffer().then(async (buffer) => {
        const bytes = new Uint8Array(buffer);
        if (dicomIsDicom(bytes) || /\.dcm$/i.test(files[id].name)) {
          let dicom;
          try {
            dicom = await dicomRead(bytes);
          } catch (e) {
            failed(e.message);
            return;
          }
          const ptr = Module._malloc(Math.max(1, dicom.words.length));
          Module.HEAPU8.set(dicom.words, ptr);
          Module.ccall('app_file_dicom', null, ['number', 'string', 'number', 'number'], [id, JSON.stringify(dicom.header), ptr, dicom.words.length]);
          Module._free(ptr);
          return;
        }
        const ptr = Module._malloc(Math.max(1, bytes.length));
        Module.HEAPU8.set(bytes, ptr);
        Module._app_file_bytes(id, ptr, bytes.length);
        Module._free(ptr);
      }, (e) => failed(`cannot read (${e.message})`));
    },
  });
}
