// The staff journey in Debian's Chromium: a customer complains on the phone
// form, the owner writes a canned response, a staff member logs in, filters
// the inbox, answers with the canned response (in the customer's language)
// and resolves the ticket in the same step. Every staff page passes axe.
// Screenshots go to tests/e2e/artifacts/staff-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, staffPage, axeCheck, ARTIFACTS, PASSWORD } from "./harness.mjs";

let app;

before(async () => {
  app = await start();
  app.tellus(["location", "add", "--slug", "station", "--name", "Kiosk Station"]);
  app.tellus(["user", "add", "--email", "staff@shop.example", "--name", "Sam Staff", "--role", "staff"], PASSWORD + "\n");
});

after(async () => {
  if (app) await app.stop();
});

async function complain(slug, message, lang) {
  const context = await app.browser.newContext({ locale: lang === "en" ? "en-GB" : "nl-NL" });
  const page = await context.newPage();
  await page.goto(`${app.base}/f/${slug}?lang=${lang}`);
  await page.click("label[for=face-1]");
  await page.fill("#message", message);
  await page.fill("#name", "Alex");
  await page.fill("#email", "alex@example.net");
  await page.check("#consent-box");
  await page.waitForTimeout(2100);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit].primary")]);
  const reference = (await page.textContent(".reference")).trim();
  await context.close();
  return reference;
}

test("staff filter the inbox, answer with a canned response and resolve", async () => {
  const reference = await complain("shop", "The coffee was cold and nobody came.", "en");
  await complain("station", "Geen melk meer.", "nl");

  const owner = await staffPage(app, "owner@shop.example");
  await owner.goto(`${app.base}/staff/canned`);
  await owner.fill("#title", "Apology");
  await owner.fill("#body_nl", "Beste {name}, sorry! Groet, {staff}");
  await owner.fill("#body_en", "Dear {name}, we are sorry about {reference}. Kind regards, {staff}");
  await owner.click("text=Add");
  await owner.waitForSelector("text=Stop offering");
  await axeCheck(owner, "the canned responses page");

  const staff = await staffPage(app, "staff@shop.example");
  // The filters fold behind one disclosure, which says how many are on.
  await staff.click("details.more-filters summary");
  await staff.selectOption("select[name=location]", "shop");
  await Promise.all([staff.waitForURL(/location=shop/), staff.click(".filter-actions button[type=submit]")]);
  assert.match(await staff.textContent("details.more-filters summary"), /1 on/);
  const rows = staff.locator("table.inbox tbody tr");
  assert.equal(await rows.count(), 1, "only the shop's complaint");
  await staff.screenshot({ path: join(ARTIFACTS, "staff-1-inbox.png"), fullPage: true });
  await axeCheck(staff, "the filtered inbox");

  await Promise.all([staff.waitForURL(/\/staff\/tickets\/\d+$/), staff.click(`a:has-text('${reference}')`)]);
  await staff.selectOption("#canned", { label: "Apology" });
  await Promise.all([staff.waitForURL(/canned=/), staff.click("text=Use")]);
  const draft = await staff.inputValue("#body");
  assert.equal(draft, `Dear Alex, we are sorry about ${reference}. Kind regards, Sam Staff`);
  await staff.screenshot({ path: join(ARTIFACTS, "staff-2-ticket.png"), fullPage: true });
  await axeCheck(staff, "the ticket page");

  await staff.check("input[name=then][value=resolved]");
  await Promise.all([staff.waitForURL(/\/staff\/tickets\/\d+$/), staff.click("form[action$='/reply'] button[type=submit]")]);
  assert.equal((await staff.textContent(".badge.status")).trim(), "Resolved");
  assert.ok(await staff.isVisible(`.msg.staff :text("we are sorry about ${reference}")`), "the reply is on the timeline");
  await staff.screenshot({ path: join(ARTIFACTS, "staff-3-resolved.png"), fullPage: true });
});
