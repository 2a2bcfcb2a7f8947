# onnx-edge build and test entry points. `make test` is what CI runs (see .ci/run and README.md).
SHELL := /bin/bash
WASM_TARGET_DIR := target/wasm
WASM_OUT := $(WASM_TARGET_DIR)/wasm32-unknown-unknown/wasm-release/onnx_edge_wasm.wasm
DIST := www/dist
RUST_SOURCES := $(shell find src wasm/src -name '*.rs') Cargo.toml Cargo.lock wasm/Cargo.toml

.PHONY: setup wasm test test-rust test-wasm-bindgen test-js test-e2e lint demo fixtures clean

## Installs every tool the build and the tests need (idempotent; Debian 12).
setup:
	./scripts/setup.sh

## The release wasm with +simd128, its JS glue and wasm-opt, into www/dist/.
wasm: $(DIST)/onnx_edge_bg.wasm

$(DIST)/onnx_edge_bg.wasm: $(RUST_SOURCES)
	RUSTFLAGS="-C target-feature=+simd128" cargo build --locked --target wasm32-unknown-unknown \
		--profile wasm-release -p onnx-edge-wasm --target-dir $(WASM_TARGET_DIR)
	wasm-bindgen --target web --out-dir $(DIST) --out-name onnx_edge $(WASM_OUT)
	node_modules/.bin/wasm-opt -Os --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
		--enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers \
		$(DIST)/onnx_edge_bg.wasm -o $(DIST)/onnx_edge_bg.wasm
	@node scripts/wasm-size.mjs $(DIST)/onnx_edge_bg.wasm

## Everything CI runs.
test: setup lint test-rust wasm test-js test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	node_modules/.bin/tsc -p tsconfig.json --noEmit

test-rust:
	cargo test --locked --workspace

test-js: wasm
	node --test www/

test-e2e: wasm
	node --test tests/e2e/

## Regenerates the fixtures (needs the Python venv from tests/fixtures/requirements.txt).
fixtures:
	.venv/bin/python tests/fixtures/make_fixtures.py

clean:
	rm -rf $(DIST) target
