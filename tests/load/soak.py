"""The soak: two instances on one PostgreSQL database, through a TCP proxy this script controls,
under a mixed load, while the database is cut every minute and one instance is restarted with
SIGTERM every 90 seconds. Standard library only. Run it through tests/load/soak.sh.

    python3 soak.py BINARY POSTGRES_ADMIN_URL MINUTES OUTDIR

The client logs every acknowledged write (a 2xx answer). At the end it checks:
  * every acknowledged write is stored, in the last state acknowledged for it;
  * every answer was a 2xx, a 4xx the load expects (409/412/422, named below), or a 503 with
    Retry-After; an unanswered request is counted only while its instance was stopped or
    starting;
  * `positions check` finds no difference;
  * every event in the feed after the subscription reached the receiver at least once, and the
    receiver, deduplicating by `webhook-id`, processed each exactly once;
  * the instance that is never restarted (A) grows its resident memory by at most 10 % over the
    second half of the run.
It prints the figures and exits 1 when a check fails.
"""

import http.server
import json
import os
import random
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date

BINARY, PG_ADMIN, MINUTES, OUT = sys.argv[1], sys.argv[2].rstrip("/"), float(sys.argv[3]), sys.argv[4]
DURATION = MINUTES * 60
CUT_EVERY, CUT_FOR, RESTART_EVERY = 60, 5, 90
PASSWORD = "soak-admin-password-1"
SECRET = "soak-jwt-secret-" + "x" * 32
DB_NAME = "ndpr_soak_" + uuid.uuid4().hex[:10]
WORKERS = int(os.environ.get("NDPR_SOAK_CLIENTS", "4"))
# Each client thread pauses between actions, as people and ERP jobs do: the soak is about faults
# over time, not throughput (tests/load/bench.sh measures that).
PAUSE = int(os.environ.get("NDPR_SOAK_PAUSE_MS", "250")) / 1000
T0 = time.monotonic()


def log(msg):
    line = f"[{time.monotonic() - T0:7.1f}s] {msg}"
    print(line, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- the TCP proxy to PostgreSQL
class Proxy:
    """Forwards 127.0.0.1:port to PostgreSQL; `cut()` drops every connection and refuses new
    ones until `mend()`."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = free_port()
        self.up = True
        self.conns = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(256)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            # As a network between the service and its database would: no Nagle delay on the
            # small messages of the PostgreSQL protocol.
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.conns.append((client, server))
            threading.Thread(target=self.pump, args=(client, server), daemon=True).start()

    def pump(self, a, b):
        socks = [a, b]
        try:
            while True:
                ready, _, _ = select.select(socks, [], [], 1.0)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (b if s is a else a).sendall(data)
        except OSError:
            pass
        finally:
            for s in socks:
                try:
                    s.close()
                except OSError:
                    pass
            with self.lock:
                if (a, b) in self.conns:
                    self.conns.remove((a, b))

    def cut(self):
        self.up = False
        with self.lock:
            for a, b in self.conns:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

    def mend(self):
        self.up = True


# ------------------------------------------------------------------- the webhook receiver
class Receiver:
    """Accepts deliveries; fails one in fifty with 500 so retries happen; processes each
    `webhook-id` once."""

    def __init__(self):
        self.received = 0
        self.processed = {}
        self.duplicates = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                wid = self.headers.get("webhook-id", "")
                if random.random() < 0.02:
                    self.send_response(500)
                    self.end_headers()
                    return
                with outer.lock:
                    outer.received += 1
                    if wid in outer.processed:
                        outer.duplicates += 1
                    else:
                        outer.processed[wid] = json.loads(body or b"{}").get("id")
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --------------------------------------------------------------------------- the instances
class Instance:
    def __init__(self, name, db_url, env_extra):
        self.name, self.db_url, self.env_extra = name, db_url, env_extra
        self.port = free_port()
        self.proc = None
        self.down_until = 0.0
        self.rss = []  # (seconds since start of run, kB, pid)
        self.exits = []

    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.db_url,
            NDPR_LISTEN=f"127.0.0.1:{self.port}",
            NDPR_JWT_SECRET=SECRET,
            NDPR_ADMIN_PASSWORD=PASSWORD,
            NDPR_LOG="warn",
            NDPR_WEBHOOKS_ALLOW_HTTP="true",
            NDPR_WEBHOOKS_ALLOW_PRIVATE="true",
            NDPR_WEBHOOKS_POLL_MS="100",
            NDPR_WEBHOOKS_RETRY_MS="100,500,1000,2000,5000,10000,30000",
            NDPR_SHUTDOWN_GRACE_SECS="10",
            NDPR_WORKERS="2",
            NDPR_POOL_SIZE="6",
        )
        env.update(self.env_extra)
        logf = open(os.path.join(OUT, f"instance-{self.name}.log"), "a")
        self.proc = subprocess.Popen([BINARY, "serve"], env=env, stdout=logf, stderr=logf)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base() + "/health/live", timeout=2)
                self.down_until = 0.0
                return
            except OSError:
                if self.proc.poll() is not None:
                    # Started while the database was cut: it exits with a clear line; try again.
                    time.sleep(1)
                    self.proc = subprocess.Popen([BINARY, "serve"], env=env, stdout=logf, stderr=logf)
                time.sleep(0.2)
        raise SystemExit(f"instance {self.name} did not start; see instance-{self.name}.log")

    def restart(self):
        self.down_until = float("inf")
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        self.exits.append(code)
        self.start()
        self.down_until = time.monotonic() + 2

    def sample_rss(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        self.rss.append((time.monotonic() - T0, int(line.split()[1]), self.proc.pid))
        except OSError:
            pass


# --------------------------------------------------------------------------------- the client
EXPECTED_4XX = {409, 412, 422}


class Client:
    def __init__(self, instances):
        self.instances = instances
        self.statuses = {}
        self.violations = []
        self.unanswered = 0
        self.lock = threading.Lock()
        self.token = None

    def count(self, key):
        with self.lock:
            self.statuses[key] = self.statuses.get(key, 0) + 1

    def call(self, method, path, body=None, headers=None, idem=True, expect=()):
        """Sends through the instances like a load balancer, retrying a 503 after its
        Retry-After and an unanswered request on the other instance, with one Idempotency-Key,
        for up to 60 s. Returns (status, json) of the first final answer."""
        headers = dict(headers or {})
        headers["authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["content-type"] = "application/json"
        if idem and method == "POST":
            headers["idempotency-key"] = str(uuid.uuid4())
        data = None if body is None else json.dumps(body).encode()
        deadline = time.monotonic() + 60
        pick = random.randrange(len(self.instances))
        while time.monotonic() < deadline:
            inst = self.instances[pick % len(self.instances)]
            pick += 1
            req = urllib.request.Request(inst.base() + path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    self.count(r.status)
                    raw = r.read()
                    return r.status, (json.loads(raw) if raw else None)
            except urllib.error.HTTPError as e:
                raw = e.read()
                self.count(e.code)
                if e.code == 503:
                    if not e.headers.get("retry-after"):
                        self.violation(f"503 without Retry-After on {method} {path}")
                    time.sleep(min(float(e.headers.get("retry-after") or 1), 2))
                    continue
                if e.code >= 500 or (e.code not in EXPECTED_4XX and e.code not in expect):
                    self.violation(f"{e.code} on {method} {path}: {raw[:300]!r}")
                try:
                    return e.code, json.loads(raw)
                except ValueError:
                    return e.code, None
            except (OSError, urllib.error.URLError) as e:
                if time.monotonic() >= inst.down_until and inst.proc.poll() is None:
                    # Not a restart window: an instance that is up must answer.
                    self.violation(f"no answer from instance {inst.name} on {method} {path}: {e}")
                self.count("unanswered")
                time.sleep(0.2)
        self.violation(f"no final answer in 60 s for {method} {path}")
        return 0, None

    def violation(self, what):
        with self.lock:
            self.violations.append(what)
        log("VIOLATION " + what)


# -------------------------------------------------------------------------------- the load
class Load:
    def __init__(self, client, product_ids, index_id, month):
        self.c = client
        self.products = product_ids
        self.index_id = index_id
        self.month = month
        self.acked = {}  # (kind, id) -> last acknowledged state
        self.lock = threading.Lock()
        self.stop = False
        self.confirmed = []  # orders confirmed, not yet shipped
        self.local = threading.local()

    def ack(self, kind, key, state):
        with self.lock:
            self.acked[(kind, key)] = state

    def customer_id(self):
        with self.lock:
            ids = [k[1] for k in self.acked if k[0] == "customer"]
        return random.choice(ids) if ids else None

    def create_customer(self):
        tag = uuid.uuid4().hex[:10].upper()
        s, b = self.c.call("POST", "/api/v1/customers", {"code": f"SOAK-{tag}", "name": f"Soak buyer {tag}", "country": "JP"})
        if s == 201:
            self.ack("customer", b["id"], {"name": b["name"]})

    def upsert_customer(self):
        # Each client thread owns its references, so "the last acknowledged state" is defined.
        ref = f"ERP-{self.local.n}-{random.randrange(10)}"
        name = f"ERP buyer {uuid.uuid4().hex[:6]}"
        s, b = self.c.call("PUT", f"/api/v1/customers/by-ref/{ref}", {"code": ref, "name": name, "country": "DE"})
        if s in (200, 201):
            self.ack("customer", b["id"], {"name": name})

    def order_flow(self):
        cust = self.customer_id()
        if cust is None:
            return self.create_customer()
        body = {
            "order_type": "spot", "customer_id": cust, "product_id": random.choice(self.products),
            "period": self.month, "quantity_kg": str(random.choice([5, 10, 25, 50])),
            "pricing": {"type": "fixed", "unit_price": "61.25"}, "currency": "USD",
            "incoterm": "CIF", "incoterm_place": "Yokohama",
        }
        s, order = self.c.call("POST", "/api/v1/orders", body)
        if s != 201:
            return
        self.ack("order", order["id"], {"status": "draft"})
        if random.random() < 0.25:
            s, b = self.c.call("POST", f"/api/v1/orders/{order['id']}/cancel", {"reason": "soak: customer withdrew"})
            if s == 200:
                self.ack("order", order["id"], {"status": "cancelled"})
            return
        s, b = self.c.call("POST", f"/api/v1/orders/{order['id']}/confirm")
        if s == 200:
            self.ack("order", order["id"], {"status": "confirmed"})
            with self.lock:
                self.confirmed.append((order["id"], body["quantity_kg"]))

    def ship(self):
        with self.lock:
            if not self.confirmed:
                return
            order_id, kg = self.confirmed.pop(random.randrange(len(self.confirmed)))
        today = date.today().isoformat()
        lot = "LOT-" + uuid.uuid4().hex[:8].upper()
        s, sh = self.c.call("POST", "/api/v1/shipments", {
            "order_id": order_id, "quantity_kg": kg, "lots": [{"lot_number": lot, "quantity_kg": kg}],
            "planned_ship_date": today})
        if s != 201:
            return
        self.ack("shipment", sh["id"], {"status": sh["status"]})
        s, b = self.c.call("POST", f"/api/v1/shipments/{sh['id']}/ship", {
            "shipped_on": today, "vessel": "Soak Star", "bl_number": "BL" + lot, "containers": ["CSNU1234567"]})
        if s == 200:
            self.ack("shipment", sh["id"], {"status": "shipped"})
            self.ack("order", order_id, {"status": "shipped"})

    def import_customers(self):
        rows = []
        for _ in range(20):
            tag = uuid.uuid4().hex[:10].upper()
            rows.append({"code": f"IMP-{tag}", "name": f"Imported {tag}", "country": "KR", "external_ref": f"IMP-{tag}"})
        s, b = self.c.call("POST", "/api/v1/imports/customers", rows)
        if s == 200 and b.get("rejected", 0) == 0:
            for r in rows:
                self.ack("customer-ref", r["external_ref"], {"name": r["name"]})

    def quotes(self):
        # Each client thread owns its days of the previous month.
        first = date.today().replace(day=1)
        last_month = date.fromordinal(first.toordinal() - 1)
        day = last_month.replace(day=1 + self.local.n * 5 + random.randrange(5))
        price = f"{random.randrange(55, 70)}.{random.randrange(100):02d}"
        s, b = self.c.call("POST", f"/api/v1/price-indices/{self.index_id}/quotes", [{"date": day.isoformat(), "price": price}])
        if s in (200, 201):
            self.ack("quote", day.isoformat(), {"price": price})

    def run(self, n):
        self.local.n = n
        actions = [(self.create_customer, 2), (self.upsert_customer, 2), (self.order_flow, 6),
                   (self.ship, 3), (self.import_customers, 1), (self.quotes, 1)]
        population = [a for a, w in actions for _ in range(w)]
        while not self.stop:
            random.choice(population)()
            time.sleep(PAUSE)


# ------------------------------------------------------------------------------- the checks
def get_json(client, path):
    status, body = client.call("GET", path)
    return body if status == 200 else None


def verify(client, load):
    failures = []
    quotes = get_json(client, f"/api/v1/price-indices/{load.index_id}/quotes?from=2000-01-01") or {}
    quote_prices = {q["date"]: q["price"] for q in quotes.get("quotes", [])}
    for (kind, key), state in sorted(load.acked.items()):
        if kind == "customer":
            b = get_json(client, f"/api/v1/customers/{key}")
            ok = b is not None and b["name"] == state["name"]
        elif kind == "customer-ref":
            b = get_json(client, f"/api/v1/customers?external_ref={key}")
            items = (b or {}).get("items", [])
            ok = len(items) == 1 and items[0]["name"] == state["name"]
        elif kind == "order":
            b = get_json(client, f"/api/v1/orders/{key}")
            ok = b is not None and b["status"] == state["status"]
        elif kind == "shipment":
            b = get_json(client, f"/api/v1/shipments/{key}")
            ok = b is not None and b["status"] == state["status"]
        else:
            got = quote_prices.get(key)
            ok = got is not None and float(got) == float(state["price"])
            b = got
        if not ok:
            failures.append(f"acknowledged {kind} {key} {state} but stored {json.dumps(b)[:200]}")
    return failures


def main():
    os.makedirs(OUT, exist_ok=True)
    host_port = PG_ADMIN.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    subprocess.run(["psql", PG_ADMIN + "/postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
    proxy = Proxy((host, int(port or 5432)))
    db_url = f"{PG_ADMIN.rsplit('@', 1)[0]}@127.0.0.1:{proxy.port}/{DB_NAME}"
    direct_url = f"{PG_ADMIN}/{DB_NAME}"
    receiver = Receiver()
    a, b = Instance("a", db_url, {}), Instance("b", db_url, {})
    # Both start together on the empty database: migrations are serialised, one admin made.
    threads = [threading.Thread(target=i.start) for i in (a, b)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    client = Client([a, b])
    req = urllib.request.Request(a.base() + "/api/v1/auth/token", method="POST",
                                 data=json.dumps({"username": "admin", "password": PASSWORD}).encode(),
                                 headers={"content-type": "application/json"})
    client.token = json.loads(urllib.request.urlopen(req).read())["access_token"]

    month = date.today().replace(day=1)
    month = f"{month.year + (month.month // 12)}-{month.month % 12 + 1:02d}"
    products = []
    for i in range(2):
        s, p = client.call("POST", "/api/v1/products", {"code": f"SOAK-P{i}", "name": f"NdPr oxide {i}", "form": "oxide"})
        products.append(p["id"])
    s, plan = client.call("POST", "/api/v1/production-plans", {
        "note": "soak", "lines": [{"product_id": p, "period": month, "planned_kg": "100000000"} for p in products]})
    client.call("POST", f"/api/v1/production-plans/{plan['id']}/approve")
    s, index = client.call("POST", "/api/v1/price-indices", {"code": "SOAK-IDX", "name": "Soak index", "currency": "USD"})
    s, sub = client.call("POST", "/api/v1/webhooks", {"url": f"http://127.0.0.1:{receiver.port}/hook", "description": "soak receiver"})
    feed_start = (get_json(client, "/api/v1/events?after=0&limit=1000") or {}).get("last_seq", 0)
    log(f"set up: database {DB_NAME}, proxy :{proxy.port}, instances :{a.port} :{b.port}, receiver :{receiver.port}")

    load = Load(client, products, index["id"], month)
    workers = [threading.Thread(target=load.run, args=(n,)) for n in range(min(WORKERS, 5))]
    [w.start() for w in workers]
    started = time.monotonic()
    next_cut, next_restart, next_sample = started + CUT_EVERY, started + RESTART_EVERY, started
    cuts = restarts = 0
    half_rss = None
    while time.monotonic() - started < DURATION:
        now = time.monotonic()
        if now >= next_sample:
            a.sample_rss()
            b.sample_rss()
            next_sample += 5
            if half_rss is None and now - started >= DURATION / 2 and a.rss:
                half_rss = a.rss[-1][1]
        if now >= next_cut:
            proxy.cut()
            cuts += 1
            log(f"cut {cuts}: database away for {CUT_FOR} s")
            time.sleep(CUT_FOR)
            proxy.mend()
            next_cut += CUT_EVERY
        if now >= next_restart:
            restarts += 1
            log(f"restart {restarts}: SIGTERM to instance b")
            b.restart()
            next_restart += RESTART_EVERY
        time.sleep(0.2)
    end_rss = a.rss[-1][1] if a.rss else None
    load.stop = True
    [w.join() for w in workers]
    log("load stopped; waiting for webhook deliveries to drain")

    # The feed, as an admin reads it, after the subscription was made.
    events, after = [], feed_start
    while True:
        page = get_json(client, f"/api/v1/events?after={after}&limit=1000") or {}
        items = page.get("items", [])
        if not items:
            break
        events += items
        after = page["last_seq"]
    wanted = {e["id"] for e in events}
    drain_started = time.monotonic()
    deadline = drain_started + 300
    while time.monotonic() < deadline and not wanted <= set(receiver.processed.values()):
        time.sleep(1)
    drained_in = time.monotonic() - drain_started
    delivered = list(receiver.processed.values())
    missing = wanted - set(delivered)
    if len(delivered) != len(set(delivered)):
        failures_twice = len(delivered) - len(set(delivered))
    else:
        failures_twice = 0

    failures = verify(client, load)
    check = subprocess.run([BINARY, "positions", "check"], env=dict(os.environ, DATABASE_URL=direct_url, NDPR_LOG="warn"),
                           capture_output=True, text=True)
    if check.returncode != 0:
        failures.append("positions check: " + check.stdout[-500:] + check.stderr[-500:])
    if failures_twice:
        failures.append(f"{failures_twice} events were processed twice under different webhook-ids")
    if missing:
        failures.append(f"{len(missing)} events never reached the receiver, e.g. {sorted(missing)[:3]}")
    failures += client.violations
    if any(code != 0 for code in b.exits):
        failures.append(f"instance b exited with {b.exits} after SIGTERM")
    growth = None
    if half_rss and end_rss:
        growth = (end_rss - half_rss) / half_rss * 100
        if growth > 10:
            failures.append(f"instance a's RSS grew {growth:.1f} % over the second half ({half_rss} → {end_rss} kB)")
    b_lives = {}
    for _, kb, pid in b.rss:
        b_lives.setdefault(pid, []).append(kb)

    summary = {
        "minutes": MINUTES,
        "requests": sum(v for k, v in client.statuses.items() if k != "unanswered"),
        "answers": {str(k): v for k, v in sorted(client.statuses.items(), key=lambda kv: str(kv[0]))},
        "acknowledged_writes_checked": len(load.acked),
        "database_cuts": cuts,
        "instance_restarts": restarts,
        "events_after_subscription": len(wanted),
        "events_processed_once": len(wanted & set(delivered)),
        "deliveries_received": receiver.received,
        "seconds_to_drain_after_load": round(drained_in, 1),
        "duplicate_deliveries_dropped": receiver.duplicates,
        "rss_a_kb_half_and_end": [half_rss, end_rss],
        "rss_a_growth_second_half_pct": None if growth is None else round(growth, 1),
        "rss_b_peak_kb_per_life": [max(v) for v in b_lives.values()],
        "failures": failures,
    }
    with open(os.path.join(OUT, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))
    for inst in (a, b):
        inst.proc.send_signal(signal.SIGTERM)
        inst.proc.wait(timeout=30)
    subprocess.run(["psql", PG_ADMIN + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"])
    if failures:
        print(f"soak FAILED: {len(failures)} problems", flush=True)
        sys.exit(1)
    print("soak passed", flush=True)


if __name__ == "__main__":
    main()
