// A webhook receiver for the integration tests (tests/integration/webhooks.rs).
//
// Listens on 127.0.0.1 (a free port), prints {"listening": PORT} as its first
// line, then one JSON line per request: the path, the headers that matter,
// the body, whether the Standard Webhooks reference library verified the
// signature, and the status it answered.
//
// Commands arrive on stdin, one a line:
//   secret whsec_...      verify signatures with this secret from now on
//   script 500,500,500,200  answer with these statuses in turn (the last repeats)
//   script 302=http://127.0.0.1:9/elsewhere  answer a redirect
// It stops when stdin closes, or after five minutes at most.
import http from "node:http";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Webhook } = require("standardwebhooks");

let secret = null;
let script = ["200"];
let served = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = {};
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "user-agent"]) {
      if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    }
    let verified = null;
    let error = null;
    if (headers["webhook-signature"] !== undefined) {
      if (secret === null) {
        verified = false;
        error = "no secret given";
      } else {
        try {
          new Webhook(secret).verify(body, headers);
          verified = true;
        } catch (e) {
          verified = false;
          error = String(e && e.message ? e.message : e);
        }
      }
    }
    const step = script[Math.min(served, script.length - 1)];
    served += 1;
    const [code, location] = step.split("=");
    const status = Number(code);
    const line = { method: req.method, path: req.url, headers, body, verified, error, status };
    process.stdout.write(JSON.stringify(line) + "\n");
    if (location) res.setHeader("location", location);
    res.statusCode = status;
    res.end(status >= 200 && status < 300 ? "ok" : "no");
  });
});

server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ listening: server.address().port }) + "\n");
});

const input = readline.createInterface({ input: process.stdin });
input.on("line", (line) => {
  const [command, value] = line.trim().split(/\s+/, 2);
  if (command === "secret") secret = value;
  if (command === "script") {
    script = value.split(",");
    served = 0;
  }
  process.stdout.write(JSON.stringify({ ok: command }) + "\n");
});
input.on("close", () => process.exit(0));
setTimeout(() => process.exit(0), 5 * 60 * 1000).unref();
