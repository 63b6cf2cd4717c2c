#!/usr/bin/env bash
# Bulk import benchmark on the embedded default: 10,000 customers and 10,000 orders, once
# through `ndpr-contracts import` and once through POST /api/v1/imports/{kind}.
#
#   tests/load/import.sh          # needs a release build (cargo build --release), curl, python3
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/release/ndpr-contracts
[ -x "$bin" ] || cargo build --release --bin ndpr-contracts
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
n=${NDPR_IMPORT_ROWS:-10000}

python3 - "$work" "$n" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/customers.csv", "w") as f:
    f.write("code,name,country,external_ref\n")
    for i in range(n):
        f.write(f"C-{i:06d},Buyer {i},JP,ERP-C-{i:06d}\n")
PY

echo "== command line: $n customers into a new SQLite database"
DATABASE_URL="sqlite://$work/cli.db" NDPR_LOG=warn "$bin" import customers "$work/customers.csv"
echo "== again: every row unchanged"
DATABASE_URL="sqlite://$work/cli.db" NDPR_LOG=warn "$bin" import customers "$work/customers.csv"

port=18193
DATABASE_URL="sqlite://$work/http.db" NDPR_LISTEN=127.0.0.1:$port NDPR_ADMIN_PASSWORD=import-bench-admin \
  NDPR_LOG=warn NDPR_MAX_BODY_BYTES=16777216 "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"import-bench-admin"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
echo "== HTTP: $n customers, POST /api/v1/imports/customers (text/csv)"
curl -fsS -o "$work/report.json" -w '%{time_total} s\n' -X POST "http://127.0.0.1:$port/api/v1/imports/customers" \
  -H "authorization: Bearer $token" -H 'content-type: text/csv' --data-binary "@$work/customers.csv"
python3 -c 'import json,sys;r=json.load(open(sys.argv[1]));print({k:r[k] for k in ("rows","created","updated","unchanged","rejected")})' "$work/report.json"

# Orders need a customer and a product: the first imported customer and one new product.
customer=$(curl -fsS "http://127.0.0.1:$port/api/v1/customers?limit=1" -H "authorization: Bearer $token" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["items"][0]["id"])')
product=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/products" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"code":"NDPR-OX","name":"NdPr oxide","form":"oxide"}' \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
python3 - "$work" "$n" "$customer" "$product" <<'PY'
import sys
work, n, customer, product = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(f"{work}/orders.csv", "w") as f:
    f.write("external_ref,order_type,customer_id,product_id,period,quantity_kg,pricing.type,pricing.unit_price,currency,incoterm,incoterm_place\n")
    for i in range(n):
        f.write(f"ERP-O-{i:06d},spot,{customer},{product},2027-{1 + i % 12:02d},{100 + i % 50}.000,fixed,61.2500,USD,CIF,Yokohama\n")
PY
echo "== HTTP: $n draft orders, POST /api/v1/imports/orders (text/csv)"
curl -sS -o "$work/report.json" -w '%{http_code} in %{time_total} s\n' -X POST "http://127.0.0.1:$port/api/v1/imports/orders" \
  -H "authorization: Bearer $token" -H 'content-type: text/csv' --data-binary "@$work/orders.csv"
python3 -c 'import json,sys;r=json.load(open(sys.argv[1]));print({k:r.get(k) for k in ("rows","created","updated","unchanged","rejected")} if "rows" in r else r)' "$work/report.json" | cut -c1-600
