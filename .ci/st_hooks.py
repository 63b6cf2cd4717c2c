"""Schemathesis hooks: give the fuzzer the test data a real client would have.

A schema cannot say that `customer_id` must name a customer that exists, that a contract's
schedule lies within its months, or that an `Idempotency-Key` is new. Without real data almost
every generated request is refused for those reasons and the business logic behind it is never
reached. At start this module creates a small data set through the API (customer, products, a
price index with quotes, an approved plan, an active contract, a confirmed order, an export
licence, a user). Then, for every generated case, references in bodies, paths and queries are
replaced with real ids, unique fields (codes, numbers, references, usernames) and idempotency
keys are made fresh, and every other case of an operation whose body has cross-field rules is
drawn from a valid template (months, quantities and codes varied). The rest of each case stays
as the fuzzer generated it.

Reads NDPR_ST_BASE (the server) and NDPR_ST_TOKEN (an admin bearer token).
"""

import itertools
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import schemathesis

BASE = os.environ["NDPR_ST_BASE"].rstrip("/")
TOKEN = os.environ["NDPR_ST_TOKEN"]
PASSWORD = os.environ.get("NDPR_ST_PASSWORD", "")
COUNTER = itertools.count()


def api(method, path, body=None):
    req = urllib.request.Request(
        BASE + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            text = res.read().decode()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()}") from None


def tag():
    return uuid.uuid4().hex[:10].upper()


def customer():
    return api("POST", "/api/v1/customers", {"code": f"ST-C-{tag()}", "name": "Fuzz customer", "country": "JP"})["id"]


C = customer()
C_SPARE = customer()
P = api("POST", "/api/v1/products", {"code": f"ST-P-{tag()}", "name": "Fuzz oxide", "form": "oxide"})["id"]
P_SPARE = api("POST", "/api/v1/products", {"code": f"ST-P-{tag()}", "name": "Spare oxide", "form": "oxide"})["id"]
I = api("POST", "/api/v1/price-indices", {"code": f"ST-I-{tag()}", "name": "Fuzz index", "currency": "USD"})["id"]
I_SPARE = api("POST", "/api/v1/price-indices", {"code": f"ST-I-{tag()}", "name": "Spare index", "currency": "USD"})["id"]
api("POST", f"/api/v1/price-indices/{I}/quotes", [{"date": "2026-10-15", "price": "61.25"}])
MONTHS = [f"{y}-{m:02d}" for y in range(2026, 2031) for m in range(1, 13)]
plan = api("POST", "/api/v1/production-plans", {
    "note": "fuzz supply",
    "lines": [{"product_id": P, "period": m, "planned_kg": "90000000"} for m in MONTHS],
})
api("POST", f"/api/v1/production-plans/{plan['id']}/approve", {})


def contract_body(status_months=("2027-01", "2027-02", "2027-03")):
    return {
        "customer_id": C, "product_id": P,
        "start_period": status_months[0], "end_period": status_months[-1],
        "schedule": [{"period": m, "quantity_kg": "1000"} for m in status_months],
        "tolerance_pct": "5", "incoterm": "CIF", "incoterm_place": "Busan", "currency": "USD",
        "payment_terms": "30 days net", "pricing": {"type": "fixed", "unit_price": "62.50"},
        "addon_premium": "2.00",
    }


def draft_contract():
    return api("POST", "/api/v1/contracts", contract_body())["id"]


# A subscription made before the data set, so its events give it deliveries to redeliver (its
# target refuses the connection: each delivery is recorded as failed and retried).
W = api("POST", "/api/v1/webhooks", {"url": "https://127.0.0.1:9/hook", "event_types": ["order.*"]})["webhook"]["id"]
K = draft_contract()
api("POST", f"/api/v1/contracts/{K}/activate", {})
O = api("POST", "/api/v1/orders", {
    "order_type": "spot", "customer_id": C, "product_id": P, "period": "2027-02", "quantity_kg": "500",
    "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD", "incoterm": "CIF", "incoterm_place": "Busan",
})["id"]
api("POST", f"/api/v1/orders/{O}/confirm", {})
L = api("POST", "/api/v1/export-licences", {
    "number": f"ST-L-{tag()}", "product_id": P, "customer_id": C, "quantity_kg": "1000000",
    "valid_from": "2026-01-01", "valid_to": "2030-12-31",
})["id"]
U = api("POST", "/api/v1/users", {"username": f"st{tag().lower()}", "password": "fuzz-user-password", "role": "viewer"})["id"]


def first_delivery():
    for _ in range(50):
        items = api("GET", f"/api/v1/webhooks/{W}/deliveries")["items"]
        if items:
            return items[0]["id"]
        time.sleep(0.1)
    return str(uuid.uuid4())


D = first_delivery()

REFS = {"customer_id": C, "product_id": P, "index_id": I, "contract_id": K, "order_id": O, "export_licence_id": L}
UNIQUE = ("code", "number", "username", "external_ref")


def unique(key):
    if key == "username":
        return f"st{tag().lower()}"
    if key == "external_ref":
        return f"ref-{tag()}"
    return f"ST-{tag()}"


def real_refs(value, refs=None):
    """Every reference in a body names stored data; every unique field is fresh."""
    refs = refs or REFS
    if isinstance(value, dict):
        for key in list(value):
            if key in refs and isinstance(value[key], str):
                value[key] = refs[key]
            elif key in UNIQUE and isinstance(value[key], str):
                value[key] = unique(key)
            else:
                real_refs(value[key], refs)
        if value.get("order_type") == "spot":
            value.pop("contract_id", None)
    elif isinstance(value, list):
        for item in value:
            real_refs(item, refs)
    return value


# Actuals and stock counts replace planned supply: they go to the spare product, so the shared
# product keeps the supply that lets orders and contracts pass the ATP check.
SUPPLY_PATHS = ("/stock-snapshots", "/production-actuals")
SUPPLY_REFS = dict(REFS, product_id=P_SPARE)


def month():
    return MONTHS[12 + next(COUNTER) % 36]


def spot_order(**extra):
    body = {"order_type": "spot", "customer_id": C, "product_id": P, "period": month(), "quantity_kg": "10",
            "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD",
            "incoterm": "CIF", "incoterm_place": "Busan"}
    body.update(extra)
    return body


def fresh(kind):
    """A new stored resource in the state an action needs (none when the server refuses to
    make one: the case then goes ahead with the shared data set)."""
    try:
        return make(kind)
    except RuntimeError:
        return None


def make(kind):
    if kind == "draft-contract":
        return draft_contract()
    if kind in ("active-contract", "suspended-contract"):
        k = draft_contract()
        api("POST", f"/api/v1/contracts/{k}/activate", {})
        if kind == "suspended-contract":
            api("POST", f"/api/v1/contracts/{k}/suspend", {})
        return k
    if kind in ("draft-order", "submitted-order"):
        o = api("POST", "/api/v1/orders", spot_order())["id"]
        if kind == "submitted-order":
            api("POST", f"/api/v1/orders/{o}/submit", {})
        return o
    if kind in ("shipment", "shipped-shipment"):
        shipment = api("POST", "/api/v1/shipments", template("POST", "/api/v1/shipments"))["id"]
        if kind == "shipped-shipment":
            api("POST", f"/api/v1/shipments/{shipment}/ship", SHIP)
        return shipment
    if kind == "licence":
        return api("POST", "/api/v1/export-licences", template("POST", "/api/v1/export-licences"))["id"]
    if kind == "plan":
        return api("POST", "/api/v1/production-plans", template("POST", "/api/v1/production-plans"))["id"]
    if kind == "customer":
        return customer()
    if kind == "product":
        return api("POST", "/api/v1/products", template("POST", "/api/v1/products"))["id"]
    if kind == "index":
        return api("POST", "/api/v1/price-indices", template("POST", "/api/v1/price-indices"))["id"]
    if kind == "user":
        return api("POST", "/api/v1/users", {"username": unique("username"), "password": "fuzz-user-password", "role": "viewer"})["id"]
    if kind in ("webhook", "disabled-webhook"):
        w = api("POST", "/api/v1/webhooks", {"url": "https://127.0.0.1:9/hook", "event_types": ["order.*"]})["webhook"]["id"]
        if kind == "disabled-webhook":
            api("POST", f"/api/v1/webhooks/{w}/disable", {})
        return w
    raise KeyError(kind)


# Shipping an air shipment: its air waybill.
SHIP = {"shipped_on": "2027-02-11", "transport_mode": "air", "air_waybill": "999-12345675"}

# For a positive case: which fresh resource `{id}` names, and the body the action takes.
ACTIONS = {
    ("PATCH", "/api/v1/contracts/{id}"): ("draft-contract", {"payment_terms": "60 days net"}),
    ("PUT", "/api/v1/contracts/{id}/schedule"): ("draft-contract", {"schedule": [{"period": "2027-01", "quantity_kg": "900"}]}),
    ("POST", "/api/v1/contracts/{id}/activate"): ("draft-contract", {}),
    ("POST", "/api/v1/contracts/{id}/suspend"): ("active-contract", {}),
    ("POST", "/api/v1/contracts/{id}/complete"): ("active-contract", {}),
    ("POST", "/api/v1/contracts/{id}/terminate"): ("active-contract", {"reason": "fuzz"}),
    ("POST", "/api/v1/contracts/{id}/resume"): ("suspended-contract", {}),
    ("PATCH", "/api/v1/orders/{id}"): ("draft-order", {"quantity_kg": "11"}),
    ("POST", "/api/v1/orders/{id}/submit"): ("draft-order", {}),
    ("POST", "/api/v1/orders/{id}/confirm"): ("draft-order", {}),
    ("POST", "/api/v1/orders/{id}/cancel"): ("draft-order", {"reason": "fuzz"}),
    ("POST", "/api/v1/orders/{id}/reject"): ("submitted-order", {"reason": "fuzz"}),
    ("PATCH", "/api/v1/shipments/{id}"): ("shipment", {"planned_ship_date": "2027-02-12"}),
    ("POST", "/api/v1/shipments/{id}/ship"): ("shipment", None),
    ("POST", "/api/v1/shipments/{id}/deliver"): ("shipped-shipment", {"delivered_on": "2027-02-20"}),
    ("POST", "/api/v1/shipments/{id}/cancel"): ("shipment", {"reason": "fuzz"}),
    ("POST", "/api/v1/export-licences/{id}/revoke"): ("licence", {"reason": "fuzz"}),
    ("POST", "/api/v1/production-plans/{id}/approve"): ("plan", {}),
    ("POST", "/api/v1/customers/{id}/archive"): ("customer", {"reason": "fuzz"}),
    ("POST", "/api/v1/products/{id}/archive"): ("product", {"reason": "fuzz"}),
    ("POST", "/api/v1/price-indices/{id}/archive"): ("index", {"reason": "fuzz"}),
    ("POST", "/api/v1/users/{id}/deactivate"): ("user", {}),
    ("POST", "/api/v1/webhooks/{id}/disable"): ("webhook", {}),
    ("POST", "/api/v1/webhooks/{id}/enable"): ("disabled-webhook", {}),
}

# Stored things an `{id}` names otherwise: reads name the shared data set; anything that
# changes a resource names a spare, so the shared data stays usable for the whole run.
PATH_IDS = [("/customers/", C), ("/products/", P), ("/price-indices/", I), ("/contracts/", K),
            ("/orders/", O), ("/export-licences/", L), ("/users/", U), ("/webhooks/", W)]
SPARES = [("/customers/", C_SPARE), ("/products/", P_SPARE), ("/price-indices/", I_SPARE),
          ("/contracts/", draft_contract()), ("/orders/", api("POST", "/api/v1/orders", {
              "order_type": "spot", "customer_id": C, "product_id": P, "period": "2027-05", "quantity_kg": "1",
              "pricing": {"type": "fixed", "unit_price": "70"}, "currency": "USD", "incoterm": "CIF",
              "incoterm_place": "Busan"})["id"]),
          ("/export-licences/", api("POST", "/api/v1/export-licences", {
              "number": f"ST-L-{tag()}", "product_id": P, "customer_id": C, "quantity_kg": "1",
              "valid_from": "2026-01-01", "valid_to": "2027-12-31"})["id"]),
          ("/users/", U)]


def named_by(path, table, default):
    """The stored id `table` (PATH_IDS or SPARES) gives the resource `path` is about."""
    return next((value for marker, value in table if marker in path), default)


def template(method, path):
    """A valid body for operations whose bodies have cross-field rules."""
    m = month()
    n = next(COUNTER)
    if (method, path) in (("POST", "/api/v1/contracts"), ("PUT", "/api/v1/contracts/by-ref/{external_ref}")):
        return contract_body((m,))
    if (method, path) in (("POST", "/api/v1/orders"), ("PUT", "/api/v1/orders/by-ref/{external_ref}")):
        if n % 2:
            return {"order_type": "add_on", "customer_id": C, "product_id": P, "contract_id": K,
                    "period": "2027-02", "quantity_kg": "10"}
        return spot_order(pricing={"type": "index", "index_id": I}, period=m)
    if (method, path) == ("POST", "/api/v1/shipments"):
        return {"order_id": O, "quantity_kg": "1", "lots": [{"lot_number": f"LOT-{tag()}", "quantity_kg": "1", "assay": {"TREO_pct": "99.5"}}],
                "planned_ship_date": "2027-02-10", "transport_mode": "air", "export_licence_id": L}
    if (method, path) == ("POST", "/api/v1/export-licences"):
        return {"number": f"ST-L-{tag()}", "product_id": P, "customer_id": C, "quantity_kg": "100",
                "valid_from": "2026-01-01", "valid_to": "2027-12-31"}
    if (method, path) == ("POST", "/api/v1/production-plans"):
        return {"note": "fuzz draft", "lines": [{"product_id": P, "period": m, "planned_kg": "90000000"}]}
    if (method, path) in (("POST", "/api/v1/customers"), ("PUT", "/api/v1/customers/by-ref/{external_ref}")):
        return {"code": f"ST-{tag()}", "name": "Fuzz", "country": "DE"}
    if (method, path) in (("POST", "/api/v1/products"), ("PUT", "/api/v1/products/by-ref/{external_ref}")):
        return {"code": f"ST-{tag()}", "name": "Fuzz", "form": "metal"}
    if (method, path) == ("POST", "/api/v1/price-indices"):
        return {"code": f"ST-{tag()}", "name": "Fuzz", "currency": "EUR"}
    if (method, path) == ("POST", "/api/v1/fx-rates"):
        # Fixings, like quotes, are for days that are over.
        return [{"base": "USD", "quote": "CNY", "date": f"{MONTHS[n % 10]}-{1 + n % 28:02d}", "rate": "7.1050"}]
    if (method, path) == ("PUT", "/api/v1/fx-rates/{base_currency}/{quote_currency}/{date}"):
        return {"rate": "7.1050", "source": "fuzz"}
    if (method, path) == ("POST", "/api/v1/price-indices/{id}/quotes"):
        # Quotes are for days that are over.
        return [{"date": f"{MONTHS[n % 10]}-{1 + n % 28:02d}", "price": "60.5"}]
    if (method, path) == ("POST", "/api/v1/auth/token"):
        return {"username": "admin", "password": PASSWORD}
    if (method, path) == ("POST", "/api/v1/pricing/preview"):
        return {"currency": "USD", "period": "2026-11", "pricing": {"type": "index", "index_id": I}}
    if (method, path) == ("POST", "/api/v1/stock-snapshots"):
        return {"product_id": P_SPARE, "period": m, "quantity_kg": "100"}
    if (method, path) == ("PUT", "/api/v1/production-actuals/{product_id}/{period}"):
        return {"actual_kg": "100"}
    if (method, path) == ("PATCH", "/api/v1/users/{id}"):
        return {"role": "viewer"}
    if (method, path) == ("POST", "/api/v1/imports/{kind}"):
        return [{"code": f"ST-{tag()}", "name": "Imported", "country": "KR"}]
    if (method, path) == ("POST", "/api/v1/imports/{kind}/csv"):
        return f"code,name,country\r\nST-{tag()},Imported,KR\r\n"
    return None


def positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and str(meta.generation.mode).lower().endswith("positive")


def fuzzing(case):
    meta = getattr(case, "meta", None)
    return meta is not None and "fuzz" in str(meta.phase.name).lower()


@schemathesis.hook
def before_add_examples(ctx, examples):
    """The schema's examples name ids of another database: they get the same treatment."""
    for case in examples:
        prepare(case, valid=True)


@schemathesis.hook
def map_case(ctx, case):
    return prepare(case, valid=positive(case))


def prepare(case, valid, linked=False):
    """`linked`: the stateful phase's case, whose `{id}` names what its scenario created and
    is kept."""
    method, path = case.operation.method.upper(), case.operation.path
    full = path if path.startswith("/api/v1") else "/api/v1" + path
    params = case.path_parameters if case.path_parameters is not None else {}
    if valid:
        # Valid data for every deterministic phase, and for every other fuzzed case.
        use = not fuzzing(case) or next(COUNTER) % 2 == 0
        action = ACTIONS.get((method, full))
        if use and action is not None:
            kind, body = action
            body = SHIP if body is None else body
            made = None if linked else fresh(kind)
            if made is not None:
                params["id"] = made
            if case.body is not None or body:
                case.body = dict(body)
        elif use:
            body = template(method, full)
            if body is not None:
                case.body = body
                if "kind" in params:
                    params["kind"] = "customers"
                    case.query = {}
        if case.headers:
            case.headers.pop("If-Match", None)
    supply = any(marker in full for marker in SUPPLY_PATHS)
    if isinstance(case.body, (dict, list)) and not full.endswith("/auth/token"):
        real_refs(case.body, SUPPLY_REFS if supply else REFS)
    if "delivery_id" in params:
        # Redelivery names the shared subscription's first delivery.
        params["id"], params["delivery_id"] = W, D
    for key in list(params):
        if key == "delivery_id":
            continue
        if key == "id" and ("delivery_id" in params or linked):
            continue
        if key == "id" and not (valid and (method, full) in ACTIONS):
            # Quotes go to the shared index, which nothing archives.
            changes = method != "GET" and not full.endswith("/quotes")
            params[key] = named_by(full, SPARES if changes else PATH_IDS, params[key])
        elif key == "product_id":
            params[key] = P_SPARE if supply else P
        elif valid and key in ("base_currency", "quote_currency"):
            params[key] = "USD" if key == "base_currency" else "CNY"
        elif valid and key == "date":
            n = next(COUNTER)
            params[key] = f"{MONTHS[n % 10]}-{1 + n % 28:02d}"
        elif key == "period":
            params[key] = month()
        elif key == "external_ref" and isinstance(case.body, dict):
            # A reference the stateful phase took from an earlier answer arrives URL-encoded.
            ref = params[key]
            case.body["external_ref"] = urllib.parse.unquote(ref) if linked else ref
    if valid and case.query:
        # A month range runs forwards and spans at most a year (quotes' ranges are days).
        if "from" in case.query and "to" in case.query and "/fx-rates" in full:
            case.query["from"], case.query["to"] = "2026-01-01", "2026-12-31"
        elif "from" in case.query and "to" in case.query and not full.endswith("/quotes"):
            start = month()
            case.query["from"], case.query["to"] = start, MONTHS[MONTHS.index(start) + next(COUNTER) % 12]
        if "quantity_kg" in case.query:
            case.query["quantity_kg"] = "10"
    if case.query:
        for key in list(case.query):
            if key in REFS:
                case.query[key] = REFS[key]
            elif key == "cursor":
                case.query.pop(key)
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    return case


@schemathesis.hook
def map_body(ctx, body):
    """Quotes are for days that are over, each day once: a schema cannot say "not in the
    future"; this holds for the stateful phase too, whose cases come from the links."""
    operation = getattr(ctx, "operation", None)
    if operation is not None and operation.path.endswith("/quotes") and isinstance(body, list):
        for i, quote in enumerate(body):
            if isinstance(quote, dict) and isinstance(quote.get("date"), str):
                quote["date"] = f"{MONTHS[i // 28 % 10]}-{1 + i % 28:02d}"
    return body


def stateful(case):
    meta = getattr(case, "meta", None)
    return meta is not None and "stateful" in str(meta.phase.name).lower()


# The shared data set every phase's valid cases rely on.
SHARED = {C, P, I, K, O, L}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """Runs before every request of every phase, after `map_case` where that applies.

    The stateful phase's cases never pass through `map_case`: each takes its `{id}` from what
    its scenario created, and gets the same valid body as the other phases' valid cases.

    And no change lands on the shared data set. The stateful phase also follows links it infers
    from response fields (an order's `customer_id` to archiving that customer, a shipment's
    `order_id` to cancelling the order): a change naming a shared resource goes to the spare of
    its kind, and recorded output or stock to the spare product, so the shared customer,
    product, index, contract, order and licence stay as every later case needs them. Quotes go
    to the shared index, which nothing archives; a redelivery names the shared subscription."""
    if stateful(case) and positive(case):
        prepare(case, valid=True, linked=True)
    method = case.operation.method.upper()
    if method == "GET" or case.path_parameters is None:
        return
    path = case.operation.path
    params = case.path_parameters
    if params.get("id") in SHARED and not path.endswith("/quotes"):
        params["id"] = named_by(path, SPARES, params["id"])
    if params.get("product_id") == P:
        params["product_id"] = P_SPARE


# NDPR_ST_TRACE=file.jsonl records every answer (phase, mode, operation, status, the start of
# the body): what tells which cases an operation's "validation mismatch" comes from.
TRACE = os.environ.get("NDPR_ST_TRACE")


@schemathesis.hook
def after_call(ctx, case, response):
    if TRACE:
        meta = getattr(case, "meta", None)
        with open(TRACE, "a") as f:
            f.write(json.dumps({
                "phase": str(meta.phase.name) if meta is not None else "?",
                "mode": str(meta.generation.mode) if meta is not None else "?",
                "method": case.operation.method.upper(), "path": case.operation.path,
                "params": case.path_parameters, "status": response.status_code,
                "body": response.text[:300],
            }) + "\n")
