"""Which charset a page's bytes are in, and whether they are text at all.

Chinese government sites serve UTF-8, GBK/GB2312 and occasionally Big5, and their headers
lie: ``charset=utf-8`` over GBK bytes, or Apache's default ISO-8859-1 over anything. So
every claim is checked by a strict decode, in the order of ``decode_html``'s docstring.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import charset_normalizer

# Labels decoded with a wider codec: pages labelled gb2312 routinely contain GBK-only
# characters (e.g. 镕, 堃), and GB18030 is a strict superset of both; Big5 pages use the
# Microsoft extensions of cp950.
CODEC_FOR_LABEL = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "x-big5": "cp950",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}

# Labels servers send when nobody configured a charset (Apache's AddDefaultCharset
# ISO-8859-1, IIS's windows-1252): they decode any bytes without error, so they are only
# believed after meta, hint and detection have had their say.
WEAK_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"})

# When detection cannot tell codecs apart (a short GBK title is also valid Big5, EUC-KR
# and EUC-JP: "岳阳" scores the same in all four), the source's hint decides, then this
# order: the sites we crawl are mainland first, Hong Kong/Taiwan second.
TIE_PREFERENCE = ("gb18030", "utf-8", "cp950", "big5hkscs")

# Byte-order marks, tried before anything else: a BOM is never wrong.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
META_SCAN_BYTES = 4096

# Signatures of binary formats that get served as text/html by misconfigured sites:
# the e-paper's PDF edition, page images, zipped attachments.
BINARY_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "OLE (old .doc/.xls)"),
    (b"Rar!", "RAR"),
)


# A page whose decoding needed more replacement characters (U+FFFD) than this is garbage
# somewhere (GBK paragraphs pasted into a UTF-8 page, a cut multi-byte run): it fails
# (outcome mojibake) rather than load figures read from garbled text. A stray bad byte or
# two (a CMS cutting a character at a boundary) is tolerated: both bounds must hold.
MAX_REPLACEMENTS = 8
MAX_REPLACEMENT_SHARE = 0.005

# A strict decode can succeed and still be garbage: Big5 bytes are nearly all valid GBK
# (蘇 in Big5 reads as 躂 plus kana in GBK). Text in the wrong two-byte codec draws its
# characters evenly from the codec's table, while real Chinese text stays, 99% and more, in
# the frequent hanzi (GB2312 levels 1-2, Big5 levels 1-2). A decode whose letters are
# more than this share outside them, with at least RARE_MIN of them, is not believed.
RARE_SHARE = 0.10
RARE_MIN = 8
RARE_SAMPLE = 20_000  # letters examined: a page's head is enough to tell
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Decoded:
    """A page's text and how its charset was decided."""

    text: str
    encoding: str  # the codec name the bytes were decoded with
    source: str  # bom | utf8-valid | header | meta | hint | detected | ascii | lossy
    lossy: bool = False  # True when undecodable bytes were replaced (U+FFFD)
    replacements: int = 0  # U+FFFD characters the decoding introduced
    rejected: tuple[str, ...] = ()  # strict decodes refused as implausible, and why

    @property
    def garbled(self) -> str | None:
        """Why this text must not be loaded (too many replacements), or None when it is fine."""
        if not self.lossy:
            return None
        share = self.replacements / max(len(self.text), 1)
        if self.replacements <= MAX_REPLACEMENTS and share <= MAX_REPLACEMENT_SHARE:
            return None
        why = "; ".join(self.rejected)
        return (
            f"no charset decodes these bytes cleanly: decoding as {self.encoding} needed "
            f"{self.replacements} replacement characters ({share:.2%} of {len(self.text)})"
            + (f"; {why}" if why else "")
        )


@cache
def _frequent_hanzi() -> frozenset[str]:
    """The hanzi of GB2312 levels 1-2 and Big5 levels 1-2: the characters real pages are made of."""
    chars: set[str] = set()
    tables = (
        ("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xFA), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    )
    for codec, leads, trails in tables:
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes((lead, trail)).decode(codec))
                except UnicodeDecodeError:
                    pass
    return frozenset(chars)


def implausible(text: str, codec: str) -> str | None:
    """Why ``text`` looks like bytes read in the wrong codec (rare letters), or None."""
    frequent = _frequent_hanzi()
    letters = rare = 0
    for ch in _NON_ASCII.findall(text, 0, RARE_SAMPLE * 4)[:RARE_SAMPLE]:
        if ch in frequent:
            letters += 1
        elif unicodedata.category(ch)[0] == "L" and not 0xFF00 <= ord(ch) <= 0xFFEF and ord(ch) > 0x2FF:
            letters += 1  # kana, hangul, Greek, Cyrillic, rare hanzi: what misread bytes turn into
            rare += 1
    if rare >= RARE_MIN and rare > RARE_SHARE * letters:
        return f"{codec} gives {rare} of {letters} letters outside the common hanzi (misread bytes)"
    return None


def codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = CODEC_FOR_LABEL.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first few KB."""
    match = META_CHARSET.search(body[:META_SCAN_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else None


def _strict(body: bytes, label: str | None) -> tuple[str, str] | None:
    """(text, codec) when ``body`` decodes under ``label`` without a single error."""
    codec = codec_name(label)
    if codec is None:
        return None
    try:
        return body.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(body: bytes, hint: str | None = None) -> str | None:
    """charset-normalizer's best guess; among equally good guesses the hint, then TIE_PREFERENCE."""
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        return None
    score = lambda m: (round(m.chaos, 3), -round(m.coherence, 3))  # noqa: E731 - sort key
    tied = [m for m in matches if score(m) == score(matches[0])]
    preference = [codec_name(hint)] + [codec_name(label) for label in TIE_PREFERENCE]
    ranked = sorted(tied, key=lambda m: _rank(codec_name(m.encoding), preference))
    return ranked[0].encoding


def _rank(codec: str | None, preference: list[str | None]) -> int:
    """Position of ``codec`` in the preference list (unlisted codecs last)."""
    return preference.index(codec) if codec in preference else len(preference)


def decode_html(body: bytes, content_type: str | None = None, hint: str | None = None) -> Decoded:
    """Decode a page, trusting each claim only if the bytes decode under it without error.

    Order: a BOM; bytes that are valid UTF-8 with non-ASCII (GBK text practically never
    is); the header charset unless it is a weak default label; the <meta> charset;
    charset-normalizer's detection, the source's encoding hint breaking ties; the hint
    alone; the weak header label; finally UTF-8 with replacements, flagged lossy. A strict
    decode other than UTF-8 is believed only when its text is plausible (``implausible``):
    Big5 bytes under a gb2312 label decode as GBK without error, and read as garbage.
    """
    for bom, codec in BOMS:
        if body.startswith(bom):
            decoded = _strict(body, codec)
            if decoded is not None:
                return Decoded(decoded[0], codec, "bom")
            return _replaced(body, codec, "bom")
    if body.isascii():
        label = codec_name(header_charset(content_type)) or "utf-8"
        return Decoded(body.decode("ascii"), "utf-8" if label in ("ascii",) else label, "ascii")
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        return Decoded(utf8[0], "utf-8", "utf8-valid")
    claimed = header_charset(content_type)
    weak = codec_name(claimed) in {codec_name(label) for label in WEAK_LABELS}
    candidates = [] if weak else [(claimed, "header")]
    candidates += [(meta_charset(body), "meta"), (_detected(body, hint), "detected"), (hint, "hint")]
    candidates += [(claimed, "header")] if weak else []
    rejected: list[str] = []
    for label, source in candidates:
        decoded = _strict(body, label)
        if decoded is None:
            continue
        doubt = implausible(*decoded)
        if doubt is None:
            return Decoded(decoded[0], decoded[1], source, rejected=tuple(rejected))
        note = f"{source} {doubt}"
        if note not in rejected:
            rejected.append(note)
    return _replaced(body, "utf-8", "lossy", tuple(rejected))


def _replaced(body: bytes, codec: str, source: str, rejected: tuple[str, ...] = ()) -> Decoded:
    """The last resort: decode with U+FFFD for what does not decode, counting the replacements."""
    text = body.decode(codec, "replace")
    # U+FFFD already present in valid UTF-8 input is the page's own, not a replacement.
    own = body.count("\ufffd".encode("utf-8")) if codec.startswith("utf-8") else 0
    added = text.count("\ufffd") - own
    return Decoded(text, codec, source, lossy=True, replacements=max(added, 0), rejected=rejected)


def binary_kind(body: bytes) -> str | None:
    """The binary format ``body`` starts with (PDF, PNG ...), or 'binary' if it has NUL bytes."""
    head = body[:1024]
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"\x00" in head and not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary"
    return None
