# onnx-edge build and test entry points. `make test` is what CI runs (see .ci/run and README.md).
SHELL := /bin/bash

.PHONY: setup wasm cli bench bench-native bench-models lint lint-rust lint-js test test-rust test-wasm-bindgen test-js test-e2e lint demo fixtures conformance clean

## Installs every tool the build and the tests need (idempotent; Debian 12).
setup:
	./scripts/setup.sh

## The release wasm with +simd128, its JS glue and wasm-opt, into www/dist/ (cargo decides freshness),
## then the slim NNEF-only build (onnx_edge_slim*, README "Slim build").
## WASM_VARIANTS="simd baseline" ./scripts/build-wasm.sh also builds the no-SIMD fallback (`make wasm-all`).
wasm:
	./scripts/build-wasm.sh
	WASM_VARIANTS=slim ./scripts/build-wasm.sh

## Every packaged build: the SIMD one and the baseline (no SIMD) one that init() loads where SIMD is missing.
## A clean baseline build costs as much as the SIMD one (its own cargo target dir, target/wasm-baseline).
.PHONY: wasm-all
wasm-all:
	WASM_VARIANTS="simd baseline" ./scripts/build-wasm.sh

## Everything CI runs.
test: setup lint-rust test-rust test-wasm-bindgen wasm lint-js test-js test-e2e conformance audit fuzz

## The demo on the embedded iris model: a Node prediction, then the page on 127.0.0.1:8080.
demo: setup wasm cli
	node www/demo/serve.js

lint: lint-rust lint-js

lint-rust:
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

## tsc checks www/ against the generated www/dist/*.d.ts, so it needs the wasm build.
lint-js: wasm
	node_modules/.bin/tsc -p tsconfig.json --noEmit

test-rust:
	cargo test --locked --workspace

## The core's cases compiled to wasm32 and run under Node by wasm-bindgen-test-runner.
test-wasm-bindgen:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --locked --target wasm32-unknown-unknown --test wasm --target-dir target/wasm

## The native CLI (target/debug/onnx-edge): the registry tests publish and serve with it.
cli:
	cargo build --locked -p onnx-edge-cli

test-js: wasm cli
	node --test www/

test-e2e: wasm cli
	node --test --test-concurrency=1 tests/e2e/

## Bounded fuzz runs (about 60 s per target, FUZZ_SECONDS to change): cargo-fuzz on stable,
## in fuzz/target; fails on a crash (see README "Reliability").
.PHONY: fuzz
fuzz:
	./scripts/fuzz.sh

## Supply chain: every crate's license, bans and source (deny.toml), and the npm package's runtime dependencies.
## Advisories are checked against the RustSec snapshot in deny/advisory-db (GitHub is unreachable here: deny.toml).
.PHONY: audit
audit:
	cargo deny --locked check licenses bans sources
	./scripts/audit-advisories.sh
	node -e "const p = require('./www/package.json'); const kinds = ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies'].filter((k) => p[k] && Object.keys(p[k]).length > 0); if (kinds.length > 0) { console.error('www/package.json declares ' + kinds.join(', ') + ': audit them'); process.exit(1); } console.log('audit: www/package.json has no runtime dependencies');"
	tmp=$$(mktemp -d) && cp www/package.json "$$tmp/" && \
		(cd "$$tmp" && npm install --package-lock-only --ignore-scripts --no-fund --loglevel=error && npm audit --omit=dev); \
		status=$$?; rm -rf "$$tmp"; exit $$status
	npm audit --omit=dev

## Regenerates the fixtures (needs the Python venv from tests/fixtures/requirements.txt).
fixtures:
	.venv/bin/python tests/fixtures/make_fixtures.py

## The ONNX backend node tests (issue 19): regenerated from the onnx wheel in the venv, run natively
## and through the npm package in Node; both must pass the same tests, and every failure must be listed
## with a reason in tests/conformance/expected-failures.txt. Rewrites CONFORMANCE.md.
conformance: cli
	.venv/bin/python tests/conformance/generate.py
	target/debug/conformance
	node tests/conformance/run-wasm.mjs
	node tests/conformance/report.mjs
	node tests/conformance/check.mjs

## Benchmarks (issue 17): onnx-edge in Node vs onnxruntime-web (wasm, 1 thread) vs native tract through the core,
## on the same inputs; writes BENCHMARKS.md, bench/results/compare.json and bench/results/benchmarks.svg (~15 min).
## The large models come from `make bench-models` (needs torch + torchvision: BENCH_PYTHON=/path/to/python);
## without them the table has the fixture models only. Not part of `make test` or CI.
bench: wasm bench-native
	-@$(MAKE) --no-print-directory bench-models
	node --expose-gc bench/compare.mjs --native target/release/bench_native

## The native column's binary: release without LTO (fat LTO of tract takes too long here; kernels are the same).
bench-native:
	CARGO_PROFILE_RELEASE_LTO=false cargo build --locked --release -p onnx-edge-cli --bin bench_native

BENCH_PYTHON ?= python3
## torchvision CNNs (random weights) and PP-OCR det/rec into target/bench-models/ (skipped when already there).
bench-models:
	$(BENCH_PYTHON) bench/make_models.py

clean:
	rm -rf www/dist target
