# The README's commands. Every target installs what it needs first
# (scripts/setup.sh: idempotent, quiet when everything is there).
#   make serve   build everything and serve the app on localhost (PORT=8080)
#   make test    build everything and run every test
#   make bench   print the benchmarks' figures
#   make models  retrain all five shipped models from scratch (make model-brain_mri: one)
PORT ?= 8080
TASKS := brain_mri chest_pneumonia chest_nih14 mammo_mias mednist
export NODE_PATH := /usr/share/nodejs

.PHONY: setup native asan wasm serve test bench models clean

setup:
	@bash scripts/setup.sh

native: setup
	@cmake --preset native >/dev/null && cmake --build --preset native

asan: setup
	@cmake --preset asan >/dev/null && cmake --build --preset asan

wasm: setup
	@cmake --preset wasm >/dev/null && cmake --build --preset wasm

serve: wasm
	@node scripts/serve.mjs build/wasm/site $(PORT)

# Core tests under AddressSanitizer + UBSan, the release build's tests, then
# node: wasm/native parity and the page in headless Chromium.
test: native asan wasm
	ctest --preset asan -j2
	ctest --preset native -j2
	node --test tests/js/

bench: native wasm
	node bench/preprocess.mjs
	node bench/train_step.mjs
	node bench/app.mjs
	node bench/dicom.mjs

models: $(addprefix model-,$(TASKS))

model-%: native wasm
	bash scripts/model.sh $*

clean:
	rm -rf build
