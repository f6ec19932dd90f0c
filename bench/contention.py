#!/usr/bin/env python3
"""Contention load test (issue 9, item 5), against a running server on loopback:

    python3 bench/contention.py mixed  BASE SECONDS CLIENTS
    python3 bench/contention.py writes BASE SECONDS THREADS

`mixed`: CLIENTS concurrent clients (threads over four processes, one keep-alive connection
each) for SECONDS mix sign-ins (right password, wrong password for an account that soon locks,
unknown usernames), writes (an administrator renaming schools) and forbidden reads (a student
asking for agreements and accounts). Prints the answers by status as JSON on one line. The server
must then be stopped (SIGTERM: it writes its queued refusals) before `audit-count` reads its
database.

`writes`: THREADS writers renaming schools as fast as they can for SECONDS; prints writes/s.

    python3 bench/contention.py flood BASE SECONDS RATE

`flood`: a student asks for the agreements list (403) at RATE requests per second (paced, two
processes of eight connections) for SECONDS; prints the answers by status and the rate reached.

    python3 bench/contention.py audit-count DB FROM_ID

Prints, as JSON, the refusals the audit trail accounts for after entry FROM_ID (an aggregated
entry "N refusals between t1 and t2: ..." counts N) and the number of entries they take.

Only the standard library: http.client, threads, processes, sqlite3.
"""

import http.client
import json
import multiprocessing
import random
import re
import sqlite3
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlparse

ADMIN_PASSWORD = "SkillBridge-Bench-2026"
DEMO_PASSWORD = "SkillBridge-Demo-2026"


class Client:
    """One keep-alive connection with its session cookie and the server's own Origin."""

    def __init__(self, base):
        u = urlparse(base)
        self.host, self.port, self.origin = u.hostname, u.port, base
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookie = None

    def request(self, method, path, body=None):
        headers = {"Origin": self.origin}
        if self.cookie:
            headers["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                text = r.read()
                return r.status, r.getheader("Set-Cookie"), text
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise

    def login(self, username, password):
        status, cookie, _ = self.request(
            "POST", "/api/auth/login", {"username": username, "password": password}
        )
        if status == 200 and cookie:
            self.cookie = cookie.split(";", 1)[0]
        return status


def signed_in(base, username, password, seen=None):
    """A client signed in as username. Parallel sign-ins to one account may be refused as
    locked, or rate-limited: those refusals are counted in `seen` too (they are audited)."""
    for _ in range(600):
        c = Client(base)
        status = c.login(username, password)
        if seen is not None:
            seen[("login", status)] += 1
        if status == 200:
            return c
        time.sleep(0.1)
    raise SystemExit(f"cannot sign in as {username}")


def worker(base, kind, idx, deadline, counts, lock):
    """One client of the mixed load; counts (kind, route class, status)."""
    rnd = random.Random(idx)
    local = Counter()
    if kind == "writer":
        c = signed_in(base, "admin", ADMIN_PASSWORD, local)
    elif kind == "student":
        c = signed_in(base, "student", DEMO_PASSWORD, local)
    else:
        c = Client(base)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if kind == "writer":
            school = 1 + (idx + n) % 4
            status, _, _ = c.request(
                "PATCH", f"/api/schools/{school}", {"name": f"压测学院{idx}-{n}"}
            )
            local[("write", status)] += 1
        elif kind == "student":
            path = "/api/agreements" if n % 2 else f"/api/users/{rnd.randint(1, 50)}"
            status, _, _ = c.request("GET", path)
            local[("forbidden_read", status)] += 1
        else:
            r = rnd.random()
            if r < 0.2:
                who, pw = "teacher", DEMO_PASSWORD  # right password: not a refusal
            elif r < 0.6:
                who, pw = "media", "a wrong password"  # locks after five
            else:
                who, pw = f"nobody{rnd.randint(1, 10**9)}", "whatever it is"
            fresh = Client(base)
            status = fresh.login(who, pw)
            fresh.conn.close()
            local[("login", status)] += 1
    with lock:
        for k, v in local.items():
            counts[f"{k[0]} {k[1]}"] = counts.get(f"{k[0]} {k[1]}", 0) + v


def process(base, kinds, first, deadline, counts, lock):
    threads = [
        threading.Thread(target=worker, args=(base, k, first + i, deadline, counts, lock))
        for i, k in enumerate(kinds)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def mixed(base, seconds, clients):
    # 40% forbidden readers (students), 30% writers, 30% sign-in attempts.
    kinds = []
    for i in range(clients):
        r = i % 10
        kinds.append("student" if r < 4 else "writer" if r < 7 else "login")
    mgr = multiprocessing.Manager()
    counts, lock = mgr.dict(), mgr.Lock()
    # Sessions are opened before the clock starts; the deadline leaves time for that.
    deadline = time.monotonic() + seconds + 5
    procs = []
    per = (clients + 3) // 4
    for p in range(4):
        part = kinds[p * per : (p + 1) * per]
        pr = multiprocessing.Process(
            target=process, args=(base, part, p * per, deadline, counts, lock)
        )
        pr.start()
        procs.append(pr)
    for pr in procs:
        pr.join()
    out = dict(counts)
    status = Counter()
    for k, v in out.items():
        status[int(k.split()[1])] += v
    refusals = sum(
        v
        for k, v in out.items()
        if k.endswith(" 403") or k.endswith(" 429") or k in ("login 401", "login 503")
    )
    print(
        json.dumps(
            {
                "by_route_status": out,
                "by_status": dict(status),
                "requests": sum(out.values()),
                # A 503 is the password gate's "busy" (with Retry-After): a refusal by design,
                # audited like the others; any other 5xx is a server error.
                "server_errors": sum(v for s, v in status.items() if s >= 500 and s != 503),
                "busy": status.get(503, 0),
                "refusals": refusals,
            },
            sort_keys=True,
        )
    )


def writes(base, seconds, threads):
    done = Counter()
    lock = threading.Lock()
    clients = [signed_in(base, "admin", ADMIN_PASSWORD) for _ in range(threads)]
    deadline = time.monotonic() + seconds

    def run(i, c):
        n, bad = 0, 0
        while time.monotonic() < deadline:
            status, _, _ = c.request(
                "PATCH", f"/api/schools/{1 + i % 4}", {"name": f"写入学院{i}-{n}"}
            )
            n += 1
            bad += status != 200
        with lock:
            done["writes"] += n
            done["not_200"] += bad

    t0 = time.monotonic()
    ts = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.monotonic() - t0
    print(
        json.dumps(
            {"writes": done["writes"], "not_200": done["not_200"], "writes_per_s": round(done["writes"] / wall, 1)}
        )
    )


def flood_part(base, seconds, rate, threads, out, lock):
    c0 = signed_in(base, "student", DEMO_PASSWORD)
    cookie = c0.cookie
    deadline = time.monotonic() + seconds
    seen = Counter()
    slock = threading.Lock()

    def run(i):
        c = Client(base)
        c.cookie = cookie
        interval = threads / rate
        t = time.monotonic() + i * interval / threads
        local = Counter()
        while True:
            t += interval
            now = time.monotonic()
            if t > deadline:
                break
            if t > now:
                time.sleep(t - now)
            status, _, _ = c.request("GET", "/api/agreements")
            local[status] += 1
        with slock:
            seen.update(local)

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    with lock:
        for k, v in seen.items():
            out[k] = out.get(k, 0) + v


def flood(base, seconds, rate):
    mgr = multiprocessing.Manager()
    out, lock = mgr.dict(), mgr.Lock()
    t0 = time.monotonic()
    procs = [
        multiprocessing.Process(target=flood_part, args=(base, seconds, rate / 2, 8, out, lock))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = time.monotonic() - t0
    print(json.dumps({"by_status": dict(out), "per_s": round(sum(out.values()) / wall, 1)}))


AGG = re.compile(r"^(\d+) refusals between .+?: ")


def audit_count(db, from_id):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT outcome, detail FROM audit_log WHERE id > ? AND outcome IN ('denied', 'failed', 'rate_limited', 'busy')",
        (from_id,),
    ).fetchall()
    refusals = 0
    for _, detail in rows:
        m = AGG.match(detail)
        refusals += int(m.group(1)) if m else 1
    total = con.execute("SELECT COUNT(*) FROM audit_log WHERE id > ?", (from_id,)).fetchone()[0]
    print(json.dumps({"refusals": refusals, "refusal_entries": len(rows), "entries": total}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "mixed":
        mixed(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    elif mode == "writes":
        writes(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    elif mode == "flood":
        flood(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    elif mode == "audit-count":
        audit_count(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
