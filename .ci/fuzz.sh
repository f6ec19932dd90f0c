#!/usr/bin/env bash
# Fuzzing step of CI (SECURITY.md, "Fuzzing"): installs a pinned cargo-fuzz into target/tools,
# builds the targets of fuzz/ once (stable toolchain, no sanitizer), seeds a fresh corpus per target
# under target/fuzz-corpus from the repo's fixtures, templates and fuzz/seeds/, and runs each target
# for FUZZ_SECONDS (60 by default). Fails on a crash, a timeout (-timeout=5), a blow-up
# (-rss_limit_mb=2048), or fewer than FUZZ_MIN_EXECS (10,000) executions of a target.
#
#   bash .ci/fuzz.sh                 every target
#   bash .ci/fuzz.sh ids read_csv    some targets
#   FUZZ_SECONDS=10 bash .ci/fuzz.sh a short run (the execution floor is then not checked)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
CARGO_FUZZ_VERSION=0.13.2
SECONDS_EACH=${FUZZ_SECONDS:-60}
MIN_EXECS=${FUZZ_MIN_EXECS:-10000}
ALL_TARGETS=(read_xlsx read_csv sheet_cells ids match_instance)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi

tools="$PWD/target/tools"
if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION" --root "$tools"
fi
export PATH="$tools/bin:$PATH"
fuzz() { cargo fuzz "$1" --sanitizer none --target-dir target/fuzz "${@:2}"; }

echo "-- building the fuzz targets (release, debug assertions, no sanitizer)"
fuzz build
built=$(date +%s)

# --- seeds -------------------------------------------------------------------------------------
# A spreadsheet input is "NAME\n" and the file's bytes, NAME being the record type it is imported
# as (fuzz/src/lib.rs).
corpus=target/fuzz-corpus
rm -rf "$corpus" target/fuzz-artifacts
for t in "${ALL_TARGETS[@]}"; do mkdir -p "$corpus/$t" "target/fuzz-artifacts/$t"; done
seed_sheet() { # NAME FILE TARGET
  { printf '%s\n' "$1"; cat "$2"; } > "$corpus/$3/$1-$(basename "$2")"
}
# Every record type's template (.xlsx and .csv, Chinese and English headers), from the binary.
cargo build -p skillbridge
bin=./target/debug/skillbridge
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="sqlite://$tmp/seed.db"
SKILLBRIDGE_LOG=warn "$bin" --database-url "$db" migrate >/dev/null
names=$("$bin" --database-url "$db" template no-such-type "$tmp/x.xlsx" 2>&1 | grep -o 'choose one of: .*' | sed 's/choose one of: //; s/,/ /g' || true)
if [ -z "$names" ]; then
  echo "could not list the importable record types from skillbridge template" >&2
  exit 1
fi
for name in $names; do
  for lang in zh en; do
    for ext in xlsx csv; do
      "$bin" --database-url "$db" template "$name" "$tmp/$name.$lang.$ext" --lang "$lang" >/dev/null
      target=read_csv; [ "$ext" = xlsx ] && target=read_xlsx
      seed_sheet "$name" "$tmp/$name.$lang.$ext" "$target"
    done
  done
done
# The roster fixtures of the web tests (saved by LibreOffice: .xlsx and GB18030 .csv).
for f in crates/web/tests/fixtures/roster/*.xlsx; do seed_sheet students "$f" read_xlsx; done
for f in crates/web/tests/fixtures/roster/*.csv; do seed_sheet students "$f" read_csv; done
# Small hand-written files: fuzz/seeds/<target>/ (spreadsheets named NAME.anything).
for t in "${ALL_TARGETS[@]}"; do
  [ -d "fuzz/seeds/$t" ] || continue
  for f in "fuzz/seeds/$t"/*; do
    case "$t" in
      read_xlsx|read_csv) seed_sheet "$(basename "$f" | cut -d. -f1)" "$f" "$t" ;;
      *) cp "$f" "$corpus/$t/" ;;
    esac
  done
done
# Matching instances as the benchmark writes them, small.
python3 bench/gen_match.py 12 4 3 1 "$corpus/match_instance/gen-scarce.json"
python3 bench/gen_match.py 30 6 4 2 "$corpus/match_instance/gen-ample.json" ample
for t in "${ALL_TARGETS[@]}"; do
  echo "-- seeds of $t: $(find "$corpus/$t" -type f | wc -l) files"
done

# --- runs --------------------------------------------------------------------------------------
failed=0
summary=""
for t in "${TARGETS[@]}"; do
  log="target/fuzz-artifacts/$t.log"
  echo "-- $t: ${SECONDS_EACH} s"
  set +e
  # A fixed seed, so that a CI run explores the same way each time and a red run can be repeated
  # (FUZZ_SEED=0: a random one, for a longer local hunt).
  fuzz run "$t" "$corpus/$t" -- -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 \
    -seed="${FUZZ_SEED:-20261207}" -print_final_stats=1 -artifact_prefix="target/fuzz-artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  execs=${execs:-0}
  artifacts=$(find "target/fuzz-artifacts/$t" -type f | wc -l)
  summary+=$(printf '%-15s %9s executions, exit %s, %s artifacts' "$t" "$execs" "$rc" "$artifacts")$'\n'
  if [ "$rc" -ne 0 ] || [ "$artifacts" -ne 0 ]; then
    echo "FUZZ FAILURE in $t (exit $rc): the end of its log ($log):" >&2
    tail -40 "$log" >&2
    # The panic's message (the tail above may have only the backtrace), and each crashing input
    # as base64 when small, so that a red CI run can be reproduced from its log alone:
    #   base64 -d > crash && cargo fuzz run TARGET crash
    grep -m3 -A3 'panicked at' "$log" >&2 || true
    find "target/fuzz-artifacts/$t" -type f | while read -r a; do
      echo "$a ($(wc -c < "$a") bytes)" >&2
      if [ "$(wc -c < "$a")" -le 65536 ]; then
        echo "base64:" >&2
        base64 -w0 "$a" >&2
        echo >&2
      fi
    done
    failed=1
  elif [ "$SECONDS_EACH" -ge 60 ] && [ "$execs" -lt "$MIN_EXECS" ]; then
    echo "FUZZ FAILURE in $t: $execs executions, fewer than $MIN_EXECS" >&2
    failed=1
  fi
done
end=$(date +%s)
printf '%s' "$summary"
echo "fuzzing: install and build $((built - start)) s, step total $((end - start)) s"
exit "$failed"
