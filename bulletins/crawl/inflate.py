"""Content-Encoding decoded while streaming, with the cap on the *decoded* size.

We send ``Accept-Encoding: gzip, deflate``, so a body may arrive compressed. A small
response can inflate a thousandfold (a 1 MB gzip of zeros is 1 GB), so the decoder never
inflates a chunk whole: each call asks zlib for at most the bytes still under the cap,
and a stream that wants more is abandoned. ``deflate`` is zlib-wrapped per the RFC, but
servers also send it raw (no header); the first two bytes tell which.
"""

from __future__ import annotations

import zlib

# Content-Encoding values we decode; anything else is refused (we never asked for it).
IDENTITY = frozenset({"", "identity"})
SUPPORTED = frozenset({"gzip", "x-gzip", "deflate"})


class DecodeError(ValueError):
    """A body whose Content-Encoding is unknown or whose compressed bytes are corrupt."""


class TooLarge(ValueError):
    """The decoded body passed the cap."""


def encodings(header: str | None) -> list[str]:
    """The Content-Encoding codings in the order they were applied ('identity' dropped)."""
    return [c.strip().lower() for c in (header or "").split(",") if c.strip().lower() not in IDENTITY]


def _looks_zlib(head: bytes) -> bool:
    """True when ``head`` starts with a zlib header (CM 8, header checksum a multiple of 31)."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


class _Layer:
    """One coding undone incrementally (gzip members may follow one another)."""

    def __init__(self, coding: str) -> None:
        if coding not in SUPPORTED:
            raise DecodeError(f"Content-Encoding {coding!r} is not one we asked for (gzip, deflate)")
        self.coding = coding
        self._obj: zlib._Decompress | None = None
        self._head = b""
        self.done = False

    def _start(self, data: bytes) -> None:
        """Pick the zlib window format from the first bytes."""
        if self.coding in ("gzip", "x-gzip"):
            wbits = 16 + zlib.MAX_WBITS
        else:
            wbits = zlib.MAX_WBITS if _looks_zlib(data) else -zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``, yielding at most ``room + 1`` bytes (one more than fits means too large)."""
        if self._obj is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._start(data)
        out = b""
        try:
            while data and len(out) <= room:
                piece = self._obj.decompress(data, room + 1 - len(out))
                out += piece
                data = self._obj.unconsumed_tail
                if self._obj.eof:
                    data = self._next_member(self._obj.unused_data + data)
        except zlib.error as exc:
            raise DecodeError(f"corrupt {self.coding} data: {exc}") from exc
        if len(out) > room:  # stopped with input left: the stream inflates past the cap
            raise TooLarge(f"{self.coding} body inflates past the cap")
        return out

    def _next_member(self, rest: bytes) -> bytes:
        """After a complete gzip member, another may follow (RFC 1952); deflate ends here."""
        rest = rest.lstrip(b"\x00") if self.coding != "deflate" else rest
        if rest and self.coding != "deflate":
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return rest
        self.done = True
        return b""

    def finish(self) -> None:
        """Raise when the compressed stream stopped before its end."""
        if self._head or (self._obj is not None and not self._obj.eof and not self.done):
            raise DecodeError(f"{self.coding} data ends before the end of its stream (body cut short?)")


class StreamDecoder:
    """Undoes a Content-Encoding chunk by chunk; ``feed`` raises TooLarge past ``cap`` decoded bytes."""

    def __init__(self, header: str | None, cap: int) -> None:
        # Codings were applied left to right, so they are undone right to left.
        self.layers = [_Layer(c) for c in reversed(encodings(header))]
        self.cap = cap
        self.size = 0

    @property
    def identity(self) -> bool:
        """True when the body is not encoded at all."""
        return not self.layers

    def feed(self, chunk: bytes) -> bytes:
        """The decoded bytes of one wire chunk."""
        data = chunk
        try:
            for layer in self.layers:
                data = layer.feed(data, self.cap - self.size)
        except TooLarge:
            data = b"x" * (self.cap + 1)  # the layer stopped past the cap: report it as the body's
        self.size += len(data)
        if self.size > self.cap:
            codings = ", ".join(layer.coding for layer in self.layers)
            raise TooLarge(f"decoded body ({codings}) passed the cap of {self.cap} bytes")
        return data

    def finish(self) -> None:
        """Check every layer reached the end of its stream."""
        for layer in self.layers:
            layer.finish()
