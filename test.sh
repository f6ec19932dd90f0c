#!/usr/bin/env bash
# Every test of SkillBridge on this machine: the web pages are built, then the Rust suites
# (unit tests, the storage conformance suite on SQLite, API, authorization, security,
# spreadsheet and crash tests), then the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
cargo test --workspace
cargo build -p skillbridge
bash web/e2e/run.sh
