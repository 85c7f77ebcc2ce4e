#!/usr/bin/env python3
"""A webhook receiver for the tests: it verifies Standard Webhooks signatures with its own HMAC
code, answers as its mode says, and records every request as a JSON line.

    webhook_receiver.py --secret SECRET --log FILE [--mode MODE] [--port 0]

MODE: ok (200), fail-first:N (500 for the first N requests of each webhook-id, then 200),
always:STATUS (that status every time), redirect (302 to /elsewhere), slow:SECONDS (wait, then 200).
A request whose signature does not verify gets 401. The port is printed as "listening PORT".
"""
import argparse
import base64
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def secret_bytes(secret):
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_"):])
    return secret.encode("utf-8")


def verify(key, msg_id, timestamp, body, header):
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for part in header.split(" "):
        version, _, signature = part.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


def main():
    # A test process may block signals in the thread that spawned this one; the mask is inherited.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    key = secret_bytes(args.secret)
    lock = threading.Lock()
    seen = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def answer(self, status, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            msg_id = self.headers.get("webhook-id", "")
            timestamp = self.headers.get("webhook-timestamp", "")
            signature = self.headers.get("webhook-signature", "")
            verified = bool(msg_id and timestamp and signature) and verify(key, msg_id, timestamp, body, signature)
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
            try:
                event_type = json.loads(body).get("type")
            except ValueError:
                event_type = None
            with lock:
                seen[msg_id] = seen.get(msg_id, 0) + 1
                count = seen[msg_id]
            mode = args.mode
            status, headers = 200, []
            if not verified:
                status = 401
            elif mode.startswith("fail-first:"):
                status = 500 if count <= int(mode.split(":")[1]) else 200
            elif mode.startswith("always:"):
                status = int(mode.split(":")[1])
            elif mode == "redirect":
                status, headers = 302, [("Location", "/elsewhere")]
            elif mode.startswith("slow:"):
                time.sleep(float(mode.split(":")[1]))
            record = {"id": msg_id, "timestamp": timestamp, "verified": verified, "fresh": fresh, "type": event_type,
                      "path": self.path, "status": status, "attempt": count}
            with lock:
                with open(args.log, "a") as log:
                    log.write(json.dumps(record) + "\n")
            self.answer(status, headers)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("listening", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
