"""An article page → a :class:`~assistant.core.types.Document`.

The main text and metadata come from trafilatura (menus, ads, comment widgets and
related-article lists dropped), the text then goes through the same record path as a
pushed article (:func:`~assistant.ingest.loaders.document_from_record`: cleaning, glued
captions, title, date), so a synced article and a pushed one are indexed alike.

Two things are added here because portals need them:

* the **publication date** as Vietnamese portals print it (``Thứ Hai, 15/04/2024 -
  08:30``, ``Cập nhật: 08:30 ngày 15/4/2024``), read from the page's date element before
  trafilatura's guess, which may take the date of a related article or a comment;
* the **canonical URL** and the **document id** derived from it: tracking parameters,
  the fragment and the mobile / ``www.`` host prefix do not make another document.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Collection
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from assistant.core.types import Document
from assistant.ingest.loaders import document_from_record, extract_html, slugify

logger = logging.getLogger(__name__)

# Query parameters that only say where a reader came from (campaigns, social networks,
# Zalo): the same article with or without them is the same article.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "zarsrc", "gidzl", "_ga", "_gl", "mc_cid"}
    | {"mc_eid", "igshid", "yclid", "ref", "ref_src", "cmpid", "itm_source", "at_medium"}
)
TRACKING_PREFIXES = ("utm_", "itm_", "at_")
# Host prefixes of the same site's mobile and www variants.
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")

_WEEKDAY = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn)"
# "Thứ Hai, 15/04/2024 - 08:30", "15/4/2024 08:30", "08:30 15-04-2024 (GMT+7)"
_VN_DATE_RE = re.compile(
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:ngày\s*)?(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]\s*(\d{{4}})",
    re.IGNORECASE,
)
_VN_WORDS_DATE_RE = re.compile(
    r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm|,)\s*(\d{4})", re.IGNORECASE
)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A line that is nothing but a dateline (kept out of the article text).
_DATE_TEXT = (
    r"(?:(?:ngày\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*(?:năm|,)\s*\d{4})"
)
_DATELINE_RE = re.compile(
    rf"^\s*(?:(?:cập nhật|đăng|ngày đăng|xuất bản)\s*:?\s*)?(?:{_WEEKDAY}\s*,?\s*)?"
    rf"(?:\d{{1,2}}:\d{{2}}\s*(?:,|-|\|)?\s*)?{_DATE_TEXT}"
    r"(?:\s*(?:,|-|\||lúc)?\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\(?GMT\s*[+-]\s*\d+\)?)?\s*$",
    re.IGNORECASE,
)
# Elements whose text is the article's date (class, id or itemprop naming it).
_DATE_XPATH = (
    "//*[contains(translate(concat(@class,' ',@id,' ',@itemprop),"
    "'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz'),'date') or "
    "contains(translate(concat(@class,' ',@id),'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
    "'abcdefghijklmnopqrstuvwxyz'),'time') or "
    "contains(translate(concat(@class,' ',@id),'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
    "'abcdefghijklmnopqrstuvwxyz'),'publish') or self::time]"
)
_META_DATE_XPATH = (
    "//meta[@property='article:published_time' or @name='pubdate' or "
    "@itemprop='datePublished' or @name='publishdate']/@content"
)
_DATE_ELEMENTS_READ = 12  # date-like elements looked at, in page order


def normalise_url(url: str) -> str:
    """The URL to fetch and compare: no fragment, no tracking parameters, lower-case
    scheme and host, no default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
        ]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def site_of(url: str) -> str:
    """The host without its mobile/www prefix: ``m.baothanhhoa.vn`` → ``baothanhhoa.vn``."""
    host = (urlsplit(url).netloc or "").lower()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def document_id(url: str) -> str:
    """Stable id of an article from its canonical URL (same site under www./m. and with
    or without tracking parameters gives the same id)."""
    parts = urlsplit(normalise_url(url))
    path = parts.path.rstrip("/") or "/"
    query = f"-{parts.query}" if parts.query else ""
    return slugify(f"{site_of(url)}{path}{query}") or "web"


def canonical_url(page_url: str, declared: str | None, sites: Collection[str]) -> str:
    """The page's declared canonical URL when it is on the page's own site or on a site
    being synced (a mobile page points at the desktop one), else the page's URL: a
    canonical on a stranger's site must not overwrite another article."""
    if declared:
        absolute = normalise_url(urljoin(page_url, declared))
        if urlsplit(absolute).scheme in ("http", "https") and (
            site_of(absolute) == site_of(page_url) or site_of(absolute) in sites
        ):
            return absolute
    return normalise_url(page_url)


def _date_from(text: str) -> str | None:
    for pattern in (_VN_DATE_RE, _VN_WORDS_DATE_RE):
        match = pattern.search(text)
        if match:
            try:
                return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
            except ValueError:
                continue
    return None


def vietnamese_date(text: str) -> str | None:
    """ISO date of a Vietnamese dateline (day first): ``Thứ Hai, 15/04/2024 - 08:30`` →
    ``2024-04-15``; ``ngày 15 tháng 4 năm 2024`` too. None when there is none."""
    return _date_from(" ".join(text.split()))


def page_date(html: str) -> str | None:
    """The publication date the page states: its metadata, else its date element."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # lxml raises its own ParserError types on junk
        return None
    for value in tree.xpath(_META_DATE_XPATH):
        match = _ISO_DATE_RE.search(str(value))
        if match:
            return "-".join(match.groups())
    # the article's own date element first: sidebars and related lists carry dates too
    for scope in (*tree.xpath("//article")[:1], tree):
        for element in scope.xpath("." + _DATE_XPATH)[:_DATE_ELEMENTS_READ]:
            iso = _ISO_DATE_RE.search(element.get("datetime") or "")
            found = "-".join(iso.groups()) if iso else vietnamese_date(element.text_content())
            if found:
                return found
    return None


def _without_datelines(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not _DATELINE_RE.match(line))


def extract_article(
    html: str, url: str, *, sites: Collection[str] = (), source: str = "sync"
) -> Document:
    """The article of a fetched page. Raises ValueError (English, for the operator)
    when the page has no article text."""
    extracted = extract_html(html, url=url)
    canonical = canonical_url(url, extracted.url, sites)
    published = page_date(html) or extracted.date
    record = {
        "id": document_id(canonical),
        "title": extracted.title,
        "url": canonical,
        "published_at": published,
        "text": _without_datelines(extracted.text),
    }
    return document_from_record(record, source=source)
