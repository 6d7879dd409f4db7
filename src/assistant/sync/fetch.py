"""The polite HTTP client of ``assistant sync``.

A portal's web server is shared with its readers, so the assistant fetches like a good
citizen: it names itself in the User-Agent, obeys robots.txt (and its Crawl-delay), asks
conditionally (ETag / Last-Modified) so an unchanged feed or article costs one 304,
keeps to a request rate per host, retries only what may succeed later (timeouts, 429,
5xx) a bounded number of times with a growing delay, follows a bounded number of
redirects, and reads no more than a size cap: a declared ``Content-Length`` over the cap
is refused before reading, a body without one is cut off as soon as it goes over.

Every failure is a :class:`FetchError` whose ``kind`` says what the caller should do:
``gone`` (404/410: the article was withdrawn), ``skipped`` (not an HTML page, too large,
disallowed by robots.txt: nothing to retry) or ``failed`` (try again at the next sync).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx

logger = logging.getLogger(__name__)

FailureKind = Literal["gone", "skipped", "failed"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a feed, a sitemap or a home page may be served as (servers label XML loosely).
SOURCE_TYPES = (
    *HTML_TYPES,
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/plain",
    "application/x-gzip",
    "application/gzip",
)
GONE_STATUSES = frozenset({404, 410})
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 60.0  # a Retry-After longer than this fails the request instead
_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)


class FetchError(Exception):
    """A URL that gave nothing usable; ``message`` tells the operator what happened."""

    def __init__(self, url: str, kind: FailureKind, message: str, status: int | None = None):
        super().__init__(f"{url}: {message}")
        self.url = url
        self.kind = kind
        self.message = message
        self.status = status


@dataclass(frozen=True)
class FetchOptions:
    """How politely to fetch (from the ``sync_*`` settings)."""

    user_agent: str
    timeout_s: float = 20.0
    retries: int = 2
    backoff_s: float = 1.0
    host_rate: float = 2.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5


@dataclass(frozen=True)
class Validators:
    """What a server said about a version of a URL, to ask for it conditionally."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Fetched:
    """A response: ``body`` is None when the server answered 304 Not Modified."""

    url: str  # after redirects
    status: int
    content_type: str
    validators: Validators
    body: bytes | None

    @property
    def not_modified(self) -> bool:
        return self.body is None

    def text(self) -> str:
        """The body decoded: the charset the server declared, else the page's own
        ``<meta charset>``, else UTF-8 (bad bytes replaced, never guessed silently)."""
        body = self.body or b""
        match = _CHARSET_RE.search(self.content_type) or _META_CHARSET_RE.search(body[:2048])
        encoding = match[1] if match else "utf-8"
        encoding = encoding.decode("ascii") if isinstance(encoding, bytes) else encoding
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # a byte-order mark would hide "<?xml" or "<rss"
        try:
            return body.decode(encoding, errors="replace")
        except LookupError:
            return body.decode("utf-8", errors="replace")


class RobotsCache(Protocol):
    """Where robots.txt files are kept between syncs (so asking again is conditional)."""

    def robots(self, host: str) -> tuple[Validators, str] | None: ...

    def save_robots(self, host: str, validators: Validators, body: str) -> None: ...


class HostRate:
    """At most ``rate`` request starts per second per host, across threads."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._lock = threading.Lock()

    def slow_down(self, host: str, delay_s: float) -> None:
        """A longer interval for one host (robots.txt Crawl-delay)."""
        with self._lock:
            self._delays[host] = max(delay_s, self._delays.get(host, 0.0))

    def wait(self, host: str) -> None:
        with self._lock:
            interval = max(1.0 / self.rate if self.rate > 0 else 0.0, self._delays.get(host, 0))
            if interval <= 0:
                return
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + interval
        if start > now:
            time.sleep(start - now)


class PoliteClient:
    """GET with robots.txt, a per-host rate, conditional requests, retries and caps."""

    def __init__(
        self,
        options: FetchOptions,
        robots_cache: RobotsCache | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.options = options
        self.robots_cache = robots_cache
        self.rate = HostRate(options.host_rate)
        timeout = httpx.Timeout(options.timeout_s)
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            follow_redirects=True,
            max_redirects=options.max_redirects,
            transport=transport,
            trust_env=False,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- robots.txt ---------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Does the site's robots.txt let the assistant's User-Agent fetch ``url``?"""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            parser = self._robots.get(origin)
            if parser is None:
                parser = self._load_robots(origin)
                self._robots[origin] = parser
        return parser.can_fetch(self.options.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """robots.txt of a site, asked conditionally when a copy is kept. A missing file
        allows everything; an unreachable one too (with a warning), as crawlers do for
        4xx, but a 5xx answer disallows the site for this sync, as RFC 9309 asks."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        host = urlsplit(origin).netloc
        kept = self.robots_cache.robots(origin) if self.robots_cache else None
        try:
            fetched = self._request(
                origin + "/robots.txt", kept[0] if kept else Validators(), ("text/plain",)
            )
        except FetchError as err:
            if err.status is not None and err.status >= 500:
                logger.warning("robots.txt of %s answered %s: not syncing it", origin, err.status)
                # the flags read() itself sets for 401/403 and 4xx; typeshed omits them
                parser.disallow_all = True  # type: ignore[attr-defined]
            else:
                parser.allow_all = True  # type: ignore[attr-defined]
            return parser
        if fetched.not_modified and kept:
            body = kept[1]
        else:
            body = fetched.text()
            if self.robots_cache:
                self.robots_cache.save_robots(origin, fetched.validators, body)
        parser.parse(body.splitlines())
        delay = parser.crawl_delay(self.options.user_agent)
        if delay:
            self.rate.slow_down(host, float(delay))
        return parser

    # --- GET ----------------------------------------------------------------------------
    def get(
        self,
        url: str,
        validators: Validators = Validators(),  # frozen: a shared default is safe
        accept: tuple[str, ...] = HTML_TYPES,
    ) -> Fetched:
        """Fetch ``url`` if robots.txt allows it; raises :class:`FetchError`."""
        if not self.allowed(url):
            raise FetchError(url, "skipped", "disallowed by the site's robots.txt")
        return self._request(url, validators, accept)

    def _request(self, url: str, validators: Validators, accept: tuple[str, ...]) -> Fetched:
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self.rate.wait(host)
            try:
                return self._once(url, headers, accept)
            except _Retry as retry:
                if attempt >= self.options.retries:
                    raise FetchError(url, "failed", retry.message, retry.status) from None
                delay = self.options.backoff_s * (2**attempt)
                if retry.after is not None:
                    if retry.after > MAX_RETRY_AFTER_S:
                        raise FetchError(url, "failed", retry.message, retry.status) from None
                    delay = max(delay, retry.after)
                attempt += 1
                logger.debug("retrying %s in %.2f s (%s)", url, delay, retry.message)
                time.sleep(delay)

    def _once(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> Fetched:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read(url, response, accept)
        except httpx.TooManyRedirects:
            raise FetchError(
                url, "failed", f"more than {self.options.max_redirects} redirects (a loop?)"
            ) from None
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.options.timeout_s:g} s") from None
        except httpx.HTTPError as err:  # connection refused, reset, bad response...
            raise _Retry(f"network error: {err.__class__.__name__}: {err}") from None

    def _read(self, url: str, response: httpx.Response, accept: tuple[str, ...]) -> Fetched:
        final = str(response.url)
        status = response.status_code
        validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
        content_type = response.headers.get("content-type", "")
        if status == 304:
            return Fetched(final, status, content_type, validators, None)
        if status in GONE_STATUSES:
            raise FetchError(url, "gone", f"answered {status}", status)
        if status in RETRIED_STATUSES:
            raise _Retry(f"answered {status}", status, _retry_after(response))
        if status >= 400:
            raise FetchError(url, "failed", f"answered {status}", status)
        media = content_type.split(";")[0].strip().lower()
        if media and accept and media not in accept:
            raise FetchError(url, "skipped", f"not an HTML page or feed ({media}); skipped")
        limit = self.options.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(
                url,
                "skipped",
                f"{int(declared):,} bytes is over the {limit:,}-byte cap "
                "(ASSISTANT_SYNC_MAX_BYTES); skipped",
            )
        parts: list[bytes] = []
        size = 0
        for part in response.iter_bytes():
            size += len(part)
            if size > limit:
                raise FetchError(
                    url,
                    "skipped",
                    f"more than the {limit:,}-byte cap (ASSISTANT_SYNC_MAX_BYTES); skipped",
                )
            parts.append(part)
        return Fetched(final, status, content_type, validators, b"".join(parts))


class _Retry(Exception):
    """A failure that may go away: retried with backoff, then a FetchError."""

    def __init__(self, message: str, status: int | None = None, after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.after = after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else None
