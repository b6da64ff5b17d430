// The owner's webhook pages in Debian's Chromium, without JavaScript of our
// own: the list with its Add form, a refused address as a field error, the
// secret shown once, the endpoint page with its delivery log after a test
// event to a local receiver. Every size without sideways scroll or covered
// controls, axe clean. Screenshots go to tests/e2e/artifacts/webhooks-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { start, staffPage, checkPage } from "./harness.mjs";

let app;
let receiver;
let received = 0;

before(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => { received += 1; res.end("ok"); });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  app = await start({ TELLUS_WEBHOOK_ALLOW_PRIVATE: "127.0.0.0/8" });
});

after(async () => {
  if (app) await app.stop();
  if (receiver) receiver.close();
});

test("the owner adds a webhook endpoint, sees its secret once and its log", async () => {
  const page = await staffPage(app, "owner@shop.example");
  await page.goto(`${app.base}/staff/settings/webhooks`);
  assert.equal(await page.locator("h1").textContent(), "Webhooks");
  await checkPage(page, "webhooks-empty");

  // A private address is refused, in words, and nothing is stored.
  await page.fill("#url", "https://10.0.0.1/hooks");
  await page.check("#event-ticket-created");
  await page.click("form[action='/staff/settings/webhooks'] button[type=submit]");
  assert.match(await page.locator("#url-error").innerText(), /inside a private network/);
  await checkPage(page, "webhooks-refused");

  const port = receiver.address().port;
  await page.fill("#url", `http://127.0.0.1:${port}/hook`);
  await page.fill("#description", "Till system");
  await page.check("#event-feedback-created");
  await page.click("form[action='/staff/settings/webhooks'] button[type=submit]");
  const secret = await page.locator("code.secret").innerText();
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  await checkPage(page, "webhooks-secret");

  await page.click("text=Open the endpoint and its delivery log");
  assert.equal(await page.locator("h1").textContent(), "Webhook endpoint");
  assert.ok(!(await page.content()).includes("whsec_"), "the secret is not shown again");
  await page.click("button:has-text('Send test event')");
  for (let i = 0; i < 50 && received === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received, 1, "the test event reached the receiver");
  await page.reload();
  await page.waitForTimeout(300);
  await page.reload();
  assert.match(await page.locator("table.log tbody").innerText(), /webhook\.test/);
  await checkPage(page, "webhooks-endpoint");

  await page.goto(`${app.base}/staff/settings/webhooks`);
  assert.match(await page.locator("tbody").innerText(), /Till system/);
  await checkPage(page, "webhooks-list");
});
