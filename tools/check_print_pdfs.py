#!/usr/bin/env python3
"""Reads the PDFs that the browser tests printed from the print views (Chromium's print to PDF),
with pypdf, an independent PDF reader: every page is A4 (595 x 842 pt), and each file's text holds
the strings it must and none it must not (web/e2e/screenshots/pdf/expect.json, written by
web/e2e/tests.mjs): a record card printed before a reveal has no full ID number, the one printed
after it has the number, which also shows that the text is read at all.

    python tools/check_print_pdfs.py web/e2e/screenshots/pdf
"""
import json
import pathlib
import re
import sys

from pypdf import PdfReader


def main() -> int:
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "web/e2e/screenshots/pdf")
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    if not expect:
        print("no PDFs listed", file=sys.stderr)
        return 1
    failures = []
    for name, want in sorted(expect.items()):
        reader = PdfReader(folder / f"{name}.pdf")
        sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
        if not sizes or any(abs(w - 595) > 2 or abs(h - 842) > 2 for w, h in sizes):
            failures.append(f"{name}: pages are not A4: {sizes}")
        text = "\n".join(p.extract_text() or "" for p in reader.pages)
        flat = re.sub(r"\s+", "", text)
        for s in want.get("present", []):
            if s not in flat:
                failures.append(f"{name}: {s!r} is not in the PDF's text")
        for s in want.get("absent", []):
            if s in flat:
                failures.append(f"{name}: {s!r} is in the PDF's text")
        print(f"{name}.pdf: {len(sizes)} A4 page(s), {len(flat)} characters of text, "
              f"{len(want.get('present', []))} present and {len(want.get('absent', []))} absent checked")
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
