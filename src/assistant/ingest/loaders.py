"""Loading articles from files and folders into :class:`~assistant.core.types.Document`.

Supported: plain text (``.txt``, ``.md``), saved web pages (``.html``, ``.htm``, main text
extracted with trafilatura) and portal exports (``.json``: one record or a list of records;
``.jsonl``: one record per line) of the form
``{id, title, url, published_at, text | html, tags}``.

A corpus is large and assembled by hand, so one bad file must not stop a load: every
problem is yielded as a :class:`LoadError` naming the file (and the line when there is one)
with a message an operator can act on, and loading goes on with the next file or line.
Encodings are not guessed: UTF-8 (with or without BOM) and UTF-16/32 with a BOM (or UTF-16
without BOM, which is recognised by its NUL bytes) are decoded; anything else is reported
with the ``iconv`` command that converts it, because a wrong guess would silently corrupt
the Vietnamese diacritics that citations quote.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.core.types import Document, content_hash
from assistant.ingest.clean import clean_text
from assistant.text.vietnamese import fold, nfc

logger = logging.getLogger(__name__)

PLAIN_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = PLAIN_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

_ICONV_HINT = "convert it with iconv -f WINDOWS-1258 -t UTF-8"

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of code units that must be ASCII (a NUL high byte) to call BOM-less bytes UTF-16.
_UTF16_MIN_ASCII_SHARE = 0.3
# Control characters that never occur in text (a decoded "text" with them is binary).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

# Dates as portals write them, with the order of (year, month, day) groups. Day-first is
# the Vietnamese convention: 03/05/2021 is the 3rd of May.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[int, int, int]], ...] = (
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), (3, 2, 1)),
    (
        re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE),
        (3, 2, 1),
    ),
)


@dataclass(frozen=True)
class LoadError:
    """A file or record that was skipped; ``message`` is for the operator (English)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class _FileError(Exception):
    """A problem that makes a whole file unusable (turned into a LoadError)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class _Source:
    """A file to load and the name it is known by (relative to the folder argument)."""

    path: Path
    relative: str


def load_paths(paths: Iterable[Path]) -> Iterator[Document | LoadError]:
    """Yield a Document for every article found in ``paths`` and a LoadError for every
    file, line or record that had to be skipped.

    Folders are walked recursively in sorted order (hidden files and folders and README
    files skipped) so
    two loads of the same tree give the same documents in the same order; files with an
    unsupported extension are skipped with a debug log.
    """
    for path in paths:
        for source in _sources(Path(path)):
            if isinstance(source, LoadError):
                yield source
            else:
                yield from _load_source(source)


def _sources(path: Path) -> Iterator[_Source | LoadError]:
    """The files designated by one argument: itself, or the files under a folder."""
    if path.is_dir():
        yield from _walk(path)
    else:
        yield _Source(path, path.name)


def _walk(root: Path) -> Iterator[_Source | LoadError]:
    """Non-hidden files under ``root`` sorted by relative path (symlinks are listed, and a
    broken one is reported when read, not silently ignored), then the sub-folders that
    could not be listed."""
    found: list[str] = []
    unlistable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unlistable.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(folder).relative_to(root)
        found.extend((base / name).as_posix() for name in filenames if _is_article_name(name))
    for relative in sorted(found):
        yield _Source(root / relative, relative)
    for error in unlistable:
        yield LoadError(str(error.filename), None, f"cannot list folder: {error.strerror}")


def _is_article_name(name: str) -> bool:
    """Hidden files and a folder's README (it describes the folder, it is not an
    article) are not loaded when walking a folder; named explicitly, they are."""
    return not name.startswith(".") and not name.upper().startswith("README.")


def _load_source(source: _Source) -> Iterator[Document | LoadError]:
    suffix = source.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        logger.debug("skipping %s: unsupported extension %r", source.path, suffix)
        return
    try:
        text = _read_text(source.path)
        if suffix in JSONL_SUFFIXES:
            yield from _load_jsonl(source, text)
        elif suffix in JSON_SUFFIXES:
            yield from _load_json(source, text)
        elif suffix in HTML_SUFFIXES:
            yield _html_document(source, text)
        else:
            yield _plain_document(source, text)
    except _FileError as error:
        logger.debug("skipping %s: %s", source.path, error.message)
        yield LoadError(str(source.path), error.line, error.message)


# --- reading and decoding ---------------------------------------------------------------


def _read_text(path: Path) -> str:
    """The file's text, decoded; raises _FileError for unreadable, binary, non-UTF-8 and
    empty files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _FileError(f"cannot read file: {exc.strerror or exc}") from exc
    text = _decode(data)
    if not text.strip():
        raise _FileError("empty file (no text)")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding)
    utf16 = _bomless_utf16(data)
    if utf16:
        return _decode_as(data, utf16)
    if b"\x00" in data:
        raise _FileError("binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise _FileError(
            f"not UTF-8 (byte 0x{byte:02x} at line {line}; Windows-1258 or Latin-1?): "
            f"{_ICONV_HINT}",
            line,
        ) from exc


def _decode_as(data: bytes, encoding: str) -> str:
    """Decode with a known encoding; text with control characters is reported as binary."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _FileError(f"invalid {encoding.upper()} text: {exc.reason}") from exc
    if _CONTROL_RE.search(text):
        raise _FileError("binary file (control characters), not a text document")
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 without a BOM: an even
    length, and NUL high bytes (ASCII letters, digits, spaces) on one side only."""
    if len(data) < 2 or len(data) % 2:
        return None
    units = len(data) // 2
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_even == 0 and nul_odd >= _UTF16_MIN_ASCII_SHARE * units:
        return "utf-16-le"
    if nul_odd == 0 and nul_even >= _UTF16_MIN_ASCII_SHARE * units:
        return "utf-16-be"
    return None


# --- plain text and HTML ----------------------------------------------------------------


# A scraped page often opens with its lead ("(Baothanhhoa.vn) - Trong những năm qua, …")
# and only then the headline: a short line without a closing full stop.
_LEAD = re.compile(r"^\(\s*[\w.-]+\.(?:vn|com|net|org)\s*\)\s*[-–]", re.IGNORECASE)
HEADLINE_MAX_CHARS = 160


def _is_lead(line: str) -> bool:
    return bool(_LEAD.match(line)) or (
        len(line) > HEADLINE_MAX_CHARS and line.rstrip().endswith((".", "…"))
    )


def headline(text: str) -> str:
    """The title of a plain-text article: its first line, unless that line is the lead,
    when it is the first short line after it that reads as a headline."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    first = lines[0].lstrip("#").strip() or lines[0]
    if not _is_lead(first):
        return first
    for line in lines[1:6]:
        if len(line) <= HEADLINE_MAX_CHARS and not line.endswith((".", "…", ":")):
            return line.lstrip("#").strip()
    return first


def _plain_document(source: _Source, raw: str) -> Document:
    """A .txt/.md article: its headline (:func:`headline`) is the title; the text keeps
    every line."""
    text = _cleaned(raw)
    return Document(
        id=_path_id(source.relative), title=headline(text), text=text, source=source.relative
    )


def _html_document(source: _Source, html: str) -> Document:
    """A saved web page: trafilatura's main text and metadata, ``<title>`` as fallback."""
    extracted = extract_html(html)
    text = _cleaned(extracted.text)
    return Document(
        id=_path_id(source.relative),
        title=_title(extracted.title) or text.split("\n", 1)[0],
        text=text,
        url=extracted.url,
        published_at=normalise_date(extracted.date),
        source=source.relative,
    )


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text of a page. Trafilatura drops menus and comments; a fragment it finds no
    article in (e.g. the ``html`` field of a record) falls back to all of its text.
    ``url`` (where the page was fetched) resolves a relative canonical link."""
    import trafilatura  # heavy import, only needed for HTML input

    fallback = _HTMLText.parse(html)
    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # lxml/trafilatura can fail on broken markup: keep the plain text
        logger.warning("trafilatura failed; using the page's plain text", exc_info=True)
        result = None
    assert not isinstance(result, dict)  # as_dict=False: a trafilatura Document
    if result is None or not (result.text or "").strip():
        return Extracted(fallback.text, fallback.title)
    # trafilatura puts one block per line; blank lines make them paragraphs for cleaning
    text = "\n\n".join((result.text or "").splitlines())
    return Extracted(text, result.title or fallback.title, result.date, result.url)


class _HTMLText(HTMLParser):
    """Dependency-free text of an HTML document: ``<title>`` and the body's text with
    block elements as paragraph breaks (scripts and styles dropped)."""

    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
        | {"table", "section", "article", "blockquote", "header", "footer", "figcaption"}
    )
    _SKIPPED = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._stack: list[str] = []

    @classmethod
    def parse(cls, html: str) -> Extracted:
        parser = cls()
        parser.feed(html)
        parser.close()
        title = " ".join("".join(parser.title_parts).split()) or None
        return Extracted("".join(parser.parts), title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title_parts.append(data)
        elif not self._SKIPPED.intersection(self._stack):
            self.parts.append(data)


# --- JSON records -----------------------------------------------------------------------


def _load_json(source: _Source, text: str) -> Iterator[Document | LoadError]:
    """A .json file: one record or a list of records (a bad record is skipped alone)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _FileError(f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno) from exc
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, start=1):
        yield _record_or_error(source, record, number, line=None)


def _load_jsonl(source: _Source, text: str) -> Iterator[Document | LoadError]:
    """A .jsonl file: one record per line; a malformed line is reported with its number
    and the other lines still load."""
    # split on "\n" only: JSON strings may hold U+2028 and friends, which splitlines() cuts
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"malformed JSON line: {exc.msg} (column {exc.colno})"
            yield LoadError(str(source.path), number, message)
            continue
        yield _record_or_error(source, record, number, line=number)


def document_from_record(record: Any, source: str = "api", number: int = 1) -> Document:
    """A portal record pushed over the API (same shape as the .json/.jsonl files).

    Raises ValueError with an English message naming what is wrong with the record.
    """
    try:
        return _record_document(_Source(Path(source), source), record, number)
    except _FileError as error:
        raise ValueError(error.message) from error


def _record_or_error(
    source: _Source, record: Any, number: int, line: int | None
) -> Document | LoadError:
    try:
        return _record_document(source, record, number)
    except _FileError as error:
        where = "" if line is not None else f"record {number}: "
        return LoadError(str(source.path), line, where + error.message)


def _record_document(source: _Source, record: Any, number: int) -> Document:
    """A portal record ``{id, title, url, published_at, text | html, tags}``."""
    if not isinstance(record, dict):
        raise _FileError(f"record is a JSON {type(record).__name__}, not an object")
    text = _record_text(record)
    url = _optional_str(record.get("url"))
    title = _title(record.get("title")) or text.split("\n", 1)[0]
    return Document(
        id=_record_id(record, url, source, number),
        title=title,
        text=text,
        url=url,
        published_at=normalise_date(record.get("published_at")),
        source=source.relative,
        tags=_tags(record.get("tags")),
    )


def _record_text(record: dict[str, Any]) -> str:
    """Cleaned ``text`` of a record, or the main text of its ``html``."""
    raw = _optional_str(record.get("text"))
    if raw is None:
        html = _optional_str(record.get("html"))
        if html is None:
            raise _FileError("record has no 'text' or 'html'")
        raw = extract_html(html).text
    return _cleaned(raw)


def _record_id(record: dict[str, Any], url: str | None, source: _Source, number: int) -> str:
    """The record's ``id``; when absent, derived from its URL, else from the file and the
    record's position (stable as long as the export is)."""
    given = record.get("id")
    if given is not None and str(given).strip():
        return str(given).strip()
    if url:
        parts = urlsplit(url)
        derived = slugify(f"{parts.netloc}{parts.path}")
        if derived:
            return derived
    return f"{_path_id(source.relative)}-{number}"


def _tags(value: Any) -> list[str]:
    """Tags as a list of strings; a comma-separated string is accepted too."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [str(tag).strip() for tag in value if str(tag).strip()]


def _title(value: Any) -> str | None:
    """A metadata title as displayed: NFC, single spaces (None when absent or blank)."""
    if not isinstance(value, str):
        return None
    return " ".join(nfc(value).split()) or None


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


# --- shared helpers ---------------------------------------------------------------------


def _cleaned(raw: str) -> str:
    text = clean_text(raw)
    if not text:
        raise _FileError("no text left after removing page boilerplate")
    return text


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-' (``Thanh Hóa/Đối ngoại`` → ``thanh-hoa-doi-ngoai``):
    ids that survive URLs, file systems and shells."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _path_id(relative: str) -> str:
    """Stable id of a file: its relative path without extension, slugified."""
    stem = Path(relative).with_suffix("").as_posix()
    return slugify(stem) or "doc-" + content_hash(relative)[:12]


def normalise_date(value: Any) -> str | None:
    """ISO date ``YYYY-MM-DD`` of a portal date (``2021-05-03``, ``03/05/2021``,
    ``3-5-2021``, ISO datetimes...), or None when it cannot be read as a real date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for pattern, (year, month, day) in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            try:
                date = dt.date(int(match[year]), int(match[month]), int(match[day]))
            except ValueError:
                continue
            return date.isoformat()
    logger.warning("unreadable date %r ignored", value)
    return None
