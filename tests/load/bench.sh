#!/usr/bin/env bash
# The benchmark: a realistic order book, five paths through the HTTP API, and the database's own
# ceiling measured on the same database in the same run.
#
#   tests/load/bench.sh                    # PostgreSQL (127.0.0.1:5432, user postgres) and SQLite
#   NDPR_BENCH_BACKENDS=sqlite tests/load/bench.sh
#
# For each backend it
#   1. loads the book (examples/seed_book.rs): 50 products, 200 contracts, 100,000 orders over
#      36 months (10,000 on the benchmarked product), and a pool of drafts to confirm;
#   2. starts the release server and measures with wrk: GET one order, a page of 100 orders
#      with a filter, confirming an order, reconciliation of one product over 36 months, and
#      the ATP read;
#   3. measures the ceilings on the same database: the raw SELECT of one order by id, and the
#      raw transaction of a confirmation's shape (lock the product row, read the order, update
#      the order, update the month's position, insert an audit row and an outbox row) — with
#      pgbench on PostgreSQL, with examples/sqlite_ceiling.rs on SQLite;
#   4. measures the sales desk's pages as 8 people at once would use them (8 connections, a
#      session cookie): the desk, the worklists (orders — filtered, sorted by customer, a later
#      page — contracts, deliveries, shipments), an order, order entry, a customer, a product's
#      reconciliation, prices and plans, each with its p50, p95 and p99;
#   5. prints requests per second, the ratio to the ceiling, p50 and p99, the CPU time each
#      request costs (the server's own, and the whole machine's: server, database and load
#      generator together, beside the same figure for the ceiling), and the server's resident
#      memory (idle after start, peak after each path).
#
# Settings: NDPR_BENCH_SECS (10 per path), NDPR_BENCH_CONNECTIONS (32 wrk connections),
# NDPR_BENCH_DESK_SECS (5 per desk page), NDPR_BENCH_DESK_USERS (8 connections),
# NDPR_BENCH_POOL (16: the server's pool and the ceiling's client count),
# NDPR_BENCH_PG (postgres://postgres@127.0.0.1:5432), NDPR_BENCH_DRAFTS (drafts to confirm:
# 30,000 on PostgreSQL, 150,000 on SQLite, more than one run confirms at the rates measured
# here; once they are used up the server answers 409 and the table shows non-2xx).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

secs=${NDPR_BENCH_SECS:-10}
desk_secs=${NDPR_BENCH_DESK_SECS:-5}
desk_users=${NDPR_BENCH_DESK_USERS:-8}
conns=${NDPR_BENCH_CONNECTIONS:-32}
pool=${NDPR_BENCH_POOL:-16}
pg=${NDPR_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
backends=${NDPR_BENCH_BACKENDS:-postgres sqlite}
port=18191

need() { command -v "$1" >/dev/null 2>&1; }
install() {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; fi
}
need wrk || install wrk
need curl || install curl
need python3 || install python3
if [[ " $backends " == *" postgres "* ]]; then
  need psql || install postgresql-client
  need pgbench || install postgresql-client
  need pgbench || install postgresql
fi

echo "building the release server and the benchmark tools…"
cargo build --release --quiet --bin ndpr-contracts --example seed_book --example sqlite_ceiling
bin=$root/target/release/ndpr-contracts

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "${pg_db:-}" ] && psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

rss() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time in clock ticks: of one process (user + system), and of the whole machine (busy).
hz=$(getconf CLK_TCK)
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# us_per ticks count -> microseconds of CPU per request
us_per() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }'; }
results=$work/results.txt
: >"$results"
desk_results=$work/desk.txt
: >"$desk_results"

# record BACKEND PATH RESULT-LINE CEILING-RESULT-LINE PEAK-RSS
record() {
  echo "$1|$2|$3|$4|$5" >>"$results"
}

# wrk_run LABEL METHOD PATH [IDS-FILE] -> RESULT line, then the server's and the machine's CPU
# microseconds per request
wrk_run() {
  local s0 m0 out n
  s0=$(process_ticks "$server"); m0=$(machine_ticks)
  out=$(BENCH_METHOD=$2 BENCH_PATH=$3 BENCH_IDS=${4:-} BENCH_THREADS=2 \
    wrk -t2 -c"$conns" -d"${secs}s" -s tests/load/bench.lua \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port" | grep '^RESULT')
  n=$(echo "$out" | awk '{ print $2 }')
  echo "$out $(us_per $(($(process_ticks "$server") - s0)) "$n") $(us_per $(($(machine_ticks) - m0)) "$n")"
}

# desk_run PATH -> RESULT line for a desk page, read by $desk_users people at once with the
# session cookie (the same signed token), as a browser asks for it
#
# The page is read once first, alone, and that first view's time is reported beside: it is what
# the first reader after a change waits (the desk keeps expensive views until the data changes).
# wrk corrects its percentiles for coordinated omission, so a run that started cold would count
# those first requests' wait once per request a steady client would have sent meanwhile.
desk_run() {
  local first
  first=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Cookie: ndpr_session=$token" \
    -H 'Accept: text/html' "http://127.0.0.1:$port$1")
  BENCH_METHOD=GET BENCH_PATH=$1 BENCH_THREADS=2 \
    wrk -t2 -c"$desk_users" -d"${desk_secs}s" -s tests/load/bench.lua \
    -H "Cookie: ndpr_session=$token" -H 'Accept: text/html' \
    "http://127.0.0.1:$port" | grep '^RESULT' | sed "s/\$/ $first/"
}

# pgbench_run URL SCRIPT -> RESULT line, percentiles from pgbench's per-transaction log
pgbench_run() {
  local logdir; logdir=$(mktemp -d -p "$work")
  local out
  out=$( (cd "$logdir" && pgbench -n -M prepared -c "$pool" -j 2 -T "$secs" -l --log-prefix=tx -f "$2" "$1") 2>&1) \
    || { echo "$out" >&2; return 1; }
  local tps; tps=$(echo "$out" | awk -F'= ' '/^tps/ { split($2, a, " "); print a[1] }')
  cat "$logdir"/tx* | python3 -c '
import sys
lat = sorted(int(l.split()[2]) for l in sys.stdin if l.strip())
n = len(lat)
tps = float(sys.argv[1])
print("RESULT %d %.1f %.2f %.2f 0 0" % (n, tps, lat[n // 2] / 1000, lat[min(n - 1, n * 99 // 100)] / 1000))
' "$tps"
}

# ceiling COMMAND... -> the command's RESULT line, then 0 (no server) and the machine's CPU
# microseconds per transaction
ceiling() {
  local m0 out
  m0=$(machine_ticks)
  out=$("$@")
  echo "$out 0 $(us_per $(($(machine_ticks) - m0)) "$(echo "$out" | awk '{ print $2 }')")"
}

bench_backend() {
  local backend=$1 url drafts
  case $backend in
    postgres)
      pg_db=ndpr_bench_$$
      psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
      url=$pg/$pg_db
      drafts=${NDPR_BENCH_DRAFTS:-30000} ;;
    sqlite)
      url=sqlite://$work/bench.db
      drafts=${NDPR_BENCH_DRAFTS:-150000} ;;
  esac
  echo
  echo "== $backend: loading the book"
  DATABASE_URL=$url NDPR_LOG=warn target/release/examples/seed_book "$work/book" "$drafts"
  # shellcheck disable=SC1091
  source "$work/book/book.env"

  DATABASE_URL=$url NDPR_LISTEN=127.0.0.1:$port NDPR_ADMIN_PASSWORD=bench-admin-password \
    NDPR_JWT_SECRET=bench-secret-bench-secret-0123456789 NDPR_LOG=warn NDPR_POOL_SIZE=$pool \
    "$bin" serve >"$work/server-$backend.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"bench-admin-password"}' \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/orders/$BENCH_ORDER"
  sleep 1
  # Resident memory counts the binary's code pages mapped from the page cache (clean, shared,
  # how many depends on what the cache holds); the anonymous part is the server's own.
  local idle; idle="$(rss "$server" VmRSS) (anonymous $(rss "$server" RssAnon))"
  echo "== $backend: server idle at $idle MB resident"

  # The ceilings, on the same database.
  local sel_ceiling tx_ceiling
  case $backend in
    postgres)
      cat >"$work/select.sql" <<SQL
SELECT * FROM orders WHERE id = '$BENCH_ORDER';
SQL
      psql "$url" -qc "CREATE TABLE bench_pool (n bigint PRIMARY KEY, id text NOT NULL, period text NOT NULL)" \
        -c "INSERT INTO bench_pool SELECT row_number() OVER (), id, period FROM orders
            WHERE product_id = '$BENCH_PRODUCT' AND status = 'confirmed'" -c "ANALYZE bench_pool" >/dev/null
      local n; n=$(psql "$url" -Atc "SELECT count(*) FROM bench_pool")
      cat >"$work/confirm.sql" <<SQL
\\set n random(1, $n)
BEGIN;
SELECT id FROM products WHERE id = '$BENCH_PRODUCT' FOR UPDATE;
SELECT o.* FROM orders o JOIN bench_pool b ON b.id = o.id WHERE b.n = :n;
UPDATE orders SET updated_at = now(), version = version + 1 WHERE id = (SELECT id FROM bench_pool WHERE n = :n);
UPDATE positions SET spot_g = spot_g + 0 WHERE product_id = '$BENCH_PRODUCT' AND period = (SELECT period FROM bench_pool WHERE n = :n);
INSERT INTO audit_entries (actor, action, entity_type, entity_id, before_json, after_json, at)
  VALUES ('bench', 'confirmed', 'order', :n, '{"status":"draft"}', '{"status":"confirmed"}', now());
UPDATE counters SET value = value + 1 WHERE name = 'events';
INSERT INTO events (seq, id, event_type, entity_type, entity_id, occurred_at, data_json)
  VALUES ((SELECT value FROM counters WHERE name = 'events'), md5(random()::text), 'order.confirmed', 'order', :n, now(), '{}');
END;
SQL
      ;;
  esac

  echo "== $backend: measuring, ${secs}s per path, $conns connections"
  local r
  r=$(wrk_run get GET "/api/v1/orders/$BENCH_ORDER")
  case $backend in
    postgres) sel_ceiling=$(ceiling pgbench_run "$url" "$work/select.sql") ;;
    sqlite) sel_ceiling=$(ceiling target/release/examples/sqlite_ceiling "$work/bench.db" select "$BENCH_ORDER" "$pool" "$secs") ;;
  esac
  record "$backend" "GET one order" "$r" "$sel_ceiling" "$(rss "$server" VmHWM)"

  r=$(wrk_run list GET "/api/v1/orders?product_id=$BENCH_PRODUCT&status=confirmed&limit=100")
  record "$backend" "list 100 orders, filtered" "$r" "-" "$(rss "$server" VmHWM)"

  r=$(wrk_run confirm POST "/api/v1/orders/{id}/confirm" "$work/book/drafts.txt")
  case $backend in
    postgres) tx_ceiling=$(ceiling pgbench_run "$url" "$work/confirm.sql") ;;
    sqlite) tx_ceiling=$(ceiling target/release/examples/sqlite_ceiling "$work/bench.db" confirm "$BENCH_PRODUCT" 1 "$secs") ;;
  esac
  record "$backend" "confirm an order" "$r" "$tx_ceiling" "$(rss "$server" VmHWM)"

  r=$(wrk_run recon GET "/api/v1/reconciliation?product_id=$BENCH_PRODUCT&from=$BENCH_FROM&to=$BENCH_TO")
  record "$backend" "reconciliation, 36 months" "$r" "-" "$(rss "$server" VmHWM)"

  r=$(wrk_run atp GET "/api/v1/atp?product_id=$BENCH_PRODUCT&period=$BENCH_NOW")
  record "$backend" "ATP read" "$r" "-" "$(rss "$server" VmHWM)"
  echo "$backend|idle||||$idle" >>"$results"

  echo "== $backend: the desk's pages, ${desk_secs}s each, $desk_users users at once"
  local api="http://127.0.0.1:$port/api/v1" contract customer
  contract=$(curl -fsS -H "Authorization: Bearer $token" "$api/contracts?limit=1" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["items"][0]["id"])')
  customer=$(curl -fsS -H "Authorization: Bearer $token" "$api/customers?limit=1" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["items"][0]["id"])')
  local page
  for page in "/" "/?months=18" "/orders" "/orders?status=confirmed&sort=customer&dir=asc&page=20" \
    "/orders?q=ORD&product_id=$BENCH_PRODUCT" "/orders/$BENCH_ORDER" "/orders/new" "/contracts" \
    "/contracts/$contract" "/deliveries" "/shipments" "/customers/$customer" \
    "/reconciliation/$BENCH_PRODUCT" "/prices" "/plans"; do
    echo "$backend|$page|$(desk_run "$page")" >>"$desk_results"
  done

  kill "$server"; wait "$server" 2>/dev/null || true
  server=
  if [ "$backend" = postgres ]; then
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
    pg_db=
  fi
  rm -rf "$work/book" "$work"/bench.db*
}

for b in $backends; do bench_backend "$b"; done

echo
python3 - "$results" "$conns" "$pool" "$secs" <<'PY'
import sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
conns, pool, secs = sys.argv[2:5]
print(f"wrk: {conns} connections, {secs} s per path; ceilings: {pool} clients; RSS in MB;")
print("CPU in microseconds per request: the server's own, and the machine's (server, database and")
print("load generator together) beside the machine's per transaction of the ceiling")
print()
print("| backend | path | req/s | p50 ms | p99 ms | non-2xx | ceiling req/s | ratio "
      "| server CPU µs | machine CPU µs | ceiling machine CPU µs | peak RSS |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if r[1] == "idle":
        print(f"| {r[0]} | idle, after start | | | | | | | | | | {r[5]} |")
        continue
    b, path, res, ceil, peak = r
    _, n, rps, p50, p99, non2xx, sockerr, _p95, server_us, machine_us = res.split()
    if ceil == "-":
        c, ratio, ceil_us = "–", "–", "–"
    else:
        c = ceil.split()[2]
        ceil_us = ceil.split()[-1]
        ratio = f"{float(rps) / float(c):.2f}"
    print(f"| {b} | {path} | {float(rps):,.0f} | {p50} | {p99} | {non2xx} | "
          f"{c if c == '–' else format(float(c), ',.0f')} | {ratio} | {server_us} | {machine_us} "
          f"| {ceil_us} | {peak} |")
PY

echo
python3 - "$desk_results" "$desk_users" "$desk_secs" <<'PY'
import re, sys
users, secs = sys.argv[2:4]
print(f"The desk's pages: {users} users at once (wrk connections with a session cookie), {secs} s per page;")
print("the goal is p95 at most 100 ms")
print()
print("| backend | page | first view ms | req/s | p50 ms | p95 ms | p99 ms | non-2xx |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for line in open(sys.argv[1]):
    b, page, res = line.rstrip("\n").split("|")
    _, n, rps, p50, p99, non2xx, sockerr, p95, first = res.split()
    page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", page)
    print(f"| {b} | `{page}` | {float(first) * 1000:.1f} | {float(rps):,.0f} | {p50} | {p95} | {p99} | {non2xx} |")
PY
