"""A webhook receiver on loopback for the tests, checking signatures the way the README tells
a team to: the HMAC of "t.body" with the secret, a fresh timestamp, and each signature once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

TOLERANCE_SECONDS = 300


def verify(secret: str, header: str, body: bytes, seen: set, *, now: float | None = None) -> bool:
    """The README's receiver, as it is written there."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, signature = fields.get("t", ""), fields.get("v1", "")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    if not timestamp.isdigit() or not hmac.compare_digest(expected.hexdigest(), signature):
        return False  # not signed with our secret, or the body was changed
    if abs((now or time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        return False  # too old: a replay of a captured request
    return signature not in seen  # else this very request again: a replay


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        hook = self.server.hook
        body = self.rfile.read(int(self.headers["Content-Length"]))
        step = hook.script.pop(0) if hook.script else 200
        if isinstance(step, float):  # hang this long, then answer 200 (too late)
            time.sleep(step)
            step = 200
        header = self.headers.get("X-Triage-Signature", "")
        valid = verify(hook.secret, header, body, hook.seen) if hook.secret else None
        hook.received.append(
            {"headers": dict(self.headers), "body": body, "json": json.loads(body), "valid": valid}
        )
        if valid is False:
            step = 401
        elif valid and 200 <= step < 300:  # processed: the same request again is a replay
            hook.seen.add(dict(p.split("=", 1) for p in header.split(","))["v1"])
        answer = f"status {step}".encode()
        self.send_response(step)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def start_receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.hook = SimpleNamespace(received=[], script=[], secret="", seen=set())
    server.hook.url = f"http://127.0.0.1:{server.server_port}/hooks/triage"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
