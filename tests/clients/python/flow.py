"""A short integration flow through the Python client generated from the served OpenAPI
document (openapi-python-client), with no hand-written HTTP and no workaround: log in, create
master data and a plan, confirm against ATP and read the refusal's numbers, reconcile, and page
the change feed, then ship the confirmed order and settle it: record today's USD/CNY fixing,
read the settlement, finalise it.

    python3 flow.py GENERATED_DIR BASE_URL ADMIN_PASSWORD
"""

import datetime
import sys
import uuid

sys.path.insert(0, sys.argv[1])
base, password = sys.argv[2], sys.argv[3]
# A month that is still ahead whenever this runs, and the one two months later.
MONTH = f"{datetime.date.today().year + 1}-03"
LATER = f"{datetime.date.today().year + 1}-05"

from ndpr_client import AuthenticatedClient, Client  # noqa: E402
from ndpr_client.api.auth import issue_token  # noqa: E402
from ndpr_client.api.customers import create_customer, get_customer  # noqa: E402
from ndpr_client.api.imports import import_columns  # noqa: E402
from ndpr_client.api.events import list_events  # noqa: E402
from ndpr_client.api.orders import confirm_order, create_order  # noqa: E402
from ndpr_client.api.production import (  # noqa: E402
    approve_production_plan,
    create_production_plan,
)
from ndpr_client.api.products import create_product  # noqa: E402
from ndpr_client.api.fx_rates import put_fx_rate  # noqa: E402
from ndpr_client.api.reconciliation import get_reconciliation  # noqa: E402
from ndpr_client.api.shipments import (  # noqa: E402
    create_shipment,
    finalise_settlement,
    get_settlement,
    ship_shipment,
)
from ndpr_client.models import (  # noqa: E402
    AtpRefusalProblem,
    CellType,
    Credentials,
    Currency,
    CustomerCsvRow,
    ImportKind,
    FixedPricing,
    FxFixingInput,
    Lot,
    NewShipment,
    Settlement,
    SettlementStatus,
    ShipRequest,
    FixedType,
    NewCustomer,
    NewOrder,
    NewPlan,
    NewProduct,
    Order,
    OrderEvent,
    OrderStatus,
    OrderType,
    PlanLine,
    ProductForm,
)


def check(ok, what):
    if not ok:
        raise SystemExit(f"python client flow: {what}")
    print(f"  ok: {what}")


anonymous = Client(base_url=base)
token = issue_token.sync(client=anonymous, body=Credentials(username="admin", password=password))
check(token is not None and hasattr(token, "access_token"), "log in")
api = AuthenticatedClient(base_url=base, token=token.access_token)

tag = uuid.uuid4().hex[:6].upper()
customer = create_customer.sync(client=api, body=NewCustomer(code=f"PY-{tag}", name="Python Buyer", country="JP"))
product = create_product.sync(client=api, body=NewProduct(code=f"PYP-{tag}", name="NdPr oxide", form=ProductForm.OXIDE))
check(customer.id and product.id, "create a customer and a product")

plan = create_production_plan.sync(
    client=api,
    body=NewPlan(
        note="python flow",
        lines=[
            PlanLine(product_id=product.id, period=MONTH, planned_kg="1000"),
            PlanLine(product_id=product.id, period=LATER, planned_kg="2000"),
        ],
    ),
)
approval = approve_production_plan.sync_detailed(plan.id, client=api)
check(approval.status_code == 200, f"approve a plan of 1,000 kg for {MONTH} and 2,000 kg for {LATER}")


def spot(kg):
    return create_order.sync(
        client=api,
        body=NewOrder(
            order_type=OrderType.SPOT,
            customer_id=customer.id,
            product_id=product.id,
            period=MONTH,
            quantity_kg=kg,
            pricing=FixedPricing(type_=FixedType.FIXED, unit_price="61.25"),
            currency=Currency.USD,
            incoterm="CIF",
            incoterm_place="Yokohama",
        ),
    )


too_big = spot("1500")
refused = confirm_order.sync_detailed(too_big.id, client=api)
check(refused.status_code == 409 and isinstance(refused.parsed, AtpRefusalProblem), "a confirmation above ATP is refused (409)")
check(
    (refused.parsed.requested_kg, refused.parsed.available_kg, refused.parsed.first_short_period)
    == ("1500.000", "1000.000", MONTH),
    f"the refusal's numbers: requested {refused.parsed.requested_kg}, available {refused.parsed.available_kg}",
)
check(
    (refused.parsed.first_fit_period, refused.parsed.first_fit_available_kg) == (LATER, "3000.000"),
    f"the refusal names the first month that fits: {refused.parsed.first_fit_period} "
    f"with {refused.parsed.first_fit_available_kg} kg",
)

fits = spot("400")
key = str(uuid.uuid4())
confirmed = confirm_order.sync_detailed(fits.id, client=api, idempotency_key=key)
check(
    isinstance(confirmed.parsed, Order) and confirmed.parsed.status == OrderStatus.CONFIRMED,
    "a 400 kg order confirms",
)
retried = confirm_order.sync_detailed(fits.id, client=api, idempotency_key=key)
check(
    retried.status_code == 200 and retried.headers.get("idempotent-replayed") == "true"
    and retried.parsed.version == confirmed.parsed.version,
    "the confirmation retried with its Idempotency-Key replays the first answer",
)

# A read that has not changed since: 304, nothing to parse.
unchanged = get_customer.sync_detailed(customer.id, client=api, if_none_match=f'"{customer.version}"')
check(unchanged.status_code == 304 and unchanged.parsed is None, "If-None-Match with the ETag last read: 304")

# A CSV import written from the columns the service describes (the CustomerCsvRow model).
columns = import_columns.sync(ImportKind.CUSTOMERS, client=api)
names = [c.name for c in columns.columns]
check(
    {c.name for c in columns.columns if c.required} == {"code", "name", "country"}
    and all(c.type_ == CellType.TEXT for c in columns.columns),
    f"the customers CSV columns: {', '.join(names)}",
)
row = CustomerCsvRow(code=f"100{tag[:3]}", name="Spreadsheet Buyer", country="DE",
                     external_ref=f"XLS-{tag}").to_dict()
document = ",".join(names) + "\r\n" + ",".join(str(row.get(n, "")) for n in names) + "\r\n"
# openapi-python-client generates no function for a text/csv body; its own HTTP client sends it.
sent = api.get_httpx_client().post("/api/v1/imports/customers/csv", content=document,
                                   headers={"content-type": "text/csv"})
check(sent.status_code == 200 and sent.json()["created"] == 1, "import that CSV row")

rec = get_reconciliation.sync(client=api, product_id=product.id, from_=MONTH, to=MONTH)
check(rec.rows[0].atp_kg == "600.000", f"reconciliation: ATP {rec.rows[0].atp_kg} kg left in {MONTH}")

after, seen = 0, []
while True:
    page = list_events.sync(client=api, after=after, limit=100)
    if not page.items:
        break
    seen += page.items
    after = page.last_seq
confirmations = [e for e in seen if isinstance(e, OrderEvent) and e.type_.value == "order.confirmed" and e.data.id == fits.id]
check(len(confirmations) == 1, f"the feed, paged with after=, has {len(seen)} events and the confirmation typed as an order event")

# Ship the confirmed order and settle it: a fixed price is final at once.
today = datetime.date.today()
fixing = put_fx_rate.sync_detailed("USD", "CNY", today, client=api, body=FxFixingInput(rate="7.1", source="python flow"))
check(fixing.status_code in (200, 201), f"record today's USD/CNY fixing ({fixing.status_code})")
shipment = create_shipment.sync(
    client=api,
    body=NewShipment(
        order_id=fits.id,
        quantity_kg="400",
        lots=[Lot(lot_number=f"PY-LOT-{tag}", quantity_kg="400")],
        planned_ship_date=today,
    ),
)
shipped = ship_shipment.sync(
    shipment.id,
    client=api,
    body=ShipRequest(shipped_on=today, vessel="COSCO Aries", bl_number=f"COSU{tag}", containers=["CSNU1234567"]),
)
check(shipped is not None and shipped.status.value == "shipped", "ship the order")
settlement = get_settlement.sync(shipment.id, client=api)
check(
    isinstance(settlement, Settlement)
    and settlement.provisional.value == "24500.00"
    and settlement.balance == "0.00"
    and settlement.book.provisional_due == "173950.00",
    f"its settlement: 400 kg x 61.25 = {settlement.provisional.value} USD, balance {settlement.balance}, "
    f"{settlement.book.provisional_due} CNY due at 7.1",
)
final = finalise_settlement.sync(shipment.id, client=api)
check(isinstance(final, Settlement) and final.status == SettlementStatus.FINAL, "finalise the settlement")
print("python client flow: passed")
