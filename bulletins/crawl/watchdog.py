"""One deadline per HTTP request, covering connect, headers and body: a watchdog shuts the socket.

requests' timeouts are per socket read: a server that drips its status line or headers
one byte every few seconds never trips a 30 s read timeout and holds the request as long
as it likes. So each request runs under a ``Watch``: a timer that, when the deadline
passes, shuts down the request's socket. The blocked read then returns at once, the
client raises, and the fetcher (which sees ``watch.fired``) records a timeout.

The socket is found by a connection class that reports it to the current watch (a
context variable: requests runs the request in the calling thread) when it connects and
before it reads a response, so a reused keep-alive connection is covered too.
"""

from __future__ import annotations

import socket
import threading
from contextvars import ContextVar
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CURRENT: ContextVar["Watch | None"] = ContextVar("bulletins_fetch_watch", default=None)


class Watch:
    """Shuts the socket of the request running inside it once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._token: Any = None

    def attach(self, sock: socket.socket | None) -> None:
        """The socket the request is using now (shut at once if the deadline already passed)."""
        with self._lock:
            self._sock = sock
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        """The deadline: cut the connection."""
        with self._lock:
            self.fired = True
            _shut(self._sock)

    def __enter__(self) -> "Watch":
        self._token = _CURRENT.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _CURRENT.reset(self._token)


def _shut(sock: socket.socket | None) -> None:
    """Shut a socket down both ways; a blocked recv returns. Never close: the fd stays the client's."""
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or never connected


class _Reporting:
    """Mixin for urllib3 connections: tell the current watch which socket is in use."""

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _report(self)

    def getresponse(self):
        _report(self)
        return super().getresponse()  # type: ignore[misc]


def _report(conn: Any) -> None:
    """Attach the connection's socket to the running watch, if any."""
    watch = _CURRENT.get()
    if watch is not None:
        watch.attach(getattr(conn, "sock", None))


class WatchedHTTPConnection(_Reporting, HTTPConnection):
    """An HTTP connection the request's watch can cut."""


class WatchedHTTPSConnection(_Reporting, HTTPSConnection):
    """An HTTPS connection the request's watch can cut."""


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """requests' adapter with connections a ``Watch`` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
