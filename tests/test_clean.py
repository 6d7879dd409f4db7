"""Cleaning of scraped article text (assistant.ingest.clean)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest.clean import clean_text

DATA = Path(__file__).parent / "data"
HEADLINE = "Tăng cường công tác đối ngoại đáp ứng yêu cầu trong giai đoạn mới"
LEAD_START = "Trong những năm qua, Tỉnh ủy, HĐND, UBND tỉnh đã tập trung"
CAPTION = (
    "Lãnh đạo tỉnh Thanh Hóa và tỉnh Hủa Phăn, hội đàm tại lễ ký kết thỏa thuận hợp tác "
    "giữa hai tỉnh giai đoạn 2021-2025."
)
BYLINE = "Bài và ảnh: Minh Hiếu"


@pytest.fixture(scope="module")
def raw_seed() -> str:
    return (DATA / "seed_raw.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned(raw_seed: str) -> str:
    return clean_text(raw_seed)


@pytest.fixture(scope="module")
def paragraphs(cleaned: str) -> list[str]:
    return cleaned.split("\n\n")


def real_paragraphs(raw: str) -> list[str]:
    """The article's own paragraphs in the raw page: everything up to the byline, except
    the headline with the caption glued to it."""
    kept = []
    for paragraph in raw.split("\n\n"):
        paragraph = paragraph.strip()
        if paragraph.startswith(HEADLINE) and paragraph != HEADLINE:
            continue
        kept.append(paragraph)
        if paragraph == BYLINE:
            break
    return kept


def test_lead_appears_once(cleaned: str) -> None:
    assert cleaned.count(LEAD_START) == 1


def test_headline_appears_once_as_its_own_paragraph(cleaned: str, paragraphs: list[str]) -> None:
    assert cleaned.count(HEADLINE) == 1
    assert HEADLINE in paragraphs


def test_caption_is_separated_from_headline(cleaned: str, paragraphs: list[str]) -> None:
    assert CAPTION in paragraphs
    assert "mớiLãnh" not in cleaned


@pytest.mark.parametrize(
    "residue",
    [
        "{name}",
        "{time}",
        "{body}",
        "bình luận",
        "Trả lời",
        "Tắt [X]",
        "Chia sẻ",
        "Ý kiến của bạn",
        "Vui lòng gõ tiếng Việt",
        "Thời tiết",
        "Xem thêm",
        "\u00a0",
    ],
)
def test_boilerplate_is_removed(cleaned: str, residue: str) -> None:
    assert residue not in cleaned


def test_article_ends_with_byline(cleaned: str) -> None:
    assert cleaned.endswith("\n\n" + BYLINE)


def test_all_real_paragraphs_are_kept_verbatim(raw_seed: str, paragraphs: list[str]) -> None:
    # the lead is printed twice, with and without the "(Baothanhhoa.vn) - " dateline
    expected = [p for p in real_paragraphs(raw_seed) if not p.startswith(LEAD_START)]
    assert [p for p in paragraphs if p != CAPTION] == expected


def test_order_of_paragraphs(paragraphs: list[str]) -> None:
    assert paragraphs[0].startswith("(Baothanhhoa.vn) - " + LEAD_START)
    assert paragraphs[1:3] == [HEADLINE, CAPTION]
    assert paragraphs[-1] == BYLINE


def test_is_idempotent_on_seed(cleaned: str) -> None:
    assert clean_text(cleaned) == cleaned


def test_sample_corpus_file_is_clean() -> None:
    sample = (DATA.parent.parent / "corpus" / "sample" / "thanh-hoa-doi-ngoai.txt").read_text(
        encoding="utf-8"
    )
    assert sample.startswith(HEADLINE + "\n\n")
    assert clean_text(sample) == sample.rstrip("\n")


def test_whitespace_is_normalised() -> None:
    text = "  Dòng\t một  \r\n\r\n\r\n\u00a0Dòng\u200b hai\u3000 ba \rDòng bốn\n\n\n"
    assert clean_text(text) == "Dòng một\n\nDòng hai ba\nDòng bốn"


def test_output_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Thanh Hóa đối ngoại")
    assert clean_text(decomposed) == unicodedata.normalize("NFC", decomposed)


def test_repeat_with_other_tone_placement_is_removed() -> None:
    text = "Ngoại giao văn hóa phát triển mạnh.\n\nNgoại giao văn hoá phát triển mạnh."
    assert clean_text(text) == "Ngoại giao văn hóa phát triển mạnh."


def test_navigation_words_inside_the_article_are_kept() -> None:
    text = "Thời tiết\n\nHôm nay trời nắng đẹp.\n\nĐịa phương\n\nCác xã đã chủ động."
    assert clean_text(text) == text


def test_exact_widget_lines_are_removed_anywhere() -> None:
    text = "Đoạn một.\n\n{name} - {time}\nTrả lời\n\nĐoạn hai.\n\nFacebook | Zalo | In bài"
    assert clean_text(text) == "Đoạn một.\n\nĐoạn hai."


def test_short_glued_prefix_is_not_a_headline() -> None:
    text = "Hà Nội\n\nHà NộiThủ đô là trung tâm."
    assert clean_text(text) == text


LINES = [
    HEADLINE,
    CAPTION,
    HEADLINE + CAPTION,
    "Trả lời",
    "{name} - {time}",
    "0 bình luận",
    "Thời tiết",
    "Xem thêm Thanh Hóa",
    "Tỉnh đã ký kết thỏa thuận.",
    "Tỉnh đã ký kết thoả thuận.",
    "  khoảng trắng\tthừa  ",
    "",
    "",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_is_idempotent_on_mixed_pages(lines: list[str]) -> None:
    once = clean_text("\n".join(lines))
    assert clean_text(once) == once
