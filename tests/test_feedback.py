"""Readers' feedback (store, validate, export with a key), suggested questions, and the
routes of the web chat (page, assets, security headers).

The assistant here runs on the stand-in hashing embedder: these tests are about the HTTP
machinery and the SQLite storage, not about answer quality, so they need no model.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_index
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.answer.assistant import Assistant
from assistant.api.main import create_app
from assistant.core.config import Settings, get_settings
from assistant.core.types import Document
from assistant.embed.hashing import HashingEmbedder
from assistant.feedback.postgres import PgFeedbackStore
from assistant.feedback.store import FEEDBACK_DB, FeedbackRecord, FeedbackStore, SqliteFeedbackStore
from assistant.feedback.suggestions import Suggester, suggest_questions
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor
from assistant.text.questions import closest_questions, questions_from_text

ROOT = Path(__file__).resolve().parents[1]
WEB_DIR = ROOT / "src" / "assistant" / "web"
KEY = "feedback-export-key"
QUESTION = "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"
ANSWER = (
    "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD [1]."
)
CITATIONS = [
    {
        "n": 1,
        "doc_id": "thanh-hoa-doi-ngoai",
        "title": "Tăng cường công tác đối ngoại đáp ứng yêu cầu trong giai đoạn mới",
        "start": 10,
        "end": 20,
    }
]
EXTRA = Document(
    id="cang-nghi-son-2022",
    title="Cảng Nghi Sơn năm 2022",
    text="Năm 2022, sản lượng hàng hóa thông qua cảng Nghi Sơn đạt 42,5 triệu tấn.\n\n"
    "Ban Quản lý đã cấp mới 31 dự án đầu tư.",
    published_at="2022-12-27",
)


def _settings(index_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"rate_limit": 0, "api_keys": [KEY], **overrides}
    return get_settings(index_dir=index_dir, **values)


@pytest.fixture
def make_app(tmp_path: Path, hashing_sample_index: Path) -> Callable[..., FastAPI]:
    """Factory: an app with a loaded (hashing) assistant on a private copy of the index."""

    def make(**overrides: Any) -> FastAPI:
        folder = tmp_path / "index"
        if not folder.exists():
            copy_index(hashing_sample_index, folder)
        settings = _settings(folder, **overrides)
        embedder = HashingEmbedder(dim=32)
        index = Index(folder, embedder.key, embedder.dim, create=False)
        return create_app(settings, assistant=Assistant(index, embedder, settings))

    return make


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def _auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _feedback(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "question": QUESTION,
        "answer": ANSWER,
        "rating": "down",
        "comment": "Nên nói rõ là của tỉnh Thanh Hóa.",
        "query": QUESTION,
        "citations": CITATIONS,
    }
    body.update(changes)
    return body


def _assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# --- POST /api/feedback -------------------------------------------------------------------


def test_feedback_is_stored_in_its_own_sqlite_file(client: TestClient, tmp_path: Path) -> None:
    db = tmp_path / "index" / FEEDBACK_DB
    assert not db.exists(), "created on first use only"

    response = client.post("/api/feedback", json=_feedback())
    assert response.status_code == 201, response.text
    first = response.json()
    assert first["stored"] is True and isinstance(first["id"], int)

    second = client.post("/api/feedback", json=_feedback(rating="up", comment=None)).json()
    assert second["id"] > first["id"]

    assert db.is_file()
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT rating, question, answer, comment, query, citations FROM feedback ORDER BY id"
        ).fetchall()
    assert [row[0] for row in rows] == ["down", "up"]
    assert rows[0][1] == QUESTION and rows[0][2] == ANSWER
    assert rows[0][3] == "Nên nói rõ là của tỉnh Thanh Hóa."
    assert rows[1][3] is None
    assert json.loads(rows[0][5])[0]["doc_id"] == "thanh-hoa-doi-ngoai"


def test_feedback_only_needs_rating_question_and_answer(client: TestClient) -> None:
    response = client.post(
        "/api/feedback", json={"question": "Câu hỏi?", "answer": "Trả lời.", "rating": "up"}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_feedback(rating="meh"), "rating"),
        (_feedback(question="   "), "question"),
        ({"answer": ANSWER, "rating": "up"}, "question"),
        (_feedback(comment="x" * 5000), "comment"),
        (_feedback(citations=[{"n": 1}]), "citations.0.doc_id"),
    ],
)
def test_invalid_feedback_is_refused_in_vietnamese(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    error = _assert_error(client.post("/api/feedback", json=body), 422, "validation_error")
    assert "không hợp lệ" in error["message"] and field in error["message"]


def test_malformed_json_is_a_400(client: TestClient) -> None:
    response = client.post(
        "/api/feedback", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _assert_error(response, 400)


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], FeedbackStore]:
    """Factory of store objects on one backend (each request of the service has its own
    view of the same storage): the embedded file, or a database of the test server."""
    if request.param == "sqlite":
        path = tmp_path / "idx" / FEEDBACK_DB
        return lambda: SqliteFeedbackStore(path)
    url = str(request.getfixturevalue("pg_url"))
    opened: list[FeedbackStore] = []

    def make() -> FeedbackStore:
        opened.append(PgFeedbackStore(url))
        return opened[-1]

    request.addfinalizer(lambda: [store.close() for store in opened])
    return make


def test_concurrent_writers_lose_nothing(open_store: Callable[[], FeedbackStore]) -> None:
    """Many threads, each with its own store object (as replicas have), all committed."""
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def write(worker: int) -> None:
        try:
            store = open_store()
            for i in range(25):
                new_id = store.add(
                    FeedbackRecord(
                        rating="up" if i % 2 else "down",
                        question=f"câu hỏi {worker}-{i}",
                        answer="trả lời",
                        citations=CITATIONS,
                    )
                )
                with lock:
                    ids.append(new_id)
        except BaseException as err:  # reported below, with the thread's error
            errors.append(err)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(ids) == len(set(ids)) == 200
    rows = list(open_store().rows(batch=64))
    assert len(rows) == 200 and [row["id"] for row in rows] == sorted(ids)
    assert rows[0]["citations"] == CITATIONS


def test_replicas_on_one_database_share_one_feedback_table(
    make_app: Callable[..., FastAPI], pg_url: str
) -> None:
    """With ASSISTANT_DATABASE_URL, a rating given through any replica is in the export
    of every replica (the table is the index database's, not a file of one process)."""
    with (
        TestClient(make_app(database_url=pg_url)) as first,
        TestClient(make_app(database_url=pg_url)) as second,
    ):
        assert first.post("/api/feedback", json=_feedback()).status_code == 201
        assert second.post("/api/feedback", json=_feedback(rating="up")).status_code == 201
        exported = first.get("/api/feedback/export?format=jsonl", headers=_auth())
    assert exported.status_code == 200, exported.text
    rows = [json.loads(line) for line in exported.text.splitlines()]
    assert [row["rating"] for row in rows] == ["down", "up"]
    assert rows[0]["question"] == QUESTION and rows[0]["citations"] == CITATIONS
    assert not (Path(first.app.state.services.settings.index_dir) / FEEDBACK_DB).exists()


def test_an_unreachable_feedback_database_is_a_503_in_vietnamese(
    make_app: Callable[..., FastAPI], tmp_path: Path
) -> None:
    url = f"postgresql:///nowhere?host={tmp_path}/no-server"
    with TestClient(make_app(database_url=url)) as client:
        error = _assert_error(client.post("/api/feedback", json=_feedback()), 503)
    assert error["code"] == "feedback_unavailable" and "thử lại" in error["message"]


# --- GET /api/feedback/export -------------------------------------------------------------


def test_export_requires_the_api_key(client: TestClient) -> None:
    _assert_error(client.get("/api/feedback/export"), 401)
    _assert_error(
        client.get("/api/feedback/export", headers=_auth("wrong")), 403, "invalid_api_key"
    )


def test_export_is_off_without_configured_keys(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(api_keys=[])) as client:
        response = client.get("/api/feedback/export", headers=_auth())
        _assert_error(response, 403, "keys_not_configured")


def test_export_csv_opens_in_a_spreadsheet(client: TestClient) -> None:
    client.post("/api/feedback", json=_feedback())
    client.post("/api/feedback", json=_feedback(rating="up", answer='=HYPERLINK("x") [1]'))

    response = client.get("/api/feedback/export?format=csv", headers=_auth())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.rstrip('"').endswith(".csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "BOM so that Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["rating"] for row in rows] == ["down", "up"]
    assert rows[0]["question"] == QUESTION
    assert rows[0]["comment"] == "Nên nói rõ là của tỉnh Thanh Hóa."
    assert json.loads(rows[0]["citations"])[0]["n"] == 1
    assert rows[1]["answer"].startswith("'="), "a formula is neutralised"


def test_export_jsonl(client: TestClient) -> None:
    client.post("/api/feedback", json=_feedback())
    response = client.get("/api/feedback/export", params={"format": "jsonl"}, headers=_auth())
    assert response.status_code == 200, response.text
    assert ".jsonl" in response.headers["content-disposition"]
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 1
    record = records[0]
    assert record["rating"] == "down" and record["question"] == QUESTION
    assert record["citations"] == CITATIONS
    assert re.match(r"\d{4}-\d\d-\d\dT", record["created_at"])


def test_export_of_nothing_and_of_an_unknown_format(client: TestClient) -> None:
    empty = client.get("/api/feedback/export?format=jsonl", headers=_auth())
    assert empty.status_code == 200 and empty.text == ""
    header_only = client.get("/api/feedback/export", headers=_auth())
    assert header_only.text.lstrip("\ufeff").strip() == (
        "id,created_at,rating,question,answer,comment,query,citations"
    )
    _assert_error(client.get("/api/feedback/export?format=xml", headers=_auth()), 422)


# --- GET /api/suggestions -----------------------------------------------------------------


def test_suggestions_come_from_the_corpus(client: TestClient) -> None:
    response = client.get("/api/suggestions")
    assert response.status_code == 200, response.text
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 6
    assert all(s.endswith("?") and s[0].isupper() for s in suggestions)
    assert len(set(suggestions)) == len(suggestions)
    assert any("xuất khẩu" in s for s in suggestions)
    assert client.get("/api/suggestions").json()["suggestions"] == suggestions  # deterministic


def test_suggestions_wait_for_the_index(tmp_path: Path) -> None:
    """Before the assistant is loaded: 503 with Retry-After (the chat retries)."""
    app = create_app(_settings(tmp_path / "none"))
    client = TestClient(app)  # no lifespan: the model and index are never loaded
    response = client.get("/api/suggestions")
    _assert_error(response, 503, "not_ready")
    assert response.headers["retry-after"]


def test_suggestions_follow_the_index_generation(
    tmp_path: Path, hashing_sample_index: Path
) -> None:
    folder = copy_index(hashing_sample_index, tmp_path / "index")
    embedder = HashingEmbedder(dim=32)
    index = Index(folder, embedder.key, embedder.dim, create=False)
    suggester = Suggester(index)
    before = suggester.questions()
    assert suggester.questions() == before
    Ingestor(index, embedder, chunk_size=600, chunk_overlap=100).ingest_documents([EXTRA])
    after = suggester.questions()
    assert after != before
    assert any("Nghi Sơn" in s or "sản lượng hàng hóa" in s for s in after)


def test_questions_are_made_from_sentences_with_figures() -> None:
    text = (
        "Nhờ đó, thị trường xuất khẩu của tỉnh ngày càng mở rộng, tổng giá trị xuất khẩu hàng "
        "hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, tăng 88% so với mục tiêu "
        "đại hội. Trong giai đoạn 2016-2020, tỉnh đã thu hút 79 dự án FDI, với tổng vốn "
        "3.777,5 triệu USD."
    )
    questions = [q for q, _ in questions_from_text(text)]
    assert questions == [
        "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt bao nhiêu?",
        "Trong giai đoạn 2016-2020, tỉnh đã thu hút bao nhiêu dự án FDI?",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Thanh Hóa đã bám sát Chỉ thị số 41-CT/TW ngày 15-4-2010 của Ban Bí thư.",
        "Trong 5 năm qua, tỉnh đã quán triệt các chủ trương của Đảng.",
        "Lãnh đạo hai tỉnh hội đàm giai đoạn 2021-2025.",
        "",
    ],
)
def test_dates_codes_and_durations_make_no_question(text: str) -> None:
    assert questions_from_text(text) == []


def test_a_time_clause_with_a_verb_is_not_the_time_of_the_next_clause() -> None:
    # "Năm 2019 Thanh Hóa đã hoàn thành" is a clause of its own, not a date phrase
    text = "Năm 2019 Thanh Hóa đã hoàn thành, huyện Xăm Tảy với kinh phí 25 tỷ đồng."
    assert not any(q.startswith("Năm 2019 Thanh Hóa") for q, _ in questions_from_text(text))
    listed = "Giai đoạn 2023-2025, hai bên tập trung hợp tác trong 5 lĩnh vực: y tế, giáo dục."
    assert [q for q, _ in questions_from_text(listed)] == [
        "Giai đoạn 2023-2025, hai bên tập trung hợp tác trong bao nhiêu lĩnh vực?"
    ]


REFUSED_NEAR = [
    "Năm 2022, kim ngạch xuất khẩu hàng hóa của tỉnh đạt 1.250,5 triệu USD.",
    "Kim ngạch nhập khẩu đạt 300 triệu USD. Năm 2021, tỉnh đón 120 đoàn khách quốc tế.",
    "Năm 2022, tổng kim ngạch xuất khẩu hàng hóa của tỉnh đạt 1.250 triệu USD.",
]


def test_a_refusal_suggests_dated_questions_closest_to_the_asked_one_first() -> None:
    found = closest_questions("Kim ngạch xuất khẩu năm 2030 là bao nhiêu?", REFUSED_NEAR, 3)
    assert found == [
        "Năm 2022, kim ngạch xuất khẩu hàng hóa của tỉnh đạt bao nhiêu?",  # its twin is dropped
        "Năm 2021, tỉnh đón bao nhiêu đoàn khách quốc tế?",  # "nhập khẩu" has no year
    ]
    assert closest_questions("Kim ngạch xuất khẩu năm 2030?", REFUSED_NEAR, 1) == found[:1]


def test_a_suggestion_names_the_place_the_reader_asked_about() -> None:
    texts = [*REFUSED_NEAR, "Năm 2022, Ban Quản lý cấp mới 31 dự án đầu tư."]
    found = closest_questions("Xuất khẩu của Quảng Bình năm 2030?", texts, 3, place="Quảng Bình")
    assert found == [  # after its bare "tỉnh", else first
        "Năm 2022, kim ngạch xuất khẩu hàng hóa của tỉnh Quảng Bình đạt bao nhiêu?",
        "Năm 2021, tỉnh Quảng Bình đón bao nhiêu đoàn khách quốc tế?",
        "Tại Quảng Bình, năm 2022, Ban Quản lý cấp mới bao nhiêu dự án đầu tư?",
    ]


def test_suggestions_are_diverse_and_bounded() -> None:
    docs = [
        Document(id=f"d{i}", title="t", text=f"Năm 2020, tỉnh {name} đón {i}.000 lượt khách.")
        for i, name in enumerate(["Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Ninh Bình"], start=1)
    ]
    docs.append(EXTRA)
    chosen = suggest_questions(docs, limit=3)
    assert len(chosen) == 3
    assert suggest_questions(docs, limit=3) == chosen
    assert suggest_questions([], limit=3) == []


# --- the web chat routes ------------------------------------------------------------------


def test_chat_page_is_served_with_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="vi"' in response.text and "<title>" in response.text
    csp = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_framing_is_limited_to_configured_origins(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(cors_origins=["https://baothanhhoa.vn"])) as client:
        csp = client.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://baothanhhoa.vn" in csp


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/app.js", "text/javascript"),
        ("/widget.js", "text/javascript"),
        ("/styles.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ],
)
def test_assets_are_served(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (WEB_DIR / path.lstrip("/")).read_bytes()


def test_only_listed_files_are_served(client: TestClient) -> None:
    for path in ("/README.md", "/web/app.js", "/..%2fpyproject.toml", "/index.html.bak"):
        assert client.get(path).status_code == 404, path


def test_web_files_are_self_contained() -> None:
    """No inline script, no inline handler, no external asset: the CSP holds and the
    page works without the internet."""
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None, "inline script"
    assert re.search(r"\son[a-z]+\s*=", html) is None, "inline event handler"
    assert " style=" not in html
    for name in ("index.html", "app.js", "styles.css", "widget.js"):
        text = re.sub(r"/\*.*?\*/", "", (WEB_DIR / name).read_text(encoding="utf-8"), flags=re.S)
        assert re.search(r"(?:src|href)\s*=\s*[\"'](?:https?:)?//", text) is None, name
        assert "@import" not in text and "url(http" not in text, name
    app_js = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    assert "innerHTML" not in app_js and "insertAdjacentHTML" not in app_js
    assert "eval(" not in app_js
