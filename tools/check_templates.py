#!/usr/bin/env python3
"""Reads every spreadsheet template with openpyxl, independently of the code that writes them.

For each record type that has a template (the OpenAPI document's `/api/{R}/template` paths) and
both header languages, `skillbridge template R FILE --lang L` writes the template against a
database (give one with references in it, e.g. a demo college), and this checks:

- every column header has a note (cell comment) naming its accepted spellings;
- the example row (row 2) is there, in italics;
- every coded column (an enum in the OpenAPI document, with its `x-labels`) has a list
  validation whose list holds the label of every code in the header's language (the spelling the
  import accepts), and every flag column a yes/no list;
- an inline list is within Excel's 255-character limit, and a list beyond it refers to a range
  on a hidden sheet (and at least one template has such a list, so the rule is exercised);
- a reference column's list, when it has one, is not empty.

Usage: check_templates.py --bin ./target/debug/skillbridge --database-url sqlite://...
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries


def pascal(name):
    return "".join(w[:1].upper() + w[1:] for w in name.split("_"))


def list_values(wb, formula):
    """The values of a list validation, and whether they came from a hidden sheet."""
    if formula.startswith('"'):
        inner = formula[1:-1].replace('""', '"')
        return inner.split(","), False
    m = re.fullmatch(r"=?'?(.+?)'?!(\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+)", formula)
    assert m, f"a list formula that is neither inline nor a range: {formula}"
    sheet = wb[m.group(1)]
    assert sheet.sheet_state == "hidden", f"list on a sheet that is not hidden: {sheet.title}"
    c1, r1, c2, r2 = range_boundaries(m.group(2).replace("$", ""))
    values = [
        sheet.cell(row=r, column=c).value
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
    ]
    return [str(v) for v in values if v is not None], True


def validation_for(ws, col):
    """The list validation that covers the column's second row (the first data row)."""
    cell = f"{get_column_letter(col)}2"
    found = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.type == "list" and cell in dv.sqref
    ]
    assert len(found) <= 1, f"{cell}: {len(found)} list validations"
    return found[0] if found else None


def check(bin_path, db_url, resource, lang, schema, tmp):
    path = os.path.join(tmp, f"{resource}-{lang}.xlsx")
    subprocess.run(
        [bin_path, "--database-url", db_url, "template", resource, path, "--lang", lang],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.sheet_state == "visible", f"{resource} {lang}: the first sheet is hidden"
    fields = {}
    for name, prop in schema["properties"].items():
        zh, _, en = prop.get("title", "").partition(" / ")
        fields[zh if lang == "zh" else en] = (name, prop)
    where = f"{resource} ({lang})"
    hidden_lists = 0
    coded = 0
    header = [c.value for c in ws[1]]
    assert header and all(header), f"{where}: an empty header cell"
    for col, text in enumerate(header, start=1):
        label = text.rstrip("*")
        assert label in fields, f"{where}: header {text!r} is no field"
        name, prop = fields[label]
        at = f"{where} {name}"
        note = ws.cell(row=1, column=col).comment
        assert note is not None and label in note.text, f"{at}: no note with its spellings"
        dv = validation_for(ws, col)
        if "enum" in prop:
            coded += 1
            assert dv is not None, f"{at}: a coded column without a list"
            values, hidden = list_values(wb, dv.formula1)
            hidden_lists += hidden
            if not hidden:
                assert len(dv.formula1) <= 257, f"{at}: an inline list over 255 characters"
            labels = prop["x-labels"]
            for code in prop["enum"]:
                want = labels[code][lang]
                assert want in values, f"{at}: the list lacks {code} ({want}): {values}"
        elif prop.get("type") == "boolean":
            assert dv is not None, f"{at}: a flag column without a list"
            values, _ = list_values(wb, dv.formula1)
            assert values == (["是", "否"] if lang == "zh" else ["yes", "no"]), f"{at}: {values}"
        elif dv is not None:
            values, hidden = list_values(wb, dv.formula1)
            hidden_lists += hidden
            assert values, f"{at}: an empty list"
            if not hidden:
                assert len(dv.formula1) <= 257, f"{at}: an inline list over 255 characters"
    example = [c for c in ws[2] if c.value is not None]
    assert example, f"{where}: no example row"
    assert all(c.font.i for c in example), f"{where}: the example row is not in italics"
    return coded, hidden_lists


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--database-url", required=True)
    args = ap.parse_args()
    doc = json.loads(subprocess.run([args.bin, "openapi"], check=True, capture_output=True).stdout)
    resources = sorted(
        m.group(1)
        for p in doc["paths"]
        if (m := re.fullmatch(r"/api/([a-z_]+)/template", p))
    )
    assert resources, "no template in the OpenAPI document"
    schemas = doc["components"]["schemas"]
    total_coded = total_hidden = 0
    with tempfile.TemporaryDirectory() as tmp:
        for r in resources:
            schema = schemas[pascal(r) + "Input"]
            for lang in ("zh", "en"):
                coded, hidden = check(args.bin, args.database_url, r, lang, schema, tmp)
                total_coded += coded
                total_hidden += hidden
    assert total_coded > 0, "no coded column checked"
    assert total_hidden > 0, "no list went to a hidden sheet: the 255-character rule is not exercised"
    print(
        f"templates: {len(resources)} record types x 2 languages; {total_coded} coded columns with "
        f"complete lists; {total_hidden} lists on hidden sheets"
    )


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"check_templates: {e}", file=sys.stderr)
        sys.exit(1)
