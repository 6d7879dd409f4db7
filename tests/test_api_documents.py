"""The documents API: push then ask (the new fact is answered and cited), delete then ask
(no longer cited), listing, full text, record errors, and questions during a write."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_api_support import QUESTION, auth

pytest_plugins = ["test_api_support"]

ARTICLE = {
    "id": "lam-kinh-2024",
    "title": "Lễ hội Lam Kinh năm 2024 thu hút đông đảo du khách",
    "url": "https://baothanhhoa.vn/le-hoi-lam-kinh-2024.html",
    "published_at": "24/08/2024",
    "html": "<html><body><article><h1>Lễ hội Lam Kinh năm 2024</h1>"
    "<p>Lễ hội Lam Kinh năm 2024 đã đón 215.000 lượt khách đến tham quan, dâng hương, "
    "tăng 12% so với năm 2023.</p><p>Ban tổ chức cho biết lễ hội diễn ra trong ba ngày "
    "tại Khu di tích quốc gia đặc biệt Lam Kinh, huyện Thọ Xuân.</p></article></body></html>",
    "tags": "văn hóa, du lịch",
}
ASK_LAM_KINH = "Lễ hội Lam Kinh năm 2024 đón bao nhiêu lượt khách?"


@pytest.mark.model
def test_push_then_ask_then_delete_then_ask(writable_model_app: Callable[..., FastAPI]) -> None:
    with TestClient(writable_model_app()) as client:
        before = client.post("/api/ask", json={"question": ASK_LAM_KINH}).json()
        assert before["answerable"] is False

        pushed = client.post("/api/documents", json=ARTICLE, headers=auth())
        assert pushed.status_code == 200, pushed.text
        summary = pushed.json()
        assert summary["added"] == 1 and summary["ids"] == ["lam-kinh-2024"]
        assert summary["chunks"] >= 1 and summary["errors"] == []

        answer = client.post("/api/ask", json={"question": ASK_LAM_KINH}).json()
        assert answer["answerable"] is True and "215.000" in answer["answer"]
        assert any(c["doc_id"] == "lam-kinh-2024" for c in answer["citations"])

        document = client.get("/api/documents/lam-kinh-2024").json()
        assert document["published_at"] == "2024-08-24"
        assert document["tags"] == ["văn hóa", "du lịch"]
        cited = next(c for c in answer["citations"] if c["doc_id"] == "lam-kinh-2024")
        assert document["text"][cited["start"] : cited["end"]] == cited["quote"]

        again = client.post("/api/documents", json={"documents": [ARTICLE]}, headers=auth())
        assert again.json()["unchanged"] == 1

        deleted = client.delete("/api/documents/lam-kinh-2024", headers=auth())
        assert deleted.status_code == 200 and deleted.json() == {
            "id": "lam-kinh-2024",
            "deleted": True,
        }
        after = client.post("/api/ask", json={"question": ASK_LAM_KINH}).json()
        assert all(c["doc_id"] != "lam-kinh-2024" for c in after["citations"])
        assert "215.000" not in after["answer"]
        assert client.get("/api/documents/lam-kinh-2024").status_code == 404
        assert client.delete("/api/documents/lam-kinh-2024", headers=auth()).status_code == 404


@pytest.mark.model
def test_questions_are_answered_while_articles_are_written(
    writable_model_app: Callable[..., FastAPI],
) -> None:
    """A bulk push runs in a worker thread and yields the model to queued questions:
    questions asked during the write are answered before the write is over, and the new
    articles are visible as soon as it commits."""
    batch = [
        {
            "id": f"bulk-{i}",
            "title": f"Bản tin số {i}",
            "published_at": "2024-01-01",
            "text": " ".join(
                f"Đoạn {j} của bản tin số {i} nói về hoạt động của huyện số {i * 10 + j}."
                for j in range(30)
            ),
        }
        for i in range(6)
    ]
    with TestClient(writable_model_app()) as client:
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200  # warm
        result: dict[str, int] = {}

        def push() -> None:
            result["status"] = client.post("/api/documents", json=batch, headers=auth()).status_code

        writer = threading.Thread(target=push)
        writer.start()
        time.sleep(0.3)
        answers = [client.post("/api/ask", json={"question": QUESTION}) for _ in range(2)]
        write_still_running = writer.is_alive()
        writer.join(timeout=300)
        assert result.get("status") == 200
        assert all(a.status_code == 200 and a.json()["answerable"] for a in answers)
        assert write_still_running, "the questions waited for the whole write"
        assert client.get("/api/documents/bulk-5").status_code == 200


def test_writes_need_a_key(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app()) as client:
        missing = client.post("/api/documents", json=ARTICLE)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        assert missing.json()["error"]["code"] == "missing_api_key"
        scheme = client.post("/api/documents", json=ARTICLE, headers={"Authorization": "Basic x"})
        assert scheme.status_code == 401
        assert scheme.json()["error"]["code"] == "invalid_auth_scheme"
        wrong = client.delete("/api/documents/any", headers=auth("wrong"))
        assert wrong.status_code == 403
        assert wrong.json()["error"]["code"] == "invalid_api_key"


def test_writes_are_refused_when_no_key_is_configured(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app(api_keys=[])) as client:
        response = client.post("/api/documents", json=ARTICLE, headers=auth())
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "keys_not_configured"
        assert "ASSISTANT_API_KEYS" in error["message"]


def test_reads_can_require_a_key(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app(read_requires_key=True)) as client:
        assert client.get("/api/documents").status_code == 401
        assert client.get("/api/documents", headers=auth("nope")).status_code == 403
        assert client.get("/api/documents", headers=auth()).status_code == 200
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 401
        assert client.get("/api/health").status_code == 200  # probes stay open


def test_records_are_checked_one_by_one(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app()) as client:
        mixed = [
            {"id": "tot", "title": "Bài tốt", "text": "Nội dung hợp lệ của bài viết."},
            {"id": "rong", "title": "Bài rỗng"},
        ]
        response = client.post("/api/documents", json=mixed, headers=auth())
        assert response.status_code == 200
        body = response.json()
        assert body["added"] == 1 and body["failed"] == 1
        assert body["errors"][0]["record"] == 2 and body["errors"][0]["id"] == "rong"
        assert "text" in body["errors"][0]["message"]

        none_valid = client.post(
            "/api/documents", json={"documents": [{"id": "x"}]}, headers=auth()
        )
        assert none_valid.status_code == 422
        assert none_valid.json()["error"]["code"] == "invalid_documents"

        for bad in ({"documents": []}, [{"id": "x", "tags": 5}], "chuỗi"):
            response = client.post("/api/documents", json=bad, headers=auth())
            assert response.status_code == 422, bad
            assert response.json()["error"]["code"] == "validation_error"


def test_listing_pages_and_filters(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app()) as client:
        docs = [
            {
                "id": f"d{i}",
                "title": f"Bài {i}",
                "published_at": f"2024-0{i}-15",
                "text": f"Nội dung bài số {i}.",
                "tags": ["kinh tế" if i % 2 else "văn hóa"],
            }
            for i in range(1, 6)
        ]
        assert client.post("/api/documents", json=docs, headers=auth()).status_code == 200
        page = client.get("/api/documents", params={"limit": 2}).json()
        assert page["total"] == 6 and len(page["documents"]) == 2
        assert [d["id"] for d in page["documents"]] == ["d5", "d4"]  # newest first
        second = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()
        assert [d["id"] for d in second["documents"]] == ["d3", "d2"]
        dated = client.get(
            "/api/documents", params={"date_from": "2024-02-01", "date_to": "2024-03-31"}
        ).json()
        assert {d["id"] for d in dated["documents"]} == {"d2", "d3"}
        tagged = client.get("/api/documents", params={"tag": "văn hóa"}).json()
        assert {d["id"] for d in tagged["documents"]} == {"d2", "d4"}
        full = client.get("/api/documents/d1").json()
        assert full["text"] == "Nội dung bài số 1." and full["chars"] == len(full["text"])
        for params in ({"limit": 0}, {"limit": 1000}, {"offset": -1}, {"date_from": "x"}):
            assert client.get("/api/documents", params=params).status_code == 422
        missing = client.get("/api/documents/khong-co")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "document_not_found"


def test_concurrent_writes_are_serialised(hashing_app: Callable[..., FastAPI]) -> None:
    app = hashing_app()
    with TestClient(app) as client:
        statuses: list[int] = []

        def push(writer: int) -> None:
            docs = [
                {"id": f"w{writer}-{i}", "title": f"Bài {i}", "text": f"Nội dung {writer} {i}."}
                for i in range(5)
            ]
            for doc in docs:
                response = client.post("/api/documents", json=doc, headers=auth())
                statuses.append(response.status_code)
            client.delete(f"/api/documents/w{writer}-0", headers=auth())

        threads = [threading.Thread(target=push, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 20
        listing = client.get("/api/documents", params={"limit": 200}).json()
        assert listing["total"] == 1 + 4 * 4
        stats = client.get("/api/stats").json()
        assert stats["vectors"] == stats["chunks"]  # vectors and store agree


def test_an_article_comes_back_with_its_scope(hashing_app: Callable[..., FastAPI]) -> None:
    """The place and period an article reports on are read at ingest and returned."""
    record = {
        "id": "nghe-an-2023",
        "title": "Nghệ An: Công tác đối ngoại năm 2023 đạt nhiều kết quả",
        "published_at": "2024-01-10",
        "text": "Năm 2023, tỉnh đón 120 đoàn khách quốc tế và tiếp đoàn tỉnh Hủa Phăn (Lào).",
    }
    with TestClient(hashing_app()) as client:
        assert client.post("/api/documents", json=[record], headers=auth()).status_code == 200
        scope = client.get("/api/documents/nghe-an-2023").json()["scope"]
        assert scope == {"places": ["Nghệ An"], "periods": [[2023, 2023]], "correction": False}
