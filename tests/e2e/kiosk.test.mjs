// Browser tests in Debian's Chromium: pairing a kiosk, the unhappy and the
// happy flow, the inactivity reset, offline submissions that arrive exactly
// once (also when the browser is killed right after one), the QR form on a
// phone. Every kiosk and customer screen is checked for layout and with
// axe-core at the sizes it is used at; screenshots go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { start, staffPage, checkPage, inSight, ARTIFACTS, SIZES } from "./harness.mjs";

// A kiosk is a tablet, either way round, or a small laptop.
const KIOSK_SIZES = SIZES.filter((s) => s.width >= 768);

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

/// How many submissions wait in the kiosk's offline queue (IndexedDB).
async function waitingInKiosk(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("tellus-kiosk");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
      const count = db.transaction("queue").objectStore("queue").count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
  }));
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
  await checkPage(tablet, "kiosk-1-pair", { customer: true, sizes: KIOSK_SIZES });
  await tablet.fill("#code", "AAAA-AAAA");
  await Promise.all([tablet.waitForLoadState("load"), tablet.click("button[type=submit]")]);
  assert.ok(await tablet.isVisible("#code-error"));
  await checkPage(tablet, "kiosk-1-pair-failed", { customer: true, sizes: KIOSK_SIZES });
  await tablet.fill("#code", code);
  await Promise.all([tablet.waitForURL(/\/kiosk$/), tablet.click("button[type=submit]")]);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  assert.ok(await tablet.isHidden(".kiosk-offline"), "online with nothing waiting: no indicator");
  await checkPage(tablet, "kiosk-2-faces", { customer: true, sizes: KIOSK_SIZES });
});

test("the unhappy flow: face, details, thanks, back to the start", async () => {
  const before = await ticketCount(owner);
  await tablet.goto(`${base}/kiosk?thanks=12`);
  await tablet.waitForTimeout(1600);
  await tablet.click("[data-face='1']");
  await tablet.waitForSelector("[data-screen=details]:not([hidden])");
  await tablet.click("[data-category='waiting']");
  await tablet.fill("#kiosk-message", "Twintig minuten gewacht op een broodje.");
  await checkPage(tablet, "kiosk-3-details", { customer: true, sizes: KIOSK_SIZES });
  // An address without the box ticked: the customer must see why nothing was sent.
  await tablet.fill("#kiosk-email", "klant@example.net");
  for (const size of KIOSK_SIZES) {
    await tablet.setViewportSize(size);
    await tablet.click("[data-action=send]");
    await tablet.waitForSelector("#kiosk-error:not([hidden])");
    assert.ok(await inSight(tablet, "#kiosk-error"), `the error shows at ${size.width}×${size.height}`);
    assert.ok(await inSight(tablet, "#kiosk-consent + label"), `the consent box shows at ${size.width}×${size.height}`);
  }
  await tablet.setViewportSize({ width: 1024, height: 768 });
  await checkPage(tablet, "kiosk-3-details-consent", { customer: true, sizes: KIOSK_SIZES });
  await tablet.click("label[for=kiosk-consent]");
  assert.ok(await tablet.isChecked("#kiosk-consent"));
  await tablet.click("[data-action=send]");
  await tablet.waitForSelector("[data-screen=thanks]:not([hidden])");
  await tablet.waitForSelector(".kiosk-reference:not([hidden])");
  const reference = (await tablet.textContent(".kiosk-reference .reference")).trim();
  assert.match(reference, /^TL-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  // Read at arm's length.
  const titleSize = await tablet.$eval("[data-screen=thanks] h1", (h) => parseFloat(getComputedStyle(h).fontSize));
  assert.ok(titleSize >= 56, `the thank-you title is ${titleSize} px`);
  await checkPage(tablet, "kiosk-4-thanks", { customer: true, sizes: KIOSK_SIZES });
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])", { timeout: 15000 });
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
  await tablet.click("[data-lang-choice=en]");
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
  assert.equal(await waitingInKiosk(tablet), 2);
  const indicator = tablet.locator(".kiosk-offline");
  assert.ok(await indicator.isVisible(), "staff can see answers are waiting");
  assert.match(await indicator.textContent(), /2/);
  assert.match(await indicator.getAttribute("aria-label"), /2/);
  await checkPage(tablet, "kiosk-6-offline", { customer: true, sizes: KIOSK_SIZES });
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
  assert.equal(await waitingInKiosk(tablet), 0);
  await tablet.waitForSelector(".kiosk-offline", { state: "hidden" });
});

test("an answer left in the old browser-storage queue is moved over and sent once", async () => {
  const message = "Uit de oude wachtrij";
  await tablet.goto(`${base}/kiosk`);
  await tablet.waitForSelector("[data-screen=faces]:not([hidden])");
  await tabletContext.setOffline(true);
  await tablet.evaluate((message) => localStorage.setItem("tellus-kiosk-queue", JSON.stringify([
    { key: "0123456789abcdef0123456789abcdef", face: "2", lang: "nl", category: "", message, email: "" },
  ])), message);
  await tablet.reload().catch(() => {});
  await tablet.waitForSelector("[data-screen=faces]", { timeout: 5000 });
  await tablet.waitForFunction(() => localStorage.getItem("tellus-kiosk-queue") === null);
  assert.equal(await waitingInKiosk(tablet), 1);
  await tabletContext.setOffline(false);
  await tablet.evaluate(() => window.dispatchEvent(new Event("online")));
  assert.equal(await storedTimes(message), 1);
});

/// How many tickets in the owner's inbox show `message`.
async function ticketsWith(message) {
  await owner.goto(`${base}/staff/inbox`);
  return owner.evaluate((message) => new Set([...document.querySelectorAll("a[href*='/staff/tickets/']")]
    .filter((a) => (a.closest("tr, li, article") || a).textContent.includes(message))
    .map((a) => a.getAttribute("href").match(/\/staff\/tickets\/\d+/)[0])).size, message);
}

/// How many tickets show `message` in the owner's inbox, once the kiosk has had
/// time to send it (and to send it again, if it would).
async function storedTimes(message) {
  const deadline = Date.now() + 20000;
  const count = () => ticketsWith(message);
  while (Date.now() < deadline && (await count()) === 0) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 3000));
  return count();
}

/// A Chromium of our own on a profile folder that outlives it, as a shop's
/// tablet browser does, and the process id of its main process.
async function tabletBrowser(profile) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1024, height: 768 },
    locale: "nl-NL",
  });
  // Playwright hides the process of a persistent context; it is the child of
  // this test run whose command line names the profile.
  const pid = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).find((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return parent === process.pid && readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`--user-data-dir=${profile}`);
    } catch { return false; }
  });
  assert.ok(pid, "the tablet browser's process");
  const page = context.pages()[0] || await context.newPage();
  return { context, page, pid: Number(pid) };
}

test("a complaint made offline survives the browser being killed a second later", async () => {
  await owner.goto(`${base}/staff/kiosks`);
  await owner.fill("#name", "Tablet by the door");
  await owner.click("text=Make a pairing code");
  const code = (await owner.textContent("#pairing-code")).trim();
  const profile = mkdtempSync(join(tmpdir(), "tellus-tablet-"));
  try {
    // Paired some time ago: the browser was closed in the ordinary way since.
    let tab = await tabletBrowser(profile);
    await tab.page.goto(`${base}/kiosk/pair`);
    await tab.page.fill("#code", code);
    await Promise.all([tab.page.waitForURL(/\/kiosk$/), tab.page.click("button[type=submit]")]);
    await tab.page.waitForSelector("[data-screen=faces]:not([hidden])");
    await tab.context.close();

    tab = await tabletBrowser(profile);
    await tab.page.goto(`${base}/kiosk?thanks=1`);
    await tab.page.waitForSelector("[data-screen=faces]:not([hidden])");
    await tab.page.waitForTimeout(1600);
    await tab.context.setOffline(true);
    const message = "Net voor de stroomstoring";
    await tab.page.click("[data-face='1']");
    await tab.page.waitForSelector("[data-screen=details]:not([hidden])");
    await tab.page.fill("#kiosk-message", message);
    await tab.page.click("[data-action=send]");
    await tab.page.waitForSelector("[data-screen=thanks]:not([hidden])");
    await tab.page.waitForTimeout(1000);
    process.kill(tab.pid, "SIGKILL");
    await tab.context.close().catch(() => {});
    assert.equal(await ticketsWith(message), 0, "nothing arrived while offline");

    tab = await tabletBrowser(profile);
    await tab.page.goto(`${base}/kiosk`);
    await tab.page.waitForSelector("[data-screen=faces]:not([hidden])");
    assert.equal(await storedTimes(message), 1, "stored exactly once");
    assert.equal(await waitingInKiosk(tab.page), 0);
    await tab.context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

/// On a phone the browser zooms out to fit a page that is too wide, so the
/// page's own width is checked against the screen's, not the zoomed one.
async function fitsPhones(page, name) {
  const original = page.viewportSize();
  for (const size of SIZES.filter((s) => s.width < 768)) {
    await page.setViewportSize(size);
    const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll("main *")].map((el) => Math.ceil(el.getBoundingClientRect().right))));
    assert.ok(width <= size.width, `${name} is ${width} px wide on a ${size.width} px phone`);
  }
  await page.setViewportSize(original);
}

test("the QR form works on a phone, in Dutch and in English, at every size", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "nl-NL", bypassCSP: true });
  const phone = await context.newPage();
  await phone.goto(`${base}/f/shop?src=qr&spot=table-4`);
  assert.equal(await phone.getAttribute("html", "lang"), "nl");
  await checkPage(phone, "phone-1-form", { customer: true });
  await fitsPhones(phone, "the Dutch form");
  await phone.screenshot({ path: join(ARTIFACTS, "phone-1-form-full-360x740.png"), fullPage: true });
  await phone.click("label[for=face-1]");
  await phone.fill("#message", "De soep was koud.");
  await phone.fill("#email", "soep@example.net");
  await phone.click("label[for=consent-box]");
  assert.ok(await phone.isChecked("#consent-box"), "the label ticks the box");
  await phone.waitForTimeout(2100);
  await Promise.all([phone.waitForLoadState("load"), phone.click("button[type=submit].primary")]);
  await phone.waitForSelector(".reference");
  await checkPage(phone, "phone-2-thanks", { customer: true });
  await phone.goto(`${base}/f/shop?lang=en`);
  assert.equal(await phone.getAttribute("html", "lang"), "en");
  await checkPage(phone, "phone-3-form-en", { customer: true });
  await fitsPhones(phone, "the English form");
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
  await checkPage(tablet, "kiosk-7-closed", { customer: true, sizes: KIOSK_SIZES });
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
  await Promise.all([owner.waitForLoadState("load"), owner.click("tr:has-text('Counter tablet') button:has-text('Revoke')")]);
  await tablet.goto(`${base}/kiosk`);
  await tablet.waitForSelector("text=Deze kiosk is niet actief");
  await checkPage(tablet, "kiosk-8-inactive", { customer: true, sizes: KIOSK_SIZES });
});
