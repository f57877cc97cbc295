"""Hostile responses for demo.httpd's RouteServer: what a server can do to a crawler on the wire.

Each is a ``Response`` a route answers with. They write to the socket directly where a
well-behaved ``http.server`` would refuse to (headers dripped a byte at a time, an enormous
header, a Content-Length that lies), and stream what must never be held whole (a gzip
that inflates to a gigabyte is compressed while it is sent).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field

from demo.httpd import Response

MB = 1024 * 1024


def compress(body: bytes, coding: str) -> bytes:
    """``body`` under one Content-Encoding: gzip, deflate (zlib-wrapped) or raw-deflate (no header)."""
    if coding == "gzip":
        return gzip.compress(body)
    if coding == "deflate":
        return zlib.compress(body)
    if coding == "raw-deflate":
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return packer.compress(body) + packer.flush()
    raise ValueError(coding)


def _head(handler, status: int, headers: dict[str, str]) -> None:
    """Status line and headers, as given (no Content-Length added)."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()


@dataclass
class Encoded(Response):
    """A page sent compressed: ``wire`` bytes under ``Content-Encoding: coding`` (the header may lie)."""

    wire: bytes
    coding: str
    content_type: str = "text/html; charset=utf-8"
    length: int | None = None  # the Content-Length to claim; None: the true one
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, body: bytes, coding: str, **kwargs) -> "Encoded":
        """``body`` compressed with ``coding`` ('raw-deflate' is sent as 'deflate', as servers do)."""
        header = "deflate" if coding == "raw-deflate" else coding
        return cls(compress(body, coding), header, **kwargs)

    def serve(self, handler, request) -> None:
        """Head with the coding, then the wire bytes."""
        length = len(self.wire) if self.length is None else self.length
        _head(
            handler,
            200,
            {
                "Content-Type": self.content_type,
                "Content-Encoding": self.coding,
                "Content-Length": str(length),
                **self.headers,
            },
        )
        handler.write_body(self.wire)
        if length != len(self.wire):
            handler.close_connection = True


@dataclass
class GzipBomb(Response):
    """A gzip body of ``size`` zero bytes, compressed while it streams (about 1 KB on the wire per MB)."""

    size: int = 1024 * MB
    wire_sent: int = 0  # compressed bytes written so far

    def serve(self, handler, request) -> None:
        """No Content-Length: the body ends when the client hangs up or the stream ends."""
        _head(handler, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros, sent = bytes(MB), 0
        while sent < self.size and not handler.server.stopping.is_set():
            piece = packer.compress(zeros)
            sent += MB
            if piece and not handler.write_body(piece):
                break
            self.wire_sent += len(piece)
        else:
            handler.write_body(packer.flush())
        handler.close_connection = True


@dataclass
class DripHead(Response):
    """A status line and headers sent one byte every ``interval`` seconds, then a page (if ever)."""

    interval: float = 0.5
    body: bytes = b"<html><body><p>late</p></body></html>"

    def serve(self, handler, request) -> None:
        """Drip the head until done, the client hangs up or the server stops."""
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"X-Padding: {'x' * 200}\r\nContent-Length: {len(self.body)}\r\n\r\n"
        ).encode("ascii")
        for i in range(len(head)):
            if handler.server.stopping.wait(self.interval) or not handler.write_body(head[i : i + 1]):
                handler.close_connection = True
                return
            handler.wfile.flush()
        handler.write_body(self.body)
        handler.close_connection = True


@dataclass
class EndlessChunked(Response):
    """``Transfer-Encoding: chunked`` whose chunks keep coming, ``interval`` apart, and never end."""

    interval: float = 0.05

    def serve(self, handler, request) -> None:
        """Chunk after chunk, never the final zero-length chunk."""
        _head(handler, 200, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"})
        piece = b"<p>" + b"y" * 60 + b"</p>"
        while not handler.server.stopping.wait(self.interval):
            if not handler.write_body(b"%x\r\n%s\r\n" % (len(piece), piece)):
                break
        handler.close_connection = True


@dataclass
class RawBytes(Response):
    """Exactly ``data`` on the socket: a response no well-behaved server would send."""

    data: bytes
    keep_alive: bool = False  # leave the connection open, whatever the bytes did to it

    def serve(self, handler, request) -> None:
        """Write the bytes; hang up unless told to keep the connection."""
        handler.write_body(self.data)
        handler.close_connection = not self.keep_alive


def raw_response(
    body: bytes, headers: list[tuple[str, str]], length: int | None = None, keep_alive: bool = False
) -> RawBytes:
    """A 200 with ``headers`` (in order, repeats allowed) and a Content-Length of ``length`` (default: true)."""
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    return RawBytes(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body, keep_alive)


def raw_redirect(location: str, status: int = 302) -> RawBytes:
    """A redirect whose Location goes out as raw UTF-8 bytes, as real servers send non-ASCII URLs."""
    head = f"HTTP/1.1 {status} Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
    return RawBytes(head.encode("utf-8"))
