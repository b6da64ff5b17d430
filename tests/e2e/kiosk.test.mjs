// Browser tests in Debian's Chromium: pairing a kiosk, the unhappy and the
// happy flow, the inactivity reset, offline submissions that arrive exactly
// once, the QR form on a phone, and an axe-core accessibility check.
// Screenshots of every kiosk screen go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, staffPage, axeCheck, ARTIFACTS } from "./harness.mjs";

let app, base, browser;

before(async () => {
  app = await start();
  ({ base, browser } = app);
});

after(async () => {
  if (app) await app.stop();
});

async function ownerPage() {
  return staffPage(app, "owner@shop.example");
}

async function ticketCount(owner) {
  await owner.goto(`${base}/staff/inbox`);
  return owner.locator("table.inbox tbody tr").count();
}

let owner, tablet, tabletContext;

test("an owner pairs a kiosk with a one-time code", async () => {
  owner = await ownerPage();
  await owner.goto(`${base}/staff/kiosks`);
  await owner.fill("#name", "Counter tablet");
  await owner.click("text=Make a pairing code");
  const code = (await owner.textContent("#pairing-code")).trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  tabletContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "nl-NL", bypassCSP: true });
  tablet = await tabletContext.newPage();
  await tablet.goto(`${base}/kiosk`);
  assert.match(tablet.url(), /\/kiosk\/pair$/);
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-1-pair.png") });
  await tablet.fill("#code", code);
  await Promise.all([tablet.waitForURL(/\/kiosk$/), tablet.click("button[type=submit]")]);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-2-faces.png") });
  await axeCheck(tablet, "the kiosk");
});

test("the unhappy flow: face, details, thanks, back to the start", async () => {
  const before = await ticketCount(owner);
  await tablet.goto(`${base}/kiosk?thanks=2`);
  await tablet.waitForTimeout(1600);
  await tablet.click("[data-face='1']");
  await tablet.waitForSelector("[data-screen=details]:not([hidden])");
  await tablet.click("[data-category='waiting']");
  await tablet.fill("#kiosk-message", "Twintig minuten gewacht op een broodje.");
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-3-details.png") });
  await tablet.click("[data-action=send]");
  await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
  await tablet.waitForSelector(".kiosk-reference:not([hidden])");
  const reference = (await tablet.textContent(".kiosk-reference .reference")).trim();
  assert.match(reference, /^TL-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-4-thanks.png") });
  await axeCheck(tablet, "the kiosk thank-you screen");
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])", { timeout: 5000 });
  assert.equal(await tablet.inputValue("#kiosk-message"), "", "nothing left for the next customer");
  assert.equal(await ticketCount(owner), before + 1);
});

test("the happy flow goes straight to thanks", async () => {
  await tablet.goto(`${base}/kiosk?thanks=2`);
  await tablet.waitForTimeout(1600);
  await tablet.click("[data-face='4']");
  await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
  await tablet.waitForSelector(".kiosk-reference:not([hidden])");
});

test("inactivity on a half-filled screen counts down and clears everything", async () => {
  await tablet.goto(`${base}/kiosk?idle=1&countdown=2`);
  await tablet.waitForTimeout(1600);
  await tablet.click("[data-action=switch-lang]");
  assert.equal(await tablet.getAttribute("html", "lang"), "en");
  await tablet.click("[data-face='2']");
  await tablet.fill("#kiosk-message", "Half a sentence");
  await tablet.fill("#kiosk-email", "someone@example.com");
  await tablet.waitForSelector(".kiosk-countdown:not([hidden])", { timeout: 5000 });
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-5-countdown.png") });
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])", { timeout: 6000 });
  assert.equal(await tablet.inputValue("#kiosk-message"), "");
  assert.equal(await tablet.inputValue("#kiosk-email"), "");
  assert.equal(await tablet.getAttribute("html", "lang"), "nl", "the language resets for the next customer");
});

test("offline: two complaints wait in the kiosk and arrive exactly once", async () => {
  const before = await ticketCount(owner);
  await tablet.goto(`${base}/kiosk?thanks=1`);
  await tablet.waitForTimeout(1600);
  await tabletContext.setOffline(true);
  for (const face of ["1", "2"]) {
    await tablet.click(`[data-face='${face}']`);
    await tablet.waitForSelector("[data-screen=details]:not([hidden])");
    await tablet.fill("#kiosk-message", `Offline klacht ${face}`);
    await tablet.click("[data-action=send]");
    await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
    await tablet.waitForSelector("[data-screen=faces]:not([hidden])", { timeout: 5000 });
    await tablet.waitForTimeout(1600);
  }
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-6-offline.png") });
  const waiting = await tablet.evaluate(() => JSON.parse(localStorage.getItem("tellus-kiosk-queue") || "[]").length);
  assert.equal(waiting, 2);
  assert.equal(await ticketCount(owner), before, "nothing arrived while offline");
  // A reload while offline still shows the kiosk (service worker).
  await tablet.reload().catch(() => {});
  await tablet.waitForSelector("[data-screen=faces]", { timeout: 5000 });
  await tabletContext.setOffline(false);
  await tablet.evaluate(() => window.dispatchEvent(new Event("online")));
  const deadline = Date.now() + 20000;
  let count = before;
  while (Date.now() < deadline) {
    count = await ticketCount(owner);
    if (count >= before + 2) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await ticketCount(owner), before + 2, "exactly two tickets");
  const left = await tablet.evaluate(() => JSON.parse(localStorage.getItem("tellus-kiosk-queue") || "[]").length);
  assert.equal(left, 0);
});

test("the QR form works on a phone, and its pages pass axe", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "en-GB", bypassCSP: true });
  const phone = await context.newPage();
  await phone.goto(`${base}/f/shop?src=qr&spot=table-4`);
  await phone.screenshot({ path: join(ARTIFACTS, "phone-1-form.png"), fullPage: true });
  await axeCheck(phone, "the feedback form");
  await phone.click("label[for=face-1]");
  await phone.fill("#message", "The soup was cold.");
  await phone.waitForTimeout(2100);
  await Promise.all([phone.waitForLoadState("load"), phone.click("button[type=submit].primary")]);
  await phone.waitForSelector(".reference");
  await phone.screenshot({ path: join(ARTIFACTS, "phone-2-thanks.png"), fullPage: true });
  await axeCheck(phone, "the thank-you page");
  await context.close();
});

test("outside opening hours the kiosk shows a closed screen", async () => {
  await owner.goto(`${base}/staff/locations`);
  await owner.click("table a:has-text('Bakkerij De Zon')");
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const today = (new Date().getUTCDay() + 6) % 7;
  await owner.fill("#time_zone", "UTC");
  for (const [i, day] of days.entries()) {
    await owner.fill(`#hours_${day}`, i === (today + 1) % 7 ? "00:00-24:00" : "");
  }
  const [saved] = await Promise.all([owner.waitForResponse((r) => r.request().method() === "POST"), owner.click("button:has-text('Save')")]);
  assert.equal(saved.status(), 303);
  await tablet.goto(`${base}/kiosk`);
  await tablet.waitForSelector("#kiosk-closed");
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-7-closed.png") });
  // Open again, every day.
  await owner.goto(`${base}/staff/locations`);
  await owner.click("table a:has-text('Bakkerij De Zon')");
  for (const day of days) await owner.fill(`#hours_${day}`, "");
  await Promise.all([owner.waitForResponse((r) => r.request().method() === "POST"), owner.click("button:has-text('Save')")]);
  await tablet.goto(`${base}/kiosk`);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
});

test("a revoked kiosk says so on its next request", async () => {
  await owner.goto(`${base}/staff/kiosks`);
  await Promise.all([owner.waitForLoadState("load"), owner.click("button:has-text('Revoke')")]);
  await tablet.goto(`${base}/kiosk`);
  await tablet.waitForSelector("text=Deze kiosk is niet actief");
  await tablet.screenshot({ path: join(ARTIFACTS, "kiosk-8-inactive.png") });
});
