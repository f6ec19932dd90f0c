#!/usr/bin/env python3
"""A local SMTP sink for the notification-mail test (issue 10, item 5).

Listens on 127.0.0.1 with aiosmtpd (PyPI) and appends one JSON line per received message to
--out: the envelope recipients, the decoded Subject (RFC 2047 words decoded) and the decoded
plain-text body. Run by crates/web/tests/todos.rs when SKILLBRIDGE_TEST_SMTP_SINK names a Python
that has aiosmtpd (.ci/run installs it into a venv under target/).

    python tools/smtp_sink.py --port 2525 --out /tmp/mails.jsonl
"""

import argparse
import asyncio
import email
import email.policy
import json
import signal

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "rcpt": list(envelope.rcpt_tos),
            "mail_from": envelope.mail_from,
            "subject": str(msg["Subject"]),
            "body": body.get_content() if body is not None else "",
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    controller = Controller(Recorder(args.out), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{args.port}", flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.run_until_complete(stop)
    controller.stop()


if __name__ == "__main__":
    main()
