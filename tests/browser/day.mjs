// A sales person's day at the desk, in a real browser: Debian's Chromium driven by
// playwright-core, against a server with a FRESH demo data set (it writes: orders, one
// contract terminated). Clicks, types and reads the pages; the API only sets data up and
// checks outcomes. Every step is screenshotted into SCREENSHOT_DIR; axe-core checks each
// page at 1440 and at 390 px. Prints one line per check; exits non-zero if any failed.
//
//   node day.mjs BASE_URL SCREENSHOT_DIR [CHROMIUM_PATH]      (env NDPR_DEMO_PASSWORD)
//
// Nothing depends on ids: products, customers, contracts and orders are found by their
// codes (NDPR-OXIDE, NDPR-METAL, SM-OXIDE, JP-NMAG, LTC-…, ORD-…) on the pages or the API.

import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const [base, shots = "target/browser-day", executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
if (!base) {
  console.error("usage: node day.mjs BASE_URL SCREENSHOT_DIR [CHROMIUM_PATH]");
  process.exit(2);
}
const PASSWORD = process.env.NDPR_DEMO_PASSWORD ?? "ndpr-demo-2026";
const ADMIN_PASSWORD = process.env.NDPR_ADMIN_PASSWORD ?? "admin-password-1";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
mkdirSync(shots, { recursive: true });
const started = Date.now();

let failures = 0;
function check(ok, what) {
  console.log(`  ${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failures += 1;
}
function section(title) {
  console.log(`${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
const kg = (text) => Number(String(text).replace(/[^0-9.]/g, ""));
const addMonths = (period, n) => {
  const [y, m] = period.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

// Console errors and CSP violations, on every page of every context. A refused form answers
// with its status (409, 412, 422) on purpose, and so do a few steps below (the 404 page, a
// session that ended): Chromium logs any non-2xx answer as an error, so those are expected.
const problems = [];
const expected = { notFound: false, sessionEnded: false };
function watch(page) {
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    if (/status of (409|412|422) /.test(text)) return;
    if (expected.notFound && /status of 404 /.test(text)) return;
    if (expected.sessionEnded && /status of 401 /.test(text)) return;
    problems.push(`${page.url()}: ${text}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e}`));
}
const reportCsp = () => document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});

// Wait for the navigation a click starts (a form POST answered by a redirect, or a link).
async function clickAndWait(page, locator) {
  const nav = page.waitForNavigation({ timeout: 15000 });
  nav.catch(() => {});
  await locator.click({ timeout: 15000 });
  await nav;
}

async function logIn(page, username, password) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await clickAndWait(page, page.getByRole("button", { name: "Log in" }));
}

// The texts of one column of a table, found by its header's text.
async function column(page, table, header) {
  return page.$eval(table, (t, h) => {
    const heads = [...t.querySelectorAll("thead th")].map((th) => th.textContent.replace(/[▲▼]/g, "").trim());
    const i = heads.indexOf(h);
    if (i < 0) return null;
    return [...t.querySelectorAll("tbody tr")].map((tr) => tr.children[i]?.textContent.trim() ?? "");
  }, header);
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  // The day's work runs with the pages' CSP in force; axe runs in a second context that
  // bypasses it (the CSP rightly blocks an injected script).
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
  await context.addInitScript(reportCsp);
  await context.addInitScript(() => { window.kgOf = (t) => Number(String(t ?? "").replace(/[^0-9.]/g, "")); });
  const page = await context.newPage();
  watch(page);

  // The API, to set data up and to check outcomes.
  const tokenAnswer = await context.request.post("/api/v1/auth/token", { data: { username: "sakura", password: PASSWORD } });
  const token = (await tokenAnswer.json()).access_token;
  const headers = { Authorization: `Bearer ${token}` };
  const api = async (path) => (await context.request.get(path, { headers })).json();
  const apiPost = (path, data) => context.request.post(path, { headers, data });
  const products = Object.fromEntries((await api("/api/v1/products?limit=500")).items.map((p) => [p.code, p]));
  const customers = Object.fromEntries((await api("/api/v1/customers?limit=500")).items.map((c) => [c.code, c]));
  const atp = async (productId, period) => Number((await api(`/api/v1/atp?product_id=${productId}&period=${period}`)).atp_kg);
  const ordersOf = async (productId) => (await api(`/api/v1/orders?product_id=${productId}&limit=500`)).items;
  const METAL = products["NDPR-METAL"].id;
  const OXIDE = products["NDPR-OXIDE"].id;
  const SM = products["SM-OXIDE"].id;
  const NMAG = customers["JP-NMAG"].id;

  // ---------------------------------------------------------------------------------------
  section("Logging in");
  await page.goto("/");
  check(page.url().endsWith("/login"), "the desk sends a visitor to /login");
  await shot(page, "login-1440");
  await page.getByLabel("Username").fill("sakura");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/`);
  check(await page.getByRole("heading", { name: "Desk", exact: true }).isVisible(), "sakura sees the desk");

  // ---------------------------------------------------------------------------------------
  section("3. Numbers that mean one thing (desk)");
  await shot(page, "desk-1440");
  const tiles = page.locator("#product-tiles a.tile");
  const tileData = await tiles.evaluateAll((as) => as.map((a) => ({
    code: a.dataset.product, label: a.querySelector(".label")?.textContent.trim(),
    value: a.querySelector(".value")?.textContent.trim(), text: a.textContent.replace(/\s+/g, " "),
  })));
  const codes = Object.keys(products).sort();
  check(JSON.stringify(tileData.map((t) => t.code).sort()) === JSON.stringify(codes),
    `one ATP tile per product (${tileData.map((t) => t.code).join(", ")})`);
  check(tileData.every((t) => t.label === t.code && /^[\d,]+\.\d{3} kg$/.test(t.value)),
    `each product tile has its own kg (${tileData.map((t) => `${t.code} ${t.value}`).join("; ")})`);
  const kgElsewhere = await page.$$eval(".tile .value", (vs) => vs
    .filter((v) => !v.closest("#product-tiles")).map((v) => v.textContent.trim()).filter((t) => /\d kg\b/.test(t)));
  check(kgElsewhere.length === 0, `no other tile shows a kg figure summed across products (${kgElsewhere.join("; ") || "none"})`);
  const zero = tileData.filter((t) => kg(t.value) === 0);
  check(zero.length > 0 && zero.every((t) => /\bShort\b/.test(t.text)),
    `a product with 0 kg available says “Short” (${zero.map((t) => t.code).join(", ") || "no product at 0 kg"})`);
  const oxideTile = tileData.find((t) => t.code === "NDPR-OXIDE");
  check(oxideTile && kg(oxideTile.value) === 0 && oxideTile.text.includes("Short"),
    `the demo's NDPR-OXIDE tile says Short (${oxideTile?.value})`);

  const months = () => page.locator("table.heat thead th").count().then((n) => n - 1);
  const firstMonth = await page.locator("td.cell").first().getAttribute("data-period");
  check(await months() === 6, `the heat map starts with 6 month columns (${await months()})`);
  await clickAndWait(page, page.getByRole("link", { name: "12 months", exact: true }));
  check(await months() === 12 && page.url().includes("months=12"), `“12 months” shows 12 month columns (${await months()})`);
  await clickAndWait(page, page.getByRole("link", { name: "18 months", exact: true }));
  check(await months() === 18 && page.url().includes("months=18"), `“18 months” shows 18 month columns (${await months()})`);
  check(await page.getByRole("link", { name: "18 months", exact: true }).getAttribute("aria-current") === "true",
    "the chosen horizon is marked current");
  await shot(page, "desk-18-months-1440");
  const cells = await page.locator("td.cell").count();
  const cellLinks = await page.locator("td.cell a").count();
  check(cells > 0 && cells === cellLinks, `every heat-map cell is a link (${cellLinks} of ${cells})`);
  const oxideCell = page.locator(`td.cell[data-product="${OXIDE}"]`).first();
  const oxideMonth = await oxideCell.getAttribute("data-period");
  await clickAndWait(page, oxideCell.locator("a"));
  check(/\/reconciliation\//.test(page.url()), `a cell opens the reconciliation (${page.url().replace(base, "")})`);
  const opened = await page.locator('tr[aria-current="true"] th').first().textContent().catch(() => "");
  check(opened.startsWith(oxideMonth), `the reconciliation highlights the cell's month (${opened.trim()})`);
  await shot(page, "reconciliation-1440");

  await page.goto("/");
  const riskValue = (await page.locator("#count-at-risk .value").textContent()).trim();
  const riskDetail = (await page.locator("#count-at-risk .detail").textContent()).trim();
  const riskRows = await page.$$eval("#orders-at-risk tbody tr", (rs) => rs.map((r) => ({
    number: r.querySelector("a")?.textContent.trim(), href: r.querySelector("a")?.getAttribute("href"),
    month: r.children[3]?.textContent.trim(),
  })));
  const distinct = new Set(riskRows.map((r) => r.number)).size;
  check(/^\d+ orders?$/.test(riskValue) && Number(riskValue.split(" ")[0]) === distinct,
    `the at-risk tile counts orders: “${riskValue}”, ${distinct} distinct orders in the table`);
  const orderMonths = Number(riskDetail.match(/(\d+) order-months?/)?.[1]);
  check(orderMonths === riskRows.length, `its detail counts order-months: “${riskDetail}”, ${riskRows.length} table rows`);

  // ---------------------------------------------------------------------------------------
  section("7. Risk explained");
  const atRisk = riskRows[0];
  check(Boolean(atRisk), `the desk lists orders at risk (${riskRows.length} rows)`);
  if (atRisk) {
    await clickAndWait(page, page.locator("#orders-at-risk tbody tr").first().getByRole("link"));
    const risk = page.locator("#risk");
    check(await risk.isVisible(), `${atRisk.number} has a #risk section`);
    const riskText = (await risk.textContent()).replace(/\s+/g, " ");
    check(riskText.includes(atRisk.month), `it names the short month (${atRisk.month})`);
    const shortBy = await page.locator("#risk-months tbody tr").first().locator("td").first().textContent();
    check(/^[\d,]+\.\d{3}$/.test(shortBy.trim()), `it gives the shortfall in kg (${shortBy.trim()} kg)`);
    check(/spot.*add-on.*latest confirmed/is.test(riskText), "it states the rule: spot before add-on, the latest confirmed first");
    await shot(page, "order-at-risk-1440");
  }
  const riskOrderPath = atRisk?.href;

  // ---------------------------------------------------------------------------------------
  section("1. Orders worklist");
  await page.goto("/");
  const waitingTile = page.getByRole("link", { name: /Orders waiting for confirmation/ });
  check(await waitingTile.evaluate((a) => a.tagName === "A" && a.classList.contains("tile")),
    "the tile “Orders waiting for confirmation” is a link");
  const waitingCount = Number((await waitingTile.locator(".value").textContent()).match(/\d+/)?.[0]);
  await clickAndWait(page, waitingTile);
  check(new URL(page.url()).pathname === "/orders" && page.url().includes("status=waiting"),
    `it opens the orders worklist (${page.url().replace(base, "")})`);
  const waitingStatuses = await column(page, "#orders", "Status");
  check(waitingStatuses?.length === waitingCount && waitingStatuses.every((s) => ["draft", "submitted"].includes(s)),
    `the worklist lists the tile's ${waitingCount} waiting orders (${waitingStatuses?.join(", ")})`);
  await shot(page, "orders-waiting-1440");

  await page.getByLabel("Status", { exact: true }).selectOption("confirmed");
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  const confirmedStatuses = await column(page, "#orders", "Status");
  check(page.url().includes("status=confirmed") && confirmedStatuses.length > 0 && confirmedStatuses.every((s) => s === "confirmed"),
    `filter Status = confirmed and Show: ${confirmedStatuses.length} confirmed rows, URL ${page.url().replace(base, "")}`);
  const qtyHeader = page.locator("#orders thead th").filter({ hasText: "Quantity (kg)" });
  await clickAndWait(page, qtyHeader.getByRole("link"));
  let url = new URL(page.url());
  let qty = (await column(page, "#orders", "Quantity (kg)")).map(kg);
  check(await qtyHeader.getAttribute("aria-sort") === "ascending" && url.searchParams.get("sort") === "quantity"
    && url.searchParams.get("dir") === "asc" && url.searchParams.get("status") === "confirmed",
    `clicking “Quantity (kg)” sorts ascending, aria-sort and URL say so (${url.search})`);
  check(qty.every((q, i) => i === 0 || qty[i - 1] <= q), `the rows are in ascending quantity (${qty.join(", ")})`);
  await clickAndWait(page, qtyHeader.getByRole("link"));
  url = new URL(page.url());
  check(await qtyHeader.getAttribute("aria-sort") === "descending" && url.searchParams.get("dir") === "desc",
    `clicking it again sorts descending (${url.search})`);
  await page.reload();
  qty = (await column(page, "#orders", "Quantity (kg)")).map(kg);
  check(await qtyHeader.getAttribute("aria-sort") === "descending" && await page.getByLabel("Status", { exact: true }).inputValue() === "confirmed"
    && qty.every((q, i) => i === 0 || qty[i - 1] >= q), "a reload keeps filter and sort (state in the URL)");
  await shot(page, "orders-sorted-1440");

  // 9. CSV from the worklist, with the page's cookies.
  const csvHref = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  const csv = await context.request.get(csvHref);
  const csvHead = (await csv.text()).split("\n")[0];
  check(csv.ok() && csvHead.includes("customer_code") && csvHead.includes("product_code"),
    `the worklist's CSV (${csvHref}) has customer_code and product_code (${csvHead.slice(0, 120)}…)`);

  // An unknown desk address.
  expected.notFound = true;
  const missing = await page.goto("/nothing-here");
  check(missing.status() === 404 && (missing.headers()["content-type"] ?? "").startsWith("text/html"),
    `/nothing-here answers 404 with an HTML page (${missing.status()}, ${missing.headers()["content-type"]})`);
  check(await page.getByRole("heading", { name: /not found/i }).isVisible(), "the page says not found");
  await shot(page, "not-found-1440");
  await page.goto("/");
  expected.notFound = false;

  // Paging: 60 drafts through the API (spot, JP-NMAG, SM-OXIDE, a few months ahead).
  const run = Date.now().toString(36).toUpperCase();
  const draftMonth = addMonths(firstMonth, 4);
  const drafts = [];
  for (let i = 0; i < 60; i += 1) {
    const made = await apiPost("/api/v1/orders", {
      order_type: "spot", customer_id: NMAG, product_id: SM, period: draftMonth, quantity_kg: String(10 + i),
      pricing: { type: "fixed", unit_price: "30.00" }, currency: "USD", incoterm: "CIF", incoterm_place: "Yokohama",
      external_ref: `DAY-${run}-${i}`,
    });
    if (made.status() !== 201) { check(false, `draft ${i} created (${made.status()} ${await made.text()})`); break; }
    drafts.push(await made.json());
  }
  check(drafts.length === 60, `60 draft orders created through the API (${drafts.length})`);
  await page.goto("/orders");
  await page.getByLabel("Status", { exact: true }).selectOption("draft");
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  const page1Rows = await page.locator("#orders tbody tr").count();
  check(await page.getByText("Page 1 of 2", { exact: true }).isVisible(), `the pager says “Page 1 of 2” (${page1Rows} rows)`);
  await shot(page, "orders-page-1-1440");
  const next = page.getByRole("link", { name: /^Next/ });
  check(await next.isVisible(), "the pager has a Next link");
  await clickAndWait(page, next);
  const page2Rows = await page.locator("#orders tbody tr").count();
  const allDrafts = (await api("/api/v1/orders?status=draft&limit=500")).items.length;
  check(await page.getByText("Page 2 of 2", { exact: true }).isVisible() && page1Rows + page2Rows === allDrafts && page.url().includes("status=draft"),
    `Next shows “Page 2 of 2”, the filter kept: ${page1Rows} + ${page2Rows} rows = ${allDrafts} drafts`);
  await shot(page, "orders-page-2-1440");

  // An order page: edit a draft, submit it.
  const [d0, d1, d2] = drafts;
  await page.getByLabel("Number or ERP reference").fill(d0.number);
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  await clickAndWait(page, page.getByRole("link", { name: d0.number, exact: true }));
  check(page.url().endsWith(`/orders/${d0.id}`), `searching ${d0.number} and clicking it opens the order`);
  await shot(page, "order-draft-1440");
  const edit = page.locator("#edit-order");
  await edit.getByText("Edit the draft").click();
  await edit.getByLabel("Quantity (kg)").fill("2,500");
  await clickAndWait(page, edit.getByRole("button", { name: "Save the draft" }));
  const editFlash = await page.locator("#flash").textContent().catch(() => "");
  const edited = await api(`/api/v1/orders/${d0.id}`);
  check(editFlash.trim().length > 0 && Number(edited.quantity_kg) === 2500,
    `editing the draft's quantity saves it (${edited.quantity_kg} kg) and #flash says so (“${editFlash.trim()}”)`);
  await shot(page, "order-edited-1440");
  await clickAndWait(page, page.getByRole("button", { name: "Submit", exact: true }));
  const submitFlash = await page.locator("#flash").textContent().catch(() => "");
  check((await page.locator("#order-status").textContent()).trim() === "submitted" && /submitted/i.test(submitFlash)
    && (await api(`/api/v1/orders/${d0.id}`)).status === "submitted",
    `Submit submits it and #flash says so (“${submitFlash.trim()}”)`);

  // Cancel one: the disclosure says what happens; the reason is required.
  await page.goto(`/orders/${d1.id}`);
  const cancel = page.locator("details#cancel-order");
  check(!(await cancel.evaluate((d) => d.open)), "“Cancel…” starts folded");
  await cancel.getByText("Cancel…").click();
  const cancelText = (await cancel.locator("p").first().textContent()).replace(/\s+/g, " ");
  check(/for good/.test(cancelText) && /availab/i.test(cancelText), `the disclosure states the consequence (“${cancelText}”)`);
  const cancelButton = cancel.getByRole("button", { name: /^Cancel order/ });
  check(await cancelButton.evaluate((b) => b.classList.contains("danger")), "the cancel button has class danger");
  await cancelButton.click();
  await page.waitForTimeout(300);
  check(page.url().endsWith(`/orders/${d1.id}`) && await page.locator("#cancel-reason").evaluate((i) => i.validity.valueMissing)
    && (await api(`/api/v1/orders/${d1.id}`)).status === "draft", "without a reason nothing is cancelled (reason required)");
  await page.locator("#cancel-reason").fill("customer postponed the purchase");
  await clickAndWait(page, cancelButton);
  const cancelFlash = await page.locator("#flash").textContent().catch(() => "");
  check((await api(`/api/v1/orders/${d1.id}`)).status === "cancelled" && /cancel/i.test(cancelFlash),
    `with a reason the order is cancelled and #flash says so (“${cancelFlash.trim()}”)`);
  await shot(page, "order-cancelled-1440");

  // Copy one into a new order.
  await page.goto(`/orders/${d2.id}`);
  await clickAndWait(page, page.getByRole("link", { name: "Copy into a new order" }));
  check(new URL(page.url()).pathname === "/orders/new", "“Copy into a new order” opens /orders/new");
  const copied = {
    customer: await page.getByLabel("Customer", { exact: true }).inputValue(),
    product: await page.getByLabel("Product", { exact: true }).inputValue(),
    period: await page.getByLabel("Delivery month").inputValue(),
    quantity: kg(await page.getByLabel("Quantity (kg)").inputValue()),
    place: await page.getByLabel("Incoterm place").inputValue(),
    price: kg(await page.getByLabel("Unit price per kg").inputValue()),
  };
  check(copied.customer === NMAG && copied.product === SM && copied.period === d2.period
    && copied.quantity === Number(d2.quantity_kg) && copied.place === "Yokohama" && copied.price === 30,
    `the new order is filled in from the copied one (${JSON.stringify(copied)})`);
  await shot(page, "order-copy-1440");

  // ---------------------------------------------------------------------------------------
  section("2. Refusal without litter");
  const metalMonth = addMonths(firstMonth, 1);
  async function typeOrder(quantity) {
    await page.goto("/orders/new");
    await page.getByLabel("Customer", { exact: true }).selectOption(customers["KR-STAR"].id);
    await page.getByLabel("Product", { exact: true }).selectOption(METAL);
    await page.getByLabel("Delivery month").fill(metalMonth);
    await page.getByLabel("Unit price per kg").fill("80.50");
    await page.getByLabel("Incoterm place").fill("Busan");
    await page.getByLabel("Quantity (kg)").pressSequentially(String(quantity));
    await page.waitForFunction((q) => kgOf(document.querySelector("#atp-requested")?.textContent) === q,
      quantity, { polling: 100 }).catch(() => {});
  }
  async function refuse(quantity) {
    await typeOrder(quantity);
    await page.getByLabel("Incoterm place").click();
    await clickAndWait(page, page.getByRole("button", { name: "Save and confirm" }));
    return page.locator("#refusal");
  }

  let before = await ordersOf(METAL);
  let available = await atp(METAL, metalMonth);
  let wanted = available + 1000;
  let refusal = await refuse(wanted);
  const refusalText = (await refusal.textContent().catch(() => "")).replace(/\s+/g, " ");
  check(await refusal.getAttribute("role").catch(() => null) === "alert" && refusalText.includes("Nothing was saved"),
    `${wanted} kg of NDPR-METAL in ${metalMonth} (${available} kg available) is refused: #refusal (role alert) says “Nothing was saved”`);
  check((await ordersOf(METAL)).length === before.length, "the refusal saved no order (API)");
  check(await page.getByLabel("Quantity (kg)").inputValue() === String(wanted), "the form keeps what was typed");
  await shot(page, "refusal-1440");
  const nearestText = (await page.locator("#confirm-nearest").textContent()).trim();
  const nearest = nearestText.match(/(\d{4}-\d{2})/)?.[1];
  check(/^Confirm it in .* instead$/.test(nearestText) && nearest > metalMonth, `the refusal offers “${nearestText}”`);
  await clickAndWait(page, page.locator("#confirm-nearest"));
  let after = await ordersOf(METAL);
  let fresh = after.filter((o) => !before.some((b) => b.id === o.id));
  check(fresh.length === 1 && fresh[0].status === "confirmed" && fresh[0].period === nearest && Number(fresh[0].quantity_kg) === wanted,
    `it confirms one order of ${wanted} kg in ${nearest} (${fresh.map((o) => `${o.number} ${o.status} ${o.period} ${o.quantity_kg}`).join("; ")})`);
  check((await page.locator("#order-status").textContent().catch(() => "")).trim() === "confirmed",
    "the browser shows the confirmed order");
  await shot(page, "refusal-confirmed-later-1440");

  before = after;
  available = await atp(METAL, metalMonth);
  wanted = available + 3000;
  refusal = await refuse(wanted);
  const splitText = (await page.locator("#split").textContent().catch(() => "")).replace(/\s+/g, " ").trim();
  check(await refusal.isVisible() && splitText.startsWith("Split"), `the refusal of ${wanted} kg offers “${splitText}”`);
  await clickAndWait(page, page.locator("#split"));
  after = await ordersOf(METAL);
  fresh = after.filter((o) => !before.some((b) => b.id === o.id)).sort((a, b) => a.period.localeCompare(b.period));
  const kept = fresh.find((o) => o.period === metalMonth);
  const rest = fresh.find((o) => o.period > metalMonth);
  check(fresh.length === 2 && fresh.every((o) => o.status === "confirmed") && kept && rest
    && Number(kept.quantity_kg) === available && Number(kept.quantity_kg) + Number(rest.quantity_kg) === wanted,
    `the split confirms two orders: ${fresh.map((o) => `${o.number} ${o.status} ${o.period} ${o.quantity_kg} kg`).join("; ")}`);
  // What the button offered is what was done: the same kg in the same months.
  const offer = splitText.match(/([\d,.]+) kg in (\d{4}-\d{2}).*?([\d,.]+) kg in (\d{4}-\d{2})/);
  check(offer && kept && rest && kg(offer[1]) === Number(kept.quantity_kg) && offer[2] === kept.period
    && kg(offer[3]) === Number(rest.quantity_kg) && offer[4] === rest.period,
    `the split did what its button offered (offered ${offer?.[1]} kg in ${offer?.[2]} + ${offer?.[3]} kg in ${offer?.[4]}; `
    + `confirmed ${kept?.quantity_kg} kg in ${kept?.period} + ${rest?.quantity_kg} kg in ${rest?.period})`);
  await shot(page, "refusal-split-1440");

  before = after;
  available = await atp(METAL, metalMonth);
  wanted = available + 2000;
  await refuse(wanted);
  await clickAndWait(page, page.locator("#keep-draft"));
  after = await ordersOf(METAL);
  fresh = after.filter((o) => !before.some((b) => b.id === o.id));
  check(fresh.length === 1 && fresh[0].status === "draft" && Number(fresh[0].quantity_kg) === wanted && (await page.locator("#order-status").textContent()).trim() === "draft",
    `“Keep it as a draft” keeps one draft (${fresh.map((o) => `${o.number} ${o.status}`).join("; ")})`);

  // ---------------------------------------------------------------------------------------
  section("8. Forms for people");
  await page.goto("/orders/new");
  check(await page.evaluate(() => document.activeElement?.closest("#order-form") !== null),
    `at page load the focus is in the order form (${await page.evaluate(() => document.activeElement?.id)})`);
  const quantity = page.getByLabel("Quantity (kg)");
  async function understood(typed) {
    const answer = page.waitForResponse((r) => r.url().includes("/orders/atp-panel")
      && new URL(r.url()).searchParams.get("quantity_kg") === typed);
    await quantity.fill("");
    await quantity.pressSequentially(typed);
    await answer;
    await page.waitForTimeout(100);
    return (await page.locator("#atp-requested").textContent().catch(() => "")).trim();
  }
  for (const [typed, shown] of [["12,000", "12,000.000 kg"], ["12 000", "12,000.000 kg"], ["12000.5", "12,000.500 kg"]]) {
    const got = await understood(typed);
    check(got === shown, `quantity “${typed}” is understood as ${shown} (#atp-requested: ${got})`);
  }
  await shot(page, "order-form-quantity-1440");
  const pricing = page.getByLabel("Pricing", { exact: true });
  const visible = async () => ({
    unit: await page.locator("#unit_price").isVisible(), index: await page.locator("#index_id").isVisible(),
    premium: await page.locator("#premium").isVisible(),
  });
  let v = await visible();
  check(v.unit && !v.index && !v.premium, `fixed pricing shows only the unit price (${JSON.stringify(v)})`);
  await pricing.selectOption("index");
  v = await visible();
  check(!v.unit && v.index && v.premium, `index pricing shows only the index fields (${JSON.stringify(v)})`);
  await shot(page, "order-form-index-1440");
  await pricing.selectOption("contract");
  v = await visible();
  check(!v.unit && !v.index && !v.premium, `the contract's terms show no price fields (${JSON.stringify(v)})`);

  // 11. The keyboard: the skip link, then Tab, lands in the form.
  await page.goto("/orders/new");
  await page.locator("a.skip").focus();
  check(await page.evaluate(() => document.activeElement?.textContent.trim()) === "Skip to content", "the skip link takes the focus");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const tabbed = await page.evaluate(() => ({ inForm: document.activeElement?.closest("#order-form") !== null, id: document.activeElement?.id }));
  check(tabbed.inForm, `from the skip link, Tab goes into the order form (#${tabbed.id})`);

  // ---------------------------------------------------------------------------------------
  section("6. No lost work");
  const smBefore = (await ordersOf(SM)).length;
  const smMonth = addMonths(firstMonth, 2);
  await page.goto("/orders/new");
  await page.getByLabel("Customer", { exact: true }).selectOption(customers["KR-STAR"].id);
  await page.getByLabel("Product", { exact: true }).selectOption(SM);
  await page.getByLabel("Delivery month").fill(smMonth);
  await page.getByLabel("Unit price per kg").fill("31.50");
  await page.getByLabel("Incoterm place").fill("Incheon, KR");
  await quantity.pressSequentially("1,500");
  await page.waitForFunction(() => document.querySelector("#atp-requested")?.textContent.includes("1,500.000"), null, { polling: 100 });
  await shot(page, "order-typed-1440");
  const session = (await context.cookies()).find((c) => c.name === "ndpr_session");
  check(Boolean(session), "the desk keeps its session in the ndpr_session cookie");
  expected.sessionEnded = true;
  await context.addCookies([{ ...session, value: "expired" }]);
  // The live panel, asked with the session ended, says so.
  const panelAnswer = page.waitForResponse((r) => r.url().includes("/orders/atp-panel"));
  await quantity.press("End");
  await quantity.pressSequentially("0");
  await panelAnswer;
  await page.waitForTimeout(150);
  const panelText = (await page.locator("#atp-panel").textContent()).replace(/\s+/g, " ").trim();
  check(/session|log in/i.test(panelText), `with the session ended the ATP panel says so (“${panelText}”)`);
  await shot(page, "atp-panel-session-ended-1440");
  const back = page.waitForResponse((r) => r.url().includes("/orders/atp-panel"));
  await quantity.press("Backspace");
  await back;
  await page.getByLabel("Incoterm place").click();
  await clickAndWait(page, page.getByRole("button", { name: "Save and confirm" }));
  const notice = (await page.locator("#login-notice").textContent().catch(() => "")).replace(/\s+/g, " ").trim();
  check(/session ended/i.test(notice) && /nothing was saved/i.test(notice), `the login page says the session ended (“${notice}”)`);
  check((await ordersOf(SM)).length === smBefore, "nothing was saved (API)");
  await shot(page, "session-ended-login-1440");
  await page.getByLabel("Username").fill("sakura");
  await page.getByLabel("Password").fill(PASSWORD);
  await clickAndWait(page, page.getByRole("button", { name: "Log in" }));
  expected.sessionEnded = false;
  const restored = {
    path: new URL(page.url()).pathname, quantity: await quantity.inputValue().catch(() => null),
    place: await page.getByLabel("Incoterm place").inputValue().catch(() => null),
    product: await page.getByLabel("Product", { exact: true }).inputValue().catch(() => null),
  };
  check(restored.path === "/orders/new" && restored.quantity === "1,500" && restored.place === "Incheon, KR" && restored.product === SM,
    `after logging in again the form is back with what was typed (${JSON.stringify(restored)})`);
  const restoredFlash = (await page.locator("#flash").textContent().catch(() => "")).trim();
  check(/typed|back/i.test(restoredFlash), `a message says so (“${restoredFlash}”)`);
  check((await ordersOf(SM)).length === smBefore, "and nothing was submitted (API)");
  await shot(page, "order-restored-1440");

  // ---------------------------------------------------------------------------------------
  section("9. Lists");
  await page.goto("/deliveries");
  const allDeliveries = await page.locator("#deliveries tbody tr").count();
  await page.getByLabel("Customer", { exact: true }).selectOption(NMAG);
  await page.getByLabel("Product", { exact: true }).selectOption(OXIDE);
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  url = new URL(page.url());
  const dCustomers = await column(page, "#deliveries", "Customer");
  const dProducts = await column(page, "#deliveries", "Product");
  check(url.searchParams.get("customer_id") === NMAG && url.searchParams.get("product_id") === OXIDE
    && dCustomers.length > 0 && dCustomers.length < allDeliveries
    && dCustomers.every((c) => c.startsWith("JP-NMAG")) && dProducts.every((p) => p.startsWith("NDPR-OXIDE")),
    `/deliveries by customer and product: ${allDeliveries} → ${dCustomers.length} rows, all JP-NMAG NDPR-OXIDE (${url.search})`);
  const dStatuses = await column(page, "#deliveries", "Status");
  const someStatus = dStatuses[0];
  const statusValue = await page.$eval("#status", (s, t) => [...s.options].find((o) => o.textContent.trim() === t)?.value, someStatus);
  await page.getByLabel("Status", { exact: true }).selectOption(statusValue ?? "");
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  url = new URL(page.url());
  const dStatuses2 = await column(page, "#deliveries", "Status");
  check(url.searchParams.get("status") === statusValue && url.searchParams.get("customer_id") === NMAG
    && dStatuses2.length > 0 && dStatuses2.every((s) => s === someStatus),
    `… and by status “${someStatus}”: ${dStatuses.length} → ${dStatuses2.length} rows (${url.search})`);
  await shot(page, "deliveries-filtered-1440");

  await page.goto("/shipments");
  const sCustomers = await column(page, "#shipments", "Customer");
  const sDelivers = await column(page, "#shipments", "Delivers");
  check(sCustomers?.length > 0 && sCustomers.every((c) => /^[A-Z]{2}-/.test(c)), `/shipments has a customer column (${sCustomers?.length} rows)`);
  check(sDelivers?.length > 0 && sDelivers.every((d) => /^(ORD|LTC)-/.test(d)),
    `… and a “Delivers” column naming the order or contract (${[...new Set(sDelivers ?? [])].join(", ")})`);
  const shipmentPath = await page.locator("#shipments tbody tr th a").first().getAttribute("href");
  await clickAndWait(page, page.locator("#shipments tbody td.party a").first());
  const customerPath = new URL(page.url()).pathname;
  check(/^\/customers\/[0-9a-f-]{36}$/.test(customerPath), `a customer link in the list opens the customer page (${customerPath})`);
  for (const name of [/^Contracts/, /^Open orders/, /^Due and late/, /shipments/i, /^Exposure/]) {
    check(await page.getByRole("heading", { name }).first().isVisible(), `the customer page has a section ${name}`);
  }
  await shot(page, "customer-1440");

  // The shipment page says what the shipment delivers as the list does: by its number.
  await page.goto(shipmentPath);
  const forCell = page.locator("table.facts tr").filter({ has: page.locator("th", { hasText: /^Delivers$/ }) }).locator("td");
  const forText = ((await forCell.textContent().catch(() => "")) ?? "").replace(/\s+/g, " ").trim();
  const monthMentions = forText.match(/\d{4}-\d{2} \(\w{3} \d{4}\)/g) ?? [];
  check(forText.includes(sDelivers[0]) && monthMentions.length <= 1,
    `the shipment page's “Delivers” names ${sDelivers[0]} as the list's “Delivers” does (it says “${forText}”)`);
  await shot(page, "shipment-detail-1440");

  // ---------------------------------------------------------------------------------------
  section("10. Prices");
  await page.goto("/prices");
  const quotes = page.locator("table#quotes");
  const chartBox = await page.locator("svg.chart").first().boundingBox();
  const quotesBox = await quotes.boundingBox();
  check(await quotes.locator("tbody tr").count() > 0 && quotesBox && chartBox && quotesBox.y > chartBox.y,
    "a table#quotes of the quotes under the chart");
  const lowest = await page.$$eval("svg.chart text.tick[text-anchor='end']", (ts) =>
    ts.sort((a, b) => Number(b.getAttribute("y")) - Number(a.getAttribute("y")))[0]?.textContent.trim());
  check(lowest && lowest !== "USD 0.00" && kg(lowest) > 0, `the y axis fits the data: lowest tick ${lowest}`);
  const title = async () => (await page.locator("svg.chart title").first().textContent()).trim();
  const titleBefore = await title();
  await shot(page, "prices-1440");
  const other = page.locator("nav.index-switch a:not([aria-current='true'])").first();
  await clickAndWait(page, other);
  const titleAfter = await title();
  check(titleAfter !== titleBefore && page.url().includes("index_id="), `one click on the index switch changes the chart (“${titleBefore}” → “${titleAfter}”)`);
  await shot(page, "prices-other-index-1440");

  // ---------------------------------------------------------------------------------------
  section("5. Phones (390 × 844)");
  await page.goto("/contracts?status=active");
  const contractPath = await page.locator("#contracts tbody tr th a, #contracts tbody tr td a").first().getAttribute("href");
  const phonePages = [
    ["desk", "/"], ["orders-list", "/orders"], ["order-form", "/orders/new"], ["order", riskOrderPath ?? `/orders/${d0.id}`],
    ["contracts", "/contracts"], ["contract", contractPath], ["deliveries", "/deliveries"], ["shipments", "/shipments"],
    ["shipment-form", "/shipments/new"], ["shipment", shipmentPath], ["settlements", "/settlements"], ["customer", customerPath], ["prices", "/prices"],
    ["plans", "/plans"], ["customers", "/customers"], ["products", "/products"], ["licences", "/licences"],
  ];
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [name, path] of phonePages) {
    await page.goto(path);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    check(scroll <= inner, `${path} fits a 390 px phone (scrollWidth ${scroll}, innerWidth ${inner}) → ${name}-390.png`);
    await shot(page, `${name}-390`);
  }
  await page.goto("/orders/new");
  const outside = await page.$$eval("#order-form input:not([type=hidden]), #order-form select, #order-form textarea, #order-form button", (els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => ({ id: e.id || e.name || e.textContent.trim(), r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.right > window.innerWidth).map(({ id, r }) => `${id} ${Math.round(r.left)}–${Math.round(r.right)}`));
  check(outside.length === 0, `every field of the order form is inside the 390 px viewport (${outside.join(", ") || "all inside"})`);
  const menu = page.getByRole("button", { name: "Menu" });
  const navLink = page.locator("#main-nav").getByRole("link", { name: "Orders" });
  check(await menu.isVisible() && !(await navLink.isVisible()) && await menu.getAttribute("aria-expanded") === "false",
    "on a phone the navigation is folded behind a Menu button");
  await menu.click();
  check(await navLink.isVisible() && await menu.getAttribute("aria-expanded") === "true", "Menu opens the navigation");
  await shot(page, "menu-open-390");
  await page.setViewportSize({ width: 1440, height: 900 });

  // ---------------------------------------------------------------------------------------
  section("11. Accessibility (axe-core, 1440 and 390 px)");
  const axeContext = await browser.newContext({ baseURL: base, bypassCSP: true, viewport: { width: 1440, height: 900 } });
  const axePage = await axeContext.newPage();
  watch(axePage);
  const violations = [];
  async function axe(name, path, width) {
    await axePage.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    if (path) await axePage.goto(path);
    await axePage.addScriptTag({ path: AXE });
    const result = await axePage.evaluate(() => axe.run());
    for (const v of result.violations) {
      for (const n of v.nodes) violations.push({ page: path ?? axePage.url().replace(base, ""), width, id: v.id, impact: v.impact, target: n.target.join(" ") });
    }
    check(result.violations.length === 0, `axe: ${path ?? name} at ${width} px has no violation${result.violations.length ? ` (${
      result.violations.map((v) => `${v.id} [${v.impact}] ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("; ")})` : ""}`);
  }
  expected.notFound = true;
  for (const width of [1440, 390]) {
    await axe("login", "/login", width);
    await axe("not found", "/nothing-here", width);
  }
  expected.notFound = false;
  await logIn(axePage, "sakura", PASSWORD);
  const axePages = [...phonePages, ["reconciliation", `/reconciliation/${OXIDE}`]];
  for (const [name, path] of axePages) {
    await axe(name, path, 1440);
    await axePage.screenshot({ path: `${shots}/${name}-1440.png`, fullPage: true });
    await axe(name, null, 390);
  }
  // The refusal, as the sales person sees it.
  await axePage.setViewportSize({ width: 1440, height: 900 });
  await axePage.goto("/orders/new");
  await axePage.getByLabel("Product", { exact: true }).selectOption(METAL);
  await axePage.getByLabel("Delivery month").fill(metalMonth);
  await axePage.getByLabel("Quantity (kg)").fill(String((await atp(METAL, metalMonth)) + 1000));
  await axePage.getByLabel("Unit price per kg").fill("80");
  await axePage.getByLabel("Incoterm place").fill("Busan");
  await clickAndWait(axePage, axePage.getByRole("button", { name: "Save and confirm" }));
  check(await axePage.locator("#refusal").isVisible(), "the refusal is shown for axe");
  await axe("refusal", null, 1440);
  await axe("refusal", null, 390);
  // An order page with the message (#flash) of what just happened.
  await axePage.setViewportSize({ width: 1440, height: 900 });
  await clickAndWait(axePage, axePage.locator("#keep-draft"));
  check(await axePage.locator("#flash").isVisible(), "an order page with its #flash message is shown for axe");
  await axe("order with #flash", null, 1440);
  await axe("order with #flash", null, 390);
  // Users, as admin.
  await axePage.getByRole("button", { name: "Log out" }).click().catch(() => {});
  await axeContext.clearCookies();
  await logIn(axePage, "admin", ADMIN_PASSWORD);
  await axe("users", "/users", 1440);
  await axePage.screenshot({ path: `${shots}/users-1440.png`, fullPage: true });
  await axe("users", null, 390);
  await axePage.screenshot({ path: `${shots}/users-390.png`, fullPage: true });
  await axeContext.close();

  // ---------------------------------------------------------------------------------------
  section("4. Safe actions (terminating a contract, late in the day)");
  await page.goto("/contracts");
  await page.getByLabel("Status", { exact: true }).selectOption("active");
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  const activeLinks = page.locator("#contracts tbody tr").getByRole("link", { name: /^LTC-/ });
  const lastActive = activeLinks.last();
  const contractNumber = (await lastActive.textContent()).trim();
  await clickAndWait(page, lastActive);
  const contractId = page.url().split("/contracts/")[1];
  const terminate = page.locator("details.danger#action-terminate");
  check(await terminate.count() === 1 && !(await terminate.evaluate((d) => d.open)),
    `${contractNumber}: Terminate is inside a folded <details class="danger">`);
  await terminate.getByText("Terminate…").click();
  const terminateText = (await terminate.locator("p").first().textContent()).replace(/\s+/g, " ");
  check(/[\d,]+\.\d{3} kg/.test(terminateText) && /available to promise/.test(terminateText) && /ERP/.test(terminateText),
    `its text says what is released and who is notified (“${terminateText}”)`);
  const terminateButton = terminate.getByRole("button", { name: /^Terminate/ });
  check(await terminateButton.evaluate((b) => b.classList.contains("danger")), "the terminate button has class danger");
  await shot(page, "contract-terminate-open-1440");
  await terminateButton.click();
  await page.waitForTimeout(300);
  check((await api(`/api/v1/contracts/${contractId}`)).status === "active", "without a reason nothing is terminated (reason required)");
  await terminate.getByLabel(/Reason/).fill("customer closed the magnet plant");
  await clickAndWait(page, terminateButton);
  const terminateFlash = (await page.locator("#flash").textContent().catch(() => "")).trim();
  check((await api(`/api/v1/contracts/${contractId}`)).status === "terminated" && /terminat/i.test(terminateFlash),
    `after terminating with a reason #flash says what happened (“${terminateFlash}”)`);
  await shot(page, "contract-terminated-1440");

  // What the termination released is no longer owed: the contract's fulfilment and the
  // deliveries list must not go on calling those months due / on track.
  const releasedFrom = terminateText.match(/from (\d{4}-\d{2}) on/)?.[1];
  const terminated = await api(`/api/v1/contracts/${contractId}`);
  const fulfilment = await page.$$eval("#fulfilment tbody tr", (rs) => rs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  const stillOwed = fulfilment.filter((r) => releasedFrom && r[0].slice(0, 7) >= releasedFrom && (Number(r[5].replace(/,/g, "")) > 0 || r[6] === "on track"));
  check(Boolean(releasedFrom) && stillOwed.length === 0,
    `after termination the contract's fulfilment shows no released month as still owed (${stillOwed.length} months from ${releasedFrom} say ${[...new Set(stillOwed.map((r) => `remaining ${r[5]} kg, ${r[6]}`))].join("; ")})`);
  await page.goto("/deliveries");
  await page.getByLabel("From", { exact: true }).fill(releasedFrom ?? firstMonth);
  await page.getByLabel("Customer", { exact: true }).selectOption(terminated.customer_id);
  await page.getByLabel("Product", { exact: true }).selectOption(terminated.product_id);
  await clickAndWait(page, page.getByRole("button", { name: "Show" }));
  // No table at all (nothing left in these months) says the same as a table without them.
  const listed = (await page.locator("#deliveries").count()) > 0;
  const commitments = listed ? await column(page, "#deliveries", "Commitment") : [];
  const statuses = listed ? await column(page, "#deliveries", "Status") : [];
  const dMonths = listed ? await column(page, "#deliveries", "Month") : [];
  const dueRows = commitments.map((c, i) => [c, dMonths[i], statuses[i]]).filter(([c, , st]) => c.startsWith(contractNumber) && st === "due");
  check(dueRows.length === 0, `/deliveries lists none of the terminated ${contractNumber}'s released months as due (${dueRows.length} rows: ${dueRows.map((r) => r[1].slice(0, 7)).join(", ")})`);
  await shot(page, "deliveries-after-termination-1440");

  // ---------------------------------------------------------------------------------------
  section("Console");
  check(problems.length === 0, `no console errors or CSP violations (${problems.join(" | ") || "none"})`);
  if (violations.length) {
    console.log("axe violations (rule, impact, width, page, target):");
    for (const v of violations) console.log(`  ${v.id} [${v.impact}] ${v.width} px ${v.page}: ${v.target}`);
  }
} catch (e) {
  check(false, `the run stopped: ${e.stack ?? e}`);
} finally {
  await browser.close();
}
console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures > 0) {
  console.error(`day tests: ${failures} FAILED`);
  process.exit(1);
}
console.log("day tests: passed");
