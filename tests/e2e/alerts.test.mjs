// Burst alerts in Debian's Chromium: four unhappy answers in a row raise an
// alert; the inbox shows a banner, the alerts page shows the answers and a
// staff member acknowledges it with a comment; the owner adds a Slack channel
// on the location's "Alerts and chat" page. Every page passes the layout
// checks and axe. Screenshots go to tests/e2e/artifacts/alerts-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, staffPage, checkPage } from "./harness.mjs";

let app;

before(async () => {
  app = await start();
});

after(async () => {
  if (app) await app.stop();
});

async function complain(message) {
  const context = await app.browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${app.base}/f/shop?lang=en`);
  await page.click("label[for=face-1]");
  await page.fill("#message", message);
  await page.waitForTimeout(2100);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit].primary")]);
  await context.close();
}

test("a burst shows on the inbox, is acknowledged, and the owner adds a chat channel", async () => {
  for (const message of ["Cold coffee", "Nobody at the counter", "Waited twenty minutes", "Rude staff"]) {
    await complain(message);
  }
  const owner = await staffPage(app, "owner@shop.example");
  await owner.goto(`${app.base}/staff/inbox`);
  assert.match(await owner.textContent(".alert-banner"), /Alerts waiting to be acknowledged: 1/);
  await checkPage(owner, "alerts-inbox");
  await owner.click(".alert-banner a");
  await owner.waitForURL(/\/staff\/alerts/);
  assert.match(await owner.textContent("h2"), /4 of 4 answers unhappy within 15 minutes/);
  assert.equal(await owner.locator(".alert-answers li").count(), 4);
  await checkPage(owner, "alerts-page");
  await owner.fill("textarea[name=comment]", "The espresso machine broke; fixed at 11:10.");
  await Promise.all([owner.waitForURL(/acknowledged=1/), owner.click(`form[action$="/acknowledge"] button`)]);
  assert.match(await owner.textContent(".notice"), /acknowledged/);
  await checkPage(owner, "alerts-acknowledged");

  await owner.goto(`${app.base}/staff/locations`);
  await owner.click(`a[href^="/staff/locations/"][href$="/edit"]`);
  await owner.click("text=Alerts and chat");
  await owner.fill("#url", "http://hooks.slack.example/services/T1/B1/x");
  await Promise.all([owner.waitForLoadState("load"), owner.click(`form[action$="/chat"] button`)]);
  assert.match(await owner.textContent(".error-summary, .field-error"), /https:\/\//);
  await owner.fill("#url", "https://hooks.slack.example/services/T1/B1/a-rather-long-secret-part-0123456789abcdef");
  await Promise.all([owner.waitForURL(/done=added/), owner.click(`form[action$="/chat"] button`)]);
  await Promise.all([owner.waitForURL(/done=test/), owner.click(`button:has-text("Send a test message")`)]);
  assert.match(await owner.textContent(".notice"), /test message is on its way/);
  await checkPage(owner, "alerts-settings");
});
