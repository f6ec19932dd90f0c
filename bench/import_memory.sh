#!/usr/bin/env bash
# Peak memory of hostile and largest imports through the server (issue 9, item 4), one command:
#   bash bench/import_memory.sh
# Builds the release binary, generates the inputs at the upload limit (bench/gen_hostile.py),
# and for each input starts a fresh `skillbridge serve` on loopback with a fresh SQLite
# database, signs in, POSTs the file to /api/students/import and reads the server's VmHWM
# (its peak resident memory) from /proc once the answer is in. Target: under 300 MB each.
# BASE_BIN=/path/to/other/skillbridge measures a second binary (e.g. main's) in the same run,
# input by input, side by side. INPUTS="good.csv+again" measures some inputs only ("+again": a
# re-import, every row unchanged). Prints Markdown for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null
cargo build --release -p skillbridge >/dev/null 2>&1 || cargo build --release -p skillbridge
BIN=${BIN:-$PWD/target/release/skillbridge}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
python3 bench/gen_hostile.py "$W" 2>"$W/gen.txt"
export SKILLBRIDGE_ADMIN_PASSWORD=SkillBridge-Bench-2026 SKILLBRIDGE_LOG=warn

fresh_db() { # a migrated database with the one school, program and class good.csv refers to
  "$1" migrate --database-url "sqlite:$2" >/dev/null
  sqlite3 "$2" "INSERT INTO schools (code,name,created_at,updated_at) VALUES ('01','汽车工程学院','x','x');
    INSERT INTO programs (code,major_code,name,school_id,duration_years,created_at,updated_at) VALUES ('A01','460702','新能源汽车技术',1,3,'x','x');
    INSERT INTO classes (name,program_id,entry_year,created_at,updated_at) VALUES ('新能源2401',1,2025,'x','x');"
}

# measure BIN INPUT: prints "status|seconds|peak MB|answer bytes|code". INPUT "F+again": F is
# imported first with `skillbridge import` (not measured), then again through the server.
measure() {
  local bin=$1 file=${2%+again} db="$W/m$RANDOM.db" port=$((18000 + RANDOM % 2000))
  fresh_db "$bin" "$db"
  if [ "$file" != "$2" ]; then
    "$bin" import students "$W/$file" --database-url "sqlite:$db" >/dev/null 2>&1
  fi
  "$bin" serve --bind 127.0.0.1:$port --database-url "sqlite:$db" >/dev/null 2>&1 &
  local pid=$! origin="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$origin/api/health" >/dev/null && break; sleep 0.1; done
  curl -sf -c "$W/c" -H "Origin: $origin" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"SkillBridge-Bench-2026"}' "$origin/api/auth/login" >/dev/null
  local out
  out=$(curl -s -b "$W/c" -H "Origin: $origin" -H 'content-type: application/octet-stream' \
    --data-binary "@$W/$file" -o "$W/answer.json" -w '%{http_code} %{time_total}' "$origin/api/students/import")
  local hwm
  hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  local code
  code=$(python3 -c 'import json,sys
try:
    a = json.load(open(sys.argv[1]))
    print(a.get("code") or ("already_imported" if a.get("already_imported") else "committed"))
except Exception: print("?")' "$W/answer.json")
  echo "${out% *}|${out#* }|$((hwm / 1024))|$(stat -c %s "$W/answer.json")|$code"
}

echo "Inputs: $(tr '\n' ';' < "$W/gen.txt") bad_1m.csv $(stat -c %s "$W/bad_1m.csv") bytes; tiny_3m.csv $(stat -c %s "$W/tiny_3m.csv") bytes."
echo
if [ -n "${BASE_BIN:-}" ]; then
  echo "| input | before: status | s | peak MB | answer bytes | after: status | s | peak MB | answer bytes |"
  echo "|---|---|---|---|---|---|---|---|---|"
else
  echo "| input | status | s | peak MB | answer bytes |"
  echo "|---|---|---|---|---|"
fi
for f in ${INPUTS:-bad_1m.csv tiny_3m.csv strings.xlsx cells.xlsx good.csv good.csv+again}; do
  after=$(measure "$BIN" $f)
  IFS='|' read -r st s mb bytes code <<<"$after"
  if [ -n "${BASE_BIN:-}" ]; then
    before=$(measure "$BASE_BIN" $f)
    IFS='|' read -r bst bs bmb bbytes bcode <<<"$before"
    echo "| $f | $bst $bcode | $bs | $bmb | $bbytes | $st $code | $s | $mb | $bytes |"
  else
    echo "| $f | $st $code | $s | $mb | $bytes |"
  fi
done
echo
echo "Peak MB = the server's VmHWM after the answer (a fresh server per input; target < 300 MB)."
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC')."
