"""Questions asking two things at once: where they split (no model needed), how the two
answers become one, and, with the real model, that both facts are answered and cited."""

from __future__ import annotations

import pytest

from assistant.answer.compound import asked_parts, merge
from assistant.answer.types import Answer, Citation


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Hiện nay Thanh Hóa có bao nhiêu dự án FDI và tổng vốn đầu tư là bao nhiêu?",
            ("Hiện nay Thanh Hóa có bao nhiêu dự án FDI?", "tổng vốn đầu tư là bao nhiêu?"),
        ),
        (
            "Which Vietnamese province attracted the most FDI in 2023, and how much?",
            ("Which Vietnamese province attracted the most FDI in 2023?", "how much?"),
        ),
        (
            "Năm 2023 xuất khẩu đạt bao nhiêu; nhập khẩu đạt bao nhiêu?",
            ("Năm 2023 xuất khẩu đạt bao nhiêu?", "nhập khẩu đạt bao nhiêu?"),
        ),
        (
            "Năm 2023 kim ngạch xuất khẩu và nhập khẩu lần lượt đạt bao nhiêu?",
            (
                "Năm 2023 kim ngạch xuất khẩu đạt bao nhiêu?",
                "Năm 2023 kim ngạch nhập khẩu đạt bao nhiêu?",
            ),
        ),
        (
            "Trong đó xuất khẩu và nhập khẩu mỗi chiều bao nhiêu?",
            ("Trong đó xuất khẩu bao nhiêu?", "Trong đó nhập khẩu bao nhiêu?"),
        ),
        (
            "Thỏa thuận được ký vào ngày nào, tại đâu?",
            ("Thỏa thuận được ký vào ngày nào?", "tại đâu?"),
        ),
        (
            "Đoàn mời dự sự kiện gì và vào thời điểm nào?",
            ("Đoàn mời dự sự kiện gì?", "vào thời điểm nào?"),
        ),
    ],
)
def test_two_asking_clauses_split(question: str, parts: tuple[str, str]) -> None:
    assert asked_parts(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        # two places joined, one question
        "Thanh Hóa và Hủa Phăn ký thỏa thuận hợp tác về những lĩnh vực gì?",
        # a comma listing nouns before the question word
        "Tỉnh muốn quan hệ với cơ quan ngoại giao của những nước, khu vực nào?",
        # "mỗi nơi": the second part counts what the first lists
        "Ba thị trường nhận nhiều lao động nhất là những nơi nào, mỗi nơi bao nhiêu người?",
        # "mỗi năm" is a time, not "each of the two"
        "Thanh Hóa và Hủa Phăn mỗi năm tổ chức bao nhiêu cuộc hội đàm?",
        # two partners of one question
        "Thanh Hóa có những đối tác nào ở Nhật Bản và Hàn Quốc?",
        # a measure's own "và" before the question word
        "Kim ngạch xuất khẩu hàng hóa và dịch vụ của Thanh Hóa năm 2024 đạt bao nhiêu?",
        "Vốn đầu tư và số dự án FDI năm 2023?",
        "Giai đoạn 2016-2020, tổng giá trị xuất khẩu là bao nhiêu?",
    ],
)
def test_one_question_does_not_split(question: str) -> None:
    assert asked_parts(question) is None


def _citation(n: int, start: int, end: int, doc_id: str = "bai") -> Citation:
    return Citation(
        n=n, doc_id=doc_id, title="Bài", quote="x" * (end - start), start=start, end=end
    )


def _answer(text: str, citations: list[Citation], answerable: bool = True) -> Answer:
    return Answer(
        answer=text, answerable=answerable, mode="extractive", query="q", citations=citations
    )


def test_merged_answer_leads_with_both_and_cites_each_passage_once() -> None:
    first = _answer("13.204 người [1].\nCó 13.204 người đi làm việc [1].", [_citation(1, 0, 30)])
    second = _answer(
        "285 triệu USD [2].\nCó 13.204 người đi làm việc [1]. Kiều hối đạt 285 triệu USD [2].",
        [_citation(1, 0, 30), _citation(2, 40, 70)],
    )
    merged = merge(first, second)
    assert merged.answer == (
        "13.204 người [1]; 285 triệu USD [2].\n"
        "Có 13.204 người đi làm việc [1]. Kiều hối đạt 285 triệu USD [2]."
    )
    assert [(c.n, c.start) for c in merged.citations] == [(1, 0), (2, 40)]
    assert merge(merged, first) is merged  # nothing new: unchanged


def test_a_whole_answer_gains_only_its_own_articles_passages() -> None:
    whole = _answer("Cầu chính dài 612 m [1].", [_citation(1, 0, 20)])
    part = _answer(
        "1.186 tỷ đồng [1].\nTổng mức đầu tư 1.186 tỷ đồng [1]. Một bài khác [2].",
        [_citation(1, 30, 60), _citation(2, 0, 10, doc_id="khac")],
    )
    part.lead, part.lead_citation = "1.186 tỷ đồng", 1
    merged = merge(whole, part, same_articles=True)
    assert (
        merged.answer
        == "1.186 tỷ đồng [2].\nCầu chính dài 612 m [1]. Tổng mức đầu tư 1.186 tỷ đồng [2]."
    )
    assert {c.doc_id for c in merged.citations} == {"bai"}
    # the first line states the part's answer: so does the lead field
    assert (merged.lead, merged.lead_citation) == ("1.186 tỷ đồng", 2)


def test_three_leading_lines_become_one() -> None:
    base = _answer("A [1].\nQuote a [1].", [_citation(1, 0, 10)])
    for n, (lead, start) in enumerate((("B", 20), ("C", 40)), start=1):
        extra = _answer(f"{lead} [1].\nQuote {lead} [1].", [_citation(1, start, start + 10)])
        base = merge(base, extra)
        assert base.answer.split("\n")[0] == ["A [1]; b [2].", "A [1]; b [2]; c [3]."][n - 1]


@pytest.mark.model
def test_both_figures_are_answered_from_their_own_sentences(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Cả năm 2025, Thanh Hóa có bao nhiêu người đi làm việc ở nước ngoài và kiều hối "
        "gửi về ước bao nhiêu?"
    )
    assert answer.answerable, answer.answer
    lead = answer.answer.split("\n", 1)[0]
    assert "13.204" in lead and "285 triệu USD" in lead, answer.answer
    assert {c.doc_id for c in answer.citations} == {"syn-rv-tong-ket-2025"}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


@pytest.mark.model
def test_the_second_part_of_a_follow_up_borrows_the_conversation(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Trong số đó có bao nhiêu khách quốc tế, và tiền bán vé thu được bao nhiêu?",
        history=[{"role": "user", "content": "Năm 2023 Thành Nhà Hồ đón bao nhiêu lượt khách?"}],
    )
    assert answer.answerable, answer.answer
    assert "9.760" in answer.answer and "3,47 tỷ đồng" in answer.answer
