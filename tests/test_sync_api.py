"""The service following the portal (`GET|POST /api/sync`, ASSISTANT_SYNC_URLS in the
background) and the rate limit keyed by API key and by trusted proxies. HTTP machinery
only, so the stand-in embedder is used."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sync_site import FixtureSite
from test_api_support import WRITE_KEY, auth

from assistant.sync.extract import document_id

pytest_plugins = ["test_api_support"]

FAST = {
    "sync_timeout_s": 0.4,
    "sync_retries": 0,
    "sync_host_rate": 0,
    "sync_recheck_s": 0,
}


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite(slow_s=1.0) as served:
        yield served


def wait_for_sync(client: TestClient, timeout_s: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get("/api/sync", headers=auth()).json()
        if not status["running"] and status["last"] is not None:
            return status
        time.sleep(0.05)
    raise AssertionError("the sync did not finish")


def test_post_sync_starts_one_and_get_shows_it(
    hashing_app: Callable[..., FastAPI], site: FixtureSite
) -> None:
    with TestClient(hashing_app(**FAST)) as client:
        assert client.get("/api/sync").status_code == 401
        assert client.post("/api/sync", headers=auth("wrong")).status_code == 403
        none = client.post("/api/sync", headers=auth())
        assert none.status_code == 400 and none.json()["error"]["code"] == "no_sync_urls"

        urls = [site.url("/rss.xml"), site.url("/atom.xml"), site.url("/feed-hong.xml")]
        started = client.post("/api/sync", json={"urls": urls}, headers=auth())
        assert started.status_code == 202 and started.json()["started"] is True
        status = wait_for_sync(client)
        assert status["last"]["ok"] is False  # the malformed feed
        by_url = {source["url"]: source for source in status["sources"]}
        assert by_url[site.url("/rss.xml")]["status"] == "ok"
        assert by_url[site.url("/feed-hong.xml")]["status"] == "failed"
        assert "malformed" in by_url[site.url("/feed-hong.xml")]["error"]
        assert status["last"]["summary"]["new"] == len(site.articles)

        article = site.articles[0]
        doc_id = document_id(site.url(site.article_path(article)))
        got = client.get(f"/api/documents/{doc_id}")
        assert got.status_code == 200 and got.json()["title"] == article.title


def test_a_second_sync_while_one_runs_is_a_409(
    hashing_app: Callable[..., FastAPI], site: FixtureSite
) -> None:
    site.article_delay_s = 0.3
    with TestClient(hashing_app(**FAST)) as client:
        body = {"urls": [site.url("/sitemap.xml")]}
        assert client.post("/api/sync", json=body, headers=auth()).status_code == 202
        busy = client.post("/api/sync", json=body, headers=auth())
        assert busy.status_code == 409 and busy.json()["error"]["code"] == "sync_running"
        wait_for_sync(client)


def test_configured_urls_are_followed_in_the_background(
    hashing_app: Callable[..., FastAPI], site: FixtureSite
) -> None:
    app = hashing_app(sync_urls=[site.url("/sitemap.xml")], sync_interval_s=3600, **FAST)
    with TestClient(app) as client:
        status = wait_for_sync(client)
        assert status["configured_urls"] == [site.url("/sitemap.xml")]
        assert status["sources"][0]["kind"] == "sitemapindex"
        assert status["last"]["summary"]["new"] == len(site.articles)
        listed = client.get("/api/documents", params={"limit": 200}).json()
        urls = {doc["url"] for doc in listed["documents"]}
        assert {site.url(site.article_path(a)) for a in site.articles} <= urls


# --- rate limit by key and by trusted proxies ------------------------------------------------


def test_rate_limit_is_keyed_by_api_key(hashing_app: Callable[..., FastAPI]) -> None:
    portal_key = "portal-backend-key"
    app = hashing_app(rate_limit=2, key_rates={portal_key: 5}, api_keys=[WRITE_KEY])
    with TestClient(app) as client:
        # the portal backend asks for its readers from one address, with its key
        with_key = [
            client.get("/api/stats", headers=auth(portal_key)).status_code for _ in range(6)
        ]
        assert with_key == [200] * 5 + [429]
        # the same address without a key has its own (default) bucket
        anonymous = [client.get("/api/stats").status_code for _ in range(3)]
        assert anonymous == [200, 200, 429]
        # a write key without a rate of its own gets the default rate, in its own bucket
        writer = [client.get("/api/stats", headers=auth()).status_code for _ in range(3)]
        assert writer == [200, 200, 429]
        # an invented key does not buy a fresh bucket: it counts against the address
        assert client.get("/api/stats", headers=auth("invented")).status_code == 429


def test_forwarded_for_is_believed_only_from_trusted_proxies(
    hashing_app: Callable[..., FastAPI],
) -> None:
    app = hashing_app(rate_limit=1, trusted_proxies=["10.0.0.0/8"])
    with TestClient(app, client=("10.1.2.3", 5000)) as proxied:
        for reader in ("203.0.113.7", "203.0.113.8"):  # one request each: their own buckets
            headers = {"X-Forwarded-For": f"{reader}, 10.9.9.9"}
            assert proxied.get("/api/stats", headers=headers).status_code == 200
        again = {"X-Forwarded-For": "203.0.113.7"}
        assert proxied.get("/api/stats", headers=again).status_code == 429
    with TestClient(app, client=("198.51.100.1", 5000)) as direct:
        # not a trusted proxy: the header is ignored, the peer address is the client
        assert direct.get("/api/stats", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
        assert direct.get("/api/stats", headers={"X-Forwarded-For": "2.2.2.2"}).status_code == 429
