#!/usr/bin/env bash
# Browser tests of the web pages against a real server with the demo college.
#
#   web/e2e/run.sh                      # uses target/debug/skillbridge
#   SKILLBRIDGE_BIN=target/release/skillbridge web/e2e/run.sh
#   E2E_ONLY=password web/e2e/run.sh     # only the tests whose name matches the regex
#
# Needs: the binary (built after `npm run build` in web/, so that the pages are in it), Node with
# web/node_modules installed (`npm ci` in web/), and Chromium at /usr/bin/chromium (installed
# from Debian's packages when missing; run as root then). Prints `N passed, M failed` and exits
# non-zero on any failure. Screenshots go to web/e2e/screenshots/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="${SKILLBRIDGE_BIN:-target/debug/skillbridge}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
[ -x "$BIN" ] || { echo "no skillbridge binary at $BIN: build it first (cargo build -p skillbridge)" >&2; exit 2; }
[ -f web/dist/index.html ] || echo "warning: web/dist is not built; the binary may serve no pages (cd web && npm ci && npm run build)" >&2
[ -d web/node_modules/playwright-core ] || { echo "web/node_modules is missing: run npm ci in web/" >&2; exit 2; }

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "installing chromium from Debian's packages" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# CJK glyphs in screenshots (optional: the tests do not depend on them).
if ! fc-list 2>/dev/null | grep -qi 'cjk\|wqy\|droid sans fallback'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || true
fi

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

export SKILLBRIDGE_ADMIN_PASSWORD='SkillBridge-Demo-2026'
export SKILLBRIDGE_LOGIN_RATE_PER_MINUTE=1000
# The demo college's name, printed at the head of the print views.
export SKILLBRIDGE_COLLEGE_NAME='重庆渝新职业技术学院'
export SKILLBRIDGE_LOG="${SKILLBRIDGE_LOG:-warn}"
DB="sqlite:$TMP/db.sqlite"

echo "== demo college" >&2
"$BIN" demo --students 2000 --database-url "$DB" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"
echo "== server on $BASE" >&2
"$BIN" --database-url "$DB" serve --bind "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 150); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$BASE/api/health" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped:" >&2
    cat "$TMP/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

set +e
node web/e2e/tests.mjs "$BASE"
RC=$?
set -e
if [ "$RC" -ne 0 ]; then
  echo "== server log (last lines)" >&2
  tail -n 40 "$TMP/server.log" >&2
fi
exit "$RC"
