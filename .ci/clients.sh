#!/usr/bin/env bash
# Generates clients from the document a running server serves, exactly as an integrator would,
# and runs a short flow through each with no workaround (log in, create, confirm against ATP,
# read the refusal's numbers and the month that fits, retry a confirmation with its
# Idempotency-Key, read with If-None-Match (304), write a CSV import from the columns the service
# describes, reconcile, page the feed, settle a shipment):
#   - Python: openapi-python-client (it makes no function for a text/csv body: the flow sends the
#     CSV through the generated client's own HTTP client);
#   - TypeScript: openapi-typescript + openapi-fetch, type-checked with `tsc --strict`.
# Usage: .ci/clients.sh path/to/ndpr-contracts
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?path to the ndpr-contracts binary}
port=${NDPR_CLIENTS_PORT:-18097}
password=client-flow-admin-password
url="http://127.0.0.1:$port"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

if ! command -v openapi-python-client >/dev/null 2>&1; then
  python3 -m pip install --quiet "openapi-python-client==0.29.1"
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

DATABASE_URL="sqlite://$work/clients.db" NDPR_LISTEN="127.0.0.1:$port" NDPR_ADMIN_PASSWORD=$password \
  NDPR_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do curl -fsS "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$url/api-docs/openapi.json" -o "$work/openapi.json"

echo "== Python client (openapi-python-client)"
openapi-python-client generate --path "$work/openapi.json" --meta none \
  --output-path "$work/python/ndpr_client" 2>&1 | grep -v '^$' || true
[ -d "$work/python/ndpr_client" ] || { echo "the Python client was not generated" >&2; exit 1; }
python3 tests/clients/python/flow.py "$work/python" "$url" "$password"

echo "== TypeScript client (openapi-typescript + openapi-fetch, tsc --strict)"
(
  cd tests/clients/typescript
  npm ci --no-audit --no-fund --silent
  mkdir -p generated
  npx --no-install openapi-typescript "$work/openapi.json" -o generated/schema.d.ts
  npx --no-install tsc --strict -p .
  node dist/flow.js "$url" "$password"
)
