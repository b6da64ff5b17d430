// The owner's dashboard in Debian's Chromium, over demo data at two
// locations: the key-figure cards with their change, the locations side by
// side, the hour-of-week heat map as a table, the charts in a grid; every
// size without sideways scroll or covered controls, axe clean, in English
// and in Dutch. Screenshots go to tests/e2e/artifacts/dashboard-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, staffPage, checkPage, ARTIFACTS } from "./harness.mjs";

let app;

before(async () => {
  app = await start({}, {
    beforeServe: (tellus) => {
      tellus(["location", "add", "--slug", "maan", "--name", "Bakkerij De Maan"]);
      tellus(["demo", "--tickets", "3000"]);
    },
  });
});

after(async () => {
  if (app) await app.stop();
});

test("the owner reads the dashboard at every size", async () => {
  const page = await staffPage(app, "owner@shop.example");
  await page.goto(`${app.base}/staff/dashboard`);
  assert.equal(await page.locator("h1").textContent(), "Dashboard");

  // Seven cards, each with a value and a change line in words.
  const cards = page.locator(".dash-card");
  assert.equal(await cards.count(), 7);
  const complaints = await page.locator("#dashboard-card-complaints").innerText();
  assert.match(complaints, /Complaints\s+\d+/);
  assert.match(complaints, /(vs the previous 30 days|Nothing to compare with)/);
  // The period reads as dates, not ISO.
  const period = await page.locator(".dash-period").innerText();
  assert.match(period, /^\d{1,2} [A-Z][a-z]{2} \d{4} to \d{1,2} [A-Z][a-z]{2} \d{4} · compared with /);

  // The locations side by side (the demo adds its own to ours).
  const names = await page.locator("#locations tbody th").allInnerTexts();
  assert.ok(names.includes("Bakkerij De Zon") && names.includes("Bakkerij De Maan"), names.join(", "));

  // The heat map: 7 weekdays × 24 hours, counts as text, its numbers add up.
  assert.equal(await page.locator("#hours tbody tr").count(), 7);
  assert.equal(await page.locator("#hours tbody td").count(), 7 * 24);
  const cells = await page.locator("#hours tbody td").allInnerTexts();
  assert.ok(cells.every((c) => /^\d+$/.test(c.trim())), "every cell a count");
  assert.ok(cells.some((c) => Number(c) > 0), "demo data has unhappy feedback");

  // Two columns of charts on a laptop, one on a phone.
  await page.setViewportSize({ width: 1280, height: 800 });
  const columns = async () => page.locator(".dash-grid").evaluate(
    (grid) => getComputedStyle(grid).gridTemplateColumns.split(" ").length);
  assert.equal(await columns(), 2);
  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await columns(), 1);

  // Every CSV link still answers.
  for (const href of await page.locator("a[download]").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    const res = await page.request.get(`${app.base}${href}`);
    assert.equal(res.status(), 200, href);
    assert.match(res.headers()["content-type"], /text\/csv/);
  }

  await checkPage(page, "dashboard");
  // Further down: the heat map and the charts.
  await page.locator("#hours").scrollIntoViewIfNeeded();
  for (const size of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    await page.locator("#hours").evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-hours-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator(".dash-grid").evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-charts-1280x800.png") });
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-full-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-full-360.png"), fullPage: true });
  await page.context().close();
});

test("the dashboard in Dutch", async () => {
  const page = await staffPage(app, "owner@shop.example");
  await page.goto(`${app.base}/staff/dashboard?lang=nl`);
  const period = await page.locator(".dash-period").innerText();
  assert.match(period, /^\d{1,2} [a-z]{3}\.? \d{4} tot en met /);
  await checkPage(page, "dashboard-nl", { sizes: [{ width: 360, height: 740 }, { width: 1280, height: 800 }] });
  await page.context().close();
});
