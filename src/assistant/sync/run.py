"""One sync: sources → their article links → pages that are due → documents → index.

``run`` is the only entry point; the CLI (``assistant sync``) and the service's
background follower both call it. Pages are fetched and extracted by a few worker
threads while the calling thread commits finished articles in batches through the
ordinary :class:`~assistant.ingest.pipeline.Ingestor`, so an article's text is hashed,
chunked and embedded exactly as a pushed or ingested one (unchanged text is never
embedded twice) and the network and the model work at the same time.

Which known pages are asked again (conditionally) is decided per page: when a sitemap's
``<lastmod>`` is newer than its last check, when it failed or answered 404/410 last
time, or when ``recheck_s`` has passed since it was checked. A page that answers 404/410
at ``gone_after`` syncs in a row is removed, unless another URL of the same document
still answers. One bad source or page never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

import httpx
from tqdm import tqdm

from assistant.core.config import Settings
from assistant.core.types import Document
from assistant.ingest.pipeline import Ingestor
from assistant.sync.discover import SourceError, discover
from assistant.sync.extract import extract_article, normalise_url, site_of
from assistant.sync.fetch import FetchError, FetchOptions, PoliteClient, Validators
from assistant.sync.state import PageState, SyncState

logger = logging.getLogger(__name__)

# What became of an article a source lists; a source's report counts each.
ArticleOutcome = Literal["new", "updated", "unchanged", "removed", "failed", "skipped"]
COUNTS: tuple[ArticleOutcome, ...] = get_args(ArticleOutcome)
# An index's change status of a committed article as its outcome (else "unchanged").
_CHANGED: dict[str, ArticleOutcome] = {"added": "new", "updated": "updated"}


@dataclass
class SourceReport:
    """The outcome of one source URL given to the sync."""

    url: str
    kind: str = ""
    status: str = "ok"  # ok | failed
    error: str | None = None
    listed: int = 0
    articles: dict[ArticleOutcome, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def counts(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "listed": self.listed,
            **{name: self.articles[name] for name in COUNTS},
        }


@dataclass
class SyncSummary:
    """What a sync did; printed by the CLI, kept for ``GET /api/sync``."""

    sources: list[SourceReport] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, message)

    def total(self, name: ArticleOutcome) -> int:
        return sum(source.articles[name] for source in self.sources)

    @property
    def failed_sources(self) -> list[SourceReport]:
        return [source for source in self.sources if source.status == "failed"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": len(self.sources),
            "failed_sources": len(self.failed_sources),
            **{name: self.total(name) for name in COUNTS},
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "per_source": [
                {"url": s.url, "status": s.status, "error": s.error, **s.counts()}
                for s in self.sources
            ],
            "errors": [{"url": url, "message": message} for url, message in self.errors],
        }

    def line(self) -> str:
        failed = len(self.failed_sources)
        articles = ", ".join(f"{self.total(name)} {name}" for name in COUNTS)
        return (
            f"sources: {len(self.sources)} ({failed} failed); articles: {articles}; "
            f"{self.embedded} chunks embedded in {self.seconds:.1f} s"
        )


@dataclass
class _Task:
    url: str
    root: str
    known: PageState | None


@dataclass
class _Outcome:
    task: _Task
    validators: Validators = field(default_factory=Validators)
    page_hash: str | None = None
    document: Document | None = None
    same: bool = False  # 304, or the very same bytes as last time
    error: FetchError | None = None


def fetch_options(settings: Settings) -> FetchOptions:
    """The client's options: each one is the ``sync_`` setting of its name."""
    names = [option.name for option in fields(FetchOptions)]
    return FetchOptions(**{name: getattr(settings, f"sync_{name}") for name in names})


def run(
    urls: Sequence[str],
    ingestor: Ingestor,
    settings: Settings,
    *,
    since: dt.date | None = None,
    max_articles: int | None = None,
    progress: bool = False,
    write_lock: AbstractContextManager[Any] | None = None,
    stop: threading.Event | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> SyncSummary:
    """Sync the sources ``urls`` into ``ingestor``'s index and return what was done.

    ``write_lock`` is held around every index change (the service's one-writer lock);
    ``stop`` ends the sync early between pages (service shutdown).
    """
    started = time.perf_counter()
    roots = list(dict.fromkeys(normalise_url(url) for url in urls))
    state = SyncState(ingestor.index.index_dir)
    summary = SyncSummary([SourceReport(root) for root in roots])
    reports = {report.url: report for report in summary.sources}
    try:
        with PoliteClient(fetch_options(settings), state, transport=transport) as client:
            tasks = _plan(roots, client, state, settings, reports, since, max_articles, clock)
            _Sync(ingestor, settings, state, client, summary, reports, since, clock).pages(
                tasks, progress=progress, write_lock=write_lock or nullcontext(), stop=stop
            )
        for report in summary.sources:
            state.save_run(report.url, report.status, report.error, report.counts())
    finally:
        state.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _plan(
    roots: list[str],
    client: PoliteClient,
    state: SyncState,
    settings: Settings,
    reports: dict[str, SourceReport],
    since: dt.date | None,
    max_articles: int | None,
    clock: Callable[[], float],
) -> list[_Task]:
    """The pages to ask this time, from every source's links and the known pages."""
    listed: dict[str, tuple[str, str | None]] = {}
    for root in roots:
        report = reports[root]
        try:
            listing = discover(root, client, state, max_sources=settings.sync_max_sitemaps)
        except SourceError as err:
            report.status, report.error = "failed", str(err)
            logger.error("Source %s failed: %s", root, err)
            continue
        report.kind = listing.kind
        report.listed = len(listing.links)
        if listing.errors:
            report.status, report.error = "failed", "; ".join(listing.errors)
            for message in listing.errors:
                logger.error("Source %s: %s", root, message)
        for link, lastmod in listing.links.items():
            first_root, known_lastmod = listed.get(link, (root, None))
            listed[link] = (first_root, max(lastmod or "", known_lastmod or "") or None)
    known = state.pages()  # a page may have been found through another source before
    now = clock()
    tasks: list[_Task] = []
    new: list[tuple[str | None, _Task]] = []
    for url, (root, lastmod) in listed.items():
        page = known.get(url)
        if since and lastmod and lastmod[:10] < since.isoformat() and page is None:
            reports[root].articles["skipped"] += 1
            continue
        if page is None:
            new.append((lastmod, _Task(url, root, None)))
        elif _due(page, lastmod, settings.sync_recheck_s, now):
            tasks.append(_Task(url, root, page))
        else:
            reports[root].articles["unchanged"] += 1
    for url, page in known.items():  # this sync's known pages no source lists any more
        if url not in listed and page.root in reports:
            if _due(page, None, settings.sync_recheck_s, now):
                tasks.append(_Task(url, page.root, page))
            else:
                reports[page.root].articles["unchanged"] += 1
    new.sort(key=lambda item: item[0] or "", reverse=True)  # newest first under --max
    if max_articles is not None and len(new) > max_articles:
        logger.info("%d new articles listed; fetching the first %d (--max)", len(new), max_articles)
        new = new[:max_articles]
    return [task for _, task in new] + tasks


def _due(page: PageState, lastmod: str | None, recheck_s: float, now: float) -> bool:
    if page.gone or page.error or page.checked_at is None:
        return True
    if lastmod and _timestamp(lastmod) > page.checked_at:
        return True
    return recheck_s <= 0 or now - page.checked_at >= recheck_s


def _timestamp(lastmod: str) -> float:
    """Seconds of a sitemap W3C datetime (a date alone is its midnight, UTC)."""
    try:
        value = dt.datetime.fromisoformat(lastmod.strip().replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


@dataclass(eq=False)
class _Sync:
    """Fetch due pages in worker threads and commit their articles in batches."""

    ingestor: Ingestor
    settings: Settings
    state: SyncState
    client: PoliteClient
    summary: SyncSummary
    reports: dict[str, SourceReport]
    since: dt.date | None
    clock: Callable[[], float]
    sites: set[str] = field(init=False)  # where a page's declared canonical URL may point
    batch: list[_Outcome] = field(init=False, default_factory=list)
    done_ids: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self.sites = {site_of(root) for root in self.reports}

    def pages(
        self,
        tasks: list[_Task],
        *,
        progress: bool,
        write_lock: AbstractContextManager[Any],
        stop: threading.Event | None,
    ) -> None:
        self.write_lock = write_lock
        bar = tqdm(total=len(tasks), unit="page", desc="sync", disable=not progress, leave=False)
        workers = max(1, self.settings.sync_workers)
        with ThreadPoolExecutor(workers, thread_name_prefix="sync") as pool:
            futures: list[Future[_Outcome]] = [pool.submit(self._check, t) for t in tasks]
            try:
                for future in as_completed(futures):
                    self._handle(future.result())
                    bar.update(1)
                    if len(self._documents()) >= self.settings.sync_batch_docs:
                        self._flush()
                    if stop is not None and stop.is_set():
                        logger.warning("Sync stopped before its end; the rest at the next one")
                        break
            finally:
                for future in futures:
                    future.cancel()
                self._flush()
                bar.close()

    # --- in a worker thread -------------------------------------------------------------
    def _check(self, task: _Task) -> _Outcome:
        known = task.known
        try:
            fetched = self.client.get(task.url, known.validators if known else Validators())
        except FetchError as err:
            return _Outcome(task, error=err)
        if fetched.not_modified:
            return _Outcome(task, fetched.validators, known.page_hash if known else None, same=True)
        page_hash = hashlib.sha256(fetched.body or b"").hexdigest()
        if known is not None and known.page_hash == page_hash and known.doc_id:
            return _Outcome(task, fetched.validators, page_hash, same=True)
        try:
            document = extract_article(
                fetched.text(), fetched.url, sites=self.sites, source=task.root
            )
        except ValueError as err:
            failure = FetchError(task.url, "skipped", f"no article text found ({err}); skipped")
            return _Outcome(task, fetched.validators, page_hash, error=failure)
        return _Outcome(task, fetched.validators, page_hash, document)

    # --- in the calling thread ----------------------------------------------------------
    def _handle(self, outcome: _Outcome) -> None:
        task, report = outcome.task, self.reports[outcome.task.root]
        error = outcome.error
        if error is None:
            if outcome.same:
                report.articles["unchanged"] += 1
            elif self._too_old(outcome.document):
                report.articles["skipped"] += 1
                outcome.document = None
            self.batch.append(outcome)
            return
        if error.kind == "gone":
            self._gone(outcome)
            return
        message = error.message
        self.summary.errors.append((task.url, message))
        if error.kind == "skipped":
            report.articles["skipped"] += 1
            logger.info("Skipped %s: %s", task.url, message)
            self.batch.append(outcome)  # remembered, so it is not asked at every sync
        else:
            report.articles["failed"] += 1
            logger.warning("Failed %s: %s (tried again at the next sync)", task.url, message)
            self.batch.append(outcome)

    def _too_old(self, document: Document | None) -> bool:
        return bool(
            self.since
            and document is not None
            and document.published_at
            and document.published_at[:10] < self.since.isoformat()
        )

    def _gone(self, outcome: _Outcome) -> None:
        task, report = outcome.task, self.reports[outcome.task.root]
        known = task.known
        gone = (known.gone if known else 0) + 1
        assert outcome.error is not None
        if known is None or known.doc_id is None:
            self.state.forget_pages([task.url])
            report.articles["skipped"] += 1
            self.summary.errors.append((task.url, outcome.error.message))
            return
        if gone < self.settings.sync_gone_after:
            message = (
                f"{outcome.error.message}; removed if it still does at the next "
                f"{self.settings.sync_gone_after - gone} sync(s)"
            )
            report.articles["failed"] += 1
            self.summary.errors.append((task.url, message))
            logger.warning("%s %s", task.url, message)
            self._flush()
            known.gone, known.checked_at, known.error = gone, self.clock(), None
            self.state.save_pages([known])
            return
        self._flush()
        others = [url for url in self.state.live_urls_of(known.doc_id) if url != task.url]
        if not others:
            with self.write_lock:
                self.ingestor.index.delete(known.doc_id)
            report.articles["removed"] += 1
            logger.info("Removed %s (%s): %s", known.doc_id, task.url, outcome.error.message)
        self.state.forget_pages([task.url])

    def _documents(self) -> list[Document]:
        return [o.document for o in self.batch if o.document is not None]

    def _flush(self) -> None:
        """Commit the batch's articles, then remember its pages (in that order)."""
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        documents: dict[str, Document] = {}
        for outcome in batch:
            doc = outcome.document
            if doc is None:
                continue
            report = self.reports[outcome.task.root]
            if doc.id in self.done_ids or doc.id in documents:
                report.articles["unchanged"] += 1  # the same article under another URL
                continue
            documents[doc.id] = doc
        if documents:
            with self.write_lock:
                status = self.ingestor.index.changed(list(documents.values()))
                result = self.ingestor.ingest_documents(list(documents.values()))
            self.summary.embedded += result.embedded
            self.done_ids.update(documents)
            for outcome in batch:
                doc = outcome.document
                if doc is not None and doc.id in documents:
                    report = self.reports[outcome.task.root]
                    report.articles[_CHANGED.get(status[doc.id], "unchanged")] += 1
                    documents.pop(doc.id)
        self.state.save_pages([self._page(outcome) for outcome in batch])

    def _page(self, outcome: _Outcome) -> PageState:
        task, known, now = outcome.task, outcome.task.known, self.clock()
        page = known or PageState(url=task.url, root=task.root)
        page.root = task.root
        page.checked_at = now
        if outcome.error is not None:  # failed or skipped: validators kept as they were
            page.error = outcome.error.message if outcome.error.kind == "failed" else None
            if outcome.error.kind == "skipped":
                page.page_hash, page.error = outcome.page_hash, None
            return page
        page.etag = outcome.validators.etag or (page.etag if outcome.same else None)
        page.last_modified = outcome.validators.last_modified or (
            page.last_modified if outcome.same else None
        )
        page.page_hash = outcome.page_hash or page.page_hash
        page.seen_at, page.gone, page.error = now, 0, None
        if outcome.document is not None:
            page.doc_id = outcome.document.id
            page.doc_hash = outcome.document.content_hash
        return page
