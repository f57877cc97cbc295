"""A real webhook receiver on 127.0.0.1 that records every POST it is sent.

``webhook`` (per test) yields a ``WebhookReceiver`` with ``.url`` and ``.requests`` (parsed
JSON bodies); ``BULLETINS_ALERT_WEBHOOK`` points at it for the test. Setting
``receiver.fail_next = n`` answers the next n requests with 503, to exercise retries.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class WebhookReceiver:
    """A threaded HTTP server keeping what it receives."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.attempts = 0
        self.fail_next = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where to POST alerts."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/alerts"

    def _handler(self):
        """A request handler class bound to this receiver."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._record(body)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"try later")

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _record(self, body: bytes) -> int:
        """Keep a body (unless told to fail this one); the status to answer with."""
        with self._lock:
            self.attempts += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503
            self.requests.append(json.loads(body.decode("utf-8")))
            return 200

    def start(self) -> "WebhookReceiver":
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook(monkeypatch):
    """A fresh receiver per test, configured as the alert webhook."""
    receiver = WebhookReceiver().start()
    monkeypatch.setenv("BULLETINS_ALERT_WEBHOOK", receiver.url)
    yield receiver
    receiver.stop()
