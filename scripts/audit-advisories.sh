#!/usr/bin/env bash
# `cargo deny check advisories` against the snapshot of the RustSec database committed in deny/advisory-db/:
# the live database is cloned from GitHub, which this project's machines (and CI) cannot reach. cargo-deny reads
# a database as a git checkout, so the snapshot becomes one (committed at its own date) under target/ first.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-deny names the checkout of the default database after a hash of its URL.
db=target/advisory-dbs/advisory-db-3157b0e258782691
date=$(sed -n 's/^date: //p' deny/advisory-db/SNAPSHOT)
rm -rf "$db"
mkdir -p "$db"
cp -r deny/advisory-db/. "$db/"
(
  cd "$db"
  git init -q
  git add -A
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" \
    git -c user.name=onnx-edge -c user.email=audit@localhost commit -qm "RustSec advisory snapshot"
)
echo "audit: advisories against deny/advisory-db ($(sed -n 's/^source: //p' deny/advisory-db/SNAPSHOT), $date)"
cargo deny --locked --offline check advisories
