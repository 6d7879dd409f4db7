"""The web chat in a real browser against the real server.

The test starts ``python -m assistant serve`` on a free local port over an index built in
a temporary folder from corpus/sample plus one test article whose title and text carry
HTML/JS payloads, waits for ``/api/ready``, and drives Debian's Chromium (headless) with
Playwright: streamed answer with citations, the source panel and its highlighted quote,
a follow-up question, a "not found" answer, feedback stored server-side, inert article
markup, the embeddable widget on a page of another origin, keyboard-only use and a phone
screen. Screenshots go to ``artifacts/`` (git-ignored).

Skipped, with the reason, when Chromium, Playwright or the embedding model is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from browser import (
    ARTIFACTS,
    ROOT,
    chromium,
    http_get,
    require_browser,
    serving,
)
from needs import missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

with contextlib.suppress(ImportError):  # require_browser() says when it is missing
    from playwright.sync_api import expect

SAMPLE_DIR = ROOT / "corpus" / "sample"
API_KEY = "browser-test-key"
ASSISTANT = [sys.executable, "-m", "assistant"]
ANSWER_TIMEOUT_MS = 90_000

QUESTION = "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"
FOLLOW_UP = "Còn nhập khẩu thì sao?"
UNANSWERABLE = "Xuất khẩu năm 2024 đạt bao nhiêu?"
PAYLOAD_QUESTION = "Hội chợ kiểm thử an toàn năm 2030 có bao nhiêu gian hàng?"
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_ARTICLE = {
    "id": "kiem-thu-an-toan",
    "title": f"Kiểm thử hiển thị {SCRIPT_PAYLOAD}",
    "url": "javascript:window.__pwned=1",
    "published_at": "2030-05-04",
    "tags": ["kiểm thử"],
    # The emoji before the cited sentence makes Python (code point) and JavaScript (UTF-16)
    # offsets differ: the highlight is right only if the page converts them.
    "text": "Bài viết 🎉 này dùng để kiểm thử an toàn hiển thị của trang hỏi đáp.\n\n"
    f"Đoạn mã {SCRIPT_PAYLOAD} phải hiện ra dưới dạng chữ, và thẻ ảnh {IMG_PAYLOAD} "
    "cũng vậy.\n\n"
    "Hội chợ kiểm thử an toàn năm 2030 có 321 gian hàng tham gia và 12 đoàn khách quốc tế.",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.slow,
]


@pytest.fixture(autouse=True, scope="module")
def _browser_available() -> None:
    require_browser()


# --- the real server ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``assistant serve`` over sample + payload article (one per module)."""
    from assistant.core.config import get_settings
    from assistant.embed.provision import ModelNotAvailableError, resolve_model_path

    try:
        resolve_model_path(get_settings())
    except ModelNotAvailableError as err:
        missing(f"needs the embedding model, which is not available: {err}")

    work = tmp_path_factory.mktemp("browser")
    extra = work / "extra"
    extra.mkdir()
    (extra / "kiem-thu-an-toan.json").write_text(
        json.dumps(PAYLOAD_ARTICLE, ensure_ascii=False), encoding="utf-8"
    )
    index = work / "index"
    env = {**os.environ, "ASSISTANT_API_KEYS": API_KEY, "ASSISTANT_RATE_LIMIT": "0"}
    ingest = subprocess.run(
        [*ASSISTANT, "ingest", str(SAMPLE_DIR), str(extra), "--index", str(index), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr

    with serving(
        [*ASSISTANT, "serve", "--index", str(index)], env, work / "serve.log", "/api/ready", 300
    ) as base:
        yield base


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


# Counts re-renders of an answer while it is still streaming (aria-busy="true").
COUNT_STREAMED_RENDERS = """
window.__streamedRenders = 0;
document.addEventListener("DOMContentLoaded", () => {
  const log = document.getElementById("messages");
  if (!log) return;
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target;
      if (target.classList && target.classList.contains("msg__text")
          && target.closest('[aria-busy="true"]')) {
        window.__streamedRenders += 1;
      }
    }
  }).observe(log, { childList: true, subtree: true });
});
"""


class Session:
    """A page plus what it reported: console errors (CSP violations show up there)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.asked: list[dict[str, Any]] = []  # bodies of POST /api/ask/stream
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._record)

    def _record(self, request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/api/ask/stream"):
            self.asked.append(json.loads(request.post_data or "{}"))

    def ask(self, question: str) -> Any:
        """Type a question, press Enter, wait for the end of its answer; the answer's
        locator."""
        page = self.page
        count = page.locator(".msg--assistant").count()
        page.locator("#question").fill(question)
        page.locator("#question").press("Enter")
        answer = page.locator(".msg--assistant").nth(count)
        expect(answer).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT_MS)
        return answer


@pytest.fixture
def session(browser: Browser, server: str) -> Iterator[Session]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="vi-VN",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.add_init_script(COUNT_STREAMED_RENDERS)
    current = Session(page)
    page.goto(f"{server}/")
    yield current
    context.close()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# --- the tests ----------------------------------------------------------------------------


def test_streamed_answer_with_citation_and_highlighted_source(session: Session) -> None:
    page = session.page
    expect(page).to_have_title("Hỏi đáp Đối ngoại Thanh Hóa")
    expect(page.locator(".suggestion").first).to_be_visible()

    answer = session.ask(QUESTION)
    text = answer.locator(".msg__text")
    expect(text).to_contain_text("14.081,67")
    assert page.evaluate("window.__streamedRenders") >= 3, "the answer arrived in pieces"
    marker = text.locator("button.cite").first
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("aria-label", re.compile(r"^Xem nguồn 1: \S"))
    expect(answer).not_to_have_class(re.compile(r"msg--notfound"))

    marker.click()
    panel = page.locator("#source-panel")
    expect(panel).to_be_visible()
    mark = panel.locator("#source-text mark")
    expect(mark).to_contain_text("14.081,67")
    expect(page.locator("#source-title")).to_be_focused()
    _screenshot(page, "chat.png")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(marker).to_be_focused()

    answer.get_by_role("button", name="Sao chép câu trả lời").click()
    expect(answer.get_by_text("Đã sao chép")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "14.081,67" in copied and "[1]" in copied, copied
    assert "Nguồn trích dẫn:" in copied
    assert session.errors == []


def test_follow_up_keeps_the_conversation_and_new_chat_clears_it(session: Session) -> None:
    page = session.page
    session.ask(QUESTION)
    follow_up = session.ask(FOLLOW_UP)
    history = session.asked[-1]["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert "xuất khẩu" in history[0]["content"] and "14.081,67" in history[1]["content"]
    expect(follow_up.locator(".msg__text")).to_contain_text("14.581,102")
    expect(follow_up.locator(".msg__text button.cite").first).to_be_visible()

    page.get_by_role("button", name="Cuộc trò chuyện mới").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    session.ask(QUESTION)
    assert session.asked[-1]["history"] == [], "a new conversation starts with no history"


def test_not_found_answer_looks_different(session: Session) -> None:
    page = session.page
    found = session.ask(QUESTION)
    missing = session.ask(UNANSWERABLE)
    expect(missing).to_have_class(re.compile(r"\bmsg--notfound\b"))
    notice = missing.locator(".msg__notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Không tìm thấy")
    expect(notice.locator("svg")).to_be_visible()
    expect(missing.locator(".msg__text button.cite")).to_have_count(0)

    def background(locator: Any) -> str:
        return str(locator.evaluate("el => getComputedStyle(el).backgroundColor"))

    assert background(missing.locator(".msg__bubble")) != background(found.locator(".msg__bubble"))
    related = missing.locator(".related__item")
    if related.count():
        related.first.click()
        expect(page.locator("#source-text")).not_to_be_empty()
    page.keyboard.press("Escape")

    # it offers questions the articles answer; a click asks one, and it is answered
    instead = missing.locator(".suggestions--instead .suggestion")
    expect(instead.first).to_be_visible()
    offered = instead.first.inner_text()
    count = page.locator(".msg--assistant").count()
    instead.first.click()
    answered = page.locator(".msg--assistant").nth(count)
    expect(answered).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".msg--user").last).to_contain_text(offered)
    expect(answered).not_to_have_class(re.compile(r"msg--notfound"))


def test_thumbs_down_with_comment_is_stored(session: Session, server: str) -> None:
    page = session.page
    answer = session.ask(QUESTION)
    comment = f"Thiếu tên tỉnh — kiểm thử {time.time_ns()}"
    answer.get_by_role("button", name="Câu trả lời chưa tốt").click()
    expect(answer.get_by_role("button", name="Câu trả lời chưa tốt")).to_have_attribute(
        "aria-pressed", "true"
    )
    box = page.get_by_label("Góp ý thêm (không bắt buộc)")
    expect(box).to_be_focused()
    box.fill(comment)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".feedback__thanks")).to_have_text("Cảm ơn bạn đã góp ý!")

    status, body = http_get(
        f"{server}/api/feedback/export?format=jsonl",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    assert status == 200, body
    records = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    stored = [r for r in records if r["comment"] == comment]
    assert len(stored) == 1
    assert stored[0]["rating"] == "down"
    assert stored[0]["question"] == QUESTION
    assert "14.081,67" in stored[0]["answer"]
    assert stored[0]["citations"] and stored[0]["citations"][0]["n"] == 1


def test_article_markup_is_shown_as_text_and_never_runs(session: Session) -> None:
    page = session.page
    answer = session.ask(PAYLOAD_QUESTION)
    expect(answer.locator(".msg__text")).to_contain_text("321")
    # each source is listed with its article's publication date
    expect(answer.locator(".sources__date").first).to_contain_text("04/05/2030")
    cite = answer.locator(".msg__text button.cite").first
    expect(cite).to_be_visible()
    cite.click()

    panel = page.locator("#source-panel")
    expect(panel.locator("#source-title")).to_have_text(PAYLOAD_ARTICLE["title"])
    body = panel.locator("#source-text")
    expect(body).to_contain_text(SCRIPT_PAYLOAD)
    expect(body).to_contain_text(IMG_PAYLOAD)
    mark = body.locator("mark")
    expect(mark).to_have_text(
        "Hội chợ kiểm thử an toàn năm 2030 có 321 gian hàng tham gia và 12 đoàn khách quốc tế."
    )
    assert panel.locator("script, img").count() == 0
    # a javascript: URL is never turned into a link
    assert page.locator('a[href^="javascript:"]').count() == 0
    expect(panel.get_by_role("link", name="Mở bài viết gốc")).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert session.errors == []
    _screenshot(page, "inert-article.png")


def test_keyboard_only(session: Session) -> None:
    page = session.page
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_be_focused()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    answer = page.locator(".msg--assistant").first
    expect(answer).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")

    for _ in range(12):  # back from the question box to the answer's last citation marker
        page.keyboard.press("Shift+Tab")  # (the lead line and the quote each carry one)
        if page.evaluate("document.activeElement.matches('.msg__text .cite')"):
            break
    cite = answer.locator(".msg__text .cite").last
    expect(cite).to_be_focused()
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2, f"visible focus ring: {outline}"

    page.keyboard.press("Enter")
    expect(page.locator("#source-panel")).to_be_visible()
    expect(page.locator("#source-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#source-panel")).to_be_hidden()
    expect(cite).to_be_focused()


def test_phone_screen(browser: Browser, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        question = page.locator("#question")
        expect(question).to_be_in_viewport()
        expect(page.get_by_role("button", name="Gửi câu hỏi")).to_be_in_viewport()

        def no_horizontal_scroll() -> None:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"page is {width}px wide"

        no_horizontal_scroll()
        session = Session(page)
        answer = session.ask(QUESTION)
        expect(answer.locator(".msg__text")).to_contain_text("14.081,67")
        expect(question).to_be_in_viewport()
        no_horizontal_scroll()
        _screenshot(page, "chat-phone.png")

        answer.locator(".msg__text button.cite").first.tap()
        panel = page.locator("#source-panel")
        expect(panel.locator("mark")).to_be_visible()
        box = panel.bounding_box()
        assert box is not None and box["width"] >= 389, "the source panel fills the screen"
        expect(page.get_by_role("button", name="Đóng khung nguồn (Esc)")).to_be_in_viewport()
        _screenshot(page, "source-phone.png")
        page.get_by_role("button", name="Đóng khung nguồn (Esc)").tap()
        expect(panel).to_be_hidden()
        no_horizontal_scroll()
    finally:
        context.close()


@contextlib.contextmanager
def _host_page(html: str) -> Iterator[str]:
    """Serve one HTML page on another local port (another origin than the assistant)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            payload = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_widget_opens_the_chat_on_another_site(browser: Browser, server: str) -> None:
    host_html = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Cổng tin</title>"
        "</head><body><h1>Trang tin của cổng thông tin</h1>"
        f'<script src="{server}/widget.js"></script></body></html>'
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        with _host_page(host_html) as url:
            page.goto(url)
            launcher = page.get_by_role("button", name="Mở trợ lý hỏi đáp")
            expect(launcher).to_be_visible()
            expect(launcher).to_have_attribute("aria-expanded", "false")
            launcher.click()

            frame_element = page.locator("iframe")
            expect(frame_element).to_be_visible()
            assert frame_element.get_attribute("src") == f"{server}/?embed=1"
            frame = page.frame_locator("iframe")
            expect(frame.locator("#question")).to_be_visible()
            expect(frame.locator("#question")).to_be_focused()
            expect(frame.locator(".suggestion").first).to_be_visible()
            expect(page.get_by_role("button", name="Đóng trợ lý hỏi đáp").first).to_be_visible()
            _screenshot(page, "widget.png")

            # Esc inside the chat (another origin) closes the panel; focus goes back
            frame.locator("#question").press("Escape")
            expect(frame_element).to_be_hidden()
            reopen = page.get_by_role("button", name="Mở trợ lý hỏi đáp")
            expect(reopen).to_be_focused()
            reopen.press("Enter")
            expect(frame_element).to_be_visible()
            page.keyboard.press("Escape")  # also from the host page itself
            page.locator("h1").click()
            page.keyboard.press("Escape")
            expect(frame_element).to_be_hidden()
            assert page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        context.close()
