// The sales desk in a real browser: Debian's Chromium driven by playwright-core, against a
// server with the demo data set. Prints one line per check; exits non-zero on the first failure.
//
//   node desk.mjs BASE_URL SCREENSHOT_DIR [CHROMIUM_PATH]

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const [base, shots = "target/browser", executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const PASSWORD = process.env.NDPR_DEMO_PASSWORD ?? "ndpr-demo-2026";
mkdirSync(shots, { recursive: true });

let failed = false;
function check(ok, what) {
  console.log(`  ${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failed = true;
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));

  // 1. Sales logs in through the form and sees the desk.
  await page.goto("/");
  check(page.url().endsWith("/login"), "the desk sends a visitor to /login");
  await page.screenshot({ path: `${shots}/login.png`, fullPage: true });
  await page.getByLabel("Username").fill("sakura");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${base}/`);
  check(await page.getByRole("heading", { name: "Desk" }).isVisible(), "sales sees the desk after logging in");
  check((await page.textContent("header")).includes("sakura (sales)"), "the header names the user and role");
  await page.screenshot({ path: `${shots}/desk.png`, fullPage: true });

  // 2. A heat-map cell equals the API's ATP.
  const cell = page.locator("td.cell").first();
  const product = await cell.getAttribute("data-product");
  const period = await cell.getAttribute("data-period");
  const shown = (await cell.locator(".atp").textContent()).replaceAll(",", "");
  const login = await context.request.post("/api/v1/auth/token", { data: { username: "sakura", password: PASSWORD } });
  const token = (await login.json()).access_token;
  const atp = await context.request.get(`/api/v1/atp?product_id=${product}&period=${period}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const atpKg = (await atp.json()).atp_kg;
  check(shown === atpKg, `heat-map cell ${period} shows ${shown} kg, the API says ${atpKg} kg`);
  const status = await cell.locator(".status").textContent();
  check(["Short", "Low", "OK"].includes(status), `the cell says its status in words (${status})`);

  // 9. A POST without the CSRF token, or from another origin, is refused.
  const noToken = await context.request.post("/logout", { form: {} });
  check(noToken.status() === 403, `logging out without the CSRF token is refused (${noToken.status()})`);
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const foreign = await context.request.post("/logout", {
    form: { csrf },
    headers: { Origin: "https://evil.example" },
  });
  check(foreign.status() === 403, `a form from another origin is refused (${foreign.status()})`);

  // The keyboard reaches the log-out button.
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => document.activeElement?.textContent?.trim());
  check(skip === "Skip to content", "the first Tab reaches the skip link");

  // 11. No CSP violation and no console error on any page seen.
  check(problems.length === 0, `no console errors or CSP violations (${problems.join(" | ") || "none"})`);

  // Logging out through the page ends the session.
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.goto("/");
  check(page.url().endsWith("/login"), "after logging out the desk asks for a login again");

  // Integration users cannot log in to the desk.
  await page.getByLabel("Username").fill("erp");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  check(await page.getByRole("alert").isVisible(), "an integration user is refused with an alert");
} finally {
  await browser.close();
}
if (failed) {
  console.error("browser tests: FAILED");
  process.exit(1);
}
console.log("browser tests: passed");
