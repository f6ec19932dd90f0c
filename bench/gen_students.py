#!/usr/bin/env python3
"""Writes N synthetic students twice: as a spreadsheet CSV with Chinese headers for
`skillbridge import`, and as rows of every column of the `students` table for the sqlite3
command-line `.import` baseline. Same people, same values. Usage: gen_students.py N OUT_DIR"""
import sys, os

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"

def id_number(n):
    day = 1 + (n // 1000) % 28
    month = 1 + (n // 28000) % 12
    year = 2006 + (n // 336000) % 3
    body = f"500106{year}{month:02d}{day:02d}{n % 1000:03d}"
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
now = "2026-11-29T00:00:00.000Z"
with open(os.path.join(out, "students.csv"), "w", encoding="utf-8") as a, \
     open(os.path.join(out, "students_table.csv"), "w", encoding="utf-8") as b:
    a.write("学号,姓名,性别,身份证号,手机号,生源地,专业,班级,入学年份,学籍状态\n")
    for i in range(n):
        # The gender as the ID number's 17th digit (the sequence's last) says: odd for a man.
        no, name, g, idn, phone = 2030000000 + i, f"学生{i}", 2 - i % 2, id_number(i), f"138{i:08d}"
        a.write(f"{no},{name},{g},{idn},{phone},500106,A01,新能源2401,2025,在读\n")
        # id, student_no, name, gender, id_number, phone, home_region, address, program_id,
        # class_id, entry_year, status, created_at, updated_at
        b.write(f"{i + 1},{no},{name},{g},{idn},{phone},500106,,1,1,2025,enrolled,{now},{now}\n")
