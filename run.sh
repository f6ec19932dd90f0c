#!/usr/bin/env bash
# Builds everything and serves SkillBridge with the demo college on http://127.0.0.1:8080/.
# First run: builds the web pages (npm) and the release binary, creates ./data/skillbridge.db
# with the demo college; later runs reuse the database. Demo accounts: see README.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
  (cd web && npm ci --no-audit --no-fund && npm run build)
fi
cargo build --release -p skillbridge
export SKILLBRIDGE_ADMIN_PASSWORD=${SKILLBRIDGE_ADMIN_PASSWORD:-SkillBridge-Demo-2026}
# The demo college's name, printed at the head of the print views.
export SKILLBRIDGE_COLLEGE_NAME=${SKILLBRIDGE_COLLEGE_NAME:-重庆渝新职业技术学院}
DB=${SKILLBRIDGE_DATABASE_URL:-sqlite:./data/skillbridge.db}
if [ ! -f ./data/skillbridge.db ] && [ "$DB" = "sqlite:./data/skillbridge.db" ]; then
  ./target/release/skillbridge demo --database-url "$DB"
fi
exec ./target/release/skillbridge serve --database-url "$DB" --bind "${SKILLBRIDGE_BIND:-127.0.0.1:8080}"
