// Browser run with every message in the longest of its four translations
// (TELLUS_TEXTS=longest), whatever language a page is in: the phone form,
// its errors and the thank-you page at phone sizes, the kiosk's screens on a
// tablet either way round, and the staff pages an owner sets texts on, at a
// phone and a laptop. No page may scroll sideways or cover a control; the
// kiosk's send button stays in sight on a landscape tablet. Screenshots go
// to tests/e2e/artifacts/longest-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, staffPage, checkPage, inSight, SIZES } from "./harness.mjs";

const PHONES = SIZES.filter((s) => s.width < 768);
const KIOSK_SIZES = SIZES.filter((s) => s.width >= 768);
const LANDSCAPE = KIOSK_SIZES.filter((s) => s.width > s.height);
const STAFF_SIZES = [SIZES[0], SIZES[SIZES.length - 1]];
let app, base, owner;

before(async () => {
  app = await start({ TELLUS_TEXTS: "longest", TELLUS_FORM_MIN_SECONDS: "0" });
  ({ base } = app);
  owner = await staffPage(app, "owner@shop.example");
  // Every language at the shop, so every switch and choice is on screen.
  await owner.goto(`${base}/staff/locations`);
  await owner.click("table a:has-text('Bakkerij De Zon')");
  for (const code of ["nl", "en", "fr", "de"]) await owner.setChecked(`#lang_${code}`, true);
  const [saved] = await Promise.all([
    owner.waitForResponse((r) => r.request().method() === "POST"),
    owner.click("form[action^='/staff/locations/'] button.primary[type=submit]"),
  ]);
  assert.equal(saved.status(), 303);
});

after(async () => {
  if (app) await app.stop();
});

test("the phone form, its errors and the thank-you page", async () => {
  const context = await app.browser.newContext({ viewport: PHONES[0], isMobile: true, hasTouch: true, locale: "de-DE", bypassCSP: true });
  const phone = await context.newPage();
  await phone.goto(`${base}/f/shop`);
  assert.equal(await phone.locator(".lang-switch a").count(), 3, "the three other languages");
  await checkPage(phone, "longest-1-form", { customer: true, sizes: PHONES });

  await phone.click("label[for=face-1]");
  await phone.fill("#message", "Das Brot war alt und niemand hat mir zugehört.");
  await phone.fill("#email", "not an address");
  await Promise.all([phone.waitForLoadState("load"), phone.click("form.feedback button.primary[type=submit]")]);
  assert.ok(await phone.isVisible(".error-summary"), "the errors are listed");
  await checkPage(phone, "longest-2-form-errors", { customer: true, sizes: PHONES });

  await phone.fill("#email", "kunde@example.net");
  await phone.check("#consent-box");
  await Promise.all([phone.waitForLoadState("load"), phone.click("form.feedback button.primary[type=submit]")]);
  assert.ok(!(await phone.isVisible(".error-summary")), "sent");
  await checkPage(phone, "longest-3-thanks", { customer: true, sizes: PHONES });
  await context.close();
});

test("the kiosk's screens on a tablet, either way round", async () => {
  await owner.goto(`${base}/staff/kiosks`);
  await owner.fill("#name", "Caisse");
  await owner.click("form[action='/staff/kiosks/pairing'] button[type=submit]");
  const code = (await owner.textContent("#pairing-code")).trim();
  const context = await app.browser.newContext({ viewport: LANDSCAPE[0], locale: "fr-BE", bypassCSP: true });
  const tablet = await context.newPage();
  await tablet.goto(`${base}/kiosk/pair`);
  await tablet.fill("#code", code);
  await Promise.all([tablet.waitForURL(/\/kiosk$/), tablet.click("button[type=submit]")]);
  await tablet.goto(`${base}/kiosk?thanks=30`);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  assert.equal(await tablet.locator("[data-lang-choice]").count(), 4);
  await checkPage(tablet, "longest-4-kiosk-faces", { customer: true, sizes: KIOSK_SIZES });

  await tablet.waitForTimeout(1600);
  await tablet.click("[data-face='1']");
  await tablet.waitForSelector("[data-screen=details]:not([hidden])");
  await tablet.click("[data-category='waiting']");
  await tablet.fill("#kiosk-message", "Vingt minutes d’attente pour un sandwich.");
  await tablet.fill("#kiosk-email", "client@example.net");
  await tablet.click("label[for=kiosk-consent]");
  for (const size of LANDSCAPE) {
    await tablet.setViewportSize(size);
    assert.ok(await inSight(tablet, "[data-action=send]"), `send is in sight at ${size.width}×${size.height}`);
  }
  await checkPage(tablet, "longest-5-kiosk-details", { customer: true, sizes: KIOSK_SIZES });
  await tablet.setViewportSize(LANDSCAPE[0]);
  await tablet.click("[data-action=send]");
  await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
  await checkPage(tablet, "longest-6-kiosk-thanks", { customer: true, sizes: KIOSK_SIZES });
  await context.close();
});

test("the staff pages owners write their texts on", async () => {
  await owner.goto(`${base}/staff/inbox`);
  await checkPage(owner, "longest-7-inbox", { sizes: STAFF_SIZES });
  await owner.click("table.inbox tbody tr a");
  await owner.waitForURL(/\/staff\/tickets\/\d+$/);
  await checkPage(owner, "longest-8-ticket", { sizes: STAFF_SIZES });
  for (const [path, name] of [
    ["/staff/categories", "longest-9-categories"],
    ["/staff/canned", "longest-10-canned"],
    ["/staff/gifts/catalogue", "longest-11-gift-catalogue"],
  ]) {
    await owner.goto(`${base}${path}`);
    await checkPage(owner, name, { sizes: STAFF_SIZES });
  }
});
