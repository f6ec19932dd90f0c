#!/usr/bin/env bash
# SkillBridge benchmarks, one command: bash bench/run.sh
# Builds the release binary once, then measures, side by side in the same run:
#  1. import of 100,000 students from CSV (full validation) vs the sqlite3 command line's
#     `.import` of the same rows into the same table (no validation);
#  2. `skillbridge demo --students 1000000` (target: under 10 minutes on 2 cores);
#  3. peak memory (VmHWM) of `skillbridge serve` with the default demo college under a
#     loopback workload (target: under 150 MB).
# Results are printed as Markdown for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
DEMO_STUDENTS=${DEMO_STUDENTS:-1000000}
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null
cargo build --release -p skillbridge >/dev/null 2>&1 || cargo build --release -p skillbridge
BIN=$PWD/target/release/skillbridge
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
python3 bench/gen_students.py "$ROWS" "$W"
export SKILLBRIDGE_ADMIN_PASSWORD=SkillBridge-Bench-2026 SKILLBRIDGE_LOG=warn

now() { date +%s.%N; }
fresh_db() { # a migrated database with the one school, program and class the rows refer to
  local db=$1
  "$BIN" migrate --database-url "sqlite:$db" >/dev/null
  sqlite3 "$db" "INSERT INTO schools (code,name,created_at,updated_at) VALUES ('01','汽车工程学院','x','x');
    INSERT INTO programs (code,major_code,name,school_id,duration_years,created_at,updated_at) VALUES ('A01','460702','新能源汽车技术',1,3,'x','x');
    INSERT INTO classes (name,program_id,entry_year,created_at,updated_at) VALUES ('新能源2401',1,2025,'x','x');"
}

echo "## Import of $ROWS students (CSV, SQLite)"
echo
echo "| run | skillbridge import (s) | rows/s | sqlite3 .import (s) | rows/s | ratio |"
echo "|---|---|---|---|---|---|"
for run in 1 2 3; do
  fresh_db "$W/a$run.db"
  t0=$(now); "$BIN" import students "$W/students.csv" --database-url "sqlite:$W/a$run.db" >/dev/null 2>&1; t1=$(now)
  fresh_db "$W/b$run.db"
  t2=$(now); sqlite3 "$W/b$run.db" ".import --csv $W/students_table.csv students"; t3=$(now)
  n=$(sqlite3 "$W/a$run.db" "SELECT COUNT(*) FROM students"); m=$(sqlite3 "$W/b$run.db" "SELECT COUNT(*) FROM students")
  [ "$n" = "$ROWS" ] && [ "$m" = "$ROWS" ] || { echo "row counts differ: $n $m" >&2; exit 1; }
  python3 - "$t0" "$t1" "$t2" "$t3" "$ROWS" "$run" <<'PY'
import sys
t0, t1, t2, t3, rows, run = map(float, sys.argv[1:])
a, b = t1 - t0, t3 - t2
print(f"| {int(run)} | {a:.2f} | {rows / a:,.0f} | {b:.2f} | {rows / b:,.0f} | {b / a:.2f} |")
PY
done
echo
echo "ratio = skillbridge rows/s ÷ sqlite3 rows/s (target ≥ 0.5)."
echo

echo "## skillbridge demo --students $DEMO_STUDENTS"
echo
t0=$(now)
/usr/bin/time -f "%M" -o "$W/demo.rss" "$BIN" demo --students "$DEMO_STUDENTS" --database-url "sqlite:$W/big.db" >/dev/null 2>"$W/demo.err" || { tail -5 "$W/demo.err"; exit 1; }
t1=$(now)
python3 -c "import sys; print(f'- wall time: {float(sys.argv[2]) - float(sys.argv[1]):.1f} s (target < 600 s); peak RSS {int(open(sys.argv[3]).read().split()[-1]) / 1024:.0f} MB')" "$t0" "$t1" "$W/demo.rss"
echo "- students in the database: $(sqlite3 "$W/big.db" 'SELECT COUNT(*) FROM students')"
echo

echo "## Peak memory of serve with the demo college"
echo
"$BIN" demo --database-url "sqlite:$W/demo.db" >/dev/null 2>&1
PORT=18$((RANDOM % 900 + 100))
"$BIN" serve --bind 127.0.0.1:$PORT --database-url "sqlite:$W/demo.db" >/dev/null 2>&1 &
PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.2; done
ORIGIN="http://127.0.0.1:$PORT"
curl -sf -c "$W/c" -H "Origin: $ORIGIN" -H 'content-type: application/json' -d '{"username":"admin","password":"SkillBridge-Bench-2026"}' "$ORIGIN/api/auth/login" >/dev/null
for page in $(seq 0 500 32000); do curl -sf -b "$W/c" "$ORIGIN/api/students?limit=500&offset=$page" >/dev/null; done
for r in students staff organisations agreements; do curl -sf -b "$W/c" "$ORIGIN/api/$r/export?format=xlsx" -o /dev/null; done
for _ in $(seq 200); do curl -sf -b "$W/c" "$ORIGIN/api/students?q=王&limit=50" >/dev/null; done
grep VmHWM /proc/$PID/status | awk '{printf "- serve peak RSS (VmHWM) after listing every student page, four full exports and 200 searches: %.0f MB (target < 150 MB)\n", $2/1024}'
kill $PID
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr); $(date -u +%Y-%m-%d)."
