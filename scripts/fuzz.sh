#!/usr/bin/env bash
# Bounded fuzz runs of the targets in fuzz/ (cargo-fuzz, libFuzzer) on the stable toolchain:
# installs cargo-fuzz if missing, builds, runs each target for FUZZ_SECONDS (default 60) and
# exits non-zero when any target crashed (panic, abort, out of memory, timeout). The crashing
# input is left in fuzz/artifacts/<target>/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -O --sanitizer none <target> <file>
# and keep it as a regression test (tests/fixtures/fuzz-regressions/, tests/native/fuzz_regressions.rs).
#
# Environment: FUZZ_SECONDS (per target), FUZZ_TARGETS (space-separated, default all three),
# FUZZ_SEED (libFuzzer seed, default fixed; 0 for a random one).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds=${FUZZ_SECONDS:-60}
read -r -a targets <<<"${FUZZ_TARGETS:-load_model run_model manifest}"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "fuzz: cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 3 minutes)"
  nice -n 10 cargo install -q --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# The instrumented build of tract takes 20+ CPU-minutes from scratch; keep it beside cargo's own
# caches (like ~/.cargo), so a fresh clone on the same machine rebuilds only this crate.
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$HOME/.cache/onnx-edge/fuzz-target}

# cargo-fuzz passes nightly-only flags (-Z, sanitizer coverage); stable accepts them this way.
export RUSTC_BOOTSTRAP=1
# Release code, as shipped (no debug assertions or overflow checks: the wasm build has none), and
# no AddressSanitizer: the code is safe Rust, we hunt panics, aborts, memory and time, and ASan
# costs build time and executions (measured in README "Reliability").
build_flags=(-O --sanitizer none)

started=$(date +%s)
nice -n 10 cargo fuzz build "${build_flags[@]}"
echo "fuzz: built in $(($(date +%s) - started)) s"

max_len() {
  case $1 in
    load_model) echo 131072 ;; # the seed models are up to 80 KB
    run_model) echo 40000 ;;   # 4096 float64 values and their control bytes
    *) echo 16384 ;;
  esac
}

# A fixed seed by default, so that CI explores the same way on every run and fails only when a change
# breaks something (FUZZ_SEED=0 lets libFuzzer pick one, for longer hunts; crashes become regressions).
seed=${FUZZ_SEED:-20261126}

mkdir -p fuzz/target/logs
failed=()
for target in "${targets[@]}"; do
  # New inputs go to the scratch corpus (first directory); the committed seeds are read only.
  scratch=fuzz/target/corpus/$target
  mkdir -p "$scratch" "fuzz/artifacts/$target"
  log=fuzz/target/logs/$target.log
  echo "fuzz: $target for ${seconds} s (log $log)"
  if nice -n 10 cargo fuzz run "${build_flags[@]}" "$target" "$scratch" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -seed="$seed" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len "$target")" -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$log" | sed "s/^/fuzz: $target /"
  else
    failed+=("$target")
    tail -n 60 "$log"
    echo "fuzz: $target CRASHED; input in fuzz/artifacts/$target/"
  fi
done

echo "fuzz: done in $(($(date +%s) - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}"
  exit 1
fi
