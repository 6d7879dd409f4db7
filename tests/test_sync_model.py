"""End to end with the real model: an article the newsroom published is answerable, with
a citation into it, after one sync of the portal's feed, without anyone calling the API;
and after the newsroom edits it, the answer follows the edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_site import FixtureSite

from assistant.answer.assistant import Assistant
from assistant.core.config import get_settings
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import open_index
from assistant.sync.extract import document_id
from assistant.sync.run import run

QUESTION = "Thanh Hóa hỗ trợ đào tạo bao nhiêu lưu học sinh Lào?"


@pytest.mark.model
def test_a_synced_article_is_answerable_and_its_edit_too(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    settings = get_settings(
        index_dir=tmp_path / "index", sync_host_rate=0, sync_recheck_s=0, sync_retries=0
    )
    index = open_index(settings, real_embedder)
    ingestor = Ingestor.from_settings(index, real_embedder, settings)
    with FixtureSite() as site:
        article = next(a for a in site.articles if a.slug == "hua-phan-hop-tac")
        doc_id = document_id(site.url(site.article_path(article)))
        summary = run([site.url("/rss.xml"), site.url("/atom.xml")], ingestor, settings)
        assert summary.total("new") == len(site.articles)

        answer = Assistant(index, real_embedder, settings).ask(QUESTION)
        assert answer.answerable, answer.message
        assert "120" in answer.answer
        cited = {c.doc_id for c in answer.citations}
        assert doc_id in cited

        edited = [p.replace("120 lưu học sinh", "150 lưu học sinh") for p in article.paragraphs]
        site.edit(article, edited)
        assert (
            run([site.url("/rss.xml"), site.url("/atom.xml")], ingestor, settings).total("updated")
            == 1
        )
        answer = Assistant(index, real_embedder, settings).ask(QUESTION)
        assert answer.answerable and "150" in answer.answer and "120" not in answer.answer
