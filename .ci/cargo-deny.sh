#!/usr/bin/env bash
# The dependency policy (deny.toml): `cargo deny check licenses bans sources` with a pinned
# cargo-deny, installed into target/tools (built from source the first time; skipped when the
# pinned version is already there). The install's build time is printed: it counts in CI's time.
# Advisories are not checked here: their database cannot be fetched on these machines (see
# SECURITY.md, "API property tests and the dependency policy").
set -euo pipefail
cd "$(dirname "$0")/.."
DENY_VERSION=0.20.2
DENY=target/tools/bin/cargo-deny

t0=$(date +%s)
if "$DENY" --version 2>/dev/null | grep -qx "cargo-deny $DENY_VERSION"; then
  echo "cargo-deny $DENY_VERSION already in target/tools: not rebuilt"
else
  # A debug build: it compiles in far less time than an optimised one, and checking this
  # workspace's graph takes seconds either way.
  cargo install --locked --quiet --debug "cargo-deny@$DENY_VERSION" --root target/tools
  echo "cargo-deny $DENY_VERSION built and installed in $(( $(date +%s) - t0 )) s"
fi

t1=$(date +%s)
"$DENY" --color never check --hide-inclusion-graph --show-stats licenses bans sources
echo "cargo deny check licenses bans sources: passed in $(( $(date +%s) - t1 )) s"

# Positive control: the same binary on the same graph with a policy the graph breaks (serde
# banned, only MIT allowed) must fail, or the check above could not have failed either.
bad=target/deny-control.toml
cat >"$bad" <<'TOML'
[licenses]
allow = ["MIT"]
[bans]
deny = [{ name = "serde" }]
TOML
if "$DENY" --color never --log-level error check --config "$bad" licenses bans >/dev/null 2>&1; then
  echo "cargo deny passed a policy that bans serde and allows only MIT: the check cannot fail" >&2
  exit 1
fi
echo "positive control: a policy banning serde and allowing only MIT is refused"
echo "cargo-deny step: $(( $(date +%s) - t0 )) s in all"
