// The first hour of a new shop owner, in Debian's Chromium, on a server
// started as the README says (no owner, no location, mail saved as files):
// the setup link logs the owner in and shows the checklist; they set
// opening hours, pair a tablet in a second browser, print a poster, send a
// test mail and invite a colleague, finding each page through the
// navigation; then every staff page is checked at two phones, two tablets
// and a laptop (no sideways scroll, nothing covered, axe-core clean), and
// the phone menu is used with JavaScript off. Screenshots:
// artifacts/first-*.png and artifacts/page-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, checkPage, PASSWORD } from "./harness.mjs";

let app, owner, ownerContext;

before(async () => {
  app = await start({}, { fresh: true });
});

after(async () => {
  if (app) await app.stop();
});

/// Follows a link of the settings side menu, as an owner would.
async function settings(name) {
  await owner.click("nav.bar >> text=Settings");
  await Promise.all([owner.waitForLoadState("load"), owner.click(`nav.side >> text=${name}`)]);
}

/// Whether the checklist marks a step as done.
async function done(step) {
  await owner.goto(`${app.base}/staff/start`);
  return (await owner.locator(`li.step.done[id="${step}"]`).count()) === 1;
}

test("the setup link logs the owner in and opens the checklist", async () => {
  ownerContext = await app.browser.newContext({ locale: "en-GB", bypassCSP: true, viewport: { width: 1280, height: 800 } });
  owner = await ownerContext.newPage();
  await owner.goto(app.setupLink);
  // Started as the README says, the address is 127.0.0.1: the owner is told.
  assert.equal(await owner.locator("#address-warning-title").count(), 1, "the address warning");
  await checkPage(owner, "first-1-setup");
  await owner.fill("#name", "Olga Owner");
  await owner.fill("#email", "olga@shop.example");
  await owner.fill("#password", PASSWORD);
  await owner.fill("#location_name", "Bakkerij De Zon");
  await owner.fill("#slug", "de-zon");
  await Promise.all([owner.waitForURL(/\/staff\/start$/), owner.click("button[type=submit].primary")]);
  assert.equal(await owner.locator("li.step").count(), 8);
  await checkPage(owner, "first-2-checklist");
});

test("opening hours, through Settings → Locations", async () => {
  await settings("Locations");
  await Promise.all([owner.waitForLoadState("load"), owner.click("table >> text=Bakkerij De Zon")]);
  // Open around the clock, so the tablet below shows its faces whenever the test runs.
  for (const day of ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) await owner.fill(`#hours_${day}`, "00:00-24:00");
  await checkPage(owner, "first-3-location");
  await Promise.all([owner.waitForLoadState("load"), owner.click("button[type=submit].primary")]);
  assert.ok(await done("location"), "the location step is done");
});

test("a tablet is paired from Settings → Kiosks", async () => {
  await settings("Kiosks");
  assert.equal(await owner.locator("#address-warning-title").count(), 1, "the address warning");
  await owner.fill("#name", "Counter tablet");
  await owner.click("text=Make a pairing code");
  const code = (await owner.textContent("#pairing-code")).trim();
  await checkPage(owner, "first-4-kiosks");
  const tabletContext = await app.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "nl-NL", bypassCSP: true });
  const tablet = await tabletContext.newPage();
  await tablet.goto(`${app.base}/kiosk`);
  await tablet.fill("#code", code);
  await Promise.all([tablet.waitForURL(/\/kiosk$/), tablet.click("button[type=submit]")]);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  await tabletContext.close();
  assert.ok(await done("tablet"), "the tablet step is done");
});

test("a poster is printed from Settings → QR posters, and says its address is local", async () => {
  await settings("QR posters");
  assert.equal(await owner.locator("#address-warning-title").count(), 1, "the address warning");
  await checkPage(owner, "first-5-posters");
  const poster = await ownerContext.request.get(`${app.base}/staff/locations/de-zon/poster?size=a4`);
  assert.equal(poster.status(), 200);
  assert.match(await poster.text(), /127\.0\.0\.1/);
  assert.ok(await done("poster"), "the poster step is done");
});

test("the Mail page sends a test mail and says it was only saved as a file", async () => {
  await settings("Mail");
  await Promise.all([owner.waitForLoadState("load"), owner.click("form[action='/staff/settings/mail/test'] button[type=submit]")]);
  assert.match(await owner.textContent("main"), /saved as a file/i);
  await checkPage(owner, "first-6-mail");
  assert.ok(!(await done("mail")), "a file is not a delivered mail");
  // The banner on every page says so too, and leads here.
  assert.equal(await owner.locator(".banner a[href='/staff/settings/mail']").count(), 1);
});

test("a colleague is invited from Settings → Users", async () => {
  await settings("Users");
  await owner.fill("#email", "sam@shop.example");
  await owner.fill("#name", "Sam Staff");
  await Promise.all([owner.waitForLoadState("load"), owner.click("button[type=submit].primary")]);
  assert.match(await owner.textContent("main"), /saved as a file/i, "no false 'on its way'");
  await checkPage(owner, "first-7-users");
  assert.ok(await done("staff"), "the staff step is done");
  await checkPage(owner, "first-8-checklist-after");
});

test("every staff page fits every screen and passes axe", async () => {
  // A few complaints from phones, so the inbox, a ticket and the dashboard have rows.
  const phones = await app.browser.newContext({ locale: "en-GB" });
  const forms = await Promise.all(Array.from({ length: 10 }, () => phones.newPage()));
  await Promise.all(forms.map(async (phone, i) => {
    await phone.goto(`${app.base}/f/de-zon`);
    await phone.click(`label[for=face-${1 + (i % 3)}]`);
    await phone.fill("#message", `The coffee was cold and nobody came (${i}).`);
  }));
  await forms[0].waitForTimeout(2100);
  for (const phone of forms) await Promise.all([phone.waitForLoadState("load"), phone.click("button[type=submit].primary")]);
  await phones.close();

  await owner.goto(`${app.base}/staff/inbox`);
  assert.ok((await owner.locator("table.inbox tbody tr").count()) >= 8);
  await checkPage(owner, "page-inbox");
  await owner.setViewportSize({ width: 1280, height: 800 });
  // At 1280×800 at least eight tickets show before any scrolling.
  const visible = await owner.evaluate(() => [...document.querySelectorAll("table.inbox tbody tr")]
    .filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length);
  assert.ok(visible >= 8, `${visible} tickets on the first screen`);
  await owner.click("table.inbox tbody tr:first-child td.ref a");
  await checkPage(owner, "page-ticket");

  const pages = ["redeem", "gifts", "dashboard", "quarantine", "account", "start", "locations", "kiosks",
    "posters", "categories", "canned", "settings/workflow", "settings", "settings/mail", "profile", "users",
    "audit", "privacy"];
  for (const name of pages) {
    await owner.goto(`${app.base}/staff/${name}`);
    await checkPage(owner, `page-${name.replace("/", "-")}`);
  }
});

test("on a phone the menu opens without JavaScript", async () => {
  const context = await app.browser.newContext({ locale: "en-GB", javaScriptEnabled: false, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(`${app.base}/staff/login`);
  await phone.fill("#email", "olga@shop.example");
  await phone.fill("#password", PASSWORD);
  await Promise.all([phone.waitForLoadState("load"), phone.click("button[type=submit].primary")]);
  assert.equal(await phone.locator("nav.bar").isVisible(), false, "the wide bar is folded away");
  await phone.click("details.menu summary");
  await phone.screenshot({ path: new URL("./artifacts/first-9-phone-menu-360x740.png", import.meta.url).pathname });
  await Promise.all([phone.waitForLoadState("load"), phone.click("details.menu >> text=Settings")]);
  assert.match(phone.url(), /\/staff\/start$/);
  await phone.click("details.side-menu summary");
  await Promise.all([phone.waitForLoadState("load"), phone.click("details.side-menu >> text=Kiosks")]);
  assert.match(phone.url(), /\/staff\/kiosks$/);
  await context.close();
});
