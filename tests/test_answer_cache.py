"""The answer cache: a repeated question is answered from it, anything an answer depends
on (history, filters, mode, index generation) makes another entry, it stays bounded, it
hands out copies, and size 0 turns it off. The assistant runs on a hashing-embedder index
of corpus/sample (index mechanics only, not answer quality)."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_index

from assistant.answer.assistant import Assistant
from assistant.answer.cache import AnswerCache, answer_key
from assistant.answer.types import Answer
from assistant.api.metrics import Metrics
from assistant.core.config import get_settings
from assistant.core.types import Document
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.index.store import DocumentFilter
from assistant.ingest.pipeline import Ingestor

QUESTION = "Tổng giá trị xuất khẩu hàng hóa giai đoạn 2016-2020 đạt bao nhiêu?"
HISTORY = [{"role": "user", "content": "Thanh Hóa hợp tác với Lào thế nào?"}]


class CountingEmbedder(HashingEmbedder):
    """The hashing stand-in, counting question embeddings (one per pipeline run)."""

    def __init__(self) -> None:
        super().__init__(dim=32)
        self.queries = 0

    def embed_queries(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.queries += len(texts)
        return super().embed_queries(texts)


def make_assistant(template: Path, tmp_path: Path, size: int) -> tuple[Assistant, CountingEmbedder]:
    folder = tmp_path / "index"
    if not folder.exists():
        copy_index(template, folder)
    embedder = CountingEmbedder()
    settings = get_settings(index_dir=folder, answer_cache_size=size)
    index = Index(folder, embedder.key, embedder.dim, create=False)
    return Assistant(index, embedder, settings), embedder


def test_repeated_question_is_a_hit_with_a_copy(hashing_sample_index: Path, tmp_path: Path) -> None:
    assistant, embedder = make_assistant(hashing_sample_index, tmp_path, 8)
    first = assistant.ask(QUESTION)
    assert "cache.miss" in first.timings_ms and "embed" in first.timings_ms
    first.answer, first.citations = "changed by a caller", []
    # other spacing and a decomposed (NFD) spelling of the same question
    again = assistant.ask("  Tổng giá trị xuất khẩu   hàng hóa giai đoạn 2016-2020 đạt bao nhiêu?")
    assert embedder.queries == 1
    assert set(again.timings_ms) == {"cache.hit", "total"}
    assert again.answer != "changed by a caller" and again.citations
    again.passages.clear()
    third = assistant.ask(QUESTION)
    assert third.passages and third is not again
    assert (assistant.answers.hits, assistant.answers.misses) == (2, 1)


def test_history_filters_and_mode_make_other_entries(
    hashing_sample_index: Path, tmp_path: Path
) -> None:
    assistant, embedder = make_assistant(hashing_sample_index, tmp_path, 8)
    assistant.ask(QUESTION)
    assistant.ask(QUESTION, history=HISTORY)
    assistant.ask(QUESTION, filters=DocumentFilter(date_from="2020-01-01"))
    assert embedder.queries == 3 and len(assistant.answers) == 3
    assistant.ask(QUESTION, history=HISTORY)
    assistant.ask(QUESTION, filters=DocumentFilter(date_from="2020-01-01"))
    assert embedder.queries == 3 and assistant.answers.hits == 2
    base = answer_key(QUESTION, None, None, "extractive", 1)
    assert answer_key(QUESTION, None, None, "generative", 1) != base
    assert answer_key(QUESTION, [], DocumentFilter(), "extractive", 1) == base
    assert answer_key(QUESTION, None, DocumentFilter(tags=("x",)), "extractive", 1) != base


def test_an_index_change_empties_the_cache(hashing_sample_index: Path, tmp_path: Path) -> None:
    assistant, embedder = make_assistant(hashing_sample_index, tmp_path, 8)
    assistant.ask(QUESTION)
    generation = assistant.index.generation
    ingestor = Ingestor.from_settings(assistant.index, HashingEmbedder(dim=32), assistant.settings)
    ingestor.ingest_documents(
        [Document(id="moi", title="Tin mới", text="Năm 2024 xuất khẩu đạt 5 tỷ USD.")]
    )
    assert assistant.index.generation > generation
    answer = assistant.ask(QUESTION)
    assert "cache.miss" in answer.timings_ms and embedder.queries == 2
    assert len(assistant.answers) == 1  # the old generation's entry is gone


def test_size_bounds_the_entries_least_recently_used_first() -> None:
    cache = AnswerCache(2)
    keys = [answer_key(f"câu hỏi {n}?", None, None, "extractive", 5) for n in range(3)]
    for key in keys[:2]:
        cache.put(key, Answer(answer=key.question, answerable=True, mode="extractive", query=""))
    assert cache.get(keys[0]) is not None  # keys[1] is now the least recently used
    cache.put(keys[2], Answer(answer="", answerable=True, mode="extractive", query=""))
    assert len(cache) == 2 and cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None and cache.get(keys[2]) is not None
    stale = answer_key("câu hỏi 9?", None, None, "extractive", 4)
    cache.put(stale, Answer(answer="", answerable=True, mode="extractive", query=""))
    assert cache.get(stale) is None  # composed against an older index: not stored


def test_size_zero_disables_it(hashing_sample_index: Path, tmp_path: Path) -> None:
    assistant, embedder = make_assistant(hashing_sample_index, tmp_path, 0)
    for _ in range(2):
        answer = assistant.ask(QUESTION)
        assert not any(k.startswith("cache.") for k in answer.timings_ms)
    assert embedder.queries == 2 and len(assistant.answers) == 0


def test_metrics_count_hits_and_misses() -> None:
    metrics = Metrics()
    metrics.observe_answer(True, {"cache.miss": 0.1, "embed": 30.0, "total": 40.0})
    metrics.observe_answer(True, {"cache.hit": 0.1, "total": 0.1})
    metrics.observe_answer(True, {"cache.hit": 0.1, "total": 0.1})
    text = metrics.render().decode()
    assert 'assistant_answer_cache_total{result="hit"} 2.0' in text
    assert 'assistant_answer_cache_total{result="miss"} 1.0' in text
