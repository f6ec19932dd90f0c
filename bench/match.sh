#!/usr/bin/env bash
# Stable matching benchmark, one command: bash bench/match.sh
# Builds the release binary once, generates seeded instances (bench/gen_match.py, committed), then:
#  1. 10,000 students x 500 positions x 8 preferences, in two shapes: "scarce" (seats for about
#     60% of the students, long rejection chains) and "ample" (seats for exactly 150% of the
#     students, few rejections). On each, `skillbridge match` against the independent reference
#     `python3 tools/match_reference.py` (PyPI `matching` 1.4.3), whole process against whole
#     process (JSON read, solve, JSON written), 5 runs each, interleaved; medians of wall time,
#     CPU time (user + system) and peak RSS (bench/measure.py: wait4 of the one process; RSS by
#     /usr/bin/time). Every run's output must be byte-identical to the reference's. Target:
#     >= 500x on both shapes.
#  2. 100,000 students x 5,000 positions x 8 preferences (scarce), skillbridge only, 5 runs.
#     Target: < 1 s.
#  3. The floor: `skillbridge --version` (process start and exit), 5 runs.
# Prints Markdown for BENCHMARKS.md. CPU time is given beside wall time because the machine may be
# shared; the load average is printed before each part. The reference runs in a venv under
# target/pyref.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
cargo build --release -p skillbridge >/dev/null 2>&1 || cargo build --release -p skillbridge
BIN=$PWD/target/release/skillbridge
PY=$PWD/target/pyref/bin/python
if ! "$PY" -c 'import matching; assert matching.__version__ == "1.4.3"' 2>/dev/null; then
  python3 -m venv target/pyref
  target/pyref/bin/pip install --quiet --disable-pip-version-check matching==1.4.3
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# measure [--long] NAME OUT CMD...: runs CMD with stdout to OUT (bench/measure.py), appends
# "wall_s rss_kb cpu_s" to $W/NAME.
measure() {
  local long=()
  if [ "$1" = --long ]; then long=(--long); shift; fi
  local name=$1 out=$2; shift 2
  python3 bench/measure.py "${long[@]}" "$out" -- "$@" >>"$W/$name"
}
median() { # FILE COLUMN(1=wall, 2=rss, 3=cpu)
  python3 -c 'import sys, statistics; print(statistics.median(float(l.split()[int(sys.argv[2]) - 1]) for l in open(sys.argv[1])))' "$1" "$2"
}
placed() {
  python3 -c 'import json, sys; a = json.load(open(sys.argv[1]))["assignments"]; print(f"{sum(v is not None for v in a.values()):,}")' "$1"
}
load() { echo "Load average before this part: $(cut -d' ' -f1-3 /proc/loadavg)."; }

# shape SHAPE SEED: 10,000 x 500 x 8 of that shape, against the reference.
shape() {
  local s=$1 seed=$2
  python3 bench/gen_match.py 10000 500 8 "$seed" "$W/$s.json" "$s"
  echo "### 10,000 students × 500 positions × 8 preferences, $s seats (seed $seed), against \`matching\` 1.4.3"
  echo
  load
  echo
  for run in $(seq "$RUNS"); do
    measure "ours_$s" "$W/ours_$s$run.json" "$BIN" match "$W/$s.json"
    measure --long "ref_$s" "$W/ref_$s$run.json" "$PY" tools/match_reference.py "$W/$s.json"
    cmp -s "$W/ours_$s$run.json" "$W/ref_$s$run.json" || { echo "$s run $run: outputs differ" >&2; exit 1; }
  done
  echo "| run | skillbridge match: wall (s) | CPU (s) | peak RSS (MB) | matching 1.4.3: wall (s) | CPU (s) | peak RSS (MB) |"
  echo "|---|---|---|---|---|---|---|"
  paste -d' ' "$W/ours_$s" "$W/ref_$s" | awk '{ printf "| %d | %.4f | %.4f | %.1f | %.2f | %.2f | %.1f |\n", NR, $1, $3, $2 / 1024, $4, $6, $5 / 1024 }'
  python3 -c 'import sys; ow, oc, orss, rw, rc, rrss = map(float, sys.argv[1:7]); print(f"| median | {ow:.4f} | {oc:.4f} | {orss / 1024:.1f} | {rw:.2f} | {rc:.2f} | {rrss / 1024:.1f} |"); print(); print(f"Speed ratio (median wall, reference ÷ skillbridge): **{rw / ow:,.0f}×** (target ≥ 500×); by median CPU time {rc / oc:,.0f}×.")' \
    "$(median "$W/ours_$s" 1)" "$(median "$W/ours_$s" 3)" "$(median "$W/ours_$s" 2)" "$(median "$W/ref_$s" 1)" "$(median "$W/ref_$s" 3)" "$(median "$W/ref_$s" 2)"
  echo "Outputs byte-identical to the reference's in all $RUNS runs ($(placed "$W/ours_${s}1.json") of 10,000 students placed; input $(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.2f}")' "$W/$s.json") MB of JSON)."
  echo
}

shape scarce 2026
shape ample 2026

python3 bench/gen_match.py 100000 5000 8 2027 "$W/m100k.json"
echo "### 100,000 students × 5,000 positions × 8 preferences, scarce seats (seed 2027), skillbridge only"
echo
load
echo
for run in $(seq "$RUNS"); do
  measure big "$W/big$run.json" "$BIN" match "$W/m100k.json"
  cmp -s "$W/big1.json" "$W/big$run.json" || { echo "100k runs differ" >&2; exit 1; }
done
echo "| run | wall (s) | CPU (s) | peak RSS (MB) |"
echo "|---|---|---|---|"
awk '{ printf "| %d | %.3f | %.2f | %.1f |\n", NR, $1, $3, $2 / 1024 }' "$W/big"
python3 -c 'import sys; w, c, r = map(float, sys.argv[1:4]); print(f"| median | {w:.3f} | {c:.2f} | {r / 1024:.1f} |"); print(); print(f"Median wall {w:.3f} s (target < 1 s), input {sys.argv[4]} MB of JSON, {sys.argv[5]} of 100,000 students placed.")' \
  "$(median "$W/big" 1)" "$(median "$W/big" 3)" "$(median "$W/big" 2)" "$(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.1f}")' "$W/m100k.json")" "$(placed "$W/big1.json")"
echo

for run in $(seq "$RUNS"); do
  measure floor "$W/version.txt" "$BIN" --version
done
echo "The floor, \`skillbridge --version\` (start and exit of the same binary): median $(python3 -c 'import sys; print(f"{float(sys.argv[1]) * 1000:.1f}")' "$(median "$W/floor" 1)") ms wall, $(python3 -c 'import sys; print(f"{float(sys.argv[1]) * 1000:.1f}")' "$(median "$W/floor" 3)") ms CPU, $(python3 -c 'import sys; print(f"{float(sys.argv[1]) / 1024:.1f}")' "$(median "$W/floor" 2)") MB peak RSS, over $RUNS runs."
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -srm); $(date -u +%Y-%m-%d)."
