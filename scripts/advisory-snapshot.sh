#!/usr/bin/env bash
# Refreshes deny/advisory-db/ from a full copy of the RustSec advisory database (a git clone, e.g. the one
# `cargo deny fetch` leaves in ~/.cargo/advisory-dbs/ where GitHub is reachable): the advisories of every crate
# named in Cargo.lock and fuzz/Cargo.lock, the license, and SNAPSHOT (source commit and date).
# `make audit` checks advisories against this snapshot (scripts/audit-advisories.sh); refresh it when the lock
# files change or the snapshot grows old.
set -euo pipefail
src=${1:?usage: scripts/advisory-snapshot.sh PATH-TO-ADVISORY-DB-CLONE}
cd "$(dirname "$0")/.."
out=deny/advisory-db
rm -rf "$out"
mkdir -p "$out/crates"
cp "$src/LICENSE.txt" "$out/"
for crate in $(grep -h '^name = ' Cargo.lock fuzz/Cargo.lock | sed 's/name = "\(.*\)"/\1/' | sort -u); do
  if [ -d "$src/crates/$crate" ]; then cp -r "$src/crates/$crate" "$out/crates/"; fi
done
{
  echo "source: RustSec advisory database, commit $(git -C "$src" log -1 --format=%H)"
  echo "date: $(git -C "$src" log -1 --format=%cI)"
  echo "crates: $(ls "$out/crates" | wc -l) of the lock files' crates have advisories"
} > "$out/SNAPSHOT"
cat "$out/SNAPSHOT"
