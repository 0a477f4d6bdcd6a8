"""A partner's webhook receiver: a real local HTTP server that checks each signature."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret="", fail_first=0):
        self.secret = secret
        self.received = []  # the JSON bodies whose signature was right
        self.bad_signatures = 0
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                parts = dict(p.split("=", 1) for p in self.headers["X-Signature"].split(","))
                expected = hmac.new(
                    receiver.secret.encode(), f"{parts['t']}.".encode() + raw, hashlib.sha256
                ).hexdigest()
                if hmac.compare_digest(expected, parts["v1"]):
                    receiver.received.append(json.loads(raw))
                    self.send_response(204)
                else:
                    receiver.bad_signatures += 1
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def statuses(self):
        return [body["prescription"]["status"] for body in self.received]
