#!/usr/bin/env python3
"""Writes the hostile and the largest good import files of issue 9 (item 4), each at the upload
limit, into OUT_DIR. Usage: gen_hostile.py OUT_DIR [MAX_BYTES]

  bad_1m.csv    about 4 MB: a header and one million rows that are all wrong (the same student
                number on every row, an ID number that is not one, required columns missing), so
                that every row yields several problems;
  tiny_3m.csv   three million tiny rows (student number and name), over the 2,000,000-row limit;
  strings.xlsx  an .xlsx that passes the container checks (under 200 MB unpacked, under 100:1)
                with as many shared strings as fit: 95 MB of distinct four-character shared
                strings (4.75 million) and 95 MB of rows that use them;
  cells.xlsx    the most an .xlsx can hold and still be read: a shared string table just under
                its limit (1.6 million strings) and rows up to the 200 MB unpacked limit;
  good.csv      valid students up to MAX_BYTES (default 64 MiB, the upload limit), for the one
                school, program and class that bench/import_memory.sh creates.
"""
import os, random, sys, zipfile

out = sys.argv[1]
max_bytes = int(sys.argv[2]) if len(sys.argv) > 2 else 64 * 1024 * 1024
os.makedirs(out, exist_ok=True)

# 1. One million bad rows in about 4 MB.
with open(os.path.join(out, "bad_1m.csv"), "w", encoding="utf-8") as f:
    f.write("学号,身份证号\n")
    f.write("1,x\n" * 1_000_000)

# 2. Three million tiny rows.
with open(os.path.join(out, "tiny_3m.csv"), "w", encoding="utf-8") as f:
    f.write("学号,姓名\n")
    for i in range(3_000_000):
        f.write(f"{i},a\n")

# 3. The largest .xlsx the container checks let through, full of shared strings and cells.
ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
def word(i):
    s = ""
    for _ in range(4):
        s += ALPHA[i % 62]
        i //= 62
    return s

def xlsx(name, strings, sheet_bytes):
    """A workbook of `strings` distinct shared strings and rows of two cells that use them, up
    to `sheet_bytes` of sheet XML (and at most 1,999,000 rows)."""
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{strings}" uniqueCount="{strings}">']
    sst += [f"<si><t>{word(i)}</t></si>" for i in range(strings)]
    sst.append("</sst>")
    rows = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
            '<row r="1"><c r="A1" t="inlineStr"><is><t>学号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>']
    size, r = 300, 2
    while size < sheet_bytes and r <= 1_999_000:
        a, b = (2 * r) % strings, (2 * r + 1) % strings
        item = f'<row r="{r}"><c r="A{r}" t="s"><v>{a}</v></c><c r="B{r}" t="s"><v>{b}</v></c></row>'
        rows.append(item)
        size += len(item)
        r += 1
    rows.append("</sheetData></worksheet>")
    parts = dict(PARTS)
    parts["xl/sharedStrings.xml"] = "".join(sst)
    parts["xl/worksheets/sheet1.xml"] = "".join(rows)
    path = os.path.join(out, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in parts.items():
            z.writestr(part, text.encode("utf-8"))
        # Incompressible padding, stored, keeps the whole under 100:1 if the XML compresses better.
        z.writestr(zipfile.ZipInfo("xl/media/pad.bin"), random.Random(7).randbytes(1_000_000),
                   compress_type=zipfile.ZIP_STORED)
        unpacked = sum(i.file_size for i in z.infolist())
    print(f"{name}: {strings} shared strings, {r - 2} data rows, {os.path.getsize(path)} bytes, "
          f"{unpacked} unpacked", file=sys.stderr)

PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}

# strings.xlsx: 95 MB of shared strings (4,750,000) and 95 MB of rows: refused for its strings.
xlsx("strings.xlsx", 4_750_000, 95_000_000)
# cells.xlsx: the most a workbook can hold and still be read: shared strings just under the
# 128 MB estimate (1,600,000 strings of 32 MB) and rows up to the 200 MB unpacked limit.
xlsx("cells.xlsx", 1_600_000, 164_000_000)

# 4. Valid students up to the size limit (the ID numbers as bench/gen_students.py makes them).
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
def id_number(i):
    day, month, year = 1 + (i // 1000) % 28, 1 + (i // 28000) % 12, 2006 + (i // 336000) % 3
    body = f"500106{year}{month:02d}{day:02d}{i % 1000:03d}"
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]
with open(os.path.join(out, "good.csv"), "wb") as f:
    head = "学号,姓名,性别,身份证号,手机号,生源地,专业,班级,入学年份,学籍状态\n".encode()
    f.write(head)
    size, i = len(head), 0
    while i < 1_008_000:
        line = (f"{2030000000 + i},学生{i},{2 - i % 2},{id_number(i)},138{i:08d},"
                f"500106,A01,新能源2401,2025,在读\n").encode()
        if size + len(line) > max_bytes:
            break
        f.write(line)
        size += len(line)
        i += 1
print(f"good.csv: {i} rows, {size} bytes", file=sys.stderr)
