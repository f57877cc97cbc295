"""A small scriptable HTTP server on 127.0.0.1: the demo site's transport and the tests' fake web.

Routes map a path to a *response*: a ``Page`` (with ETag / Last-Modified answering
conditional GETs with 304), or one of the misbehaviours a crawler must survive:
status sequences (500 then 200, 429 with Retry-After then 200), redirects, delays, slow
drips, bodies that never finish, connection resets, truncated bodies, huge streamed
bodies. A callable ``fn(request) -> response`` computes the answer per request.

Every request served is recorded (method, path, headers, host) so tests can assert what
the crawler asked, in what order, and how often::

    with RouteServer() as server:
        server.route("/a.html", Page(b"<html>...</html>", etag='"v1"'))
        server.route("/flaky", Sequence(Status(500), Page(b"ok")))
        url = server.url("/a.html")
        ...
        assert server.paths() == ["/a.html"]

Only the standard library: the demo site must run anywhere Python does.
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator, Union
from urllib.parse import urlsplit

# Chunk size for streamed bodies: small enough that a size cap bites early, large
# enough that a multi-megabyte body streams quickly.
STREAM_CHUNK = 64 * 1024


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received, as the client sent it."""

    method: str
    path: str  # path with query string, as on the request line
    headers: dict[str, str]
    host: str  # the server address that accepted it (127.0.0.1, 127.0.0.2 ...)
    seq: int  # order of arrival across the whole server
    at: float = field(default_factory=time.monotonic)

    def header(self, name: str) -> str | None:
        """A request header by case-insensitive name, else None."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


class Response:
    """Something a route answers with; subclasses write the bytes to the handler."""

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Write this response to the client behind ``handler``."""
        raise NotImplementedError


Route = Union[Response, Callable[[RequestRecord], Response]]


def _send_head(handler: "_Handler", status: int, headers: dict[str, str]) -> None:
    """Status line and headers (Content-Length included by the caller when known)."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()


def _http_date(timestamp: float) -> str:
    """An RFC 7231 date for Last-Modified headers."""
    return formatdate(timestamp, usegmt=True)


@dataclass
class Status(Response):
    """A bare status with an optional body and headers, e.g. ``Status(429, headers={"Retry-After": "1"})``."""

    code: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain; charset=utf-8"

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Send the status, headers and body."""
        head = {"Content-Type": self.content_type, "Content-Length": str(len(self.body)), **self.headers}
        _send_head(handler, self.code, head)
        handler.write_body(self.body)


@dataclass
class Page(Response):
    """A page that honours conditional GETs.

    ``charset_header`` is what the Content-Type header *claims* (None: no charset
    parameter at all), independent of how ``body`` is really encoded, so tests can
    serve GBK bytes under a header that says utf-8. ``body`` may be replaced at any
    time to simulate an edited page (change ``etag`` with it).
    """

    body: bytes
    content_type: str = "text/html"
    charset_header: str | None = "utf-8"
    etag: str | None = None
    last_modified: str | float | None = None  # an HTTP date, or a Unix timestamp
    headers: dict[str, str] = field(default_factory=dict)

    def _last_modified(self) -> str | None:
        """The Last-Modified header value, formatted."""
        if isinstance(self.last_modified, (int, float)):
            return _http_date(float(self.last_modified))
        return self.last_modified

    def _not_modified(self, request: RequestRecord) -> bool:
        """True when the client's validators still match this page."""
        inm = request.header("If-None-Match")
        if inm is not None and self.etag is not None:
            return self.etag in [tag.strip() for tag in inm.split(",")] or inm.strip() == "*"
        ims, lm = request.header("If-Modified-Since"), self._last_modified()
        if ims and lm:
            try:
                return parsedate_to_datetime(lm) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _validators(self) -> dict[str, str]:
        """ETag / Last-Modified headers, those that are set."""
        pairs = {"ETag": self.etag, "Last-Modified": self._last_modified()}
        return {k: v for k, v in pairs.items() if v is not None}

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """200 with the body, or 304 when the validators match."""
        if self._not_modified(request):
            _send_head(handler, 304, {**self._validators(), "Content-Length": "0"})
            return
        ctype = self.content_type + (f"; charset={self.charset_header}" if self.charset_header else "")
        head = {"Content-Type": ctype, "Content-Length": str(len(self.body)), **self._validators(), **self.headers}
        _send_head(handler, 200, head)
        handler.write_body(self.body)


def Robots(text: str) -> Page:
    """A robots.txt page."""
    return Page(text.encode("utf-8"), content_type="text/plain", charset_header="utf-8")


@dataclass
class Redirect(Response):
    """A redirect to ``location`` (relative, or absolute to any host)."""

    location: str
    code: int = 302

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Send the 3xx with its Location header."""
        _send_head(handler, self.code, {"Location": self.location, "Content-Length": "0"})


class Sequence(Response):
    """Answers with each response in turn; the last one repeats forever.

    ``Sequence(Status(500), Page(b"ok"))`` fails once, then succeeds.
    """

    def __init__(self, *responses: Response) -> None:
        if not responses:
            raise ValueError("Sequence needs at least one response")
        self._responses = list(responses)
        self._next = 0
        self._lock = threading.Lock()

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Serve the next response of the sequence."""
        with self._lock:
            response = self._responses[min(self._next, len(self._responses) - 1)]
            self._next += 1
        response.serve(handler, request)


@dataclass
class Delay(Response):
    """Waits ``seconds`` before answering with ``then`` (a slow server, not a slow body)."""

    seconds: float
    then: Response

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Sleep (ending early if the server stops), then answer."""
        if not handler.server.stopping.wait(self.seconds):
            self.then.serve(handler, request)


@dataclass
class Drip(Response):
    """A body sent ``chunk`` bytes at a time, ``interval`` seconds apart.

    ``forever=True`` makes a body that never finishes: it keeps dripping filler until the
    client hangs up or the server stops (no Content-Length: the body ends at a close).
    """

    body: bytes = b"<html><body>"
    chunk: int = 16
    interval: float = 0.05
    forever: bool = False
    content_type: str = "text/html; charset=utf-8"

    def _chunks(self) -> Iterator[bytes]:
        """The body in pieces, then filler forever when asked."""
        for start in range(0, len(self.body), self.chunk):
            yield self.body[start : start + self.chunk]
        while self.forever:
            yield b" " * self.chunk

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Send the head, then the pieces with pauses between them."""
        head = {"Content-Type": self.content_type}
        if not self.forever:
            head["Content-Length"] = str(len(self.body))
        # A never-ending body has no length: it is delimited by a close that never comes.
        _send_head(handler, 200, head)
        for piece in self._chunks():
            if handler.server.stopping.wait(self.interval) or not handler.write_body(piece):
                break
        handler.close_connection = True


@dataclass
class Truncated(Response):
    """Sends ``body`` but claims ``claimed_length`` bytes, then closes the connection."""

    body: bytes
    claimed_length: int
    content_type: str = "text/html; charset=utf-8"

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Promise more than is sent, and hang up."""
        _send_head(handler, 200, {"Content-Type": self.content_type, "Content-Length": str(self.claimed_length)})
        handler.write_body(self.body)
        handler.close_connection = True


@dataclass
class Huge(Response):
    """A body of ``size`` bytes generated while streaming, never held in memory.

    ``declare_length=False`` omits Content-Length (the body ends when the connection
    closes), so a size cap must be enforced while reading, not from the header.
    """

    size: int
    declare_length: bool = True
    content_type: str = "text/html; charset=utf-8"

    def _chunks(self) -> Iterable[bytes]:
        """``size`` bytes of HTML-ish filler in STREAM_CHUNK pieces."""
        block = (b"<p>" + b"x" * 60 + b"</p>\n") * (STREAM_CHUNK // 68 + 1)
        sent = 0
        while sent < self.size:
            piece = block[: min(STREAM_CHUNK, self.size - sent)]
            sent += len(piece)
            yield piece

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Stream the generated body until done or the client hangs up."""
        head = {"Content-Type": self.content_type}
        if self.declare_length:
            head["Content-Length"] = str(self.size)
        _send_head(handler, 200, head)
        for piece in self._chunks():
            if handler.server.stopping.is_set() or not handler.write_body(piece):
                break
        handler.close_connection = True


class Reset(Response):
    """Resets the TCP connection (RST) without answering: a dropped connection."""

    def serve(self, handler: "_Handler", request: RequestRecord) -> None:
        """Close with SO_LINGER 0 so the client sees ECONNRESET."""
        handler.reset_connection()


def _not_found(request: RequestRecord) -> Response:
    """The default answer for paths without a route."""
    return Status(404, f"no route for {request.path}\n".encode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    """Looks the path up in the server's route table and lets the response serve itself."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real sites do
    timeout = 30  # an idle keep-alive connection does not pin a thread forever
    server: "_Server"

    def do_GET(self) -> None:
        """Record the request, then serve its route."""
        record = self.server.owner.record(self)
        response = self.server.owner.resolve(record)
        try:
            response.serve(self, record)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        if self.server.stopping.is_set():
            # A response cut short by stop() must not leave the client waiting on keep-alive.
            self.close_connection = True

    def write_body(self, data: bytes) -> bool:
        """Write bytes; False when the client has gone away."""
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True
            return False

    def reset_connection(self) -> None:
        """Abort the connection with an RST instead of a FIN."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request stderr line; the request log is the record."""


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its RouteServer and a stop flag for slow responses."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: "RouteServer") -> None:
        self.owner = owner
        self.stopping = threading.Event()
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up mid-response are expected here, not errors worth a traceback."""


class RouteServer:
    """A threaded HTTP server on a loopback address with a route table and a request log."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self._routes: dict[str, Route] = {}
        self._fallback: Callable[[RequestRecord], Response] = _not_found
        self._log: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- routes ----------------------------------------------------------------
    def route(self, path: str, response: Route) -> "RouteServer":
        """Answer ``path`` (with its query string, if any) with ``response``; chainable."""
        with self._lock:
            self._routes[path] = response
        return self

    def routes(self, table: dict[str, Route]) -> "RouteServer":
        """Add many routes at once."""
        for path, response in table.items():
            self.route(path, response)
        return self

    def fallback(self, fn: Callable[[RequestRecord], Response]) -> "RouteServer":
        """Answer paths without a route by calling ``fn`` (default: 404)."""
        self._fallback = fn
        return self

    def resolve(self, request: RequestRecord) -> Response:
        """The response for a request: exact path with query, then path alone, then fallback."""
        bare = urlsplit(request.path).path
        with self._lock:
            route = self._routes.get(request.path, self._routes.get(bare))
        if route is None:
            return self._fallback(request)
        return route if isinstance(route, Response) else route(request)

    # -- request log -------------------------------------------------------------
    def record(self, handler: _Handler) -> RequestRecord:
        """Log the request being handled and return its record."""
        host = handler.connection.getsockname()[0]
        with self._lock:
            entry = RequestRecord(
                handler.command, handler.path, dict(handler.headers.items()), host, next(self._counter)
            )
            self._log.append(entry)
        return entry

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request served so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._log)

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        """How many times ``path`` was requested."""
        return sum(1 for r in self.requests if r.path == path)

    def clear_log(self) -> None:
        """Forget the requests recorded so far."""
        with self._lock:
            self._log.clear()

    # -- life cycle --------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def start(self) -> str:
        """Bind (port 0 picks a free port), serve in a daemon thread, return the base URL."""
        self._server = _Server((self.host, self.port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"RouteServer-{self.host}",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving; responses still dripping end at their next pause."""
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> "RouteServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
