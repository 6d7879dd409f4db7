"""Index mechanics: store + vectors + lexical terms stay consistent through writes,
replacements, deletions, filters and reopening (hashing embedder: mechanics only). The
tests taking ``make_backend_index`` run on both backends (a folder, PostgreSQL)."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.core.errors import IndexFormatError, IndexNotFoundError
from assistant.core.types import ArticleScope, Document, DocumentFilter
from assistant.index.index import Index, PreparedDocument
from assistant.index.store import Store
from assistant.ingest.chunk import chunk_document


def _prepare(doc: Document, embedder) -> PreparedDocument:  # type: ignore[no-untyped-def]
    chunks = chunk_document(doc, 120, 20)
    vectors = embedder.embed_documents([c.text for c in chunks])
    return PreparedDocument(doc, chunks, vectors)


def _doc(doc_id: str, text: str, **meta: object) -> Document:
    return Document(id=doc_id, title=text.split(".")[0], text=text, **meta)  # type: ignore[arg-type]


EXPORTS = _doc(
    "exports",
    "Tổng giá trị xuất khẩu giai đoạn 2016-2020 đạt 14.081,67 triệu USD. "
    "Tổng giá trị nhập khẩu đạt 14.581,102 triệu USD.",
    published_at="2021-05-03",
    tags=["kinh-te"],
)
LAOS = _doc(
    "laos",
    "Thanh Hóa và Hủa Phăn đã tổ chức 250 hoạt động trao đổi đoàn. "
    "Hai tỉnh ký thỏa thuận hợp tác giai đoạn 2021-2025.",
    published_at="2022-01-10",
    tags=["doi-ngoai"],
)


def test_write_then_search_both_ways(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)])
    hits = index.lexical_search("xuat khau 2016-2020", 5)
    assert hits, "a query without diacritics must match the folded terms"
    passages = index.passages([hits[0][0]])
    assert "14.081,67" in passages[hits[0][0]].text
    dense = index.dense_search(hashing_embedder.embed_queries(["Hủa Phăn trao đổi đoàn"]), 3)[0]
    assert index.passages([dense[0][0]])[dense[0][0]].doc_id == "laos"


def test_article_scopes_are_read_as_stored(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    scoped = replace(LAOS, scope=ArticleScope(periods=[(2021, 2025), (2021, 2022)]))
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(scoped, hashing_embedder)])
    scopes = dict(index.article_scopes())
    assert set(scopes) == {"exports", "laos"}
    assert scopes["laos"].periods == [(2021, 2025), (2021, 2022)]


def test_replacing_a_document_leaves_no_duplicates(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    index.write([_prepare(EXPORTS, hashing_embedder)])
    changed = _doc("exports", EXPORTS.text.replace("14.081,67", "15.000"))
    index.write([_prepare(changed, hashing_embedder)])
    counts = index.counts()
    chunk_count = len(chunk_document(changed, 120, 20))
    assert counts["documents"] == 1
    assert counts["chunks"] == chunk_count
    assert index.stats()["vectors"] == chunk_count
    assert not index.lexical_search("14.081,67", 5)
    assert index.lexical_search("15.000", 5)


def test_delete_removes_chunks_vectors_and_terms(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)])
    assert index.delete("laos") is True
    assert index.delete("laos") is False
    assert index.get_document("laos") is None
    assert not index.lexical_search("Hủa Phăn", 5)
    remaining = {
        p.doc_id
        for p in index.passages(
            [i for i, _ in index.dense_search(hashing_embedder.embed_queries(["Hủa Phăn"]), 10)[0]]
        ).values()
    }
    assert remaining == {"exports"}


def test_reopen_reads_vectors_from_disk(tmp_path: Path, make_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_index()
    index.write([_prepare(EXPORTS, hashing_embedder)])
    again: Index = make_index()
    assert again.vectors().size == index.vectors().size
    assert again.stats()["documents"] == 1


def test_stale_vector_file_is_rebuilt_from_the_store(make_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    """A writer killed between its commit and the vector-file write leaves a file of an
    older generation: readers must not trust it."""
    index: Index = make_index()
    index.write([_prepare(EXPORTS, hashing_embedder)])
    with index.store.transaction() as conn:  # a commit whose vector file never got written
        index.store.put_document(
            conn,
            LAOS,
            chunk_document(LAOS, 120, 20),
            [("hủa phăn", "hua phan")] * len(chunk_document(LAOS, 120, 20)),
        )
        index.store.put_vectors(
            conn,
            hashing_embedder.key,
            {
                c.content_hash: v
                for c, v in zip(
                    chunk_document(LAOS, 120, 20),
                    hashing_embedder.embed_documents(
                        [c.text for c in chunk_document(LAOS, 120, 20)]
                    ),
                    strict=True,
                )
            },
        )
    reader: Index = make_index()
    assert reader.vectors().size == reader.counts()["chunks"]


def test_filters_by_date_tag_and_id(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)])
    query = hashing_embedder.embed_queries(["hợp tác"])

    def docs(flt: DocumentFilter) -> set[str]:
        ids = [i for i, _ in index.dense_search(query, 10, flt)[0]]
        return {p.doc_id for p in index.passages(ids).values()}

    assert docs(DocumentFilter(date_from="2022-01-01")) == {"laos"}
    assert docs(DocumentFilter(date_to="2021-12-31")) == {"exports"}
    assert docs(DocumentFilter(tags=("kinh-te",))) == {"exports"}
    assert docs(DocumentFilter(doc_ids=("laos",))) == {"laos"}
    assert docs(DocumentFilter(date_from="2030-01-01")) == set()
    lexical = index.lexical_search("tổng giá trị", 5, DocumentFilter(tags=("doi-ngoai",)))
    assert lexical == []


def test_other_embedder_is_reported(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    make_backend_index().write([_prepare(EXPORTS, hashing_embedder)])
    with pytest.raises(IndexFormatError, match="index rebuild"):
        make_backend_index(key="another-model:768", dim=768)


def test_format_version_change_is_reported(tmp_path: Path, make_index) -> None:  # type: ignore[no-untyped-def]
    make_index()
    conn = sqlite3.connect(tmp_path / "index" / "assistant.sqlite3")
    with conn:
        conn.execute("UPDATE meta SET value='999' WHERE key='format_version'")
    conn.close()
    with pytest.raises(IndexFormatError, match="format version 999"):
        Store(tmp_path / "index")


def test_missing_index_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="assistant ingest"):
        Store(tmp_path / "nowhere", create=False)


def test_vectors_are_stored_once_per_text(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    index: Index = make_backend_index()
    twin = _doc("twin", EXPORTS.text)
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(twin, hashing_embedder)])
    counts = index.counts()
    assert counts["chunks"] == 2 * counts["cached_embeddings"]
    assert np.isclose(
        np.linalg.norm(
            index.cached_vectors([chunk_document(EXPORTS, 120, 20)[0].content_hash]).popitem()[1]
        ),
        1.0,
        atol=1e-5,
    )


def test_approximate_index_survives_replace_and_delete(tmp_path: Path, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    """Above ann_threshold the vectors live in HNSW, which cannot remove ids."""
    index = Index(tmp_path / "hnsw", hashing_embedder.key, hashing_embedder.dim, ann_threshold=1)
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)])
    assert index.vectors().kind == "hnsw"
    changed = _doc("exports", EXPORTS.text.replace("14.081,67", "15.000"))
    index.write([_prepare(changed, hashing_embedder)])
    assert index.delete("laos")
    assert index.vectors().size == index.counts()["chunks"]
    assert index.lexical_search("15.000", 3)


def test_approximate_search_keeps_filters_replacements_and_deletions(
    make_backend_index, hashing_embedder
) -> None:  # type: ignore[no-untyped-def]
    """Above ann_threshold both backends search an HNSW graph; a filter still finds the
    allowed chunks, and replaced or deleted chunks are never found."""
    index: Index = make_backend_index(ann_threshold=1)
    index.write([_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)])
    assert index.stats()["vector_index"] == "hnsw"
    changed = _doc("exports", EXPORTS.text.replace("14.081,67", "15.000"), tags=["kinh-te"])
    index.write([_prepare(changed, hashing_embedder)])
    query = hashing_embedder.embed_queries(["hợp tác trao đổi đoàn"])
    hits = index.dense_search(query, 5, DocumentFilter(tags=("kinh-te",)))[0]
    assert {p.doc_id for p in index.passages([i for i, _ in hits]).values()} == {"exports"}
    assert index.delete("laos")
    assert index.stats()["vectors"] == index.counts()["chunks"]
    assert {
        p.doc_id for p in index.passages([i for i, _ in index.dense_search(query, 5)[0]]).values()
    } == {"exports"}
    assert index.lexical_search("15.000", 3)


def test_reopened_index_sees_what_another_wrote(make_backend_index, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    """Two handles on one index (two processes, or two service replicas): a write through
    one moves the generation the other reads (within a few seconds: a database replica
    trusts the generation it read for ``database_generation_ttl_s``), and the other finds
    the new document."""
    first: Index = make_backend_index()
    second: Index = make_backend_index()
    before = second.generation
    first.write([_prepare(LAOS, hashing_embedder)])
    deadline = time.monotonic() + 5
    while second.generation == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert second.generation > before
    assert second.get_document("laos") is not None
    hits = second.dense_search(hashing_embedder.embed_queries(["Hủa Phăn"]), 3)[0]
    assert second.passages([hits[0][0]])[hits[0][0]].doc_id == "laos"
    assert second.lexical_search("Hủa Phăn", 3)
