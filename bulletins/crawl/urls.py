"""URLs parsed once, strictly, into the canonical form that is judged, fetched and keyed.

Two jobs share one parser so that they can never disagree:

* **Safety.** A URL is judged by the host the HTTP client will connect to. Python's
  ``urlsplit``, urllib3 and browsers read odd URLs differently (``http://a:1\\@b/`` is host
  ``b`` to urlsplit, ``a`` to urllib3), so anything read differently by any of them is
  refused outright (userinfo, backslashes, control characters, a scheme without ``//``),
  and the host is normalised by the rules the client applies before connecting: IDNA
  (UTS 46, as requests does: ``１２７。０。０。２`` is ``127.0.0.2``), numeric IPv4 forms as
  ``inet_aton`` reads them (``2130706434``, ``0x7f.0.0.2``, ``0177.0.0.2``, ``127.1``),
  lower case, no trailing dot. The fetcher hands the client the canonical URL it judged.
* **Keys.** ``document_id`` is the sha1 of the URL, so one article spelt four ways would be
  four documents. Canonical: lower-case scheme and host, default port dropped, fragment
  dropped, path escaped as requests sends it, tracking parameters dropped
  (``IGNORED_PARAMS``, overridable per source). A URL already canonical is unchanged, so
  keys of well-spelt URLs stay what they were.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import unquote, urljoin

import idna
from requests.utils import requote_uri

SCHEMES = {"http": 80, "https": 443}  # the only schemes ever fetched, with their default ports

# Query parameters that only say who sent the reader (analytics, share buttons), never which
# page: dropped before a URL becomes a key. A trailing * is a prefix. A source replaces the
# list with ``links.ignore_params`` (e.g. when a site really uses ``from=`` to pick a page).
IGNORED_PARAMS = (
    "utm_*",  # Google Analytics campaign tags: utm_source, utm_medium, utm_campaign ...
    "spm",  # Alibaba/Taobao-style position tracking, common on Chinese portals
    "from",  # WeChat / app share tags: ?from=timeline, ?from=singlemessage
    "isappinstalled",  # WeChat share companion of from=
    "scene",  # WeChat share scene
    "share_token",
    "fbclid",
    "gclid",
    "msclkid",  # ad click ids
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")  # controls, spaces, backslash: read differently by parsers
_HOST = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")
_NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")


class UrlRejected(ValueError):
    """A URL the fetcher will not request: the message says why in plain words."""


@dataclass(frozen=True)
class Target:
    """A URL in canonical form, split the way the client will use it."""

    scheme: str
    host: str  # lower case, IDNA-encoded, IPv4 dotted quad, IPv6 in brackets
    port: int | None  # explicit and not the scheme's default, else None
    path: str  # starts with /, escaped as requests sends it
    query: str  # without the ?, ignored parameters dropped

    @property
    def effective_port(self) -> int:
        """The port the client connects to."""
        return self.port if self.port is not None else SCHEMES[self.scheme]

    @property
    def netloc(self) -> str:
        """host[:port], the port only when not the default."""
        return self.host if self.port is None else f"{self.host}:{self.port}"

    @property
    def origin(self) -> str:
        """scheme://host[:port], the unit robots.txt applies to."""
        return f"{self.scheme}://{self.netloc}"

    @property
    def url(self) -> str:
        """The canonical URL string."""
        return f"{self.origin}{self.path}" + (f"?{self.query}" if self.query else "")


def parse(url: str, ignored: Iterable[str] | None = IGNORED_PARAMS) -> Target:
    """The canonical Target of an absolute http(s) URL; UrlRejected when it is not one."""
    if not isinstance(url, str):
        raise UrlRejected(f"not a URL: {url!r}")
    url = url.strip()
    bad = _FORBIDDEN.search(url)
    if bad:
        what = "a backslash" if bad.group() == "\\" else f"the control or space character {bad.group()!r}"
        raise UrlRejected(f"{url[:200]!r} contains {what}: parsers disagree on such URLs")
    scheme_match = _SCHEME.match(url)
    if url.startswith("//"):
        raise UrlRejected(f"{url[:200]!r} is scheme-relative: resolve it against its page first")
    if not scheme_match or scheme_match.group(1).lower() not in SCHEMES:
        scheme = scheme_match.group(1).lower() if scheme_match else "no scheme"
        raise UrlRejected(f"{url[:200]!r}: scheme {scheme!r} is not http or https")
    scheme, rest = scheme_match.group(1).lower(), url[scheme_match.end() :]
    if not rest.startswith("//"):
        raise UrlRejected(f"{url[:200]!r}: expected // after {scheme}:")
    authority, tail = _split_authority(rest[2:])
    host, port = _host_port(authority, scheme, url)
    path, query = _path_query(tail)
    return Target(scheme, host, port, path, drop_params(query, ignored))


# A URL already in canonical form but for its query: lower-case http(s), a lower-case host
# name (not numeric: those go through the IPv4 reading), a port, a path of characters
# requests sends as they are (no % escapes: requote_uri may rewrite those). Most links
# are spelt so; they skip the full parse (canonical() runs on every link a list page
# offers and on every known link at the start of discovery).
_PLAIN = re.compile(
    r"^(https?)://([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.[a-z_-][a-z0-9_-]*)(?::([1-9][0-9]{0,4}))?"
    r"(/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)(?:\?([A-Za-z0-9\-._~!$&'()*+,;=:@/?]*))?$"
)


def canonical(url: str, ignored: Iterable[str] | None = IGNORED_PARAMS) -> str:
    """The canonical spelling of ``url`` (raises UrlRejected like ``parse``)."""
    plain = _PLAIN.match(url) if isinstance(url, str) else None
    if plain and _HOST.match(plain.group(2)) and (plain.group(3) is None or _plain_port(plain)):
        query = drop_params(plain.group(5) or "", ignored)
        return url[: plain.start(5) - 1] + (f"?{query}" if query else "") if plain.group(5) is not None else url
    return parse(url, ignored).url


def _plain_port(plain: re.Match) -> bool:
    """Whether the fast path's explicit port is kept as written (valid, not the default)."""
    port = int(plain.group(3))
    return port < 65536 and port != SCHEMES[plain.group(1)]


def resolve(base: str, ref: str, ignored: Iterable[str] | None = IGNORED_PARAMS) -> Target:
    """``ref`` (a link or a Location header) resolved against ``base`` and parsed strictly.

    Backslashes and controls are refused in ``ref`` itself, before joining: urljoin would
    keep them in a path where another parser reads an authority.
    """
    ref = (ref or "").strip()
    bad = _FORBIDDEN.search(ref)
    if bad:
        return parse(ref, ignored)  # raises with the reason
    return parse(urljoin(base, ref), ignored)


def try_canonical(url: str, ignored: Iterable[str] | None = IGNORED_PARAMS) -> str | None:
    """The canonical spelling, or None for a URL that would be refused."""
    try:
        return canonical(url, ignored)
    except UrlRejected:
        return None


# -- parts ---------------------------------------------------------------------------------


def _split_authority(rest: str) -> tuple[str, str]:
    """(authority, the path/query/fragment after it)."""
    end = len(rest)
    for stop in "/?#":
        at = rest.find(stop)
        if at != -1:
            end = min(end, at)
    return rest[:end], rest[end:]


def _host_port(authority: str, scheme: str, url: str) -> tuple[str, int | None]:
    """The normalised host and the explicit non-default port of an authority."""
    if "@" in authority:
        raise UrlRejected(
            f"{url[:200]!r} carries userinfo (user@host): never followed, parsers disagree on which host it names"
        )
    if authority.startswith("["):
        close = authority.find("]")
        if close == -1:
            raise UrlRejected(f"{url[:200]!r}: unclosed [ in the host")
        host, port_text = _ipv6(authority[1:close], url), authority[close + 1 :]
        if port_text and not port_text.startswith(":"):
            raise UrlRejected(f"{url[:200]!r}: junk after the IPv6 address")
        port_text = port_text[1:]
    else:
        host, _, port_text = authority.partition(":")
        host = normalise_host(host, url)
    port = _port(port_text, url)
    return host, None if port in (None, SCHEMES[scheme]) else port


def _port(text: str, url: str) -> int | None:
    """An explicit port number, None when absent."""
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 65536:
        raise UrlRejected(f"{url[:200]!r}: {text!r} is not a port number")
    return int(text)


def _ipv6(text: str, url: str) -> str:
    """A bracketed IPv6 literal in compressed form (zone ids refused)."""
    if "%" in text:
        raise UrlRejected(f"{url[:200]!r}: {text!r} is not an IPv6 address we follow (zone id)")
    try:
        return f"[{ipaddress.IPv6Address(text).compressed}]"
    except ValueError as exc:
        raise UrlRejected(f"{url[:200]!r}: {text!r} is not an IPv6 address") from exc


def normalise_host(host: str, url: str = "") -> str:
    """A host as the client connects to it: IDNA, lower case, no trailing dot, IPv4 dotted."""
    where = url[:200] or host
    if not host:
        raise UrlRejected(f"{where!r} has no host")
    if "%" in host:
        raise UrlRejected(f"{where!r}: percent-escapes in a host are never followed")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise UrlRejected(f"{where!r}: {host!r} is not a valid international domain name ({exc})") from exc
    host = host.lower()
    if host.endswith("."):
        host = host[:-1]
    labels = host.split(".")
    if labels and _NUMERIC_LABEL.match(labels[-1]):
        return _ipv4(labels, where)
    if not _HOST.match(host):
        raise UrlRejected(f"{where!r}: {host!r} is not a host name")
    return host


def _ipv4(labels: list[str], where: str) -> str:
    """Dotted-quad of an IPv4 host in any form inet_aton accepts (decimal, 0x hex, 0 octal, short)."""
    try:
        numbers = [_ipv4_number(label) for label in labels]
    except ValueError:
        raise UrlRejected(f"{where!r}: {'.'.join(labels)!r} is neither an IPv4 address nor a host name") from None
    if not 1 <= len(numbers) <= 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise UrlRejected(f"{where!r}: {'.'.join(labels)!r} is not a valid IPv4 address")
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n << (8 * (3 - i))
    return str(ipaddress.IPv4Address(value))


def _ipv4_number(label: str) -> int:
    """One part of a numeric IPv4 host: 0x1f hex, 017 octal, 17 decimal."""
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    return int(label, 10)


def _path_query(tail: str) -> tuple[str, str]:
    """(path, query) of what follows the authority, fragment dropped, escaped as requests sends it."""
    tail = tail.split("#", 1)[0]
    path, _, query = tail.partition("?")
    path = requote_uri(path or "/")
    return path if path.startswith("/") else "/" + path, requote_uri(query) if query else ""


def drop_params(query: str, ignored: Iterable[str] | None) -> str:
    """``query`` without the parameters named (or prefixed, ``utm_*``) in ``ignored``; order kept."""
    if not query or not ignored:
        return query
    names = [p.lower() for p in ignored]
    kept = [pair for pair in query.split("&") if pair and not _ignored(pair, names)]
    return "&".join(kept)


def _ignored(pair: str, names: list[str]) -> bool:
    """Whether one name=value pair's name is in the ignored list."""
    name = unquote(pair.split("=", 1)[0]).lower()
    return any(name.startswith(n[:-1]) if n.endswith("*") else name == n for n in names)


# -- allowed hosts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HostRule:
    """One allowed_hosts entry: ``host``, ``host:port`` or ``*.host`` (the host and its subdomains)."""

    host: str
    port: int | None = None  # None: the scheme's default port only
    subdomains: bool = False

    def admits(self, target: Target) -> bool:
        """Whether ``target`` is on this rule's host and port."""
        if self.subdomains:
            on_host = target.host == self.host or target.host.endswith("." + self.host)
        else:
            on_host = target.host == self.host
        wanted = self.port if self.port is not None else SCHEMES[target.scheme]
        return on_host and target.effective_port == wanted


def host_rule(entry: str) -> HostRule:
    """An allowed_hosts entry parsed (raises UrlRejected with the reason when it is not one)."""
    if not isinstance(entry, str) or not entry.strip():
        raise UrlRejected(f"{entry!r} is not a host name")
    text = entry.strip()
    subdomains = text.startswith("*.")
    if subdomains:
        text = text[2:]
    if any(c in text for c in "/@?#\\") or text.count(":") > 1 and not text.startswith("["):
        raise UrlRejected(f"{entry!r} is not host or host:port (no scheme, path or user)")
    target = parse(f"http://{text}/")
    explicit = target.port if target.port is not None else (80 if re.search(r":0*80$", text) else None)
    return HostRule(target.host, explicit, subdomains)


def host_rules(entries: Iterable[str]) -> tuple[HostRule, ...]:
    """Every allowed_hosts entry parsed."""
    return tuple(host_rule(e) for e in entries)


def admitted(target: Target, rules: Iterable[HostRule]) -> bool:
    """Whether any rule admits ``target``."""
    return any(rule.admits(target) for rule in rules)
