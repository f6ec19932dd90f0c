#!/usr/bin/env python3
"""Writes a stable matching instance for `skillbridge match`, deterministically from a seed:

    python3 bench/gen_match.py STUDENTS POSITIONS PREFS SEED OUT.json

Every student lists PREFS distinct positions drawn at random; every position ranks all of its
applicants, in random order; capacities are drawn around 0.6 * STUDENTS / POSITIONS (at least
1), so that seats are scarce (about 60% of the students can be placed) and rejection chains
are long.
"""

import json
import random
import sys


def main():
    n, m, k, seed = map(int, sys.argv[1:5])
    out = sys.argv[5]
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
    avg = 0.6 * n / m
    positions = {}
    for j, p in enumerate(pids):
        ranking = applicants[j]
        rng.shuffle(ranking)
        cap = max(1, round(rng.uniform(0.5, 1.5) * avg))
        positions[p] = {"capacity": cap, "ranking": ranking}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"students": students, "positions": positions}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
