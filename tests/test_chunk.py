"""Chunking with exact offsets (assistant.ingest.chunk) and sentence spans
(assistant.text.sentences)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.types import Chunk, Document
from assistant.ingest.chunk import chunk_document
from assistant.text.sentences import split_sentences

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample" / "thanh-hoa-doi-ngoai.txt"
COMPOUNDS = ["14.081,67", "3.777,5", "15-4-2010", "41-CT/TW", "22/NQ-TW", "31-NQ/CP", "TP.HCM"]
SIZES = [(600, 100), (300, 50), (120, 30), (1000, 0), (80, 79)]


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    text = SAMPLE.read_text(encoding="utf-8").rstrip("\n")
    return Document(id="sample", title=text.split("\n", 1)[0], text=text)


def check_chunks(text: str, chunks: list[Chunk], chunk_size: int, chunk_overlap: int) -> None:
    """Every guarantee of chunk_document, on any text."""
    for ordinal, chunk in enumerate(chunks):
        assert chunk.ordinal == ordinal
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() != ""
        # boundaries fall on whitespace, so never inside a number, date or code
        assert chunk.start == 0 or text[chunk.start - 1].isspace()
        assert chunk.end == len(text) or text[chunk.end].isspace()
        # oversized only when a single token is longer than chunk_size
        assert len(chunk.text) <= chunk_size or not re.search(r"\s", chunk.text)
    for previous, current in pairwise(chunks):
        assert previous.start < current.start
        assert previous.end - current.start <= chunk_overlap
        assert not text[previous.end : current.start].strip()  # only whitespace between
    # coverage: no non-whitespace character outside the chunks
    if chunks:
        assert not text[: chunks[0].start].strip()
        assert not text[chunks[-1].end :].strip()
    else:
        assert not text.strip()


@pytest.mark.parametrize(("chunk_size", "chunk_overlap"), SIZES)
def test_sample_offsets_are_exact(
    sample_doc: Document, chunk_size: int, chunk_overlap: int
) -> None:
    chunks = chunk_document(sample_doc, chunk_size, chunk_overlap)
    assert len(chunks) > 1
    assert all(c.doc_id == "sample" for c in chunks)
    check_chunks(sample_doc.text, chunks, chunk_size, chunk_overlap)


@pytest.mark.parametrize(("chunk_size", "chunk_overlap"), SIZES)
def test_sample_compounds_are_never_cut(
    sample_doc: Document, chunk_size: int, chunk_overlap: int
) -> None:
    chunks = chunk_document(sample_doc, chunk_size, chunk_overlap)
    for token in COMPOUNDS[:-1]:
        for match in re.finditer(re.escape(token), sample_doc.text):
            assert any(c.start <= match.start() and match.end() <= c.end for c in chunks)


def test_chunks_start_at_sentences_when_sentences_fit(sample_doc: Document) -> None:
    sentence_starts = {start for start, _ in split_sentences(sample_doc.text)}
    longest = max(end - start for start, end in split_sentences(sample_doc.text))
    chunks = chunk_document(sample_doc, longest + 1, 0)
    assert {c.start for c in chunks} <= sentence_starts


def test_overlap_is_used(sample_doc: Document) -> None:
    chunks = chunk_document(sample_doc, 120, 40)
    overlaps = [a.end - b.start for a, b in pairwise(chunks)]
    assert max(overlaps) > 0


def test_repeated_text_gets_true_offsets() -> None:
    text = " ".join(["Thanh Hóa."] * 30) + "\n\n" + " ".join(["a"] * 40)
    doc = Document(id="r", title="r", text=text)
    for chunk_size, chunk_overlap in [(3, 0), (5, 2), (11, 5), (25, 10), (40, 0)]:
        check_chunks(
            text, chunk_document(doc, chunk_size, chunk_overlap), chunk_size, chunk_overlap
        )


def test_token_longer_than_chunk_is_kept_whole() -> None:
    text = "  Số liệu: " + "9" * 40 + ".000,5 triệu USD\n"
    chunks = chunk_document(Document(id="l", title="l", text=text), 20, 5)
    assert "9" * 40 + ".000,5" in [c.text for c in chunks]
    check_chunks(text, chunks, 20, 5)


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_blank_document_has_no_chunk(text: str) -> None:
    assert chunk_document(Document(id="e", title="e", text=text), 100, 10) == []


# --- property: random Vietnamese-like text ------------------------------------------------

WORDS = [
    "Thanh",
    "Hóa",
    "tỉnh",
    "đối",
    "ngoại",
    "hợp",
    "tác",
    "Hủa",
    "Phăn",
    "CHDCND",
    "Lào",
    "đạt",
    "triệu",
    "USD",
    "v.v.",
    "TP.",
    "CHLB",
    "quốc",
    "tế...",
    "Đức,",
    "năm;",
    "(2016-2021)",
    "“Tu",
    "sửa”",
    *COMPOUNDS,
    "2,5",
    "92,02%",
    "46.101",
]
SEPARATORS = [" ", " ", " ", " ", ". ", ", ", "; ", "... ", "! ", "? ", "\n", "\n\n", "  "]


@st.composite
def vietnamese_like(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=80))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(word + sep for word, sep in zip(words, seps, strict=True))


@settings(max_examples=300, deadline=None)
@given(
    text=vietnamese_like(),
    chunk_size=st.integers(min_value=5, max_value=300),
    overlap_share=st.floats(min_value=0.0, max_value=0.9),
)
def test_property_offsets_exact_and_tokens_whole(
    text: str, chunk_size: int, overlap_share: float
) -> None:
    chunk_overlap = int(chunk_size * overlap_share)
    chunks = chunk_document(Document(id="p", title="p", text=text), chunk_size, chunk_overlap)
    check_chunks(text, chunks, chunk_size, chunk_overlap)
    # every whitespace-delimited token (numbers, dates, codes) lies inside some chunk
    for match in re.finditer(r"\S+", text):
        assert any(c.start <= match.start() and match.end() <= c.end for c in chunks)


# --- sentences ----------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tỉnh đã ký kết. Quan hệ ngày càng sâu.", ["Tỉnh đã ký kết.", "Quan hệ ngày càng sâu."]),
        (
            "Đạt 14.081,67 triệu USD. Vốn 3.777,5 tỷ.",
            ["Đạt 14.081,67 triệu USD.", "Vốn 3.777,5 tỷ."],
        ),
        ("Ngày 15-4-2010. Chỉ thị 41-CT/TW.", ["Ngày 15-4-2010.", "Chỉ thị 41-CT/TW."]),
        ("Số 22/NQ-TW và 31-NQ/CP. Xong.", ["Số 22/NQ-TW và 31-NQ/CP.", "Xong."]),
        ("Ở TP. Thanh Hóa có nhiều dự án.", ["Ở TP. Thanh Hóa có nhiều dự án."]),
        ("Về TP.HCM. Sau đó về quê.", ["Về TP.HCM.", "Sau đó về quê."]),
        ("Tỉnh Mittelsachsen, CHLB Đức. Tiếp.", ["Tỉnh Mittelsachsen, CHLB Đức.", "Tiếp."]),
        ("Nhật, Hàn v.v. và các nước khác.", ["Nhật, Hàn v.v. và các nước khác."]),
        ("các tổ chức quốc tế... ngày càng chặt.", ["các tổ chức quốc tế... ngày càng chặt."]),
        ("từng lĩnh vực... Các cấp đã làm.", ["từng lĩnh vực...", "Các cấp đã làm."]),
        ("Ấn Độ...; mở rộng hợp tác.", ["Ấn Độ...; mở rộng hợp tác."]),
        ("PGS. TS. Nguyễn Văn A phát biểu.", ["PGS. TS. Nguyễn Văn A phát biểu."]),
        ("Dự án “Bảo tồn thành.” Đề án mới!", ["Dự án “Bảo tồn thành.”", "Đề án mới!"]),
        ("Hỏi gì? Đáp đây… Hết", ["Hỏi gì?", "Đáp đây…", "Hết"]),
        ("1. Mục một.\n2. Mục hai", ["1. Mục một.", "2. Mục hai"]),
        ("Tiêu đề\n\nThân bài một. Hai", ["Tiêu đề", "Thân bài một.", "Hai"]),
        ("  \n\t ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sample_sentences_keep_codes_whole(sample_doc: Document) -> None:
    found = sentences(sample_doc.text)
    assert "Bài và ảnh: Minh Hiếu" in found
    for token in COMPOUNDS[:-1]:
        assert any(token in sentence for sentence in found)
    assert all(not s.endswith(("TP.", "CHLB")) for s in found)


@settings(max_examples=300, deadline=None)
@given(vietnamese_like())
def test_property_sentence_spans(text: str) -> None:
    spans = split_sentences(text)
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() != ""
        assert start == 0 or text[start - 1].isspace()
        assert end == len(text) or text[end].isspace()
    for (_, end), (start, _) in pairwise(spans):
        assert end < start
        assert not text[end:start].strip()
    # coverage: every non-whitespace character is in a sentence
    assert spans
    assert not text[: spans[0][0]].strip()
    assert not text[spans[-1][1] :].strip()
