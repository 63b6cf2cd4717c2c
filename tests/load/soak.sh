#!/usr/bin/env bash
# The soak test: two instances on one PostgreSQL database through a TCP proxy the script
# controls, a mixed load (creates, confirms, cancels, shipments, imports, upserts, quotes, and
# webhook deliveries to a local receiver), the database cut for 5 s every minute and instance b
# stopped with SIGTERM and started again every 90 s. See tests/load/soak.py for the checks.
#
#   tests/load/soak.sh            # 30 minutes, the release build
#   NDPR_SOAK_MINUTES=3 NDPR_SOAK_BINARY=target/debug/ndpr-contracts tests/load/soak.sh   # CI
#
# Settings: NDPR_SOAK_MINUTES (30), NDPR_SOAK_PG (postgres://postgres@127.0.0.1:5432),
# NDPR_SOAK_CLIENTS (4 client threads, at most 5), NDPR_SOAK_PAUSE_MS (250 between actions),
# NDPR_SOAK_OUT (where logs and summary.json
# go; a new temporary folder by default), NDPR_SOAK_BINARY (built with `cargo build --release`
# when not given).
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${NDPR_SOAK_MINUTES:-30}
pg=${NDPR_SOAK_PG:-postgres://postgres@127.0.0.1:5432}
out=${NDPR_SOAK_OUT:-$(mktemp -d)}
binary=${NDPR_SOAK_BINARY:-}
if [ -z "$binary" ]; then
  cargo build --release --locked --bin ndpr-contracts
  binary=target/release/ndpr-contracts
fi
command -v psql >/dev/null || { echo "soak: psql is needed (apt-get install -y postgresql-client)"; exit 2; }
echo "soak: ${minutes} min, logs in ${out}"
python3 tests/load/soak.py "$binary" "$pg" "$minutes" "$out"
