// What every browser test file shares: a Tellus server of its own (the
// release binary on a fresh data folder and a free port), Debian's Chromium,
// staff login, and the axe-core accessibility check.
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
export const ARTIFACTS = join(here, "artifacts");
const BIN = process.env.TELLUS_BIN || join(here, "../../target/release/tellus");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const PASSWORD = "correct horse battery";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on("error", reject);
  });
}

/// Starts a server with its own data folder; `extraEnv` adds settings, and
/// `beforeServe(tellus)` runs commands (demo data, say) before it serves.
/// With `fresh`, nothing is made beforehand (no location, no owner) and the
/// setup link the server prints is returned as `setupLink`.
/// Returns { base, tellus(args, input), browser, stop(), dataDir, setupLink }.
export async function start(extraEnv = {}, { fresh = false, beforeServe } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "tellus-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = Object.assign({ PATH: process.env.PATH, HOME: process.env.HOME }, {
    TELLUS_DATA_DIR: dataDir,
    TELLUS_BIND: `127.0.0.1:${port}`,
    // Browser posts are checked against the public address, as in a real shop.
    TELLUS_BASE_URL: base,
    TELLUS_LOG: "warn",
    TELLUS_PUBLIC_RATE_LIMIT: "1000",
  }, extraEnv);
  const tellus = (args, input = "") =>
    execFileSync(BIN, args, { env, input, timeout: 30000 }).toString();
  if (!fresh) {
    tellus(["location", "add", "--slug", "shop", "--name", "Bakkerij De Zon"]);
    tellus(["user", "add", "--email", "owner@shop.example", "--name", "Olga Owner", "--role", "owner"], PASSWORD + "\n");
  }
  if (beforeServe) await beforeServe(tellus);
  const server = spawn(BIN, ["serve"], { env, stdio: ["ignore", "pipe", "inherit"] });
  let printed = "";
  server.stdout.on("data", (chunk) => { printed += chunk; });
  const deadline = Date.now() + 30000;
  for (;;) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const link = () => (printed.match(/https?:\/\/\S+\/setup\/\S+/) || [])[0];
  for (let i = 0; fresh && !link() && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
  const setupLink = link();
  if (fresh && !setupLink) throw new Error(`no setup link in: ${printed}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const stop = async () => {
    await browser.close();
    server.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { base, tellus, browser, stop, dataDir, setupLink };
}

/// A new English browser page logged in as `email`, on the inbox.
export async function staffPage(app, email) {
  // bypassCSP only so axe-core can be injected; the pages themselves run under the CSP.
  const context = await app.browser.newContext({ locale: "en-GB", bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${app.base}/staff/login`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  // Staff land on the inbox; an owner still setting up on the checklist.
  await Promise.all([page.waitForURL(/\/staff\/(inbox|start)/), page.click("button[type=submit].primary")]);
  return page;
}

/// Fails on any axe-core finding, whatever its impact.
export async function axeCheck(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(found, [], `accessibility of ${name}`);
}

/// The viewports every visited page is checked and photographed at: two
/// phones, a portrait and a landscape tablet, a laptop.
export const SIZES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
];

/// What is wrong with the page's layout at the current viewport: a
/// horizontal scroll, a control whose centre another element covers, and on
/// customer pages a tap target smaller than 44×44 px. Returns the problems
/// as sentences (empty when the layout is right).
export async function layoutProblems(page, { customer = false } = {}) {
  // A phone browser zooms out to fit a page that is too wide, which widens
  // innerWidth with it: compare with the screen's own width.
  const screen = (page.viewportSize() || {}).width || 0;
  return page.evaluate(async ([customer, screen]) => {
    const problems = [];
    const doc = document.documentElement;
    const width = Math.min(window.innerWidth, screen || window.innerWidth);
    if (doc.scrollWidth > width) {
      problems.push(`scrolls sideways: ${doc.scrollWidth} px wide in ${width} px`);
    }
    const describe = (el) => {
      const text = (el.getAttribute("aria-label") || el.textContent || el.name || el.id || "").trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} "${text}"`;
    };
    const shown = (el) => {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") return false;
      if (el.closest("[hidden], .hp, [aria-hidden=true]")) return false;
      // Inside a closed disclosure only its summary is on screen.
      const closed = el.closest("details:not([open])");
      if (closed && !(closed.querySelector(":scope > summary") || closed).contains(el)) return false;
      const r = el.getBoundingClientRect();
      return r.width > 2 && r.height > 2 && parseFloat(style.opacity) > 0.05;
    };
    // A control hidden on purpose behind its label (the faces, the chips)
    // is checked through that label.
    const target = (el) => {
      if (!shown(el) && el.labels && el.labels.length) return el.labels[0];
      return el;
    };
    const controls = [...document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])")]
      .map(target)
      .filter((el, i, all) => all.indexOf(el) === i && shown(el));
    for (const el of controls) {
      el.scrollIntoView({ block: "center", inline: "center" });
      // A link wrapped over two lines is aimed at on its first line.
      const r = el.getClientRects()[0] || el.getBoundingClientRect();
      // Kept off screen on purpose until focused (a skip link).
      if (r.right <= 0 || r.bottom <= 0) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const hit = document.elementFromPoint(x, y);
      const labelOf = hit && hit.closest("label") && hit.closest("label").control;
      if (!hit || !(hit === el || el.contains(hit) || hit.contains(el) && hit.tagName === "LABEL" || labelOf === el)) {
        problems.push(`${describe(el)} is covered by ${hit ? describe(hit) : "nothing (off screen)"}`);
      }
      if (customer) {
        // Links inside running text are exempt (WCAG 2.5.8, inline).
        const inline = el.tagName === "A" && getComputedStyle(el).display === "inline";
        if (!inline && (r.width < 44 || r.height < 44)) {
          problems.push(`${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px, under 44×44`);
        }
      }
    }
    window.scrollTo(0, 0);
    for (const el of document.querySelectorAll("*")) if (el.scrollLeft) el.scrollLeft = 0;
    return problems;
  }, [customer, screen]);
}

/// Whether `selector` is on screen and nothing covers its centre.
export async function inSight(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.top < 0 || r.bottom > window.innerHeight) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === el || el.contains(hit));
  });
}

/// Checks the page at every size in `SIZES` and photographs its first screen
/// into `artifacts/<name>-<width>x<height>.png`: no horizontal scroll, no
/// covered control, tap targets on customer pages, and axe-core with 0
/// violations (at the phone and the laptop size). Restores the viewport.
export async function checkPage(page, name, { customer = false, sizes = SIZES } = {}) {
  const original = page.viewportSize();
  const problems = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    const found = await layoutProblems(page, { customer });
    problems.push(...found.map((p) => `${size.width}×${size.height}: ${p}`));
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`) });
    if (size.width === 360 || size.width === 1280) await axeCheck(page, `${name} at ${size.width} px`);
  }
  if (original) await page.setViewportSize(original);
  assert.deepEqual(problems, [], `layout of ${name}`);
}
