// The README's screenshots of the desk, taken on the demo data:
//   node tests/browser/docshots.mjs BASE_URL OUT_DIR
// (a server with the demo data set; sakura's demo password in NDPR_DEMO_PASSWORD).
import { chromium } from "playwright-core";

const [base, out = "docs/screenshots"] = process.argv.slice(2);
const PASSWORD = process.env.NDPR_DEMO_PASSWORD ?? "ndpr-demo-2026";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  async function session(width, height) {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height } });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Username").fill("sakura");
    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.keyboard.press("Enter")]);
    return page;
  }
  const wide = await session(1280, 800);
  await wide.screenshot({ path: `${out}/desk.png` });
  await wide.goto("/orders?sort=month&dir=asc");
  await wide.screenshot({ path: `${out}/orders.png` });
  // A confirmation above what is available: nothing saved, the numbers, the choices.
  await wide.goto("/orders/new");
  const oxide = await wide.$$eval("#product_id option", (os) => os.find((o) => o.textContent.startsWith("NDPR-METAL"))?.value);
  await wide.selectOption("#product_id", oxide);
  await wide.locator("#quantity_kg").fill("90,000");
  await wide.locator("#unit_price").fill("61.25");
  await wide.locator("#incoterm_place").fill("Busan");
  await wide.locator('.actions button[value="confirm"]').click();
  await wide.locator("#refusal").waitFor();
  await wide.locator("#refusal").scrollIntoViewIfNeeded();
  await wide.screenshot({ path: `${out}/order-refused.png` });
  // What shipments are worth: receivables, revaluation, the settlements; one settled shipment.
  await wide.goto("/settlements");
  await wide.screenshot({ path: `${out}/settlements.png` });
  await wide.locator("#settlements tbody tr th a", { hasText: "SHP-2026-000006" }).click();
  await wide.locator("#settlement").waitFor();
  await wide.locator("#settlement-title").scrollIntoViewIfNeeded();
  await wide.screenshot({ path: `${out}/shipment-settlement.png` });

  const phone = await session(390, 844);
  await phone.goto("/orders/new");
  await phone.screenshot({ path: `${out}/order-entry-phone.png` });
  await phone.goto("/orders");
  await phone.screenshot({ path: `${out}/orders-phone.png` });
} finally {
  await browser.close();
}
