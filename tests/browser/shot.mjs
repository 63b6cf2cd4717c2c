// A screenshot of desk pages as a logged-in user, for looking at them while building:
//   node tests/browser/shot.mjs BASE_URL USER PASSWORD WIDTH OUT_DIR PATH...
// Each PATH is saved as OUT_DIR/<name>-<WIDTH>.png; the page's horizontal overflow is printed.
import { chromium } from "playwright-core";

const [base, user, password, width, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const context = await browser.newContext({ viewport: { width: Number(width), height: 900 } });
const page = await context.newPage();
await page.goto(`${base}/login`);
await page.fill("#username", user);
await page.fill("#password", password);
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
for (const path of paths) {
  await page.goto(`${base}${path}`);
  const name = path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "desk";
  const file = `${out}/${name}-${width}.png`;
  await page.screenshot({ path: file, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log(`${file} overflow=${overflow}px status-title="${await page.title()}"`);
}
await browser.close();
