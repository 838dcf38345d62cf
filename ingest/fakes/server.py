"""The HTTP server every fake source sits behind: 127.0.0.1 only, JSON answers, one thread a request."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol


class Fake(Protocol):
    """A fake source: answers a request target (path and query) with a status and a JSON body.

    It may also define `check_headers(headers) -> (status, body) | None` to refuse a request.
    """

    def answer(self, target: str) -> tuple[int, object]: ...


class _Handler(BaseHTTPRequestHandler):
    fake: Fake

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        refusal = self.fake.check_headers(self.headers) if hasattr(self.fake, "check_headers") else None
        status, body = refusal or self.fake.answer(self.path)
        data = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, str) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


class FakeServer:
    """`with FakeServer(fake, prefix=...) as server:` serves on http://127.0.0.1:<port><prefix>.

    `port=0` takes a free port (tests); a fixed one serves the demo sources (`make run`).
    """

    def __init__(self, fake: Fake, *, prefix: str, port: int = 0) -> None:
        self.fake = fake
        self.prefix = prefix
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
