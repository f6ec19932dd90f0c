"""Schemathesis hooks for .ci/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

One narrow guard, nothing else: the run must not take away its own session. Changing the
signed-in account's roles gives it a new session id (privilege change) and resetting its
password ends its sessions, so every later case would be answered 401 and test nothing. A case
of those two operations aimed at the run's own account (SB_OWN_USER_ID, read from `GET /api/me`
after signing in) is sent to an account id that does not exist instead (the server answers 404);
the same operations on every other account are sent as generated. `before_call` is used rather
than a filter because it applies to every phase, the coverage phase included.
"""

import os

import schemathesis

OWN_ID = os.environ.get("SB_OWN_USER_ID")
GUARDED = {("PATCH", "/api/users/{id}"), ("POST", "/api/users/{id}/password")}
NO_SUCH_ACCOUNT = 2_000_000_000


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    op = case.operation
    if OWN_ID is None or (op.method.upper(), op.path) not in GUARDED:
        return
    params = case.path_parameters or {}
    if str(params.get("id")) == OWN_ID:
        params["id"] = NO_SUCH_ACCOUNT
        case.path_parameters = params
