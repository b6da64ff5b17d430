#!/usr/bin/env bash
# Load benchmark: serves a fresh Tellus with one location on SQLite (or, with
# DB=postgres, on a throwaway PostgreSQL cluster), then measures
#   1. the public form page  (GET  /f/bench) with wrk,
#   2. durable submissions   (POST /f/bench) with wrk and bench/submit.lua,
#   3. feedback through the API (POST /api/v1/feedback) with bench/api-feedback.lua,
# and checks that every submission the server acknowledged is in the database.
# Prints requests/s, p50 and p99 of both, stored vs acknowledged, and the
# server's peak memory.
#
# Run from the repository root:   bench/load.sh
# Settings (environment):
#   DURATION=10s      length of each wrk run
#   CONNECTIONS=64    open connections
#   THREADS=2         wrk threads
#   BIN=target/release/tellus   the server binary
#   SKIP_BUILD=1      use BIN as it is when it exists (default: cargo build --release)
#   TICKETS=1000000   also generate that many demo tickets first (tellus demo, which
#                     also rolls up the dashboard) and measure the staff inbox
#                     (8 connections): the default view, filtered first pages,
#                     full-text searches, the owner's dashboard (last 30 days,
#                     a 365-day range, one CSV) and the API's ticket list
#                     (GET /api/v1/tickets: the default page, a filtered one)
#   DB=postgres       run everything on PostgreSQL: a throwaway cluster made with
#                     initdb/pg_ctl from /usr/lib/postgresql/*/bin in a temp folder,
#                     stopped and removed at the end (default: DB=sqlite)
#   PLANS=1           with TICKETS, also print each inbox page's query plans
#                     (tellus inbox-plan)
# Needs wrk, curl and sqlite3; as root with apt-get they are installed when missing.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$root/target}/release/tellus}
# A relative BIN is relative to where the script was started.
[[ $BIN == /* ]] || BIN=$PWD/$BIN
cd "$root"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# need COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing
# and we may (root), else says what to install.
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing $2"
    if [[ -z ${apt_updated:-} ]]; then
      apt-get update -qq
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    command -v "$1" >/dev/null 2>&1 || die "installing $2 did not provide $1"
  else
    die "$1 is not installed: install the '$2' package (e.g. sudo apt-get install $2) and run again"
  fi
}

# ---- build and tools -------------------------------------------------------
if [[ ${SKIP_BUILD:-0} == 1 && -x $BIN ]]; then
  say "using $BIN as it is (SKIP_BUILD=1)"
else
  say "cargo build --release"
  cargo build --release
fi
[[ -x $BIN ]] || die "no server binary at $BIN (set BIN=...)"
need wrk wrk
need curl curl
DB=${DB:-sqlite}
case $DB in
  sqlite) need sqlite3 sqlite3 ;;
  postgres)
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $pg_bin && -x $pg_bin/initdb ]] ||
      die "DB=postgres needs PostgreSQL's server programs under /usr/lib/postgresql/*/bin (e.g. sudo apt-get install postgresql)"
    ;;
  *) die "DB must be sqlite or postgres, not $DB" ;;
esac

# ---- a fresh server --------------------------------------------------------
tmp=""
server_pid=""
sampler_pid=""
pg_dir=""
as_pg=()
cleanup() {
  local rc=$?
  trap - EXIT
  if [[ -n $sampler_pid ]]; then
    kill "$sampler_pid" 2>/dev/null || true
  fi
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [[ -n $pg_dir ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  if [[ -n $tmp ]]; then
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tellus-bench.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
BIND=127.0.0.1:$port
base=http://$BIND

# Only these settings: a stray DATABASE_URL or SMTP server must not take part.
unset DATABASE_URL TELLUS_SMTP_URL TELLUS_SECRET_KEY
export TELLUS_DATA_DIR=$tmp
export TELLUS_BIND=$BIND
export TELLUS_BASE_URL=$base
export TELLUS_PUBLIC_RATE_LIMIT=1000000000
export TELLUS_API_RATE_LIMIT=1000000000
export TELLUS_LOG=warn

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# sql QUERY: one value from the benchmark's database.
if [[ $DB == postgres ]]; then
  # PostgreSQL refuses to run as root: as root the cluster belongs to `postgres`.
  pg_dir=$(mktemp -d /tmp/tellus-bench-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  pg_port=$(free_port)
  say "PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port in $pg_dir"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U tellus --auth=trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null ||
    { cat "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U tellus tellus
  export DATABASE_URL=postgres://tellus@127.0.0.1:$pg_port/tellus
  sql() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U tellus -d tellus -tAc "$1"; }
else
  sql() { sqlite3 "$tmp/tellus.db" "$1"; }
fi

say "$BIN location add --slug bench"
"$BIN" location add --slug bench --name "Bench shop"

# An owner, so every complaint also queues a staff alert, as in a real shop.
say "$BIN user add --email owner@bench.example --role owner"
owner_password="bench-password-$RANDOM$RANDOM"
printf '%s\n' "$owner_password" | "$BIN" user add --email owner@bench.example --name "Bench owner" --role owner >/dev/null
# An API key, as a shop's till or BI system would hold.
say "$BIN api-key add --name bench --scopes feedback:write,tickets:read"
api_key=$("$BIN" api-key add --name bench --scopes feedback:write,tickets:read | sed -n -E 's/^key .*: ([^ ]+)$/\1/p')
[[ -n $api_key ]] || die "tellus api-key add printed no key"
if [[ -n ${TICKETS:-} ]]; then
  say "$BIN demo --tickets $TICKETS"
  "$BIN" demo --tickets "$TICKETS"
fi

say "$BIN serve on $BIND"
"$BIN" serve >"$tmp/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 30))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz" || true) == 200 ]]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -n 40 "$tmp/server.log" >&2 || true
    die "the server exited before answering /healthz"
  fi
  if ((SECONDS >= deadline)); then
    tail -n 40 "$tmp/server.log" >&2 || true
    die "GET /healthz did not answer 200 within 30 s"
  fi
  sleep 0.2
done
echo "server is up (pid $server_pid)"

# Peak memory: sample the server's RSS (kB) twice a second while it runs.
(
  while kill -0 "$server_pid" 2>/dev/null; do
    ps -o rss= -p "$server_pid" >>"$tmp/rss" 2>/dev/null || true
    sleep 0.5
  done
) &
sampler_pid=$!

# ---- reading wrk's report --------------------------------------------------
# wrk prints times like 850.00us, 1.23ms, 1.05s, 1.10m; all become milliseconds.
to_ms() {
  awk '{
    v = $1
    if (v ~ /us$/)      { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/)  { sub(/s$/, "", v);  printf "%.2f", v * 1000 }
    else if (v ~ /m$/)  { sub(/m$/, "", v);  printf "%.2f", v * 60000 }
    else if (v ~ /h$/)  { sub(/h$/, "", v);  printf "%.2f", v * 3600000 }
    else printf "?"
  }'
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
percentile() { awk -v p="$2%" 'seen && $1 == p { print $2; exit } /Latency Distribution/ { seen = 1 }' "$1" | to_ms; }
non_2xx_3xx() { awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$1"; }
field() { awk -F= -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# ---- 1. the form page ------------------------------------------------------
say "GET $base/f/bench: wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
curl -fsS -o /dev/null "$base/f/bench" || die "GET /f/bench failed"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$base/f/bench" | tee "$tmp/get.txt"
get_rps=$(rps "$tmp/get.txt")
get_p50=$(percentile "$tmp/get.txt" 50)
get_p99=$(percentile "$tmp/get.txt" 99)
get_bad=$(non_2xx_3xx "$tmp/get.txt")

# ---- 1b. the kiosk page (a paired tablet) -----------------------------------
code=$("$BIN" kiosk code --location bench --name "Bench tablet" | sed -n -E 's/.*: ([A-Z0-9]{4}-[A-Z0-9]{4})$/\1/p')
[[ -n $code ]] || die "tellus kiosk code printed no pairing code"
pair_token=$(curl -fsS "$base/kiosk/pair" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -fsS -o /dev/null -c "$tmp/kiosk-cookies" --data-urlencode "token=$pair_token" --data-urlencode "code=$code" "$base/kiosk/pair"
kiosk_cookie=$(awk -F'\t' '$6 ~ /tellus_kiosk$/ { print $6 "=" $7 }' "$tmp/kiosk-cookies")
[[ -n $kiosk_cookie ]] || die "pairing the bench tablet gave no kiosk cookie"
say "GET $base/kiosk (paired tablet): wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -H "Cookie: $kiosk_cookie" "$base/kiosk" | tee "$tmp/kiosk.txt"
grep -q 'Non-2xx' "$tmp/kiosk.txt" && die "the kiosk page answered non-2xx responses"
kiosk_rps=$(rps "$tmp/kiosk.txt")
kiosk_p50=$(percentile "$tmp/kiosk.txt" 50)
kiosk_p99=$(percentile "$tmp/kiosk.txt" 99)

# ---- 1c. the staff inbox (with TICKETS) ------------------------------------
if [[ -n ${TICKETS:-} ]]; then
  login_token=$(curl -fsS -c "$tmp/staff-cookies" "$base/staff/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  curl -fsS -o /dev/null -b "$tmp/staff-cookies" -c "$tmp/staff-cookies" --data-urlencode "token=$login_token" \
    --data-urlencode "email=owner@bench.example" --data-urlencode "password=$owner_password" "$base/staff/login"
  staff_cookie=$(awk -F'\t' '$6 ~ /tellus_session$/ { print $6 "=" $7 }' "$tmp/staff-cookies")
  [[ -n $staff_cookie ]] || die "logging in as the bench owner gave no session"
  # name|path: the default view, filtered first pages, searches.
  inbox_pages=(
    "inbox|/staff/inbox"
    "filtered|/staff/inbox?location=demo-haven&spot=table-4"
    "narrowed|/staff/inbox?status=all&location=demo-station&face=1&category=service&sort=newest"
    "unassigned|/staff/inbox?assignee=nobody&overdue=1"
    "closed|/staff/inbox?status=closed&location=demo-centrum&sort=newest"
    "search|/staff/inbox?q=appeltaart"
    "search2|/staff/inbox?q=sanne+visser&location=demo-haven"
    # The API's ticket list, as an integration pages through it.
    "api|/api/v1/tickets"
    "api-filtered|/api/v1/tickets?location=demo-haven&status=all&face=1&sort=newest"
    # The owner's dashboard, all locations: the default 30 days, a whole
    # year, and one CSV download of that year (tellus demo left it rolled up).
    "dashboard|/staff/dashboard"
    "dashboard-year|/staff/dashboard?location=all&from=$(date -u -d '364 days ago' +%F)&to=$(date -u +%F)"
    "dashboard-csv|/staff/dashboard/volume.csv?location=all&from=$(date -u -d '364 days ago' +%F)&to=$(date -u +%F)"
  )
  for entry in "${inbox_pages[@]}"; do
    page=${entry%%|*}
    path=${entry#*|}
    auth="Cookie: $staff_cookie"
    [[ $path == /api/* ]] && auth="Authorization: Bearer $api_key"
    curl -fsS -o /dev/null -H "$auth" "$base$path" || die "GET $path failed"
    # Staff share the inbox (8 at once); the dashboard is an owner's page (2).
    conns=8
    [[ $path == /staff/dashboard* ]] && conns=2
    say "GET $base$path: wrk -t$THREADS -c$conns -d$DURATION"
    wrk -t"$THREADS" -c"$conns" -d"$DURATION" --timeout 10s --latency -H "$auth" "$base$path" | tee "$tmp/$page.txt"
    grep -q 'Non-2xx' "$tmp/$page.txt" && die "$path answered non-2xx responses"
    if [[ ${PLANS:-0} == 1 ]]; then
      say "query plans of $path"
      "$BIN" inbox-plan "${path#*\?}" || true
    fi
  done
fi

# ---- 2. submissions --------------------------------------------------------
# The form carries a signed time token in <input type="hidden" name="token" value="...">.
curl -fsS -c "$tmp/cookies" -o "$tmp/form.html" "$base/f/bench" || die "GET /f/bench failed"
token_tag=$(grep -o '<input[^>]*>' "$tmp/form.html" | grep -E "name=(\"token\"|'token'|token[[:space:]/>])" | head -n 1 || true)
token=$(printf '%s' "$token_tag" | sed -n -E 's/.*[[:space:]]value="([^"]*)".*/\1/p')
if [[ -z $token ]]; then
  token=$(printf '%s' "$token_tag" | sed -n -E "s/.*[[:space:]]value='([^']*)'.*/\\1/p")
fi
token=$(printf '%s' "$token" | sed -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g')
[[ -n $token ]] || die "no <input name=\"token\" value=...> in the form at $base/f/bench"
# Any cookie the form set goes along, as a browser would send it.
cookie=$(awk -F'\t' '(/^#HttpOnly_/ || !/^#/) && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$tmp/cookies" 2>/dev/null || true)

echo "token taken from the form; waiting 3 s (a form sent back sooner is quarantined)"
sleep 3

say "POST $base/f/bench: wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s bench/submit.lua"
TELLUS_BENCH_TOKEN=$token TELLUS_BENCH_PATH=/f/bench TELLUS_BENCH_ORIGIN=$base TELLUS_BENCH_COOKIE=$cookie \
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$root/bench/submit.lua" "$base/f/bench" |
  tee "$tmp/post.txt"
post_rps=$(rps "$tmp/post.txt")
post_p50=$(percentile "$tmp/post.txt" 50)
post_p99=$(percentile "$tmp/post.txt" 99)
acknowledged=$(field "$tmp/post.txt" ok_2xx)
redirected=$(field "$tmp/post.txt" redirect_3xx)
refused=$(field "$tmp/post.txt" other_status)
[[ -n $acknowledged ]] || die "wrk printed no ok_2xx= line (did bench/submit.lua run?)"

# ---- 3. feedback through the API -------------------------------------------
say "POST $base/api/v1/feedback: wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s bench/api-feedback.lua"
TELLUS_BENCH_API_KEY=$api_key TELLUS_BENCH_LOCATION=bench \
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$root/bench/api-feedback.lua" "$base/api/v1/feedback" |
  tee "$tmp/api-post.txt"
api_rps=$(rps "$tmp/api-post.txt")
api_p50=$(percentile "$tmp/api-post.txt" 50)
api_p99=$(percentile "$tmp/api-post.txt" 99)
api_acknowledged=$(field "$tmp/api-post.txt" ok_2xx)
api_refused=$(field "$tmp/api-post.txt" other_status)
[[ -n $api_acknowledged ]] || die "wrk printed no ok_2xx= line (did bench/api-feedback.lua run?)"

# ---- stop and count --------------------------------------------------------
sleep 2
say "stopping the server (SIGTERM)"
kill -TERM "$server_pid"
deadline=$((SECONDS + 30))
while kill -0 "$server_pid" 2>/dev/null; do
  ((SECONDS < deadline)) || die "the server did not exit within 30 s of SIGTERM"
  sleep 0.1
done
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
if ((server_status != 0)); then
  echo "note: the server exited with status $server_status; its last lines:"
  tail -n 20 "$tmp/server.log" || true
fi

stored=$(sql "select count(*) from feedback where channel <> 'api' and (idempotency_key is null or idempotency_key not like 'demo-%')")
lost=$((acknowledged > stored ? acknowledged - stored : 0))
api_stored=$(sql "select count(*) from feedback where channel = 'api'")
api_lost=$((api_acknowledged > api_stored ? api_acknowledged - api_stored : 0))
rss_peak=$(sort -n "$tmp/rss" 2>/dev/null | tail -n 1)
rss_mb=$(awk -v kb="${rss_peak:-0}" 'BEGIN { printf "%.1f", kb / 1024 }')

echo
# Stored may exceed acknowledged: requests still in flight when wrk stopped
# were committed but never counted. Only the other way round is a loss.
echo "stored=$stored acknowledged_2xx=$acknowledged lost=$lost"
echo "api: stored=$api_stored acknowledged_2xx=$api_acknowledged lost=$api_lost"

# ---- summary ---------------------------------------------------------------
say "summary on $DB ($CONNECTIONS connections, $THREADS wrk threads, $DURATION per run)"
printf '%-28s %12s %10s %10s   %s\n' "what" "req/s" "p50 ms" "p99 ms" "target"
printf '%-28s %12s %10s %10s   %s\n' "form page  GET  /f/bench" "${get_rps:-?}" "${get_p50:-?}" "${get_p99:-?}" ">= 40000 req/s, p99 < 10 ms"
printf '%-28s %12s %10s %10s   %s\n' "kiosk page GET  /kiosk" "${kiosk_rps:-?}" "${kiosk_p50:-?}" "${kiosk_p99:-?}" ">= 40000 req/s, p99 < 10 ms"
if [[ -n ${TICKETS:-} ]]; then
  echo "inbox pages over $TICKETS tickets on $DB (8 connections; dashboard 2):"
  for entry in "${inbox_pages[@]}"; do
    page=${entry%%|*}
    path=${entry#*|}
    target="p50 < 20 ms"
    [[ $path == *q=* ]] && target="p50 < 100 ms"
    [[ $path == /staff/dashboard* ]] && target="p50 < 200 ms"
    printf '  %-26s %12s %10s %10s   %s  %s\n' "$page" "$(rps "$tmp/$page.txt")" "$(percentile "$tmp/$page.txt" 50)" \
      "$(percentile "$tmp/$page.txt" 99)" "$target" "$path"
  done
fi
printf '%-28s %12s %10s %10s   %s\n' "submission POST /f/bench" "${post_rps:-?}" "${post_p50:-?}" "${post_p99:-?}" ">= 5000/s, none lost"
printf '%-28s %12s\n' "submissions acknowledged" "$acknowledged"
printf '%-28s %12s\n' "submissions stored" "$stored"
printf '%-28s %12s   %s\n' "acknowledged but lost" "$lost" "0"
printf '%-28s %12s %10s %10s   %s\n' "API POST /api/v1/feedback" "${api_rps:-?}" "${api_p50:-?}" "${api_p99:-?}" "none lost"
printf '%-28s %12s   %s\n' "API: acknowledged / lost" "$api_acknowledged / $api_lost" "0 lost"
printf '%-28s %12s   %s\n' "server peak RSS (MB)" "$rss_mb" "< 100 MB"
if [[ -n $get_bad && $get_bad != 0 ]]; then
  echo "note: $get_bad form page responses were not 2xx/3xx"
fi
if [[ ${redirected:-0} != 0 || ${refused:-0} != 0 ]]; then
  echo "note: submissions answered 3xx: ${redirected:-0}, 4xx/5xx: ${refused:-0} (only 2xx count as acknowledged)"
fi
if [[ ${api_refused:-0} != 0 ]]; then
  echo "note: API feedback answered 4xx/5xx: $api_refused (only 2xx count as acknowledged)"
fi
