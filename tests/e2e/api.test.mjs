// The API's pages in Debian's Chromium: the owner makes a key on the API
// settings page (shown once) at every size, axe clean; the docs page at
// /api/docs renders the embedded Swagger UI from /api/v1/openapi.json under
// the app's Content-Security-Policy (relaxed for that page only: inline
// styles, which Swagger UI adds), with no CSP violation, and the key
// made on the settings page works against the API. Screenshots go to
// tests/e2e/artifacts/api-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, staffPage, checkPage, ARTIFACTS } from "./harness.mjs";

let app;
let key;

before(async () => {
  app = await start();
});

after(async () => {
  if (app) await app.stop();
});

test("the owner makes an API key, shown once", async () => {
  const page = await staffPage(app, "owner@shop.example");
  await page.goto(`${app.base}/staff/settings/api`);
  assert.equal(await page.locator("h1").textContent(), "API keys");
  await checkPage(page, "api-settings-empty");
  await page.fill("#name", "Till at Main Street");
  await page.check("#scope-locations-read");
  await page.check("#scope-feedback-write");
  await page.check("#location-shop");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/staff/settings/api/keys'] button[type=submit]")]);
  key = (await page.locator("#new-key").textContent()).trim();
  assert.match(key, /^tellus_[A-Za-z0-9_-]{40,}$/);
  assert.match(await page.locator("section[aria-labelledby=made-title]").innerText(), /Copy it now: it will not be shown again/);
  await checkPage(page, "api-settings-new-key");
  await page.goto(`${app.base}/staff/settings/api`);
  assert.equal(await page.locator("#new-key").count(), 0, "not shown again");
  assert.match(await page.locator("table.api-keys").innerText(), /Till at Main Street[\s\S]*feedback:write/);
  const res = await fetch(`${app.base}/api/v1/locations`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).items[0].slug, "shop");
});

test("the docs page renders under the Content-Security-Policy", async () => {
  // No bypassCSP here: the page must work under the app's own policy.
  const context = await app.browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  const violations = [];
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp = (window.__csp || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(`${app.base}/api/docs`);
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/api\/docs\/$/);
  await page.locator(".swagger-ui .info .title").waitFor({ timeout: 20000 });
  assert.match(await page.locator(".swagger-ui .info .title").innerText(), /Tellus API/);
  await page.locator(".opblock").first().waitFor();
  const paths = await page.locator(".opblock-summary-path").allInnerTexts();
  for (const path of ["/api/v1/feedback", "/api/v1/tickets", "/api/v1/tickets/{reference}", "/api/v1/locations"]) {
    assert.ok(paths.some((p) => p.replace(/\u200b/g, "") === path), `${path} in ${paths}`);
  }
  violations.push(...(await page.evaluate(() => window.__csp || [])));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(ARTIFACTS, "api-docs-1280x900.png") });
  assert.deepEqual(violations, [], "no CSP violation");
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [], "no script error");
  await context.close();
});
