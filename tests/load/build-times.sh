#!/usr/bin/env bash
# How long a new contributor waits: a clean release build of a fresh clone, then the rebuild
# after touching one operations file (the common edit), for each revision given.
#
#   tests/load/build-times.sh REV [REV…]      # e.g. tests/load/build-times.sh HEAD 3ebc81c
#
# Each revision is cloned into a temporary directory and built with its own lockfile; the
# operations file is crates/ops/src/orders/confirm.rs (src/ops/orders/confirm.rs before the
# workspace split). Run it on an otherwise idle machine: the figures are wall-clock seconds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || { echo "usage: $0 REV [REV…]" >&2; exit 2; }
for rev in "$@"; do
  dir=$(mktemp -d)
  git clone -q "$repo" "$dir"
  (cd "$dir" && git checkout -q "$rev")
  ops=crates/ops/src/orders/confirm.rs
  [ -f "$dir/$ops" ] || ops=src/ops/orders/confirm.rs
  t0=$(date +%s)
  (cd "$dir" && cargo build --release --locked --quiet)
  t1=$(date +%s)
  touch "$dir/$ops"
  (cd "$dir" && cargo build --release --locked --quiet)
  t2=$(date +%s)
  echo "$rev: clean release build $((t1 - t0)) s; after touching $ops $((t2 - t1)) s"
  rm -rf "$dir"
done
