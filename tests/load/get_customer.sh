#!/usr/bin/env bash
# Load test: GET one customer through the full stack (auth, pool, query, JSON) with wrk.
# Bounded: one 10 s run per backend against a server on 127.0.0.1 that this script starts.
#
#   tests/load/get_customer.sh                       # SQLite
#   NDPR_LOAD_PG=postgres://postgres@127.0.0.1:5432 tests/load/get_customer.sh   # and PostgreSQL
#
# Needs wrk (apt-get install wrk) and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/release/ndpr-contracts
[ -x "$bin" ] || cargo build --release --bin ndpr-contracts
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
duration=${NDPR_LOAD_SECS:-10}
connections=${NDPR_LOAD_CONNECTIONS:-64}
port=18181

run() {
  local label=$1 url=$2
  local work; work=$(mktemp -d)
  DATABASE_URL=$url NDPR_LISTEN=127.0.0.1:$port NDPR_ADMIN_PASSWORD=load-test-admin \
    NDPR_JWT_SECRET=load-test-secret-load-test-secret-0123 NDPR_LOG=warn \
    NDPR_POOL_SIZE=${NDPR_LOAD_POOL:-16} "$bin" serve >"$work/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  local token id
  token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"load-test-admin"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  id=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/customers" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"code":"LOAD-1","name":"Load test buyer","country":"JP"}' \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  echo "== $label: GET /api/v1/customers/{id}, $connections connections, ${duration}s"
  wrk -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/v1/customers/$id" | grep -E 'Requests/sec|Latency|requests in|Non-2xx'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}

sqlite_dir=$(mktemp -d)
run "SQLite" "sqlite://$sqlite_dir/load.db"
rm -rf "$sqlite_dir"

if [ -n "${NDPR_LOAD_PG:-}" ]; then
  db=ndpr_load_$$
  psql "$NDPR_LOAD_PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
  run "PostgreSQL" "$NDPR_LOAD_PG/$db"
  psql "$NDPR_LOAD_PG/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
