"""A fixture news portal served over real HTTP on 127.0.0.1 for the sync tests.

The site has what a provincial portal has: an RSS feed, an Atom feed, a sitemap index of
two sitemaps, a home page linking its feeds, robots.txt, and article pages with the
real-world mess around the article (menus, an ad banner, a "latest news" sidebar with
dates, lazy images, figure captions, a share bar, a comment widget, related links) and
Vietnamese dates in the forms portals print. Next to them, the failures a sync meets: a
malformed feed, a page answering 500, one slower than the timeout, a redirect loop, a
PDF, a 50 MB page (declared, and one streamed without a length), a page disallowed by
robots.txt, and the same article under a tracking-parameter URL and the mobile host
(``localhost`` instead of ``127.0.0.1``: same server, another host name).

Pages are served with ETag and Last-Modified and answer conditional requests with 304,
like a well-configured portal; every request is logged for the tests to inspect.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import threading
import time
from dataclasses import dataclass, field, replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIG_BYTES = 50_000_000


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay_s: float = 0.0
    location: str | None = None
    stream_bytes: int = 0  # > 0: that many bytes, streamed (declared unless `undeclared`)
    undeclared: bool = False
    modified: float = field(default_factory=lambda: 1_713_000_000.0)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Article:
    slug: str
    title: str
    dateline: str
    date: str  # the ISO date the dateline says
    lead: str
    paragraphs: list[str]
    caption: str
    meta_date: str | None = None


ARTICLES = [
    Article(
        "xuat-khau-quy-i",
        "Kim ngạch xuất khẩu quý I của Thanh Hóa tăng mạnh",
        "Thứ Hai, 15/04/2024 - 08:30",
        "2024-04-15",
        "Quý I năm 2024, kim ngạch xuất khẩu hàng hóa của tỉnh ước đạt 1.350 triệu USD.",
        [
            "Theo Sở Công Thương, kim ngạch xuất khẩu quý I tăng 18,4% so với cùng kỳ năm "
            "trước, trong đó khu vực có vốn đầu tư nước ngoài chiếm gần 70%.",
            "Các mặt hàng chủ lực gồm giày da, dệt may, xi măng và sản phẩm lọc hóa dầu từ "
            "Khu kinh tế Nghi Sơn.",
            "Thị trường xuất khẩu tiếp tục mở rộng sang Hàn Quốc, Nhật Bản và các nước thuộc "
            "Liên minh châu Âu.",
        ],
        "Bốc xếp hàng hóa tại cảng Nghi Sơn. Ảnh: Minh Hiếu",
    ),
    Article(
        "hua-phan-hop-tac",
        "Thanh Hóa và Hủa Phăn ký kết biên bản hợp tác năm 2024",
        "Chủ nhật, 14/4/2024, 20:15 (GMT+7)",
        "2024-04-14",
        "Đoàn công tác tỉnh Hủa Phăn (Lào) đã làm việc với lãnh đạo tỉnh Thanh Hóa.",
        [
            "Hai bên thống nhất tăng cường hợp tác trong các lĩnh vực giáo dục, y tế, nông "
            "nghiệp và quản lý biên giới.",
            "Tỉnh Thanh Hóa hỗ trợ đào tạo 120 lưu học sinh Lào tại các trường đại học, cao "
            "đẳng trên địa bàn tỉnh.",
            "Hai tỉnh cũng thống nhất tổ chức giao lưu văn hóa, thể thao nhân dịp kỷ niệm "
            "ngày thiết lập quan hệ ngoại giao.",
        ],
        "Lãnh đạo hai tỉnh ký kết biên bản hợp tác. Ảnh: Lê Hợi",
    ),
    Article(
        "fdi-nghi-son",
        "Thu hút FDI vào Khu kinh tế Nghi Sơn đạt kết quả tích cực",
        "Cập nhật: 08:30 ngày 16/04/2024",
        "2024-04-16",
        "Từ đầu năm, Khu kinh tế Nghi Sơn đã thu hút thêm 5 dự án có vốn đầu tư nước ngoài.",
        [
            "Tổng vốn đăng ký của các dự án mới đạt 320 triệu USD, tập trung vào công nghiệp "
            "chế biến, chế tạo và logistics.",
            "Ban quản lý khu kinh tế cho biết sẽ tiếp tục cải thiện hạ tầng và thủ tục hành "
            "chính để đón nhà đầu tư.",
        ],
        "Một nhà máy tại Khu kinh tế Nghi Sơn. Ảnh: Tư liệu",
    ),
    Article(
        "lao-dong-nuoc-ngoai",
        "Gần 3.000 lao động Thanh Hóa đi làm việc ở nước ngoài",
        "ngày 17 tháng 4 năm 2024",
        "2024-04-17",
        "Trong 3 tháng đầu năm, toàn tỉnh có 2.950 người đi làm việc có thời hạn ở nước ngoài.",
        [
            "Thị trường tiếp nhận nhiều lao động nhất là Nhật Bản, tiếp đến là Đài Loan "
            "(Trung Quốc) và Hàn Quốc.",
            "Sở Lao động - Thương binh và Xã hội khuyến cáo người lao động chỉ đăng ký qua "
            "doanh nghiệp được cấp phép.",
        ],
        "Lao động tham gia khóa bồi dưỡng kiến thức cần thiết. Ảnh: PV",
    ),
    Article(
        "thanh-nha-ho-unesco",
        "Thành nhà Hồ đón lượng khách kỷ lục dịp nghỉ lễ",
        "18/04/2024",
        "2024-04-18",
        "Di sản văn hóa thế giới Thành nhà Hồ đón hơn 12.000 lượt khách trong tuần qua.",
        [
            "Ban quản lý di tích đã bố trí thêm hướng dẫn viên và mở rộng khu vực đón tiếp.",
            "Nhiều hoạt động trải nghiệm văn hóa truyền thống được tổ chức để phục vụ du khách.",
        ],
        "Du khách tham quan cổng Nam Thành nhà Hồ. Ảnh: Thanh Nga",
        meta_date="2024-04-18T07:00:00+07:00",
    ),
    Article(
        "seongnam-giao-luu",
        "Thanh Hóa và Seongnam tăng cường giao lưu địa phương",
        "Thứ Sáu, 19-04-2024 | 10:05",
        "2024-04-19",
        "Đoàn đại biểu thành phố Seongnam (Hàn Quốc) đã thăm và làm việc tại Thanh Hóa.",
        [
            "Hai bên trao đổi về hợp tác trong đào tạo nghề, giao lưu thanh thiếu niên và "
            "phát triển đô thị thông minh.",
            "Thành phố Seongnam sẽ tiếp nhận 30 học viên Thanh Hóa tham gia khóa đào tạo ngắn "
            "hạn về quản lý đô thị.",
        ],
        "Các đại biểu chụp ảnh lưu niệm. Ảnh: Khánh Phương",
    ),
]


def generated_articles(count: int, start: int = 0) -> list[Article]:
    """``count`` more distinct articles (for scale: the crash test and the benchmark)."""
    places = ["Sầm Sơn", "Bỉm Sơn", "Nghi Sơn", "Thọ Xuân", "Hoằng Hóa", "Ngọc Lặc", "Quảng Xương"]
    items = []
    for i in range(start, start + count):
        place = places[i % len(places)]
        day = 1 + i % 28
        items.append(
            Article(
                f"tin-dia-phuong-{i}",
                f"{place}: bản tin kinh tế - xã hội số {i}",
                f"Thứ Ba, {day:02d}/03/2024 - 07:{i % 60:02d}",
                f"2024-03-{day:02d}",
                f"Bản tin số {i} tổng hợp tình hình phát triển kinh tế - xã hội tại {place}.",
                [
                    f"Trong tháng, {place} thu ngân sách đạt {100 + i} tỷ đồng, tăng {i % 17 + 3}% "
                    f"so với cùng kỳ; giá trị sản xuất công nghiệp ước đạt {900 + 7 * i} tỷ đồng.",
                    f"Địa phương đã giải ngân {40 + i % 50}% kế hoạch vốn đầu tư công, hoàn thành "
                    f"{i % 9 + 2} công trình giao thông nông thôn và {i % 5 + 1} trường học mới.",
                    f"Về xã hội, {place} tạo việc làm mới cho {300 + 3 * i} lao động, hỗ trợ "
                    f"{20 + i % 30} hộ nghèo xây dựng nhà ở và tổ chức khám sức khỏe cho người cao "
                    "tuổi trên địa bàn.",
                    f"Ủy ban nhân dân {place} yêu cầu các phòng, ban tiếp tục rà soát thủ tục hành "
                    f"chính, phấn đấu hoàn thành chỉ tiêu năm 2024 (mã bản tin {i:05d}).",
                ],
                f"Toàn cảnh trung tâm {place}. Ảnh: Phóng viên {i}",
            )
        )
    return items


def article_html(article: Article, canonical: str, mobile: bool = False) -> bytes:
    """The page of an article, with the furniture a portal puts around it."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    meta = (
        f'<meta property="article:published_time" content="{article.meta_date}">'
        if article.meta_date
        else ""
    )
    layout = "m-detail" if mobile else "detail"
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{e(article.title)} - Báo Thanh Hóa</title>
<link rel="canonical" href="{e(canonical)}">
<meta property="og:title" content="{e(article.title)}">{meta}
<script>window.ads = window.ads || []; ads.push({{slot: "top"}});</script>
<style>.lazy {{ opacity: 0 }}</style>
</head><body>
<header><nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự
</a></li><li><a href="/kinh-te">Kinh tế</a></li><li><a href="/xa-hoi">Xã hội</a></li></ul></nav>
</header>
<div class="ads banner-top" id="adsTop"><a href="https://quangcao.example/nha-dat"><img
 src="/ads/banner.gif" alt="Quảng cáo"></a><span>Quảng cáo: Căn hộ view biển Sầm Sơn giá chỉ từ
 999 triệu, gọi ngay 0900 000 000</span></div>
<aside class="sidebar latest"><h3>Tin mới</h3><ul>
<li><a href="/tin/cu-1.html">Khai mạc hội chợ thương mại cuối năm</a>
 <span class="time">02/01/2020 09:00</span></li></ul></aside>
<main><article class="{layout}">
<h1 class="title">{e(article.title)}</h1>
<div class="date-time">{e(article.dateline)}</div>
<div class="sapo"><p>(Baothanhhoa.vn) - {e(article.lead)}</p></div>
<div class="content">
{body}
<figure class="image"><img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
 data-src="/anh/{article.slug}.jpg" alt="{e(article.caption)}"><figcaption>{e(article.caption)}
</figcaption></figure>
<p>Các cơ quan chức năng sẽ tiếp tục theo dõi, cập nhật tình hình trong thời gian tới.</p>
</div>
<div class="share-bar">Chia sẻ Facebook Zalo Twitter</div>
<div class="tags">Từ khóa: Thanh Hóa, kinh tế</div>
</article>
<div class="ads inline-ad"><span>Quảng cáo</span><iframe src="https://ads.example/frame"></iframe>
</div>
<section class="comments" id="box-comment"><h3>Bình luận (2)</h3>
<div class="comment-item"><b>Nguyễn Văn An</b> - 2 giờ trước<p>Bài viết rất hay, cảm ơn báo
 đã thông tin kịp thời!</p></div>
<div class="comment-item"><b>Lê Thị Bình</b> - 3 giờ trước<p>Mong tỉnh tiếp tục phát huy.</p>
</div>
<form class="comment-form"><p>Ý kiến của bạn sẽ được biên tập trước khi đăng. Vui lòng gõ tiếng
 Việt có dấu.</p><textarea></textarea><button>Gửi bình luận</button></form></section>
<aside class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin/lien-quan-1.html">Hội nghị xúc tiến đầu tư vào Thanh Hóa năm 2023</a>
 <span class="date">05/05/2023</span></li>
<li><a href="/tin/lien-quan-2.html">Nông sản Thanh Hóa vươn ra thị trường quốc tế</a>
 <span class="date">06/06/2023</span></li></ul></aside>
</main>
<footer class="footer">Cơ quan chủ quản: Tỉnh ủy Thanh Hóa. Giấy phép số 123/GP-BTTTT.</footer>
</body></html>"""
    return page.encode("utf-8")


class FixtureSite:
    """The portal: pages by path, served on 127.0.0.1 (and ``localhost``) on a free port."""

    def __init__(self, articles: list[Article] | None = None, *, slow_s: float = 2.0) -> None:
        # copies: a test that edits an article must not change the next test's site
        self.articles = [replace(a, paragraphs=list(a.paragraphs)) for a in (articles or ARTICLES)]
        self.pages: dict[str, Page] = {}
        self.requests: list[dict[str, str]] = []
        self.sent_bytes: dict[str, int] = {}
        self.article_delay_s = 0.0
        self.slow_s = slow_s
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.mobile_base = f"http://localhost:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.build()

    # --- content ------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + path

    def article_path(self, article: Article) -> str:
        return f"/tin/{article.slug}.html"

    def build(self) -> None:
        """All the site's pages from its articles."""
        arts = self.articles
        for article in arts:
            self.put_article(article)
        b = self.base
        self.pages["/robots.txt"] = Page(
            b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n", "text/plain"
        )
        self.pages["/"] = Page(
            (
                '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Báo Thanh Hóa</title>'
                '<link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss.xml">'
                '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
                "</head><body><h1>Báo Thanh Hóa</h1>"
                + "".join(
                    f'<p><a href="{self.article_path(a)}">{html.escape(a.title)}</a></p>'
                    for a in arts
                )
                + "</body></html>"
            ).encode()
        )
        # RSS: the first half (one link with tracking parameters); Atom: the rest
        half = max(1, len(arts) // 2)
        items = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{b}{self.article_path(a)}"
            f"{'?utm_source=rss&amp;utm_medium=feed' if i == 0 else ''}</link>"
            f"<pubDate>Mon, 15 Apr 2024 08:30:00 +0700</pubDate></item>"
            for i, a in enumerate(arts[:half])
        )
        self.pages["/rss.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Báo Thanh Hóa</title><link>{b}/</link>{items}</channel></rss>"
            ).encode(),
            "application/rss+xml; charset=utf-8",
        )
        entries = "".join(
            f'<entry><title>{html.escape(a.title)}</title><link href="{self.article_path(a)}"/>'
            f"<id>{b}{self.article_path(a)}</id><updated>2024-04-19T10:05:00+07:00</updated></entry>"
            for a in arts[half:]
        )
        self.pages["/atom.xml"] = Page(
            (
                '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f'<title>Báo Thanh Hóa</title><link rel="self" href="{b}/atom.xml"/>'
                f"{entries}</feed>"
            ).encode(),
            "application/atom+xml",
        )
        self.pages["/sitemap.xml"] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{b}/sitemap-1.xml</loc></sitemap>"
                f"<sitemap><loc>{b}/sitemap-2.xml</loc></sitemap></sitemapindex>"
            ).encode(),
            "application/xml",
        )
        first, second = arts[::2], arts[1::2]
        # the second sitemap lists its first article under the mobile host too
        extra = [f"{self.mobile_base}{self.article_path(second[0])}?zarsrc=30"] if second else []
        self.set_sitemap("/sitemap-1.xml", [b + self.article_path(a) for a in first])
        self.set_sitemap("/sitemap-2.xml", [b + self.article_path(a) for a in second] + extra)
        self.pages["/feed-hong.xml"] = Page(
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin & s\xe1\xbb\xb1 ki\xe1'
            b"\xbb\x87n</title><item><title>B\xc3\xa0i <b>l\xe1\xbb\x97i</titl",
            "application/rss+xml",
        )
        # the troublemakers, listed by their own sitemap
        self.pages["/tin/loi-500.html"] = Page(b"Internal Server Error", "text/plain", status=500)
        self.pages["/tin/cham.html"] = Page(b"<html><body>late</body></html>", delay_s=self.slow_s)
        self.pages["/tin/vong-lap-a.html"] = Page(status=302, location="/tin/vong-lap-b.html")
        self.pages["/tin/vong-lap-b.html"] = Page(status=302, location="/tin/vong-lap-a.html")
        self.pages["/tai-lieu/bao-cao.pdf"] = Page(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"
        )
        self.pages["/tin/rat-lon.html"] = Page(stream_bytes=BIG_BYTES)
        self.pages["/tin/rat-lon-khong-do-dai.html"] = Page(stream_bytes=BIG_BYTES, undeclared=True)
        self.pages["/private/noi-bo.html"] = Page(b"<html><body>internal</body></html>")
        self.set_sitemap(
            "/sitemap-loi.xml",
            [
                b + p
                for p in (
                    "/tin/loi-500.html",
                    "/tin/cham.html",
                    "/tin/vong-lap-a.html",
                    "/tai-lieu/bao-cao.pdf",
                    "/tin/rat-lon.html",
                    "/tin/rat-lon-khong-do-dai.html",
                    "/private/noi-bo.html",
                )
            ],
        )

    def set_sitemap(self, path: str, urls: list[str], lastmod: str | None = None) -> None:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        entries = "".join(f"<url><loc>{html.escape(u)}</loc>{mod}</url>" for u in urls)
        self.pages[path] = Page(
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            ).encode(),
            "application/xml",
        )

    def put_article(self, article: Article) -> None:
        path = self.article_path(article)
        self.pages[path] = Page(article_html(article, self.base + path), modified=time.time())

    def edit(self, article: Article, paragraphs: list[str]) -> None:
        """The newsroom edits an article in place (its feeds do not change)."""
        article.paragraphs = paragraphs
        self.put_article(article)

    # --- running ------------------------------------------------------------------------
    def __enter__(self) -> FixtureSite:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def take_requests(self) -> list[dict[str, str]]:
        with self._lock:
            taken, self.requests = self.requests, []
        return taken


def _handler(site: FixtureSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            # the client may give up (timeout, size cap): as a real server, carry on
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._get()

        def _get(self) -> None:
            path = self.path
            host = self.headers.get("Host", "")
            with site._lock:
                site.requests.append(
                    {
                        "path": path,
                        "host": host,
                        "user_agent": self.headers.get("User-Agent", ""),
                        "if_none_match": self.headers.get("If-None-Match", ""),
                        "if_modified_since": self.headers.get("If-Modified-Since", ""),
                    }
                )
            page = site.pages.get(path.split("?")[0])
            if page is None:
                self._send(404, b"Not found", "text/plain")
                return
            if page.delay_s:
                time.sleep(page.delay_s)
            elif site.article_delay_s and path.startswith("/tin/"):
                time.sleep(site.article_delay_s)
            if page.location:
                self.send_response(page.status)
                self.send_header("Location", page.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if page.stream_bytes:
                self._stream(path, page)
                return
            if page.status != 200:
                self._send(page.status, page.body, page.content_type)
                return
            body = page.body
            if host.startswith("localhost") and path.startswith("/tin/"):
                body = body.replace(b'class="detail"', b'class="m-detail"')  # mobile layout
            if self.headers.get("If-None-Match") == page.etag:
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self._send(200, body, page.content_type, page)

        def _send(self, status: int, body: bytes, content_type: str, page: Page | None = None):  # type: ignore[no-untyped-def]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if page is not None:
                self.send_header("ETag", page.etag)
                self.send_header("Last-Modified", formatdate(page.modified, usegmt=True))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, path: str, page: Page) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if page.undeclared:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(page.stream_bytes))
            self.end_headers()
            block = b"<p>" + b"x" * 65_530 + b"</p>\n"
            sent = 0
            while sent < page.stream_bytes:
                self.wfile.write(block)
                sent += len(block)
                with site._lock:
                    site.sent_bytes[path] = sent

    return Handler
