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

/// Starts a server with its own data folder; `extraEnv` adds settings.
/// Returns { base, tellus(args, input), browser, stop(), dataDir }.
export async function start(extraEnv = {}) {
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
  tellus(["location", "add", "--slug", "shop", "--name", "Bakkerij De Zon"]);
  tellus(["user", "add", "--email", "owner@shop.example", "--name", "Olga Owner", "--role", "owner"], PASSWORD + "\n");
  const server = spawn(BIN, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 30000;
  for (;;) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
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
  return { base, tellus, browser, stop, dataDir };
}

/// A new English browser page logged in as `email`, on the inbox.
export async function staffPage(app, email) {
  // bypassCSP only so axe-core can be injected; the pages themselves run under the CSP.
  const context = await app.browser.newContext({ locale: "en-GB", bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${app.base}/staff/login`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/staff\/inbox/), page.click("button[type=submit].primary")]);
  return page;
}

/// Fails on serious or critical axe-core findings.
export async function axeCheck(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), [], `accessibility of ${name}`);
}
