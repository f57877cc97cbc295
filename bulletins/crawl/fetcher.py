"""The polite fetcher: one HTTP GET done carefully, with every request logged.

Careful means: every URL (the first and each redirect hop) parsed strictly into the
canonical form that is judged and then requested (``bulletins.crawl.urls``: the host
judged is the host connected to), only allowed hosts, hops capped, robots.txt obeyed
(fetched once per canonical host per run), requests paced per host, conditional GETs, a
streamed size cap on the decoded body (gzip/deflate undone while streaming), one deadline
per request over connect + headers + body (``watchdog``), retries with backoff on 429 /
5xx / dropped connections only, and a charset decided from header, <meta>, hint and
detection, garbled text refused.

The body goes into the archive before anything parses it: the *decoded* body when the
server compressed it (Content-Encoding undone, nothing else), because the archive is
content-addressed by what the page is, reprocessing reads it without knowing about
transfer codings, and the manifest then keeps no Content-Encoding. Each HTTP request made
(robots.txt, redirect hops, retried attempts) becomes one ``FetchLogEntry`` passed to
``log``; decisions that prevent a request (robots, foreign host) are logged too.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Protocol

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from bulletins.crawl import urls
from bulletins.crawl.archive import ManifestEntry, RawArchive, kept_headers, now_iso
from bulletins.crawl.encoding import binary_kind, decode_html
from bulletins.crawl.inflate import DecodeError, StreamDecoder, TooLarge
from bulletins.crawl.politeness import DEFAULT, Politeness
from bulletins.crawl.ratelimit import HostLimiter
from bulletins.crawl.robots import RobotsCache, RobotsPolicy
from bulletins.crawl.watchdog import Watch, WatchedAdapter

# What became of a request; the fetch_log.outcome vocabulary.
OUTCOMES = {
    "fetched": "2xx with an HTML body, archived and decoded",
    "not_modified": "304 to a conditional GET: the archived copy is current",
    "empty": "2xx with no body at all",
    "not_html": "a non-HTML content type, or binary bytes (PDF, image ...) whatever the header says",
    "too_large": "the body (decoded, when compressed) passed the size cap and was abandoned",
    "timeout": "no byte within the read timeout, or the request (connect + headers + body) outlasted the deadline",
    "undecodable": "a Content-Encoding we did not ask for, or compressed bytes that are corrupt or cut short",
    "mojibake": "no charset decodes the page without too many replacement characters: not loaded, retried next run",
    "http_error": "a 4xx, or a 429/5xx still failing after the retries",
    "error": "connection refused, reset or cut short, still failing after the retries",
    "robots_disallowed": "robots.txt forbids the URL: no request made",
    "host_not_allowed": (
        "the URL (or a redirect) leads off the source's allowed hosts, or is refused "
        "outright (not http(s), userinfo, backslash, bad host): no request made"
    ),
    "redirect_loop": "redirects went round in a circle or past the hop cap",
    "redirected": "one redirect hop (logged, then followed)",
    "retrying": "an attempt that failed and is retried after a wait",
}

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = ("text/html", "application/xhtml+xml")
READ_CHUNK = 64 * 1024


def _retryable_status(status: int) -> bool:
    """429 and every 5xx are worth another try; other 4xx never are."""
    return status == 429 or 500 <= status <= 599


class SourceLike(Protocol):
    """The fields of a source config the fetcher reads (bulletins.crawl.sources.SourceConfig)."""

    name: str
    base_url: str
    allowed_hosts: Any  # iterable of host names; '*.example.gov.cn' admits subdomains


@dataclass(frozen=True)
class FetchLogEntry:
    """One row of ``fetch_log`` (the run stamps run_id and seq)."""

    source: str
    url: str
    kind: str  # robots | list | article
    requested_at: datetime  # naive UTC, as the warehouse stores times
    http_status: int | None
    outcome: str
    attempts: int = 1
    bytes: int | None = None
    elapsed_ms: float | None = None
    content_hash: str | None = None
    error: str | None = None


@dataclass
class FetchResult:
    """What a fetch produced; ``body``/``text`` are set only when the outcome is fetched."""

    url: str
    final_url: str
    http_status: int | None
    outcome: str
    kind: str = "article"
    body: bytes | None = None
    text: str | None = None
    encoding: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    attempts: int = 0
    elapsed_ms: float = 0.0
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the page was fetched and decoded."""
        return self.outcome == "fetched"


@dataclass
class _Exchange:
    """One HTTP request/response as seen on the wire."""

    url: str
    requested_at: datetime
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    outcome: str | None = None  # set when the exchange itself decided (too_large, timeout, error)
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    bytes_read: int = 0
    elapsed_ms: float = 0.0


def _utcnow() -> datetime:
    """Now as a naive UTC datetime."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def host_allowed(url: str, allowed: Any) -> bool:
    """Whether ``url`` parses strictly and is on an allowed host ('h', 'h:port' or '*.h' entries)."""
    try:
        return urls.admitted(urls.parse(url), _rules(allowed))
    except urls.UrlRejected:
        return False


def _rules(allowed: Any) -> tuple[urls.HostRule, ...]:
    """Host rules from rules or from allowed_hosts strings (bad entries admit nothing)."""
    rules = []
    for entry in allowed:
        if isinstance(entry, urls.HostRule):
            rules.append(entry)
            continue
        try:
            rules.append(urls.host_rule(entry))
        except urls.UrlRejected:
            continue
    return tuple(rules)


def _allowed_hosts(config: Any) -> tuple[urls.HostRule, ...]:
    """The config's allowed hosts, or the host[:port] of its base_url when it lists none."""
    listed = [h for h in (getattr(config, "allowed_hosts", None) or []) if isinstance(h, str) and h.strip()]
    base = getattr(config, "base_url", None)
    if not listed and base:
        listed = [urls.parse(base).netloc]
    return _rules(listed)


def _ignored_params(config: Any) -> tuple[str, ...]:
    """The query parameters the source drops from URLs (``links.ignore_params``), else the default list."""
    links = getattr(config, "links", None)
    own = getattr(links, "ignore_params", None)
    return tuple(own) if own is not None else urls.IGNORED_PARAMS


def _describe(exc: BaseException) -> str:
    """A short, plain description of a requests/urllib3 failure."""
    text = str(exc)
    for marker, words in _ERROR_WORDS:
        if marker in text:
            return f"{words} ({type(exc).__name__})"
    return f"{type(exc).__name__}: {text[:200]}"


# Substrings of requests' error messages, and the plain words we record for them.
_ERROR_WORDS = (
    ("Connection reset by peer", "connection reset by the server"),
    ("RemoteDisconnected", "server closed the connection without answering"),
    ("Connection refused", "connection refused"),
    ("IncompleteRead", "body cut short: fewer bytes than Content-Length"),
    ("Name or service not known", "host name does not resolve"),
    ("timed out", "timed out"),
)


class PoliteFetcher:
    """Fetches pages of one source politely; one instance per source per run (thread-safe)."""

    def __init__(
        self,
        config: Any,
        archive: RawArchive | None,
        log: Callable[[FetchLogEntry], None] | None = None,
        politeness: Politeness | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.archive = archive
        self.log = log
        self.manners = (politeness or DEFAULT).for_source(config)
        self.source = getattr(config, "name", "") or ""
        self.encoding_hint = getattr(config, "encoding", None) or getattr(config, "encoding_hint", None)
        self.allowed = _allowed_hosts(config)
        self.ignored = _ignored_params(config)
        self._sleep = sleep
        self.limiter = HostLimiter(self.manners.min_interval, self.manners.concurrency_per_host, sleep=sleep)
        self.robots = RobotsCache(self._load_robots)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.requests_made = 0

    # -- public -------------------------------------------------------------------
    def fetch(
        self, url: str, kind: str = "article", etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch ``url`` (kind 'list' or 'article'), conditionally when validators are given."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, kind, headers, check_robots=self.manners.obey_robots)

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def __enter__(self) -> "PoliteFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the fetch: refusals, redirects, conclusion -----------------------------------
    def _fetch(self, url: str, kind: str, headers: dict[str, str], check_robots: bool) -> FetchResult:
        """Follow redirects hop by hop (each parsed strictly and checked), then conclude on the final response."""
        started, attempts = time.monotonic(), 0
        try:
            current = urls.canonical(url, self.ignored)
        except urls.UrlRejected as exc:
            return self._refuse(url, url, kind, ("host_not_allowed", f"URL refused: {exc}"), attempts, started)
        hops = [current]
        while True:
            refusal = self._refusal(current, check_robots)
            if refusal is not None:
                return self._refuse(url, current, kind, refusal, attempts, started)
            exchange, tries = self._with_retries(current, kind, headers)
            attempts += tries
            location = _header_text(exchange.headers.get("location"))
            if exchange.status not in REDIRECT_STATUSES or not location:
                return self._conclude(url, kind, exchange, attempts, tries, started)
            try:
                target = urls.resolve(current, location, self.ignored).url
            except urls.UrlRejected as exc:
                self._log_exchange(exchange, kind, "redirected", tries, error=f"-> {location[:300]!r}")
                return self._refuse(
                    url, location[:300], kind, ("host_not_allowed", f"redirect refused: {exc}"), attempts, started
                )
            if target in hops or len(hops) > self.manners.max_redirects:
                exchange.outcome = "redirect_loop"
                exchange.error = (
                    f"redirects loop or exceed {self.manners.max_redirects} hops: {' -> '.join(hops + [target])}"
                )
                return self._conclude(url, kind, exchange, attempts, tries, started)
            self._log_exchange(exchange, kind, "redirected", tries, error=f"-> {target}")
            hops.append(target)
            current = target

    def _refusal(self, url: str, check_robots: bool) -> tuple[str, str] | None:
        """(outcome, reason) when canonical ``url`` must not be requested, else None."""
        target = urls.parse(url, self.ignored)
        if not urls.admitted(target, self.allowed):
            hosts = sorted(r.host + (f":{r.port}" if r.port else "") for r in self.allowed)
            return "host_not_allowed", f"{target.netloc} is not among the allowed hosts {hosts}"
        if check_robots:
            policy = self.robots.policy(url)
            if not policy.allowed(url, self.manners.user_agent):
                return "robots_disallowed", policy.reason or "robots.txt disallows this path for our user agent"
        return None

    def _refuse(
        self, url: str, current: str, kind: str, refusal: tuple[str, str], attempts: int, started: float
    ) -> FetchResult:
        """The result and log entry of a request not made."""
        outcome, reason = refusal
        self._emit(FetchLogEntry(self.source, current, kind, _utcnow(), None, outcome, attempts or 1, error=reason))
        return FetchResult(
            url, current, None, outcome, kind, attempts=attempts, elapsed_ms=_ms_since(started), error=reason
        )

    def _conclude(self, url: str, kind: str, ex: _Exchange, attempts: int, tries: int, started: float) -> FetchResult:
        """Turn the final exchange into an outcome: archive, check type, decode, record."""
        result = FetchResult(
            url,
            ex.url,
            ex.status,
            ex.outcome or "",
            kind,
            attempts=attempts,
            error=ex.error,
            headers=ex.headers,
            content_type=ex.headers.get("content-type"),
            etag=ex.headers.get("etag"),
            last_modified=ex.headers.get("last-modified"),
        )
        if not result.outcome:
            self._judge(result, ex, kind)
        result.elapsed_ms = _ms_since(started)
        self._log_exchange(ex, kind, result.outcome, tries, error=result.error, content_hash=result.content_hash)
        return result

    def _judge(self, result: FetchResult, ex: _Exchange, kind: str) -> None:
        """Decide the outcome of a complete response (status and body in hand)."""
        status = ex.status or 0
        if status == 304:
            result.outcome = "not_modified"
        elif not 200 <= status < 300:
            result.outcome = "http_error"
            result.error = result.error or f"HTTP {status}"
        elif not ex.body:
            result.outcome, result.error = "empty", f"HTTP {status} with an empty body"
        elif kind == "robots":
            result.outcome, result.body = "fetched", ex.body
        else:
            self._accept_body(result, ex.body, kind)

    def _accept_body(self, result: FetchResult, body: bytes, kind: str) -> None:
        """Archive the bytes first, then check they are HTML and decode them; garbled text fails."""
        result.content_hash = self.archive.put(body) if self.archive is not None else None
        problem = self._not_html(result.content_type, body)
        if problem:
            result.outcome, result.error = "not_html", problem
            return
        decoded = decode_html(body, result.content_type, self.encoding_hint)
        if decoded.garbled:
            # Archived (nothing lost), but not handed on: figures read from garbage are worse than none.
            result.outcome, result.error = "mojibake", decoded.garbled
            return
        result.outcome, result.body, result.text, result.encoding = "fetched", body, decoded.text, decoded.encoding
        if decoded.lossy:
            result.error = f"decoded as {decoded.encoding} with {decoded.replacements} replacement characters"
        self._record_manifest(result, kind)

    @staticmethod
    def _not_html(content_type: str | None, body: bytes) -> str | None:
        """Why a body is not an HTML page, or None when it is one."""
        mime = (content_type or "").split(";", 1)[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            return f"content type {mime} is not HTML"
        kind = binary_kind(body)
        if kind:
            return f"served as {mime or 'no content type'} but the bytes are {kind}"
        return None

    def _record_manifest(self, result: FetchResult, kind: str) -> None:
        """Append the fetch to the archive's manifest."""
        if self.archive is None or result.content_hash is None:
            return
        self.archive.record(
            ManifestEntry(
                url=result.url,
                source=self.source,
                content_hash=result.content_hash,
                fetched_at=now_iso(),
                http_status=result.http_status or 0,
                headers=kept_headers(result.headers),
                encoding=result.encoding,
                kind=kind,
                final_url=result.final_url if result.final_url != result.url else None,
            )
        )

    # -- retries -----------------------------------------------------------------
    def _with_retries(self, url: str, kind: str, headers: dict[str, str]) -> tuple[_Exchange, int]:
        """One exchange, repeated with backoff while it fails in a retryable way."""
        attempt = 1
        while True:
            exchange = self._exchange(url, headers)
            if not exchange.retryable or attempt > self.manners.max_retries:
                return exchange, attempt
            wait = self.backoff(attempt, exchange.retry_after)
            self._log_exchange(exchange, kind, "retrying", attempt, error=f"{exchange.error}; retrying in {wait:.2f}s")
            self._sleep(wait)
            attempt += 1

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before retry number ``attempt``: doubling backoff, or Retry-After if longer, capped."""
        wait = min(self.manners.backoff_base * 2 ** (attempt - 1), self.manners.backoff_max)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.manners.retry_after_max))
        return wait

    # -- one HTTP exchange ------------------------------------------------------------
    def _session(self) -> requests.Session:
        """This thread's session (requests.Session is not documented thread-safe)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Never proxy settings, .netrc credentials or CA overrides from the environment:
            # the host judged must be the host connected to, and nothing is sent to it unasked.
            session.trust_env = False
            adapter = WatchedAdapter(max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update(
                {
                    "User-Agent": self.manners.user_agent,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                    "Accept-Language": "zh-CN,zh;q=0.9",
                    "Accept-Encoding": "gzip, deflate",
                }
            )
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _exchange(self, url: str, headers: dict[str, str]) -> _Exchange:
        """One GET under the host's rate limit; never raises for network trouble."""
        with self.limiter.slot(urls.parse(url).netloc):
            exchange = _Exchange(url, _utcnow())
            started = time.monotonic()
            with self._lock:
                self.requests_made += 1
            self._send(exchange, headers, started)
            exchange.elapsed_ms = _ms_since(started)
        return exchange

    def _send(self, ex: _Exchange, headers: dict[str, str], started: float) -> None:
        """Send the request and read the response into ``ex``, all under one deadline."""
        with Watch(self.manners.deadline) as watch:
            self._send_watched(ex, headers, started)
        # A cut socket reads as an error, or as the end of a body without Content-Length:
        # either way what was read is incomplete. Only an answer without a body (3xx, 4xx,
        # 5xx) that came before the cut stands.
        if watch.fired and (ex.outcome is not None or ex.body is not None or ex.status is None):
            ex.outcome, ex.retryable = "timeout", False
            ex.error = (
                f"no complete response within the {self.manners.deadline}s deadline "
                f"(connect + headers + body; {ex.bytes_read} body bytes read)"
            )
            ex.body = None

    def _send_watched(self, ex: _Exchange, headers: dict[str, str], started: float) -> None:
        """The request itself (a watch may cut its socket at any moment)."""
        timeout = (self.manners.connect_timeout, self.manners.read_timeout)
        try:
            response = self._session().get(ex.url, headers=headers, stream=True, timeout=timeout, allow_redirects=False)
        except requests.ConnectTimeout as exc:
            ex.outcome, ex.error, ex.retryable = "error", _describe(exc), True
            return
        except requests.Timeout as exc:
            ex.outcome, ex.error = "timeout", f"no response within {self.manners.read_timeout}s ({type(exc).__name__})"
            return
        except requests.ConnectionError as exc:
            ex.outcome, ex.error, ex.retryable = "error", _describe(exc), True
            return
        except requests.RequestException as exc:
            ex.outcome, ex.error = "error", _describe(exc)
            return
        with response:
            ex.status = response.status_code
            ex.headers = {k.lower(): v for k, v in response.headers.items()}
            if _retryable_status(ex.status):
                ex.retryable, ex.error = True, f"HTTP {ex.status}"
                ex.retry_after = parse_retry_after(ex.headers.get("retry-after"))
            elif 200 <= ex.status < 300:
                self._read_body(ex, response, started)

    def _read_body(self, ex: _Exchange, response: requests.Response, started: float) -> None:
        """Stream the body into ``ex``, undoing Content-Encoding, under the size cap and the deadline.

        The cap applies to the wire bytes and to the decoded bytes alike (a small gzip that
        inflates to a gigabyte stops at the cap); ``bytes_read`` counts wire bytes.
        """
        cap, deadline = self.manners.max_bytes, self.manners.deadline
        declared = _int(ex.headers.get("content-length"))
        if declared is not None and declared > cap:
            ex.outcome, ex.error = "too_large", f"Content-Length {declared} exceeds the cap of {cap} bytes"
            return
        try:
            decoder = StreamDecoder(ex.headers.get("content-encoding"), cap)
        except DecodeError as exc:
            ex.outcome, ex.error = "undecodable", str(exc)
            return
        chunks: list[bytes] = []
        try:
            while chunk := response.raw.read1(READ_CHUNK):
                ex.bytes_read += len(chunk)
                if ex.bytes_read > cap:
                    ex.outcome, ex.error = "too_large", f"body passed the cap of {cap} bytes; abandoned"
                    return
                if time.monotonic() - started > deadline:
                    ex.outcome, ex.error = (
                        "timeout",
                        f"body still arriving after the {deadline}s deadline ({ex.bytes_read} bytes)",
                    )
                    return
                chunks.append(decoder.feed(chunk))
            if declared is not None and ex.bytes_read < declared:
                ex.outcome, ex.retryable = "error", True
                ex.error = f"body cut short: {ex.bytes_read} of {declared} bytes"
                return
            decoder.finish()
        except TooLarge as exc:
            ex.outcome, ex.error = "too_large", f"{exc} ({ex.bytes_read} bytes on the wire); abandoned"
            return
        except DecodeError as exc:
            ex.outcome, ex.error = "undecodable", str(exc)
            return
        except (ReadTimeoutError, requests.Timeout) as exc:
            ex.outcome, ex.error = "timeout", f"body stalled for {self.manners.read_timeout}s ({type(exc).__name__})"
            return
        except (ProtocolError, requests.RequestException, OSError) as exc:
            ex.outcome, ex.error, ex.retryable = "error", _describe(exc), True
            return
        ex.body = b"".join(chunks)
        if not decoder.identity:
            # The body is now the decoded page: headers about the wire form no longer describe it.
            ex.headers = {k: v for k, v in ex.headers.items() if k not in ("content-encoding", "content-length")}

    # -- robots.txt -------------------------------------------------------------------
    def _load_robots(self, robots_url: str) -> RobotsPolicy:
        """Fetch and parse one host's robots.txt (logged as kind 'robots')."""
        result = self._fetch(robots_url, "robots", {}, check_robots=False)
        policy = _policy_from(result, self.manners.robots_max_bytes)
        delay = policy.crawl_delay(self.manners.user_agent)
        if delay:
            # Honour Crawl-delay, but never let a typo stall the run for hours.
            self.limiter.set_min_interval(urls.parse(robots_url).netloc, min(delay, 30.0))
        return policy

    def _emit(self, entry: FetchLogEntry) -> None:
        """Hand one log entry to the run's logger, if any."""
        if self.log is not None:
            self.log(entry)

    def _log_exchange(
        self,
        ex: _Exchange,
        kind: str,
        outcome: str,
        attempts: int,
        error: str | None = None,
        content_hash: str | None = None,
    ) -> None:
        """Log one exchange with its outcome."""
        self._emit(
            FetchLogEntry(
                self.source,
                ex.url,
                kind,
                ex.requested_at,
                ex.status,
                outcome,
                attempts,
                ex.bytes_read if ex.status else None,
                round(ex.elapsed_ms, 3),
                content_hash,
                error,
            )
        )


def _policy_from(result: FetchResult, max_bytes: int) -> RobotsPolicy:
    """The robots policy a robots.txt fetch implies (RFC 9309 §2.3.1)."""
    status = result.http_status
    if result.outcome == "fetched" and result.body is not None:
        return RobotsPolicy.from_text(result.body[:max_bytes].decode("utf-8", "replace"))
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsPolicy([], allow_all=True, reason=f"robots.txt answered HTTP {status}: no restrictions")
    if result.outcome == "empty":
        return RobotsPolicy([], allow_all=True, reason="robots.txt is empty: no restrictions")
    why = f"HTTP {status}" if status else (result.error or result.outcome)
    return RobotsPolicy(
        [], disallow_all=True, reason=f"robots.txt unreachable ({why}): the host is treated as fully disallowed"
    )


def _header_text(value: str | None) -> str | None:
    """A header as the server meant it: http.client reads bytes as Latin-1, servers send UTF-8 URLs."""
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _int(value: str | None) -> int | None:
    """An integer header value, or None."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _ms_since(started: float) -> float:
    """Milliseconds elapsed since a monotonic start."""
    return round((time.monotonic() - started) * 1000.0, 3)
