#!/usr/bin/env bash
# Health under load (issue 9): a signed-in list's throughput alone, then during a flood of
# unauthenticated health checks from many connections, with wrk, in the same run.
#
#   bash bench/health_flood.sh
#
# The release server serves the demo college (DEMO_STUDENTS, default 32,000) on loopback. The
# list is `GET /api/students?limit=20` as the administrator (LIST_CONNS connections, default 8);
# the flood is `GET /api/health` without a session (FLOOD_CONNS, default 100). Phases of SECS
# seconds (default 10): list alone, list during the flood, list alone again. Two servers:
#   1. default settings: the flood meets the public-route limit (public_rate_per_minute) and
#      gets 429 after the first 6,000 a minute;
#   2. that limit lifted: every flood request reaches the health handler, which answers from
#      its one-second cache, so this shows the cache alone.
# Acceptance: during the flood the list keeps at least half of its throughput alone (the mean of
# the two alone phases). Prints Markdown for BENCHMARKS.md; exits non-zero when it does not.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_STUDENTS=${DEMO_STUDENTS:-32000}
SECS=${SECS:-10}
LIST_CONNS=${LIST_CONNS:-8}
FLOOD_CONNS=${FLOOD_CONNS:-100}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
cargo build --release -p skillbridge >/dev/null 2>&1 || cargo build --release -p skillbridge
BIN=$PWD/target/release/skillbridge
W=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
export SKILLBRIDGE_ADMIN_PASSWORD=SkillBridge-Bench-2026 SKILLBRIDGE_LOG=warn
"$BIN" demo --students "$DEMO_STUDENTS" --database-url "sqlite:$W/db.sqlite" >/dev/null 2>"$W/demo.log" || { tail -5 "$W/demo.log"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $NF; f=1} END {if (!f) print 0}' "$1"; }

run() { # $1: label, $2: public_rate_per_minute
  local label=$1 rate=$2 port base cookie
  port=$(free_port); base="http://127.0.0.1:$port"
  SKILLBRIDGE_PUBLIC_RATE_PER_MINUTE=$rate "$BIN" --database-url "sqlite:$W/db.sqlite" serve --bind "127.0.0.1:$port" >"$W/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "$base/api/health" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -fs -D - -o /dev/null -H "Origin: $base" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"SkillBridge-Bench-2026"}' "$base/api/auth/login" \
    | tr -d '\r' | awk -F'[: ;]+' 'tolower($1)=="set-cookie" {print $2; exit}')
  [ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }
  local list=("wrk" "-t1" "-c$LIST_CONNS" "-d${SECS}s" "-H" "Cookie: $cookie" "$base/api/students?limit=20")
  "${list[@]}" >"$W/alone1" 2>&1
  wrk -t1 -c"$FLOOD_CONNS" -d"$((SECS + 4))s" "$base/api/health" >"$W/flood" 2>&1 &
  local flood=$!
  sleep 2
  "${list[@]}" >"$W/during" 2>&1
  wait "$flood"
  "${list[@]}" >"$W/alone2" 2>&1
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  local a1 a2 d f fn
  a1=$(rps "$W/alone1"); a2=$(rps "$W/alone2"); d=$(rps "$W/during"); f=$(rps "$W/flood"); fn=$(non2xx "$W/flood")
  [ "$(non2xx "$W/alone1")" = 0 ] && [ "$(non2xx "$W/during")" = 0 ] || { echo "the list answered errors" >&2; cat "$W/during" >&2; exit 1; }
  python3 - "$label" "$a1" "$d" "$a2" "$f" "$fn" "$SECS" "$W/ratios" <<'PY'
import sys
label = sys.argv[1]
a1, d, a2, f, fn, secs = (float(x) for x in sys.argv[2:8])
alone = (a1 + a2) / 2
ratio = d / alone
flood_total = f * (secs + 4)
share_429 = fn / flood_total if flood_total else 0
print(f"| {label} | {a1:.0f} | **{d:.0f}** | {a2:.0f} | **{ratio:.2f}** | {f:,.0f} | {share_429:.0%} |")
open(sys.argv[8], "a").write(f"{ratio}\n")
PY
}

echo "## A signed-in list during a flood of health checks (release server, demo college of $DEMO_STUDENTS students, SQLite)"
echo
echo "| server | list alone (req/s) | list during flood (req/s) | list alone again (req/s) | kept | flood (req/s) | flood answered 429 |"
echo "|---|---|---|---|---|---|---|"
run "default settings" 6000
run "public limit lifted (cache alone)" 100000000
echo
echo "kept = during ÷ mean of the two alone phases (acceptance ≥ 0.50). List: GET /api/students?limit=20 as admin, $LIST_CONNS connections; flood: GET /api/health without a session, $FLOOD_CONNS connections; ${SECS} s phases; wrk with one thread each."
if awk '$1 < 0.5 {bad=1} END {exit !bad}' "$W/ratios"; then
  echo "FAIL: the list kept less than half its throughput" >&2
  exit 1
fi
