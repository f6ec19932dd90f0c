#!/usr/bin/env python3
"""Runs one command and prints "WALL_S MAXRSS_KB CPU_S" for it, for bench/match.sh:

    python3 bench/measure.py [--long] OUT -- CMD ARG...

The command's stdout goes to the file OUT; it must exit with status 0.

- Wall time: a monotonic clock read just before the process is spawned and just after it has
  been reaped (start-up, reading, solving, writing and exit; nothing of this script's own start).
- CPU time (user + system): from wait4() on that one process, in microseconds (GNU time prints
  10 ms ticks, too coarse for a command that runs for 10 ms).
- Peak RSS: not from the same wait4, because a process spawned from Python inherits Python's own
  peak in that figure (Linux carries the peak across exec). So the command is also run under
  /usr/bin/time (a small C program, whose fork does not carry much) for its peak RSS: as an extra,
  untimed run; or, with --long (a command of seconds, such as the reference), the timed run itself
  goes through /usr/bin/time, whose cost (about a millisecond, counted in wall and CPU) is then
  negligible.
"""

import os
import sys
import time

TIME = "/usr/bin/time"


def spawn(cmd, out):
    """Runs cmd with stdout to the file out; returns (wall seconds, rusage)."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    t0 = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} exited with {code}")
    return t1 - t0, ru


def rss_kb(cmd, out):
    """Peak RSS of cmd in kB, by /usr/bin/time."""
    report = f"{out}.rss"
    spawn([TIME, "-f", "%M", "-o", report, *cmd], out)
    with open(report) as f:
        kb = int(f.read().split()[-1])
    os.remove(report)
    return kb


def main():
    args = sys.argv[1:]
    long = args[:1] == ["--long"]
    if long:
        args = args[1:]
    if len(args) < 3 or args[1] != "--":
        sys.exit("usage: measure.py [--long] OUT -- CMD ARG...")
    out, cmd = args[0], args[2:]
    if long:
        report = f"{out}.rss"
        wall, ru = spawn([TIME, "-f", "%M", "-o", report, *cmd], out)
        with open(report) as f:
            rss = int(f.read().split()[-1])
        os.remove(report)
    else:
        wall, ru = spawn(cmd, out)
        rss = rss_kb(cmd, os.devnull)
    # wait4 counts the process and the children it reaped (for --long, /usr/bin/time's child).
    cpu = ru.ru_utime + ru.ru_stime
    print(f"{wall:.5f} {rss} {cpu:.5f}")


if __name__ == "__main__":
    main()
