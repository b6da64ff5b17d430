// Browser tests of the four languages: an owner makes a location speak
// French and German, a phone in German sees the French form (German is not
// offered yet) and switches to Dutch; a kiosk offers the three, a customer
// chooses German, and the next one starts in French again. Every screen is
// checked for layout and with axe-core; screenshots go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, staffPage, checkPage, SIZES } from "./harness.mjs";

const KIOSK_SIZES = SIZES.filter((s) => s.width >= 768);
let app, base, owner;

before(async () => {
  app = await start();
  ({ base } = app);
  owner = await staffPage(app, "owner@shop.example");
});

after(async () => {
  if (app) await app.stop();
});

/// Sets the shop's default language and the other ones it offers.
async function offer(defaultLang, others) {
  await owner.goto(`${base}/staff/locations`);
  await owner.click("table a:has-text('Bakkerij De Zon')");
  await owner.selectOption("#default_language", defaultLang);
  for (const code of ["nl", "en", "fr", "de"]) {
    await owner.setChecked(`#lang_${code}`, others.includes(code) || code === defaultLang);
  }
  const [saved] = await Promise.all([
    owner.waitForResponse((r) => r.request().method() === "POST"),
    owner.click("button:has-text('Save')"),
  ]);
  assert.equal(saved.status(), 303);
}

test("the owner picks the languages; the phone form follows them", async () => {
  await offer("fr", ["nl"]);
  await owner.goto(`${base}/staff/locations`);
  await owner.click("table a:has-text('Bakkerij De Zon')");
  assert.ok(await owner.isChecked("#lang_fr") && await owner.isChecked("#lang_nl"));
  assert.ok(!(await owner.isChecked("#lang_de")));
  await owner.locator("#lang_nl").scrollIntoViewIfNeeded();
  await checkPage(owner, "languages-1-location");

  const context = await app.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "de-DE", bypassCSP: true });
  const phone = await context.newPage();
  await phone.goto(`${base}/f/shop`);
  assert.equal(await phone.getAttribute("html", "lang"), "fr", "German is not offered: the default");
  assert.match(await phone.textContent("h1"), /Comment s’est passée votre visite/);
  assert.deepEqual(await phone.locator(".lang-switch a").allTextContents(), ["Nederlands"]);
  await checkPage(phone, "languages-2-form-fr", { customer: true });
  await Promise.all([phone.waitForLoadState("load"), phone.click(".lang-switch a")]);
  assert.equal(await phone.getAttribute("html", "lang"), "nl");
  assert.deepEqual(await phone.locator(".lang-switch a").allTextContents(), ["Français"]);
  await context.close();
});

test("a kiosk offers each language and starts every customer in the default", async () => {
  await offer("fr", ["nl", "de"]);
  await owner.goto(`${base}/staff/kiosks`);
  await owner.fill("#name", "Caisse");
  await owner.click("text=Make a pairing code");
  const code = (await owner.textContent("#pairing-code")).trim();
  const context = await app.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "fr-BE", bypassCSP: true });
  const tablet = await context.newPage();
  await tablet.goto(`${base}/kiosk/pair`);
  await tablet.fill("#code", code);
  await Promise.all([tablet.waitForURL(/\/kiosk$/), tablet.click("button[type=submit]")]);
  await tablet.goto(`${base}/kiosk?thanks=1`);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  assert.equal(await tablet.getAttribute("html", "lang"), "fr");
  assert.deepEqual(await tablet.locator("[data-lang-choice]").allTextContents(), ["Français", "Nederlands", "Deutsch"]);
  assert.equal(await tablet.getAttribute("[data-lang-choice=fr]", "aria-pressed"), "true");
  await checkPage(tablet, "languages-3-kiosk-fr", { customer: true, sizes: KIOSK_SIZES });

  await tablet.waitForTimeout(1600);
  await tablet.click("[data-lang-choice=de]");
  assert.equal(await tablet.getAttribute("html", "lang"), "de");
  assert.match(await tablet.textContent("h1"), /Wie war Ihr Besuch/);
  assert.equal(await tablet.getAttribute("[data-lang-choice=de]", "aria-pressed"), "true");
  await tablet.click("[data-face='2']");
  await tablet.waitForSelector("[data-screen=details]:not([hidden])");
  await checkPage(tablet, "languages-4-kiosk-de-details", { customer: true, sizes: KIOSK_SIZES });
  await tablet.fill("#kiosk-message", "Das Brot war alt.");
  await tablet.click("[data-action=send]");
  await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
  assert.match(await tablet.textContent("[data-screen=thanks] h1"), /Vielen Dank/);
  // The next customer starts in the location's default again.
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])", { timeout: 5000 });
  assert.equal(await tablet.getAttribute("html", "lang"), "fr");
  assert.equal(await tablet.getAttribute("[data-lang-choice=fr]", "aria-pressed"), "true");
  await context.close();

  // The German complaint is a German ticket for staff.
  await owner.goto(`${base}/staff/inbox`);
  await owner.click("table.inbox tbody tr:first-child a");
  assert.match(await owner.textContent("main"), /German/);
});
