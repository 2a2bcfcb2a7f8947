#!/usr/bin/env bash
# Builds the wasm variants listed in wasm-pack.toml (default: its `default` entry), then runs
# wasm-bindgen and wasm-opt only when cargo's output changed (its sha256 is kept beside the
# result), so repeated `make wasm` calls are cheap.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=www/dist
variants=${WASM_VARIANTS:-$(python3 -c 'import tomllib; print(tomllib.load(open("wasm-pack.toml", "rb"))["default"])')}

for variant in $variants; do
  mapfile -t cfg < <(python3 - "$variant" <<'PY'
import sys, tomllib
v = tomllib.load(open("wasm-pack.toml", "rb"))["variants"][sys.argv[1]]
print(v["rustflags"]); print(v["out_name"]); print(" ".join(v["wasm_opt"]))
print(v.get("package", "onnx-edge-wasm"))
print(v.get("target", "wasm" if sys.argv[1] == "simd" else "wasm-" + sys.argv[1]))
PY
)
  rustflags=${cfg[0]}; out_name=${cfg[1]}; opt_flags=${cfg[2]}; package=${cfg[3]}
  # The default variant keeps target/wasm (shared with `make test-wasm-bindgen`), the others
  # target/wasm-<variant>; WASM_TARGET_PREFIX moves them all (a second checkout building beside the
  # first), CARGO_TARGET_DIR replaces target/ (a build outside the repo).
  prefix=${WASM_TARGET_PREFIX:-${CARGO_TARGET_DIR:-target}/wasm}
  target_dir=$prefix; [ "${cfg[4]}" = wasm ] || target_dir=$prefix-$variant
  out=$target_dir/wasm32-unknown-unknown/wasm-release/${package//-/_}.wasm
  RUSTFLAGS="$rustflags" cargo build --locked --target wasm32-unknown-unknown \
    --profile wasm-release -p "$package" --target-dir "$target_dir"
  hash=$(sha256sum "$out" | cut -d' ' -f1)
  stamp="$dist/.$out_name.source-sha256"
  if [ -f "$dist/${out_name}_bg.wasm" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    echo "wasm ($variant): $dist/${out_name}_bg.wasm is up to date"
    continue
  fi
  if [ "$out_name" = onnx_edge ] || [ "$package" != onnx-edge-wasm ]; then
    # The default build, and builds of another crate (slim) with a glue of their own.
    wasm-bindgen --target web --out-dir "$dist" --out-name "$out_name" "$out"
  else
    # Other builds keep the default's name inside (wasm-bindgen names the wasm's import module after it,
    # "./onnx_edge_bg.js"), so that www/dist/onnx_edge.js, the one glue init.js loads, instantiates any of them.
    bindgen=$target_dir/bindgen
    rm -rf "$bindgen"
    wasm-bindgen --target web --out-dir "$bindgen" --out-name onnx_edge "$out"
    if [ ! -f "$dist/onnx_edge.js" ]; then
      cp "$bindgen/onnx_edge.js" "$bindgen/onnx_edge.d.ts" "$bindgen/onnx_edge_bg.wasm.d.ts" "$dist/"
    elif ! cmp -s "$bindgen/onnx_edge.js" "$dist/onnx_edge.js"; then
      echo "wasm ($variant): its glue differs from $dist/onnx_edge.js (built from other sources): build the default variant too" >&2
      exit 1
    fi
    mv "$bindgen/onnx_edge_bg.wasm" "$dist/${out_name}_bg.wasm"
  fi
  # shellcheck disable=SC2086 # the flags are a list
  node_modules/.bin/wasm-opt $opt_flags --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers \
    "$dist/${out_name}_bg.wasm" -o "$dist/${out_name}_bg.wasm"
  echo "$hash" > "$stamp"
  node scripts/wasm-size.mjs "$dist/${out_name}_bg.wasm"
done
