"""`assistant sync` against a real HTTP server on 127.0.0.1 serving a fixture portal
(tests/sync_site.py): what a first sync ingests, that a second one only asks
conditionally and embeds nothing, edits, withdrawals, aliases, and politeness. Index
mechanics only, so the stand-in embedder is used."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_site import ARTICLES, BIG_BYTES, FixtureSite, Page

from assistant.core.config import Settings, get_settings
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor
from assistant.sync.extract import canonical_url, document_id, normalise_url, vietnamese_date
from assistant.sync.fetch import FetchError, FetchOptions, PoliteClient
from assistant.sync.run import SyncSummary, run

GOOD_SOURCES = ("/rss.xml", "/atom.xml", "/sitemap.xml")
ALL_SOURCES = (*GOOD_SOURCES, "/sitemap-loi.xml", "/feed-hong.xml")
# Page furniture of the fixture pages that must never reach the index.
FURNITURE = (
    "Quảng cáo",
    "Căn hộ view biển",
    "Nguyễn Văn An",
    "Bài viết rất hay",
    "Ý kiến của bạn",
    "Tin liên quan",
    "Hội nghị xúc tiến đầu tư",
    "Khai mạc hội chợ",
    "Trang chủ",
    "Chia sẻ",
    "Cơ quan chủ quản",
    "Ảnh:",
)


def sync_settings(index_dir: Path, **overrides: Any) -> Settings:
    """Short timeouts and no rate limit for the local fixture; every page rechecked."""
    values: dict[str, Any] = {
        "sync_timeout_s": 0.4,
        "sync_retries": 1,
        "sync_backoff_s": 0.01,
        "sync_host_rate": 0,
        "sync_recheck_s": 0,
        **overrides,
    }
    return get_settings(index_dir=index_dir, **values)


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite(slow_s=1.2) as served:
        yield served


class Syncer:
    """Runs syncs of the fixture site into one index with the stand-in embedder."""

    def __init__(self, folder: Path, site: FixtureSite) -> None:
        self.site = site
        self.folder = folder
        embedder = HashingEmbedder(dim=32)
        self.index = Index(folder, embedder.key, embedder.dim)
        self.ingestor = Ingestor(self.index, embedder, chunk_size=300, chunk_overlap=50)

    def __call__(self, paths: tuple[str, ...] = GOOD_SOURCES, **kwargs: Any) -> SyncSummary:
        overrides = kwargs.pop("settings", {})
        urls = [self.site.url(p) for p in paths]
        return run(urls, self.ingestor, sync_settings(self.folder, **overrides), **kwargs)

    def ids(self) -> set[str]:
        return {doc.id for doc in self.index.documents()}

    def chunks_of(self, doc_id: str) -> list[str]:
        rows = self.index.store.conn.execute("SELECT text FROM chunks WHERE doc_id=?", (doc_id,))
        return [row[0] for row in rows]


@pytest.fixture
def sync(tmp_path: Path, site: FixtureSite) -> Syncer:
    return Syncer(tmp_path / "index", site)


def expected_id(site: FixtureSite, article: Any) -> str:
    return document_id(site.url(site.article_path(article)))


# --- the first sync ----------------------------------------------------------------------


def test_first_sync_ingests_exactly_the_articles(sync: Syncer, site: FixtureSite) -> None:
    summary = sync(ALL_SOURCES)
    assert sync.ids() == {expected_id(site, a) for a in ARTICLES}
    assert summary.total("new") == len(ARTICLES)
    # the 500, the slow page and the redirect loop failed; the PDF, both 50 MB pages and
    # the page robots.txt disallows were skipped; the malformed feed is the failed source
    assert summary.total("failed") == 3
    assert summary.total("skipped") == 4
    assert [s.url for s in summary.failed_sources] == [site.url("/feed-hong.xml")]
    assert "malformed feed" in (summary.failed_sources[0].error or "")
    messages = dict(summary.errors)
    assert "answered 500" in messages[site.url("/tin/loi-500.html")]
    assert "no answer within" in messages[site.url("/tin/cham.html")]
    assert "redirects" in messages[site.url("/tin/vong-lap-a.html")]
    assert "application/pdf" in messages[site.url("/tai-lieu/bao-cao.pdf")]
    assert "cap" in messages[site.url("/tin/rat-lon.html")]
    assert "cap" in messages[site.url("/tin/rat-lon-khong-do-dai.html")]
    assert "robots.txt" in messages[site.url("/private/noi-bo.html")]

    requests = site.take_requests()
    assert all(r["user_agent"].startswith("assistant-sync/") for r in requests)
    assert not [r for r in requests if r["path"].startswith("/private/")]
    assert len([r for r in requests if r["path"] == "/tin/loi-500.html"]) == 2  # one retry
    # the size cap stopped both 50 MB downloads early: what the server managed to write
    # before the connection closed is the cap plus the local socket buffers (up to ~16 MB
    # on a loaded machine), far from the whole page
    assert max(site.sent_bytes.values()) < BIG_BYTES // 2


def test_articles_are_extracted_clean_with_their_dates(sync: Syncer, site: FixtureSite) -> None:
    sync()
    for article in ARTICLES:
        doc = sync.index.get_document(expected_id(site, article))
        assert doc is not None
        assert doc.title == article.title
        assert doc.published_at == article.date, article.dateline
        assert doc.url == site.url(site.article_path(article))
        for paragraph in article.paragraphs:
            assert paragraph in doc.text
        for furniture in FURNITURE:
            assert furniture not in doc.text, (furniture, doc.id)
        assert article.dateline not in doc.text
        # no caption glued to the headline (or anywhere)
        assert article.caption.split(".")[0] not in doc.text


def test_an_article_under_several_urls_is_one_document(sync: Syncer, site: FixtureSite) -> None:
    summary = sync()
    # RSS lists one article with utm_ parameters, sitemap-2 one under the mobile host
    # with a Zalo parameter: both are the same documents as the plain URLs
    assert len(sync.ids()) == len(ARTICLES)
    assert summary.total("new") == len(ARTICLES)
    hosts = {r["host"].split(":")[0] for r in site.take_requests()}
    assert hosts == {"127.0.0.1", "localhost"}


def test_home_page_discovers_the_feeds(sync: Syncer, site: FixtureSite) -> None:
    summary = sync(("/",))
    assert summary.sources[0].kind == "page"
    assert sync.ids() == {expected_id(site, a) for a in ARTICLES}


# --- the next syncs -----------------------------------------------------------------------


def test_second_sync_is_conditional_and_embeds_nothing(sync: Syncer, site: FixtureSite) -> None:
    sync()
    generation = sync.index.generation
    site.take_requests()
    again = sync()
    requests = site.take_requests()
    assert requests, "the second sync asked nothing at all"
    unconditional = [r["path"] for r in requests if not r["if_none_match"]]
    assert unconditional == []
    assert {r["path"] for r in requests} >= {site.article_path(a) for a in ARTICLES}
    assert again.embedded == 0 and again.total("new") == again.total("updated") == 0
    assert again.total("unchanged") >= len(ARTICLES)
    assert sync.index.generation == generation  # nothing was written


def test_known_articles_are_not_asked_again_before_the_recheck_interval(
    sync: Syncer, site: FixtureSite
) -> None:
    sync(settings={"sync_recheck_s": 3600})
    site.take_requests()
    again = sync(settings={"sync_recheck_s": 3600})
    paths = {r["path"] for r in site.take_requests()}
    assert paths == {"/robots.txt", *GOOD_SOURCES, "/sitemap-1.xml", "/sitemap-2.xml"}
    assert again.total("unchanged") >= len(ARTICLES) and again.embedded == 0


def test_an_edited_article_is_replaced(sync: Syncer, site: FixtureSite) -> None:
    sync()
    article = site.articles[2]
    doc_id = expected_id(site, article)
    before = len(sync.index.store.conn.execute("SELECT id FROM chunks").fetchall())
    old = article.paragraphs[0]
    site.edit(article, ["Bài đã sửa: tổng vốn đăng ký đạt 410 triệu USD.", *article.paragraphs[1:]])
    summary = sync()
    assert summary.total("updated") == 1 and summary.total("new") == 0
    doc = sync.index.get_document(doc_id)
    assert doc is not None and "410 triệu USD" in doc.text and old not in doc.text
    chunks = sync.chunks_of(doc_id)
    assert chunks and all(chunk in doc.text for chunk in chunks)  # no stale chunk left
    assert not any(old in chunk for chunk in chunks)
    after = len(sync.index.store.conn.execute("SELECT id FROM chunks").fetchall())
    assert abs(after - before) <= 1  # replaced, not duplicated
    assert sync.index.vectors().size == after


def test_sitemap_lastmod_makes_a_known_article_due(sync: Syncer, site: FixtureSite) -> None:
    slow = {"sync_recheck_s": 3600}
    sync(settings=slow)
    article = site.articles[0]  # listed by sitemap-1
    site.edit(article, [*article.paragraphs, "Cập nhật: xuất khẩu tháng 4 đạt 480 triệu USD."])
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).isoformat()
    site.set_sitemap(
        "/sitemap-1.xml",
        [site.url(site.article_path(a)) for a in site.articles[::2]],
        lastmod=tomorrow,
    )
    summary = sync(settings=slow)
    assert summary.total("updated") == 1
    doc = sync.index.get_document(expected_id(site, article))
    assert doc is not None and "480 triệu USD" in doc.text


def test_a_withdrawn_article_is_removed_after_two_syncs(sync: Syncer, site: FixtureSite) -> None:
    sync()
    article = site.articles[3]
    doc_id = expected_id(site, article)
    site.pages[site.article_path(article)] = Page(b"Gone", "text/plain", status=410)
    first = sync()
    assert first.total("removed") == 0 and sync.index.get_document(doc_id) is not None
    assert any("410" in message for _, message in first.errors)
    second = sync()
    assert second.total("removed") == 1
    assert sync.index.get_document(doc_id) is None and sync.chunks_of(doc_id) == []
    assert len(sync.ids()) == len(ARTICLES) - 1


def test_a_page_back_after_one_404_is_not_removed(sync: Syncer, site: FixtureSite) -> None:
    sync()
    article = site.articles[1]
    path = site.article_path(article)
    kept = site.pages[path]
    site.pages[path] = Page(b"Not found", "text/plain", status=404)
    sync()
    site.pages[path] = kept
    sync()
    site.pages[path] = Page(b"Not found", "text/plain", status=404)
    summary = sync()  # one 404 again: the count started over
    assert summary.total("removed") == 0
    assert sync.index.get_document(expected_id(site, article)) is not None


def test_since_and_max(sync: Syncer, site: FixtureSite) -> None:
    summary = sync(since=dt.date(2024, 4, 17))
    dated = {expected_id(site, a) for a in ARTICLES if a.date >= "2024-04-17"}
    assert sync.ids() == dated
    # the older articles (one of them also under its mobile URL) were fetched, not indexed
    assert summary.total("skipped") == len(ARTICLES) - len(dated) + 1
    assert summary.errors == []


def test_max_bounds_the_new_articles(tmp_path: Path, site: FixtureSite) -> None:
    limited = Syncer(tmp_path / "limited", site)
    summary = limited(max_articles=2)
    assert summary.total("new") == 2 and len(limited.ids()) == 2
    limited()
    assert len(limited.ids()) == len(ARTICLES)  # the next sync takes the rest


# --- politeness and parsing ----------------------------------------------------------------


def _client(site: FixtureSite, **options: Any) -> PoliteClient:
    values: dict[str, Any] = {"user_agent": "assistant-sync/test", "retries": 0, **options}
    return PoliteClient(FetchOptions(**values))


def test_per_host_rate(site: FixtureSite) -> None:
    with _client(site, host_rate=20.0) as client:
        started = time.perf_counter()
        for _ in range(6):
            client.get(site.url("/rss.xml"), accept=("application/rss+xml",))
        elapsed = time.perf_counter() - started
    assert elapsed >= 5 / 20.0 * 0.9  # robots.txt + 6 requests: at least 5 intervals


def test_crawl_delay_of_robots_txt_slows_down(site: FixtureSite) -> None:
    site.pages["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    with _client(site, host_rate=0) as client:
        started = time.perf_counter()
        for _ in range(2):
            client.get(site.url("/rss.xml"), accept=("application/rss+xml",))
        assert time.perf_counter() - started >= 0.9


def test_retries_are_bounded(site: FixtureSite) -> None:
    with _client(site, retries=2, backoff_s=0.01) as client, pytest.raises(FetchError) as err:
        client.get(site.url("/tin/loi-500.html"))
    assert err.value.kind == "failed" and err.value.status == 500
    assert len([r for r in site.take_requests() if r["path"] == "/tin/loi-500.html"]) == 3


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Thứ Hai, 15/04/2024 - 08:30", "2024-04-15"),
        ("Chủ nhật, 14/4/2024, 20:15 (GMT+7)", "2024-04-14"),
        ("Cập nhật: 08:30 ngày 16/04/2024", "2024-04-16"),
        ("ngày 17 tháng 4 năm 2024", "2024-04-17"),
        ("Thứ Sáu, 19-04-2024 | 10:05", "2024-04-19"),
        ("Thứ 7, 20.04.2024 06:00", "2024-04-20"),
        ("31/02/2024", None),
        ("không có ngày", None),
    ],
)
def test_vietnamese_dates(text: str, iso: str | None) -> None:
    assert vietnamese_date(text) == iso


def test_urls_and_ids() -> None:
    plain = "https://baothanhhoa.vn/kinh-te/bai-viet-123.html"
    assert normalise_url(plain + "?utm_source=fb&fbclid=x&zarsrc=30#binh-luan") == plain
    assert normalise_url("HTTPS://BaoThanhHoa.vn:443/a?id=5&utm_medium=x") == (
        "https://baothanhhoa.vn/a?id=5"
    )
    same = {
        document_id(plain),
        document_id("https://m.baothanhhoa.vn/kinh-te/bai-viet-123.html?gidzl=abc"),
        document_id("https://www.baothanhhoa.vn/kinh-te/bai-viet-123.html"),
    }
    assert same == {"baothanhhoa-vn-kinh-te-bai-viet-123-html"}
    assert document_id("https://baothanhhoa.vn/tin?id=5") != document_id(
        "https://baothanhhoa.vn/tin?id=6"
    )
    # a mobile page's canonical is believed; a canonical on a stranger's site is not
    mobile = "https://m.baothanhhoa.vn/a.html"
    assert canonical_url(mobile, "https://baothanhhoa.vn/a.html", ()) == (
        "https://baothanhhoa.vn/a.html"
    )
    assert canonical_url(mobile, "https://other.example/a.html", ()) == mobile
