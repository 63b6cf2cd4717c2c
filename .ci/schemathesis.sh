#!/usr/bin/env bash
# Fuzzes the running server against its own OpenAPI document: every operation, authenticated,
# checking that no input causes a server error and that every answer matches its schema; the
# stateful phase follows the document's links from each creation to what acts on it.
# Usage: .ci/schemathesis.sh path/to/ndpr-contracts [schemathesis options, e.g. --seed 42]
set -euo pipefail
bin=${1:?path to the ndpr-contracts binary}
shift
port=${NDPR_ST_PORT:-18080}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet "schemathesis==4.32.5"
fi

# Webhook targets of the fuzz data are loopback addresses that refuse the connection.
NDPR_WEBHOOKS_ALLOW_PRIVATE=true DATABASE_URL="sqlite://$work/st.db" NDPR_LISTEN="127.0.0.1:$port" NDPR_ADMIN_PASSWORD=schemathesis-admin \
  NDPR_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"schemathesis-admin"}' | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')

# The hooks give the fuzzer real test data (ids, fresh keys, valid templates): .ci/st_hooks.py.
export NDPR_ST_BASE="http://127.0.0.1:$port" NDPR_ST_TOKEN="$token" NDPR_ST_PASSWORD=schemathesis-admin
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=st_hooks

status=0
schemathesis run "http://127.0.0.1:$port/api-docs/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${NDPR_ST_EXAMPLES:-30}" \
  --workers 1 \
  "$@" \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (tail) ---"
  tail -n 50 "$work/server.log"
fi
exit "$status"
