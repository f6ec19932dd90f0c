#!/usr/bin/env python3
"""Compare `skillbridge match` with the independent reference (tools/match_reference.py, the PyPI
package `matching` 1.4.3) on many random instances: the assignments must be exactly the same.

    python3 tools/match_compare.py [--bin ./target/debug/skillbridge] [--count 400] [--seed 2026]

Run it with a Python that has `matching==1.4.3` installed (CI: a venv under target/pyref).
Exit status 1 on the first difference, after writing the instance to target/match_compare_fail.json.

The instances (seeded, so every run checks the same ones) range from 1 to ~2,000 students and
include: students with no list, applications the position does not rank (not acceptable),
positions ranking students who did not apply, capacity-0 positions, capacities above the number
of applicants, positions nobody lists, and Chinese ids.

What both sides accept, and the one difference: skillbridge refuses unknown ids and duplicates,
so the generator makes none. `matching` (with clean=True, see match_reference.py) drops
capacity-0 hospitals only after it has dropped residents with empty lists, so a student whose
only mutually acceptable positions all have capacity 0 crashes its solver (IndexError on an
empty list), where skillbridge simply leaves that student unplaced (covered by the Rust tests).
The generator avoids that one case: such a student is taken out of those positions' rankings, so
their applications there become not acceptable, which both sides handle.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import match_reference  # noqa: E402


def generate(rng, n):
    zh = rng.random() < 0.2
    sid = (lambda i: f"学生{i:05d}") if zh else (lambda i: f"s{i}")
    pid = (lambda j: f"订单班{j:04d}") if zh else (lambda j: f"p{j}")
    if rng.random() < 0.03:
        m = 0
    else:
        m = max(1, int(n * rng.uniform(0.02, 0.6)))
    max_list = rng.choice([1, 2, 3, 5, 8])
    p_empty = rng.choice([0.0, 0.05, 0.3])
    p_unacceptable = rng.choice([0.0, 0.1, 0.4])
    p_extra = rng.choice([0.0, 0.2, 1.0])  # rankings of students who did not apply
    p_cap0 = rng.choice([0.0, 0.1, 0.3])
    max_cap = rng.choice([1, 2, 5, 20])
    students = {}
    applicants = {pid(j): [] for j in range(m)}
    for i in range(n):
        k = 0 if (m == 0 or rng.random() < p_empty) else rng.randint(1, min(max_list, m))
        plist = [pid(j) for j in rng.sample(range(m), k)]
        students[sid(i)] = plist
        for p in plist:
            applicants[p].append(sid(i))
    positions = {}
    for j in range(m):
        p = pid(j)
        ranked = [s for s in applicants[p] if rng.random() >= p_unacceptable]
        extra = int(len(applicants[p]) * p_extra * rng.random())
        for _ in range(extra):
            s = sid(rng.randrange(n))
            if s not in ranked and s not in applicants[p]:
                ranked.append(s)
        rng.shuffle(ranked)
        cap = 0 if rng.random() < p_cap0 else rng.randint(1, max_cap)
        positions[p] = {"capacity": cap, "ranking": ranked}
    # The one case `matching` cannot take (see the module comment).
    for s, plist in students.items():
        mutual = [p for p in plist if s in positions[p]["ranking"]]
        if mutual and all(positions[p]["capacity"] == 0 for p in mutual):
            for p in mutual:
                positions[p]["ranking"].remove(s)
    return {"students": students, "positions": positions}


def sizes(rng, count):
    out = []
    for i in range(count):
        r = i % 10
        if r < 4:
            out.append(rng.randint(1, 10))
        elif r < 7:
            out.append(rng.randint(10, 100))
        elif r < 9:
            out.append(rng.randint(100, 600))
        else:
            out.append(rng.randint(600, 2000))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="./target/debug/skillbridge")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    instances = [generate(rng, n) for n in sizes(rng, args.count)]

    # The reference solves all instances in one thread with a large stack (it recurses).
    reference = []

    def run():
        for inst in instances:
            reference.append(match_reference.solve(inst))

    sys.setrecursionlimit(10_000_000)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    if len(reference) != len(instances):
        sys.exit("the reference failed (see the traceback above)")

    students = placed = 0
    for k, (inst, ref) in enumerate(zip(instances, reference)):
        text = json.dumps(inst, ensure_ascii=False)
        p = subprocess.run([args.bin, "match", "-"], input=text.encode(), capture_output=True)
        if p.returncode != 0:
            sys.exit(f"instance {k}: skillbridge match failed: {p.stderr.decode()}")
        ours = json.loads(p.stdout)
        if ours != ref:
            os.makedirs("target", exist_ok=True)
            with open("target/match_compare_fail.json", "w", encoding="utf-8") as f:
                f.write(text)
            diff = [
                (s, ours["assignments"].get(s), ref["assignments"].get(s))
                for s in sorted(set(ours["assignments"]) | set(ref["assignments"]))
                if ours["assignments"].get(s) != ref["assignments"].get(s)
            ]
            print(f"instance {k}: DIFFERENT for {len(diff)} students, first: {diff[:5]}")
            print("instance written to target/match_compare_fail.json")
            sys.exit(1)
        students += len(inst["students"])
        placed += sum(1 for v in ours["assignments"].values() if v is not None)
    print(
        f"match_compare: {len(instances)} of {len(instances)} instances matched exactly "
        f"({students} students, {placed} placed) between skillbridge match and matching 1.4.3"
    )


if __name__ == "__main__":
    main()
