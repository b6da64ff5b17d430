-- wrk script: POSTs the public feedback form of one location, each request
-- with its own idempotency key, a random face and a short message, as a
-- customer's browser would. Run by bench/load.sh, which passes:
--   TELLUS_BENCH_TOKEN   the form's signed time token (taken from the served form)
--   TELLUS_BENCH_PATH    the form's path (default /f/bench)
--   TELLUS_BENCH_ORIGIN  the Origin header a same-site browser sends (optional)
--   TELLUS_BENCH_COOKIE  a Cookie header to send (optional)
-- At the end it prints one line per status class, e.g. `ok_2xx=12345`.

local token = os.getenv("TELLUS_BENCH_TOKEN") or ""
local path = os.getenv("TELLUS_BENCH_PATH") or "/f/bench"
local origin = os.getenv("TELLUS_BENCH_ORIGIN") or ""
local cookie = os.getenv("TELLUS_BENCH_COOKIE") or ""

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local messages = {
  "The coffee was cold and nobody came to the table.",
  "Friendly staff, but the queue at the till was long.",
  "Ordered the soup, got the salad. Still waiting.",
  "Great service today, thank you!",
}
for i, m in ipairs(messages) do
  messages[i] = urlencode(m)
end
local token_field = "token=" .. urlencode(token)

local hexdigits = "0123456789abcdef"
local function random_hex(n)
  local t = {}
  for i = 1, n do
    local r = math.random(1, 16)
    t[i] = string.sub(hexdigits, r, r)
  end
  return table.concat(t)
end

-- setup() runs in the main Lua state once per wrk thread; the thread objects
-- are kept so done() can add up their counters.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- The rest runs in each thread's own Lua state; `id` was set by setup().
local headers

function init(args)
  ok_2xx = 0
  redirect_3xx = 0
  other_status = 0
  -- A different seed per thread, so keys never repeat across threads.
  math.randomseed(os.time() + (id or 0) * 104729 + math.floor(os.clock() * 1000000))
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if origin ~= "" then
    headers["Origin"] = origin
  end
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
end

function request()
  local body = token_field
    .. "&key=" .. random_hex(32)
    .. "&face=" .. math.random(1, 4)
    .. "&message=" .. messages[math.random(1, #messages)]
    .. "&website="
  return wrk.format("POST", path, headers, body)
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
  local e = summary.errors
  io.write(string.format("ok_2xx=%d\n", ok))
  io.write(string.format("redirect_3xx=%d\n", redirect))
  io.write(string.format("other_status=%d\n", other))
  io.write(string.format("socket_errors=connect:%d,read:%d,write:%d,timeout:%d\n",
    e.connect, e.read, e.write, e.timeout))
end
