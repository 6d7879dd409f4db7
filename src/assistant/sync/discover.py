"""What a source URL lists: the article links of a feed, a sitemap (index) or the feeds
a home page links to.

Parsing is trafilatura's (``trafilatura.feeds`` for RSS/Atom/JSON feeds and for the
``<link rel="alternate">`` feeds of a home page, ``trafilatura.sitemaps`` for XML and
text sitemaps); only its URL filters are left out, because they drop sites served from
an address or an intranet host name, and links are normalised here instead
(:func:`~assistant.sync.extract.normalise_url`). The ``<lastmod>`` of sitemap entries,
which trafilatura does not return, is read alongside: it tells which known articles
changed without asking each of them.

Every fetched source is asked conditionally with the validators kept in the sync state;
a 304 yields the links kept from its last version.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed, find_links, is_potential_feed
from trafilatura.sitemaps import SITEMAP_FORMAT, SitemapObject

from assistant.sync.extract import normalise_url
from assistant.sync.fetch import SOURCE_TYPES, FetchError, PoliteClient, Validators
from assistant.sync.state import SourceState, SyncState

logger = logging.getLogger(__name__)

Link = tuple[str, str | None]  # article URL, its sitemap lastmod (ISO) when known


class SourceError(Exception):
    """A source that gave no usable list of articles (message for the operator)."""


@dataclass
class Listing:
    """The articles one source URL leads to, and what went wrong on the way."""

    root: str
    kind: str = ""
    links: dict[str, str | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class _Parsed:
    kind: str
    links: list[Link]
    children: list[str]


def discover(root: str, client: PoliteClient, state: SyncState, *, max_sources: int) -> Listing:
    """Follow ``root`` (and the sitemaps or feeds it points to) to its article links.

    Raises :class:`SourceError` when ``root`` itself is unusable; a failing child sitemap
    or feed is recorded in ``errors`` and its last known links are still used.
    """
    listing = Listing(root)
    queue = [root]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        if len(seen) >= max_sources:
            listing.errors.append(
                f"more than {max_sources} feeds/sitemaps under {root}; the rest were not "
                "read (raise ASSISTANT_SYNC_MAX_SITEMAPS)"
            )
            break
        seen.add(url)
        try:
            parsed = _read(url, root, client, state)
        except (FetchError, SourceError) as err:
            message = err.message if isinstance(err, FetchError) else str(err)
            if url == root:
                raise SourceError(message) from None
            listing.errors.append(f"{url}: {message}")
            kept = state.source(url)
            parsed = _from_kept(kept) if kept else _Parsed("", [], [])
        if url == root:
            listing.kind = parsed.kind
        for link, lastmod in parsed.links:
            listing.links.setdefault(link, lastmod)
        queue.extend(parsed.children)
    return listing


def _read(url: str, root: str, client: PoliteClient, state: SyncState) -> _Parsed:
    kept = state.source(url)
    fetched = client.get(url, kept.validators if kept else Validators(), accept=SOURCE_TYPES)
    if fetched.not_modified and kept is not None:
        return _from_kept(kept)
    parsed = parse_source(fetched.url, fetched.text())
    # children are stored as links of a sitemap index / a page (they are sources)
    stored = (
        parsed.links if parsed.kind in ("feed", "sitemap") else [(c, None) for c in parsed.children]
    )
    state.save_source(url, root, parsed.kind, fetched.validators, stored)
    return parsed


def _from_kept(kept: SourceState) -> _Parsed:
    """A source as last read: a sitemap index's or home page's links are sources."""
    if kept.kind in ("sitemapindex", "page"):
        return _Parsed(kept.kind, [], [link for link, _ in kept.links])
    return _Parsed(kept.kind, kept.links, [])


def parse_source(url: str, text: str) -> _Parsed:
    """Classify a fetched source by its content and list what it links to."""
    head = text.lstrip()[:2048]
    if SITEMAP_FORMAT.match(head) and ("urlset" in head or "sitemapindex" in head):
        return _sitemap(url, text)
    if is_potential_feed(head) or head.startswith("{"):
        return _feed(url, text)
    if "<html" in head.lower() or "<!doctype" in head.lower():
        feeds = [normalise_url(f) for f in determine_feed(text, _params(url))]
        if not feeds:
            raise SourceError(
                'no RSS/Atom feed is linked from this page (<link rel="alternate">); give '
                "the feed's or the sitemap's URL instead"
            )
        return _Parsed("page", [], feeds)
    if all(line.strip().startswith("http") for line in text.strip().splitlines()[:20]):
        return _sitemap(url, text)  # a text sitemap: one URL per line
    raise SourceError("neither a feed, a sitemap nor an HTML page; check the URL")


def _params(url: str) -> FeedParameters:
    parts = urlsplit(url)
    return FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.netloc, url)


def _feed(url: str, text: str) -> _Parsed:
    """Article links of an RSS, Atom or JSON feed (its own and its home link left out)."""
    raw = find_links(text.strip(), _params(url))
    links = []
    for link in raw:  # links are read from the raw XML: entities are still escaped
        absolute = normalise_url(urljoin(url, html.unescape(link.strip())))
        if absolute != normalise_url(url) and urlsplit(absolute).path not in ("", "/"):
            links.append((absolute, None))
    if not links:
        problem = _xml_problem(text) if not text.lstrip().startswith("{") else None
        if problem:
            raise SourceError(f"malformed feed ({problem}); ask the portal to fix it")
    return _Parsed("feed", list(dict.fromkeys(links)), [])


def _xml_problem(text: str) -> str | None:
    try:
        etree.fromstring(text.strip().encode("utf-8"), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as err:
        return str(err)
    return None


class _SitemapLinks(SitemapObject):
    """trafilatura's sitemap reading, keeping every link (resolved, not filtered)."""

    def handle_link(self, link: str) -> None:
        if link != self.current_url:
            self.urls.append(normalise_url(urljoin(self.current_url, link.strip())))


def _sitemap(url: str, text: str) -> _Parsed:
    parts = urlsplit(url)
    reader = _SitemapLinks(f"{parts.scheme}://{parts.netloc}", parts.netloc, [])
    reader.current_url = url
    reader.content = text
    reader.process()
    found = list(dict.fromkeys(reader.urls))
    if "sitemapindex" in text.lstrip()[:2048]:
        return _Parsed("sitemapindex", [], found)
    lastmods = _lastmods(text)
    return _Parsed("sitemap", [(u, lastmods.get(u)) for u in found], [])


def _lastmods(text: str) -> dict[str, str]:
    """``<loc>`` → ``<lastmod>`` of a sitemap's entries (normalised URLs)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        tree = etree.fromstring(text.strip().encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return {}
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for entry in tree.iter("{*}url", "url"):
        loc = entry.findtext("{*}loc") or entry.findtext("loc")
        lastmod = entry.findtext("{*}lastmod") or entry.findtext("lastmod")
        if loc and lastmod:
            found[normalise_url(loc)] = lastmod.strip()
    return found
