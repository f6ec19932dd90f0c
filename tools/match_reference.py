#!/usr/bin/env python3
"""Independent reference for `skillbridge match`: solves the same instance JSON with the PyPI
package `matching` (version 1.4.3, Wilde, Knight and Gillard), resident-optimal, and prints the same
output format: {"assignments": {"s1": "p3", "s2": null}}, every student present.

    python3 tools/match_reference.py INSTANCE.json      (or - for stdin)

How the instance is handed over: create_from_dictionaries(resident_prefs, hospital_prefs,
capacities, clean=True). `matching` expects every hospital to rank exactly the residents who
rank it, every list to be non-empty and every capacity to be at least 1; without `clean` its
solver crashes on an application the hospital does not rank (list.index), on an empty list
(prefs[0]) and on capacity 0 (matching[-1]). With clean=True it applies, by itself, the same
semantics as skillbridge: an application the position does not rank is dropped (not acceptable),
a ranked student who did not apply is dropped, a student with an empty list and a capacity-0
position are left out of the game (so they end unplaced / take nobody). One limit remains: it
removes capacity-0 hospitals after it has removed residents with empty lists, so a student whose
only mutually acceptable positions all have capacity 0 is left in the game with an empty list and
the solver crashes (IndexError). tools/match_compare.py does not generate that case; see there.

`matching` deep-copies its players, which recurses through the preference lists: the solve runs
in a thread with a 512 MiB stack and a raised recursion limit, or it crashes above ~1,000 students.
"""

import json
import sys
import threading
import warnings


def solve(instance):
    from matching.games import HospitalResident

    students = instance["students"]
    positions = instance["positions"]
    resident_prefs = {s: list(ps) for s, ps in students.items()}
    hospital_prefs = {p: list(v["ranking"]) for p, v in positions.items()}
    capacities = {p: v["capacity"] for p, v in positions.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        matching = game.solve(optimal="resident")
    assignments = {s: None for s in students}
    for hospital, residents in matching.items():
        for r in residents:
            if assignments[r.name] is not None:
                raise SystemExit(f"{r.name} placed twice")
            assignments[r.name] = hospital.name
    return {"assignments": assignments}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: match_reference.py INSTANCE.json|-")
    path = sys.argv[1]
    if path == "-":
        instance = json.load(sys.stdin)
    else:
        with open(path, encoding="utf-8") as f:
            instance = json.load(f)
    result = {}

    def run():
        try:
            result["ok"] = solve(instance)
        except BaseException as e:  # reported by the main thread
            result["err"] = e

    sys.setrecursionlimit(10_000_000)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "err" in result:
        raise result["err"]
    json.dump(result["ok"], sys.stdout, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
