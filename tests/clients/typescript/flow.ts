// A short integration flow through the TypeScript client generated from the served OpenAPI
// document (openapi-typescript + openapi-fetch), type-checked with `tsc --strict`, with no
// cast and no hand-written types: log in, create master data and a plan, confirm against ATP
// and read the refusal's numbers, reconcile, page the change feed, then ship the confirmed order
// and settle it (today's USD/CNY fixing, the settlement, finalise).
//
//   node dist/flow.js BASE_URL ADMIN_PASSWORD

import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type Event = components["schemas"]["Event"];

const [base = "http://127.0.0.1:8080", password = ""] = process.argv.slice(2);
// A month that is still ahead whenever this runs.
const month = `${new Date().getUTCFullYear() + 1}-04`;
const later = `${new Date().getUTCFullYear() + 1}-06`;

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`typescript client flow: ${what}`);
    process.exit(1);
  }
  console.log(`  ok: ${what}`);
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    console.error(`typescript client flow: ${what}`);
    process.exit(1);
  }
  return value;
}

const anonymous = createClient<paths>({ baseUrl: base });
const login = await anonymous.POST("/api/v1/auth/token", {
  body: { username: "admin", password },
});
const token = must(login.data, "log in").access_token;
check(token.length > 0, "log in");
const api = createClient<paths>({
  baseUrl: base,
  headers: { Authorization: `Bearer ${token}` },
});

const tag = Math.random().toString(36).slice(2, 8).toUpperCase();
const customer = must(
  (await api.POST("/api/v1/customers", {
    body: { code: `TS-${tag}`, name: "TypeScript Buyer", country: "KR" },
  })).data,
  "create a customer",
);
const product = must(
  (await api.POST("/api/v1/products", {
    body: { code: `TSP-${tag}`, name: "NdPr metal", form: "metal" },
  })).data,
  "create a product",
);
check(customer.id !== product.id, "create a customer and a product");

const plan = must(
  (await api.POST("/api/v1/production-plans", {
    body: {
      note: "typescript flow",
      lines: [
        { product_id: product.id, period: month, planned_kg: "1000" },
        { product_id: product.id, period: later, planned_kg: "2000" },
      ],
    },
  })).data,
  "create a plan",
);
const approval = await api.POST("/api/v1/production-plans/{id}/approve", {
  params: { path: { id: plan.id } },
});
check(approval.response.status === 200, `approve a plan of 1,000 kg for ${month} and 2,000 kg for ${later}`);

async function spot(kg: string) {
  return must(
    (await api.POST("/api/v1/orders", {
      body: {
        order_type: "spot",
        customer_id: customer.id,
        product_id: product.id,
        period: month,
        quantity_kg: kg,
        pricing: { type: "fixed", unit_price: "64.00" },
        currency: "USD",
        incoterm: "FOB",
        incoterm_place: "Tianjin",
      },
    })).data,
    `create a ${kg} kg order`,
  );
}

const tooBig = await spot("1200");
const refused = await api.POST("/api/v1/orders/{id}/confirm", {
  params: { path: { id: tooBig.id } },
});
check(refused.response.status === 409, "a confirmation above ATP is refused (409)");
const refusal = must(refused.error, "the refusal's problem document");
check(
  "requested_kg" in refusal &&
    refusal.requested_kg === "1200.000" &&
    refusal.available_kg === "1000.000" &&
    refusal.first_short_period === month,
  `the refusal's numbers: requested 1200.000 kg, available 1000.000 kg, short from ${month}`,
);
check(
  "first_fit_period" in refusal && refusal.first_fit_period === later && refusal.first_fit_available_kg === "3000.000",
  `the refusal names the first month that fits: ${later} with 3000.000 kg`,
);

const fits = await spot("250");
const key = `ts-confirm-${tag}`;
const confirm = () =>
  api.POST("/api/v1/orders/{id}/confirm", {
    params: { path: { id: fits.id }, header: { "Idempotency-Key": key } },
  });
const first = await confirm();
const confirmed = must(first.data, "confirm a 250 kg order");
check(confirmed.status === "confirmed", "a 250 kg order confirms");
const retried = await confirm();
check(
  retried.response.status === 200 &&
    retried.response.headers.get("idempotent-replayed") === "true" &&
    retried.data?.version === confirmed.version,
  "the confirmation retried with its Idempotency-Key replays the first answer",
);

const unchanged = await api.GET("/api/v1/customers/{id}", {
  params: { path: { id: customer.id }, header: { "If-None-Match": `"${customer.version}"` } },
});
check(unchanged.response.status === 304, "If-None-Match with the ETag last read: 304");

// A CSV import written from the columns the service describes.
const columns = must(
  (await api.GET("/api/v1/imports/{kind}/columns", { params: { path: { kind: "customers" } } })).data,
  "read the customers CSV columns",
);
const row: components["schemas"]["CustomerCsvRow"] = {
  code: `XLS-${tag}`,
  name: "Spreadsheet Buyer",
  country: "DE",
  external_ref: `XLS-${tag}`,
};
const values = new Map<string, unknown>(Object.entries(row));
const cells = columns.columns.map((c) => String(values.get(c.name) ?? ""));
const csv = `${columns.columns.map((c) => c.name).join(",")}\r\n${cells.join(",")}\r\n`;
const imported = await api.POST("/api/v1/imports/{kind}/csv", {
  params: { path: { kind: "customers" } },
  body: csv,
  bodySerializer: (b: string) => b,
  headers: { "Content-Type": "text/csv" },
});
check(imported.response.status === 200 && imported.data?.created === 1, "import that CSV row");

const rec = must(
  (await api.GET("/api/v1/reconciliation", {
    params: { query: { product_id: product.id, from: month, to: month } },
  })).data,
  "reconcile",
);
check(rec.rows[0]?.atp_kg === "750.000", `reconciliation: 750.000 kg ATP left in ${month}`);

const seen: Event[] = [];
let after = 0;
for (;;) {
  const page = must(
    (await api.GET("/api/v1/events", { params: { query: { after, limit: 100 } } })).data,
    "page the feed",
  );
  if (page.items.length === 0) break;
  seen.push(...page.items);
  after = page.last_seq;
}
const confirmation = seen.find(
  (e) => e.type === "order.confirmed" && e.entity_type === "order" && e.data.id === fits.id,
);
check(confirmation !== undefined, `the feed, paged with after=, holds the confirmation (${seen.length} events)`);

// Ship the confirmed order and settle it: a fixed price is final at once.
const today = new Date().toISOString().slice(0, 10);
const fixing = await api.PUT("/api/v1/fx-rates/{base_currency}/{quote_currency}/{date}", {
  params: { path: { base_currency: "USD", quote_currency: "CNY", date: today } },
  body: { rate: "7.1", source: "typescript flow" },
});
check(fixing.response.status === 200 || fixing.response.status === 201, "record today's USD/CNY fixing");
const shipment = must(
  (await api.POST("/api/v1/shipments", {
    body: {
      order_id: fits.id,
      quantity_kg: "250",
      lots: [{ lot_number: `TS-LOT-${tag}`, quantity_kg: "250" }],
      planned_ship_date: today,
    },
  })).data,
  "plan a shipment",
);
const shipped = must(
  (await api.POST("/api/v1/shipments/{id}/ship", {
    params: { path: { id: shipment.id } },
    body: { shipped_on: today, vessel: "HMM Algeciras", bl_number: `HMM${tag}`, containers: ["TGHU7654321"] },
  })).data,
  "ship the order",
);
check(shipped.status === "shipped", "ship the order");
const settlement = must(
  (await api.GET("/api/v1/shipments/{id}/settlement", { params: { path: { id: shipment.id } } })).data,
  "read the settlement",
);
const value = settlement.provisional.value;
check(
  value !== null && value !== undefined && settlement.balance === "0.00" && settlement.status === "open",
  `its settlement: 250 kg at the fixed price = ${String(value)}, balance ${String(settlement.balance)}`,
);
const final = must(
  (await api.POST("/api/v1/shipments/{id}/settlement/finalise", { params: { path: { id: shipment.id } } })).data,
  "finalise the settlement",
);
check(final.status === "final", "finalise the settlement");
console.log("typescript client flow: passed");
