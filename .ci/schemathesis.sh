#!/usr/bin/env bash
# API property tests: schemathesis (pinned) against the OpenAPI document served by a real
# `skillbridge serve` on 127.0.0.1, over a throwaway demo database, once as an administrator and
# once as a student, each signed in through the API (session cookie + same-origin Origin).
# Fails on any server error, any response that violates the document (status code, content
# type, headers, body schema), an undocumented method that is served, a protected operation
# answered without the session, and, in the administrator's run, on no unsafe operation
# (POST/PUT/PATCH/DELETE) answered 2xx: the run must prove it got past CSRF and validation.
# Usage: .ci/schemathesis.sh [path of the skillbridge binary]  (default target/debug/skillbridge)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/skillbridge}
ST_VERSION=4.32.5
# The budget: examples per operation and phase, a fixed seed so that a failure reproduces.
MAX_EXAMPLES=${SB_ST_MAX_EXAMPLES:-5}
SEED=${SB_ST_SEED:-20261207}
DEMO_STUDENTS=1000
WORK=target/schemathesis-run
VENV=target/schemathesis

t0=$(date +%s)
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
echo "schemathesis $ST_VERSION ready in $(( $(date +%s) - t0 )) s"

rm -rf "$WORK" && mkdir -p "$WORK"
SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run ROLE USERNAME PASSWORD
run() {
  local role=$1 user=$2 pass=$3
  shift 3
  local REPORT_ARGS="$*"
  local dir="$WORK/$role" port base
  mkdir -p "$dir"
  port=$(free_port)
  base="http://127.0.0.1:$port"
  local db="sqlite://$dir/demo.db"
  SKILLBRIDGE_ADMIN_PASSWORD="$ADMIN_PASSWORD" SKILLBRIDGE_LOG=warn \
    "$BIN" --database-url "$db" demo --students "$DEMO_STUDENTS" >"$dir/demo.log" 2>&1
  # Sign-in limits and lockouts are settings: lifted so that generated logins with wrong
  # passwords neither throttle the run nor lock an account; likewise the public-route limit and
  # the per-user limit on clashes of personal values.
  SKILLBRIDGE_LOG=warn \
  SKILLBRIDGE_LOGIN_RATE_PER_MINUTE=1000000 \
  SKILLBRIDGE_LOCKOUT_FAILURES=1000000 \
  SKILLBRIDGE_PUBLIC_RATE_PER_MINUTE=1000000 \
  SKILLBRIDGE_PII_CLASH_PER_MINUTE=1000000 \
    "$BIN" --database-url "$db" serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base/api/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$base/api/health" >/dev/null
  # Sign in through the API: the session cookie, and the account's id for the hooks.
  curl -fsS -c "$dir/cookies" -H "Origin: $base" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$pass\"}" "$base/api/auth/login" >/dev/null
  local cookie
  cookie=$(awk '$6 == "sb_session" {print $7}' "$dir/cookies")
  [ -n "$cookie" ] || { echo "no session cookie for $user" >&2; exit 1; }
  local own
  own=$(curl -fsS -b "sb_session=$cookie" "$base/api/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local t1
  t1=$(date +%s)
  # Excluded: POST /api/auth/logout, which ends the very session the run signs in with (every
  # later case would then be answered 401 and test nothing); logout is covered by the API
  # suites (crates/web/tests). Everything else is generated, sign-in included.
  # One worker: with two, hypothesis describing its filters from two threads at once hit a
  # CPython 3.11 parser error (`AST constructor recursion depth mismatch`) now and then; one
  # worker with a fixed seed also makes a failure reproduce.
  set +e
  # The session cookie is given as the document's `session` security scheme (not as a raw
  # header), so that the cases that leave it out (ignored_auth, negative data) really do.
  printf '[auth.openapi.session]\napi_key = "${SB_SESSION}"\n' >"$dir/schemathesis.toml"
  SB_SESSION="$cookie" SB_OWN_USER_ID="$own" SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=tools \
  "$VENV/bin/st" --config-file "$dir/schemathesis.toml" run "$base/api/openapi.json" \
    --header "Origin: $base" \
    --checks ${SB_ST_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,ignored_auth} \
    --exclude-operation-id logout \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
    --phases examples,coverage,fuzzing \
    --workers 1 --request-timeout 30 --no-color --generation-database none \
    --report junit,vcr --report-dir "$dir/report" \
    >"$dir/st.log" 2>&1
  local rc=$?
  set -e
  stop_server
  tail -n 40 "$dir/st.log"
  echo "schemathesis as $role: exit $rc in $(( $(date +%s) - t1 )) s"
  if [ "$rc" -ne 0 ]; then
    echo "schemathesis as $role failed: see $dir/st.log" >&2
    exit 1
  fi
  python3 tools/schemathesis_report.py --role "$role" "$dir/report" $REPORT_ARGS
}

ADMIN_PASSWORD="Schemathesis-Admin-$(date +%s)"
run admin admin "$ADMIN_PASSWORD" --require-unsafe-2xx --min-unsafe-ops 40
run student student SkillBridge-Demo-2026
echo "schemathesis: both runs passed in $(( $(date +%s) - t0 )) s (install included)"
