"""The HTTP server every fake source sits behind: 127.0.0.1 only, JSON answers, one thread a request."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol


@dataclass
class RawAnswer:
    """An answer sent as it is, to play a hostile or broken source in tests.

    `drip_seconds` sleeps between single bytes (a slow drip); `length` overrides the
    Content-Length header (None: the body's length; -1: no header, the body ends with the connection).
    """

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json; charset=utf-8"
    drip_seconds: float = 0.0
    length: int | None = None


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
        if isinstance(body, RawAnswer):
            self._send_raw(body)
            return
        data = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, str) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_raw(self, answer: RawAnswer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        length = len(answer.body) if answer.length is None else answer.length
        if length >= 0:
            self.send_header("Content-Length", str(length))
        else:
            self.close_connection = True
        self.end_headers()
        try:
            if not answer.drip_seconds:
                self.wfile.write(answer.body)
                return
            for byte in answer.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(answer.drip_seconds)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

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


class ScriptedFailures:
    """Failures a test scripts into a fake source: the next `times` requests whose target holds
    `substring` get `status`. Shared by the Lähellä.fi, Linked Events and Sotkanet fakes; each
    also records every request target in `requests`."""

    failures: list[list]
    requests: list[str]

    def fail(self, substring: str, status: int = 500, times: int = 1) -> None:
        self.failures.append([substring, status, times])

    def scripted_failure(self, target: str, body: object) -> tuple[int, object] | None:
        """Record the request; the scripted failure it meets, if any, with the source's error body."""
        self.requests.append(target)
        for failure in self.failures:
            if failure[0] in target and failure[2] > 0:
                failure[2] -= 1
                return failure[1], body
        return None
