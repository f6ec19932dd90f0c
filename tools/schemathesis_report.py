"""Reads the VCR cassette of a schemathesis run (.ci/schemathesis.sh) and says what it did.

Prints the answers by method and status class, and fails (exit 1) when:
- any interaction's checks failed (schemathesis exits non-zero too; this is a second look);
- any answer is a server error (5xx);
- in the administrator's run (--require-unsafe-2xx), no unsafe operation (POST/PUT/PATCH/DELETE)
  was answered 2xx, or fewer distinct unsafe operations than --min-unsafe-ops: the run must show
  that it got past the CSRF guard, the session and validation, not only bounced off them.

The cassette is read line by line (it is tens of megabytes; no YAML library needed): each
interaction starts with `- id:` at the start of a line, and its request method, URI and
response status code are the first `method:`, `uri:` and `code:` lines after that.
"""

import argparse
import collections
import glob
import os
import re
import sys

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def interactions(path):
    cur = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("- id:"):
                if cur:
                    yield cur
                cur = {"failed": False}
                continue
            if cur is None:
                continue
            s = line.strip()
            if s.startswith("status: 'FAILURE'") or s.startswith("status: 'ERROR'"):
                cur["failed"] = True
            elif s.startswith("method: ") and "method" not in cur:
                cur["method"] = s.split(":", 1)[1].strip().strip("'\"")
            elif s.startswith("uri: ") and "uri" not in cur:
                cur["uri"] = s.split(":", 1)[1].strip().strip("'\"")
            elif s.startswith("code: ") and "code" not in cur:
                cur["code"] = int(s.split(":", 1)[1].strip().strip("'\""))
    if cur:
        yield cur


def operation(method, uri):
    path = re.sub(r"^https?://[^/]+", "", uri).split("?", 1)[0]
    path = re.sub(r"/-?\d+(?=/|$)", "/{id}", path)
    return f"{method} {path}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report_dir")
    ap.add_argument("--role", required=True)
    ap.add_argument("--require-unsafe-2xx", action="store_true")
    ap.add_argument("--min-unsafe-ops", type=int, default=1)
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.report_dir, "vcr-*.yaml")))
    if not files:
        print(f"{a.role}: no cassette in {a.report_dir}", file=sys.stderr)
        return 1
    by_class = collections.Counter()
    unsafe_ok_ops = collections.Counter()
    server_errors = []
    failed = 0
    total = 0
    for it in interactions(files[-1]):
        if "code" not in it:
            continue  # a request that got no answer is reported by schemathesis itself
        total += 1
        m = it.get("method", "?").upper()
        c = it["code"]
        by_class[(m, f"{c // 100}xx")] += 1
        failed += it["failed"]
        if c >= 500:
            server_errors.append(f"{c} {m} {it.get('uri')}")
        if m in UNSAFE and 200 <= c < 300:
            unsafe_ok_ops[operation(m, it.get("uri", ""))] += 1
    print(f"{a.role}: {total} answers")
    for (m, k), n in sorted(by_class.items()):
        print(f"  {m:6} {k}: {n}")
    print(f"{a.role}: {sum(unsafe_ok_ops.values())} unsafe requests answered 2xx, "
          f"over {len(unsafe_ok_ops)} operations")
    ok = True
    if total == 0:
        print(f"{a.role}: the cassette holds no answer", file=sys.stderr)
        ok = False
    if failed:
        print(f"{a.role}: {failed} interactions failed a check", file=sys.stderr)
        ok = False
    if server_errors:
        print(f"{a.role}: {len(server_errors)} server errors, e.g.:", file=sys.stderr)
        for e in server_errors[:10]:
            print(f"  {e}", file=sys.stderr)
        ok = False
    if a.require_unsafe_2xx and len(unsafe_ok_ops) < a.min_unsafe_ops:
        print(f"{a.role}: {len(unsafe_ok_ops)} unsafe operations answered 2xx, fewer than "
              f"{a.min_unsafe_ops}: the run did not get past CSRF, the session or validation",
              file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
