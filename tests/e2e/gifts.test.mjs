// Gifts in Debian's Chromium: the owner adds a gift to the catalogue and
// sends it from a customer's ticket; the customer opens the link from their
// mail and sees the code as text and as a QR code; a staff member redeems it
// at the till and the customer's page then says it was redeemed. Every page
// passes axe. Screenshots go to tests/e2e/artifacts/gift-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import { start, staffPage, axeCheck, checkPage, ARTIFACTS, PASSWORD, SIZES } from "./harness.mjs";

let app;

before(async () => {
  app = await start();
  app.tellus(["user", "add", "--email", "staff@shop.example", "--name", "Sam Staff", "--role", "staff"], PASSWORD + "\n");
});

after(async () => {
  if (app) await app.stop();
});

/// Decodes one MIME part's body by its Content-Transfer-Encoding.
function decodePart(part) {
  const split = part.search(/\r?\n\r?\n/);
  if (split < 0) return part;
  const headers = part.slice(0, split).toLowerCase();
  const body = part.slice(split).trim();
  if (headers.includes("content-transfer-encoding: base64")) {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (headers.includes("content-transfer-encoding: quoted-printable")) {
    return Buffer.from(
      body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    ).toString("utf8");
  }
  return body;
}

/// The `/v/{token}` path of the gift mail in the server's mail folder.
async function giftPath() {
  const dir = join(app.dataDir, "mail");
  for (let i = 0; i < 100; i++) {
    let files = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith(".eml")); } catch { /* not there yet */ }
    for (const file of files) {
      const raw = readFileSync(join(dir, file), "utf8");
      for (const part of raw.split(/\r?\n--/)) {
        const found = decodePart(part).match(/\/v\/[A-Za-z0-9_-]{22}/);
        if (found) return found[0];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("no gift mail arrived");
}

test("owner sends a gift from a ticket, the customer sees the code, staff redeem it", async () => {
  // A complaint with an address, in English.
  const customer = await app.browser.newContext({ locale: "en-GB", bypassCSP: true });
  const form = await customer.newPage();
  await form.goto(`${app.base}/f/shop?lang=en`);
  await form.click("label[for=face-1]");
  await form.fill("#message", "The cake was stale.");
  await form.fill("#name", "Alex");
  await form.fill("#email", "alex@example.net");
  await form.click("label[for=consent-box]");
  assert.ok(await form.isChecked("#consent-box"));
  await form.waitForTimeout(2100);
  await Promise.all([form.waitForLoadState("load"), form.click("button[type=submit].primary")]);
  const reference = (await form.textContent(".reference")).trim();

  // The owner's catalogue.
  const owner = await staffPage(app, "owner@shop.example");
  await owner.goto(`${app.base}/staff/gifts/catalogue`);
  await owner.selectOption("#kind", "cinema");
  await owner.fill("#title_nl", "Bioscoop voor twee");
  await owner.fill("#title_en", "Cinema for two");
  await owner.fill("#description_en", "Two tickets for any film at the Rialto.");
  await owner.fill("#redeem_en", "Show the code at our counter and we hand you the tickets.");
  await owner.fill("#value", "25");
  await owner.fill("#cost", "20");
  await owner.fill("#validity_days", "60");
  await Promise.all([owner.waitForURL(/\/staff\/gifts\/catalogue$/), owner.click("text=Add gift")]);
  assert.ok(await owner.isVisible("h2:has-text('Cinema for two · €25.00')"));
  await axeCheck(owner, "the gift catalogue");

  // Send it from the ticket.
  await owner.goto(`${app.base}/staff/inbox`);
  await Promise.all([owner.waitForURL(/\/staff\/tickets\/\d+$/), owner.click(`a:has-text('${reference}')`)]);
  await Promise.all([owner.waitForURL(/\/gift$/), owner.click("text=Send a gift")]);
  assert.equal(await owner.inputValue("#email"), "alex@example.net");
  await owner.check("label:has-text('Cinema for two')");
  await owner.fill("#message", "Sorry about the cake, Alex. Enjoy the film!");
  await owner.screenshot({ path: join(ARTIFACTS, "gift-1-send.png"), fullPage: true });
  await axeCheck(owner, "the send form");
  await Promise.all([owner.waitForURL(/\/staff\/gifts\/\d+\?done=sent$/), owner.click("button:has-text('Send gift')")]);
  // Without SMTP (as here) the notice says the mail only went into a file.
  assert.ok(await owner.isVisible("text=The gift mail was saved as a file in the data folder, not sent"));

  // The customer's page.
  const path = await giftPath();
  const gift = await customer.newPage();
  const response = await gift.goto(`${app.base}${path}`);
  assert.equal(response.headers()["referrer-policy"], "no-referrer");
  const code = (await gift.textContent(".gift-code")).trim();
  assert.match(code, /^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{2}$/);
  assert.ok(await gift.isVisible(".qr svg"), "the QR code shows");
  assert.ok(await gift.isVisible("text=Sorry about the cake, Alex. Enjoy the film!"));
  assert.ok(await gift.isVisible("text=Show the code at our counter"));
  await gift.screenshot({ path: join(ARTIFACTS, "gift-2-customer.png"), fullPage: true });
  await checkPage(gift, "gift-2-customer", { customer: true });
  // Read aloud at the till: the code stays on one line, even on a small phone.
  for (const size of SIZES) {
    await gift.setViewportSize(size);
    const lines = await gift.$eval(".gift-code", (el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert.equal(lines, 1, `the gift code is on one line at ${size.width} px`);
    const [right, width] = await gift.$eval(".gift-code", (el) => [el.scrollWidth <= el.clientWidth, el.clientWidth]);
    assert.ok(right, `the gift code fits its ${width} px line at ${size.width} px`);
  }

  // The till.
  const staff = await staffPage(app, "staff@shop.example");
  await staff.goto(`${app.base}/staff/redeem`);
  await staff.fill("#code", code.toLowerCase().replaceAll("-", " "));
  await Promise.all([staff.waitForLoadState("load"), staff.click("button:has-text('Look up')")]);
  assert.ok(await staff.isVisible("h2:has-text('Cinema for two')"));
  await axeCheck(staff, "the till with a gift");
  await Promise.all([staff.waitForLoadState("load"), staff.click("button:has-text('Redeem now')")]);
  assert.ok(await staff.isVisible("text=Redeemed. Hand over the gift."));
  assert.ok(await staff.isVisible(".badge:has-text('Redeemed')"));
  await staff.screenshot({ path: join(ARTIFACTS, "gift-3-redeemed.png"), fullPage: true });

  await gift.reload();
  assert.ok(await gift.isVisible("text=This gift was redeemed on"));
  await checkPage(gift, "gift-4-customer-redeemed", { customer: true });
  await owner.goto(`${app.base}/staff/inbox`);
  await Promise.all([owner.waitForURL(/\/staff\/tickets\/\d+$/), owner.click(`a:has-text('${reference}')`)]);
  assert.ok(await owner.isVisible("text=Gift redeemed: Cinema for two"));

  // The owner's dashboard counts the gift: sent, redeemed, and its cost.
  await owner.goto(`${app.base}/staff/dashboard`);
  const figure = async (label) =>
    (await owner.textContent(`#figures tr:has(th:text-is('${label}')) td`)).trim();
  assert.equal(await figure("Gifts sent"), "1");
  assert.equal(await figure("Gifts redeemed"), "1");
  assert.match(await figure("Gift spend"), /^€20\.00/);
  assert.ok(await owner.isVisible("#volume svg[role=img]"), "the volume chart shows");
  await owner.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
  await axeCheck(owner, "the dashboard");
  await customer.close();
});
