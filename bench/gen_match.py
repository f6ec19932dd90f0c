#!/usr/bin/env python3
"""Writes a stable matching instance for `skillbridge match`, deterministically from a seed:

    python3 bench/gen_match.py STUDENTS POSITIONS PREFS SEED OUT.json [scarce|ample]

Every student lists PREFS distinct positions drawn at random; every position ranks all of its
applicants, in random order. The last argument sets how many seats there are:

- scarce (the default): capacities drawn around 0.6 * STUDENTS / POSITIONS (at least 1), so that
  about 60% of the students can be placed and rejection chains are long;
- ample: capacities drawn around 1.5 * STUDENTS / POSITIONS (at least 1), then adjusted one seat
  at a time at seeded random positions until the seats total exactly 150% of the students
  (rounded), so that rejections are few and most students get an early choice.

The same arguments always give the same file (Python's `random.Random(SEED)`; the scarce shape
is byte for byte what this script wrote before the ample shape was added).
"""

import json
import random
import sys


def main():
    n, m, k, seed = map(int, sys.argv[1:5])
    out = sys.argv[5]
    shape = sys.argv[6] if len(sys.argv) > 6 else "scarce"
    if shape not in ("scarce", "ample"):
        sys.exit(f"unknown shape {shape!r}: scarce or ample")
    rng = random.Random(seed)
    sids = [f"s{i:06d}" for i in range(n)]
    pids = [f"p{j:05d}" for j in range(m)]
    applicants = [[] for _ in range(m)]
    students = {}
    for i, s in enumerate(sids):
        picks = rng.sample(range(m), k)
        students[s] = [pids[j] for j in picks]
        for j in picks:
            applicants[j].append(s)
    avg = (0.6 if shape == "scarce" else 1.5) * n / m
    caps = []
    for j in range(m):
        rng.shuffle(applicants[j])
        caps.append(max(1, round(rng.uniform(0.5, 1.5) * avg)))
    if shape == "ample":
        target = round(1.5 * n)
        diff = target - sum(caps)
        if m == 0 and diff:
            sys.exit("no positions to hold the seats")
        while diff:
            j = rng.randrange(m)
            if diff > 0:
                caps[j] += 1
                diff -= 1
            elif caps[j] > 1:
                caps[j] -= 1
                diff += 1
    positions = {p: {"capacity": caps[j], "ranking": applicants[j]} for j, p in enumerate(pids)}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"students": students, "positions": positions}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
