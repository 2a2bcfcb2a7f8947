#!/usr/bin/env bash
# Builds the release wasm (+simd128), then runs wasm-bindgen and wasm-opt only when cargo's
# output changed (its sha256 is kept beside the result), so repeated `make` calls are cheap.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=target/wasm
out=$target_dir/wasm32-unknown-unknown/wasm-release/onnx_edge_wasm.wasm
dist=www/dist

RUSTFLAGS="-C target-feature=+simd128" cargo build --locked --target wasm32-unknown-unknown \
  --profile wasm-release -p onnx-edge-wasm --target-dir "$target_dir"

hash=$(sha256sum "$out" | cut -d' ' -f1)
if [ -f "$dist/onnx_edge_bg.wasm" ] && [ "$(cat "$dist/.source-sha256" 2>/dev/null)" = "$hash" ]; then
  echo "wasm: $dist is up to date"
  exit 0
fi
wasm-bindgen --target web --out-dir "$dist" --out-name onnx_edge "$out"
node_modules/.bin/wasm-opt -Os --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers \
  "$dist/onnx_edge_bg.wasm" -o "$dist/onnx_edge_bg.wasm"
echo "$hash" > "$dist/.source-sha256"
node scripts/wasm-size.mjs "$dist/onnx_edge_bg.wasm"
