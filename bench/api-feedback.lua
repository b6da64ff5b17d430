-- wrk script: creates feedback through the JSON API (POST /api/v1/feedback),
-- each request with its own Idempotency-Key, a random face and a short
-- message, as a shop's till system would. Run by bench/load.sh, which passes:
--   TELLUS_BENCH_API_KEY   a key with the feedback:write scope
--   TELLUS_BENCH_LOCATION  the location's slug (default bench)
-- At the end it prints one line per status class, e.g. `ok_2xx=12345`.

local key = os.getenv("TELLUS_BENCH_API_KEY") or ""
local location = os.getenv("TELLUS_BENCH_LOCATION") or "bench"

local messages = {
  "The coffee was cold and nobody came to the table.",
  "Friendly staff, but the queue at the till was long.",
  "Ordered the soup, got the salad. Still waiting.",
  "Great service today, thank you!",
}

local hexdigits = "0123456789abcdef"
local function random_hex(n)
  local t = {}
  for i = 1, n do
    local r = math.random(1, 16)
    t[i] = string.sub(hexdigits, r, r)
  end
  return table.concat(t)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  ok_2xx = 0
  redirect_3xx = 0
  other_status = 0
  math.randomseed(os.time() + (id or 0) * 104729 + math.floor(os.clock() * 1000000))
end

function request()
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key,
    ["Idempotency-Key"] = random_hex(32),
  }
  local body = string.format('{"location":"%s","face":%d,"message":"%s"}',
    location, math.random(1, 4), messages[math.random(1, #messages)])
  return wrk.format("POST", "/api/v1/feedback", headers, body)
end

function response(status, _headers, _body)
  if status >= 200 and status < 300 then
    ok_2xx = ok_2xx + 1
  elseif status >= 300 and status < 400 then
    redirect_3xx = redirect_3xx + 1
  else
    other_status = other_status + 1
  end
end

function done(summary, latency, requests)
  local ok, redirect, other = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok_2xx") or 0)
    redirect = redirect + (thread:get("redirect_3xx") or 0)
    other = other + (thread:get("other_status") or 0)
  end
  io.write(string.format("ok_2xx=%d\n", ok))
  io.write(string.format("redirect_3xx=%d\n", redirect))
  io.write(string.format("other_status=%d\n", other))
end
