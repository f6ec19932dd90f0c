#!/usr/bin/env bash
# Rebuilds the roster fixtures of crates/web/tests/roster.rs from their sources, as a college
# office would save them: LibreOffice Calc (headless) converts each hand-written flat ODS
# (crates/web/tests/fixtures/roster/*.fods) to .xlsx and to a GB18030 CSV.
#
# CSV filter options: field separator 44 (,), text delimiter 34 ("), character set 85 and first
# line 1. 85 is RTL_TEXTENCODING_GB_18030 in LibreOffice's rtl/textenc.h.
# The outputs are committed; run this only after editing a .fods (needs libreoffice-calc-nogui).
set -euo pipefail
cd "$(dirname "$0")/../crates/web/tests/fixtures/roster"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for src in *.fods; do
  soffice -env:UserInstallation="file://$profile" --headless --convert-to xlsx --outdir . "$src"
  soffice -env:UserInstallation="file://$profile" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,85,1' --outdir . "$src"
done
ls -l
