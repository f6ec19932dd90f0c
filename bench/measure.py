#!/usr/bin/env python3
"""Runs one command and prints "WALL_S MAXRSS_KB CPU_S" for it, for bench/match.sh:

    python3 bench/measure.py OUT -- CMD ARG...

The command's stdout goes to the file OUT. Wall time is taken with a monotonic clock from just
before the process is started to just after it has been waited for (start-up, reading, solving,
writing and exit, nothing of this script's own start). CPU time (user + system) and peak resident
memory come from getrusage(RUSAGE_CHILDREN) of the one child, in microseconds rather than the
10 ms ticks of /usr/bin/time, which matters for a command that runs for 10 ms.
"""

import resource
import subprocess
import sys
import time


def main():
    out, sep, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    if sep != "--" or not cmd:
        sys.exit("usage: measure.py OUT -- CMD ARG...")
    with open(out, "wb") as f:
        t0 = time.perf_counter()
        code = subprocess.run(cmd, stdout=f).returncode
        t1 = time.perf_counter()
    if code != 0:
        sys.exit(f"{cmd[0]} exited with {code}")
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{t1 - t0:.5f} {r.ru_maxrss} {r.ru_utime + r.ru_stime:.5f}")


if __name__ == "__main__":
    main()
