#!/usr/bin/env bash
# Stable matching benchmark, one command: bash bench/match.sh
# Builds the release binary once, generates seeded instances (bench/gen_match.py), then:
#  1. 10,000 students x 500 positions x 8 preferences: `skillbridge match` against the
#     independent reference `python3 tools/match_reference.py` (PyPI `matching` 1.4.3), whole
#     process against whole process (JSON read, solve, JSON written), 3 runs each, median wall
#     time and peak RSS (/usr/bin/time); both outputs must be byte-identical. Target: >= 500x.
#  2. 100,000 students x 5,000 positions x 8 preferences, skillbridge only. Target: < 1 s.
# Prints Markdown for BENCHMARKS.md, with CPU time (user + system) beside wall time because the
# machine may be shared. The reference runs in a venv under target/pyref.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p skillbridge >/dev/null 2>&1 || cargo build --release -p skillbridge
BIN=$PWD/target/release/skillbridge
PY=$PWD/target/pyref/bin/python
if ! "$PY" -c 'import matching; assert matching.__version__ == "1.4.3"' 2>/dev/null; then
  python3 -m venv target/pyref
  target/pyref/bin/pip install --quiet --disable-pip-version-check matching==1.4.3
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

now() { date +%s.%N; }
# measure NAME OUT CMD...: runs CMD with stdout to OUT, appends "wall_s rss_kb" to $W/NAME.
measure() {
  local name=$1 out=$2; shift 2
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M %U %S" -o "$W/rss" "$@" >"$out"
  t1=$(now)
  python3 -c 'import sys; m, u, s = open(sys.argv[3]).read().split()[-3:]; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.4f} {m} {float(u) + float(s):.2f}")' \
    "$t0" "$t1" "$W/rss" >>"$W/$name"
}
median() { # FILE COLUMN(1=wall, 2=rss, 3=cpu)
  python3 -c 'import sys, statistics; print(statistics.median(float(l.split()[int(sys.argv[2]) - 1]) for l in open(sys.argv[1])))' "$1" "$2"
}

python3 bench/gen_match.py 10000 500 8 2026 "$W/m10k.json"
for run in 1 2 3; do
  measure ours "$W/ours$run.json" "$BIN" match "$W/m10k.json"
  measure ref "$W/ref$run.json" "$PY" tools/match_reference.py "$W/m10k.json"
  cmp -s "$W/ours$run.json" "$W/ref$run.json" || { echo "run $run: outputs differ" >&2; exit 1; }
done
placed=$(python3 -c 'import json,sys; print(sum(v is not None for v in json.load(open(sys.argv[1]))["assignments"].values()))' "$W/ours1.json")

echo "## Stable matching: 10,000 students × 500 positions × 8 preferences"
echo
echo "| run | skillbridge match: wall (s) | CPU (s) | peak RSS (MB) | matching 1.4.3: wall (s) | CPU (s) | peak RSS (MB) |"
echo "|---|---|---|---|---|---|---|"
paste -d' ' "$W/ours" "$W/ref" | awk '{ printf "| %d | %.3f | %.2f | %.1f | %.1f | %.1f | %.1f |\n", NR, $1, $3, $2 / 1024, $4, $6, $5 / 1024 }'
python3 -c 'import sys; ow, oc, orss, rw, rc, rrss = map(float, sys.argv[1:7]); print(f"| median | {ow:.3f} | {oc:.2f} | {orss / 1024:.1f} | {rw:.1f} | {rc:.1f} | {rrss / 1024:.1f} |"); print(); print(f"Speed ratio (median wall, reference ÷ skillbridge): **{rw / ow:,.0f}×** (target ≥ 500×); by CPU time {rc / max(oc, 0.01):,.0f}×.")' \
  "$(median "$W/ours" 1)" "$(median "$W/ours" 3)" "$(median "$W/ours" 2)" "$(median "$W/ref" 1)" "$(median "$W/ref" 3)" "$(median "$W/ref" 2)"
echo "Outputs byte-identical in all 3 runs ($placed of 10,000 students placed)."
echo

python3 bench/gen_match.py 100000 5000 8 2027 "$W/m100k.json"
for run in 1 2 3; do
  measure big "$W/big$run.json" "$BIN" match "$W/m100k.json"
done
cmp -s "$W/big1.json" "$W/big2.json" && cmp -s "$W/big1.json" "$W/big3.json" || { echo "100k runs differ" >&2; exit 1; }
placed=$(python3 -c 'import json,sys; print(sum(v is not None for v in json.load(open(sys.argv[1]))["assignments"].values()))' "$W/big1.json")
echo "## Stable matching: 100,000 students × 5,000 positions × 8 preferences (skillbridge only)"
echo
echo "| run | skillbridge match: wall (s) | CPU (s) | peak RSS (MB) |"
echo "|---|---|---|---|"
awk '{ printf "| %d | %.3f | %.2f | %.1f |\n", NR, $1, $3, $2 / 1024 }' "$W/big"
python3 -c 'import sys; w, c, r = map(float, sys.argv[1:4]); print(f"| median | {w:.3f} | {c:.2f} | {r / 1024:.1f} |"); print(); print(f"Median wall {w:.3f} s (target < 1 s), input {sys.argv[4]} MB of JSON, {sys.argv[5]} of 100,000 students placed.")' \
  "$(median "$W/big" 1)" "$(median "$W/big" 3)" "$(median "$W/big" 2)" "$(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1]) / 1e6:.1f}")' "$W/m100k.json")" "$placed"
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -srm); $(date -u +%Y-%m-%d)."
