"""Scoring rules of the evaluation harness, on constructed answers (no model needed),
and the test-set loader's validation."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer.types import Answer, Citation
from assistant.core.types import Passage
from assistant.eval.metrics import (
    aggregate,
    contains,
    error_result,
    percentile,
    quote_overlaps,
    retrieval_rank,
    score_answer,
    strip_markers,
    summarize,
)
from assistant.eval.testset import TestItem, TestSetError, parse_item, parse_testset, select

EVIDENCE = "tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD"
OTHER = "Tỉnh đã tổ chức nhiều đoàn công tác sang Lào để trao đổi kinh nghiệm phát triển."


def make_item(**fields: Any) -> TestItem:
    data: dict[str, Any] = {"id": "q", "question": "Xuất khẩu đạt bao nhiêu?"}
    data.update(fields)
    if not data.get("unanswerable") and not (data.get("any_of") or data.get("all_of")):
        data["any_of"] = ["14.081,67"]
    return parse_item(data)


def passage(text: str, n: int = 0, doc_id: str = "d1") -> Passage:
    return Passage(chunk_id=n, doc_id=doc_id, title="Bài", text=text, start=0, end=len(text))


def citation(quote: str, n: int = 1, doc_id: str = "d1") -> Citation:
    return Citation(n=n, doc_id=doc_id, title="Bài", quote=quote, start=0, end=len(quote))


def make_answer(
    text: str,
    *,
    answerable: bool = True,
    citations: list[Citation] | None = None,
    passages: list[Passage] | None = None,
    timings: dict[str, float] | None = None,
) -> Answer:
    return Answer(
        answer=text,
        answerable=answerable,
        mode="extractive",
        query=text,
        citations=citations or [],
        passages=passages or [],
        timings_ms=timings or {},
    )


# --- matching -------------------------------------------------------------------------


def test_correct_answer_with_exact_number() -> None:
    result = score_answer(make_item(), make_answer("Xuất khẩu đạt 14.081,67 triệu USD [1]."))
    assert result.correct and not result.refused and result.missing == []


@pytest.mark.parametrize(
    "answer",
    ["đạt 14081,67 triệu USD", "đạt 14.081,6 triệu USD", "đạt 14.081.67 triệu USD", "đạt 4.081,67"],
)
def test_numbers_must_match_exactly_as_written(answer: str) -> None:
    result = score_answer(make_item(), make_answer(answer))
    assert not result.correct
    assert result.missing == ["14.081,67"]


@pytest.mark.parametrize(
    ("expected", "text", "found"),
    [
        ("14.081", "đạt 14.081,67 triệu", False),  # a prefix of a bigger number
        ("081,67", "đạt 14.081,67 triệu", False),  # a suffix of it
        ("79", "thu hút 179 dự án", False),
        ("79", "thu hút 79 dự án.", True),
        ("2020", "đến năm 2020.", True),
        ("14.081,67", "đạt 14.081,67.", True),  # sentence stop is not a decimal part
        ("92,02%", "tỷ lệ 92,02% lao động", True),
        ("41-CT/TW", "Chỉ thị số 41-CT/TW ngày", True),
        ("hoa", "Thanh Hóa", False),  # diacritics are not folded away
        ("Hóa", "thanh hoá", True),
    ],
)
def test_contains_respects_word_and_number_boundaries(
    expected: str, text: str, found: bool
) -> None:
    assert contains(text, expected) is found


def test_tone_mark_variants_and_case_and_spaces_match() -> None:
    item = make_item(any_of=["Thanh Hoá"])
    assert score_answer(item, make_answer("tỉnh  THANH\nHÓA đã ký kết")).correct
    item = make_item(any_of=["hóa"])
    assert score_answer(item, make_answer("văn hoá")).correct


def test_markers_are_stripped_before_matching() -> None:
    assert strip_markers("a [1] b [1, 2] c [3-4]").split() == ["a", "b", "c"]
    item = make_item(any_of=["Hủa Phăn và Luang Prabang"])
    assert score_answer(item, make_answer("tỉnh Hủa Phăn [1] và Luang Prabang [2].")).correct
    item = make_item(any_of=["1"])  # a marker number is not an answer
    assert not score_answer(item, make_answer("Không rõ [1].")).correct


def test_all_of_requires_every_string_and_any_of_one() -> None:
    item = make_item(any_of=["Lào", "Laos"], all_of=["Hủa Phăn", "Xiêng Khoảng"])
    good = score_answer(item, make_answer("Lào: Hủa Phăn, Xiêng Khoảng."))
    assert good.correct
    partial = score_answer(item, make_answer("Lào: Hủa Phăn."))
    assert not partial.correct and partial.missing == ["Xiêng Khoảng"]
    no_any = score_answer(item, make_answer("Hủa Phăn, Xiêng Khoảng."))
    assert not no_any.correct and no_any.missing == ["Lào", "Laos"]


def test_answerable_question_refused_is_wrong_even_if_text_matches() -> None:
    result = score_answer(make_item(), make_answer("14.081,67", answerable=False))
    assert not result.correct and result.refused


def test_unanswerable_question_right_only_when_refused() -> None:
    item = make_item(unanswerable=True)
    assert score_answer(item, make_answer("Không tìm thấy.", answerable=False)).correct
    wrong = score_answer(item, make_answer("Đạt 5 tỷ USD [1].", answerable=True))
    assert not wrong.correct and not wrong.refused


def test_error_counts_as_wrong_and_not_as_refusal() -> None:
    result = error_result(make_item(unanswerable=True), "RuntimeError: boom", 3.0)
    assert not result.correct and not result.refused and result.error


# --- retrieval and citations -----------------------------------------------------------


def test_retrieval_rank_is_first_passage_containing_the_evidence() -> None:
    texts = [OTHER, "Khác.", "Năm 2021, " + EVIDENCE.upper() + ".", EVIDENCE]
    assert retrieval_rank(EVIDENCE, texts) == 3
    assert retrieval_rank(EVIDENCE, [OTHER]) is None
    assert retrieval_rank(None, texts) is None
    # tone marks written the old way still match
    assert retrieval_rank("văn hóa", ["ngoại giao văn hoá"]) == 1


def test_quote_overlap_rules() -> None:
    assert quote_overlaps("Năm 2020, " + EVIDENCE + ".", EVIDENCE)  # quote contains evidence
    assert quote_overlaps("đạt 14.081,67 triệu USD", EVIDENCE)  # evidence contains quote
    shared = EVIDENCE[-25:]  # 25 shared characters
    assert quote_overlaps("Theo báo cáo, " + shared + " và hơn thế", "x " + EVIDENCE)
    twenty = "abcdefghijklmnopqrst"
    assert quote_overlaps("1" + twenty + "2", "3" + twenty + "4")
    assert not quote_overlaps("1" + twenty[:19] + "2", "3" + twenty[:19] + "4")
    assert not quote_overlaps(OTHER, EVIDENCE)
    assert not quote_overlaps("", EVIDENCE)


def test_citation_precision_and_recall() -> None:
    item = make_item(evidence=EVIDENCE)
    both = make_answer(
        "Đạt 14.081,67 triệu USD [1]. Lào [2].",
        citations=[citation(EVIDENCE, 1), citation(OTHER, 2)],
    )
    result = score_answer(item, both)
    assert result.citation_precision == 0.5 and result.citation_recall == 1.0
    assert [c["overlaps_evidence"] for c in result.citations] == [True, False]

    wrong = score_answer(item, make_answer("14.081,67 [1]", citations=[citation(OTHER)]))
    assert wrong.citation_precision == 0.0 and wrong.citation_recall == 0.0

    uncited = score_answer(item, make_answer("14.081,67"))
    assert uncited.citation_precision is None and uncited.citation_recall == 0.0


# --- aggregates ------------------------------------------------------------------------


def _ranked(rank: int | None, kind: str = "numeric", correct: bool = True) -> Any:
    texts = [OTHER] * 12
    if rank is not None:
        texts[rank - 1] = EVIDENCE
    item = make_item(evidence=EVIDENCE, type=kind)
    text = "đạt 14.081,67" if correct else "không rõ"
    return score_answer(
        item, make_answer(text, passages=[passage(t, i) for i, t in enumerate(texts)])
    )


def test_recall_at_k_and_mrr() -> None:
    results = [_ranked(1), _ranked(3), _ranked(7), _ranked(None)]
    summary = summarize(results)
    assert summary["recall@1"] == pytest.approx(0.25)
    assert summary["recall@5"] == pytest.approx(0.5)
    assert summary["recall@10"] == pytest.approx(0.75)
    assert summary["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 7 + 0) / 4)


def test_refusal_rates_and_accuracy() -> None:
    refusal = make_answer("Không có thông tin.", answerable=False)
    results = [
        score_answer(make_item(id="a"), make_answer("14.081,67")),
        score_answer(make_item(id="b"), refusal),  # false refusal
        score_answer(make_item(id="c", unanswerable=True), refusal),
        score_answer(make_item(id="d", unanswerable=True), make_answer("bịa [1]")),
    ]
    summary = summarize(results)
    assert summary["answer_accuracy"] == pytest.approx(0.5)
    assert summary["refusal_rate"] == pytest.approx(0.5)
    assert summary["false_refusal_rate"] == pytest.approx(0.5)
    assert (summary["questions"], summary["answerable"], summary["unanswerable"]) == (4, 2, 2)
    assert summary["recall@5"] is None  # no evidence given: nothing to rank


def test_citation_precision_and_recall_cover_every_answerable_question() -> None:
    item = make_item(evidence=EVIDENCE)
    right = score_answer(item, make_answer("14.081,67 [1]", citations=[citation(EVIDENCE)]))
    wrong = score_answer(item, make_answer("13.000 [1]", citations=[citation(OTHER)]))
    summary = summarize([right, wrong])
    assert summary["citation_precision"] == 0.5 and summary["citation_recall"] == 0.5


def test_a_quote_counts_only_from_the_evidence_article() -> None:
    item = make_item(evidence=EVIDENCE, doc_id="right")
    elsewhere = score_answer(
        item, make_answer("14.081,67 [1]", citations=[citation(EVIDENCE, doc_id="other")])
    )
    assert not elsewhere.correct and elsewhere.citation_recall == 0.0
    assert elsewhere.other_articles == ["other"]
    both = score_answer(
        item,
        make_answer(
            "14.081,67 [1]. 9.000 [2].",
            citations=[citation(EVIDENCE, doc_id="right"), citation("9.000 USD", n=2, doc_id="x")],
        ),
    )
    assert not both.correct, "a second, conflicting figure from another article is wrong"
    own = score_answer(
        item, make_answer("14.081,67 [1]", citations=[citation(EVIDENCE, doc_id="right")])
    )
    assert own.correct and own.citation_recall == 1.0


def test_per_type_aggregation() -> None:
    results = [
        _ranked(1, "numeric"),
        _ranked(2, "numeric", correct=False),
        _ranked(None, "name"),
        score_answer(
            make_item(id="u", type="unanswerable", unanswerable=True),
            make_answer("Không có.", answerable=False),
        ),
    ]
    metrics = aggregate(results)
    assert list(metrics["per_type"]) == ["name", "numeric", "unanswerable"]
    numeric = metrics["per_type"]["numeric"]
    assert numeric["questions"] == 2 and numeric["answer_accuracy"] == 0.5
    assert numeric["recall@1"] == 0.5 and numeric["recall@5"] == 1.0
    assert metrics["per_type"]["name"]["recall@10"] == 0.0
    assert metrics["per_type"]["unanswerable"]["refusal_rate"] == 1.0
    assert metrics["per_type"]["unanswerable"]["recall@1"] is None
    assert metrics["overall"]["answer_accuracy"] == 0.75


def test_percentiles_interpolate_linearly() -> None:
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(list(reversed(values)), 0) == 1.0
    assert percentile([42.0], 95) == 42.0
    assert percentile([], 50) is None


def test_latency_per_stage() -> None:
    results = [
        score_answer(
            make_item(id=str(i)),
            make_answer("14.081,67", timings={"embed": float(i), "total": 10.0 * i}),
            wall_ms=11.0 * i,
        )
        for i in range(1, 5)
    ]
    summary = summarize(results)
    assert summary["latency.embed.p50"] == pytest.approx(2.5)
    assert summary["latency.total.p95"] == pytest.approx(38.5)
    assert summary["latency.wall.p50"] == pytest.approx(27.5)
    stages = [k for k in summary if k.startswith("latency.")]
    assert stages.index("latency.embed.p50") < stages.index("latency.total.p50")


# --- test set --------------------------------------------------------------------------


def test_testset_parses_and_skips_blank_lines() -> None:
    lines = [
        '{"id": "a", "question": "Q1?", "type": "numeric", "any_of": ["1"], "evidence": "e"}',
        "",
        '{"id": "b", "question": "Q2?", "unanswerable": true, "note": "ignored"}',
        '{"id": "c", "question": "Q3?", "all_of": ["x"], '
        '"history": [{"role": "user", "content": "Hỏi"}]}',
    ]
    items = parse_testset(lines)
    assert [i.id for i in items] == ["a", "b", "c"]
    assert items[1].unanswerable and items[1].type == "untyped"
    assert items[2].history == [{"role": "user", "content": "Hỏi"}]
    assert items[1].expected == {"refusal": True}
    assert [i.id for i in select(items, ["numeric"])] == ["a"]
    assert [i.id for i in select(items, None, 2)] == ["a", "b"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a"]', "JSON object"),
        ('{"id": "z", "any_of": ["1"]}', "'question' is required"),
        ('{"question": "Q?", "any_of": ["1"]}', "'id' is required"),
        ('{"id": "z", "question": "Q?"}', "needs 'any_of' or 'all_of'"),
        ('{"id": "z", "question": "Q?", "unanswerable": true, "any_of": ["1"]}', "cannot have"),
        ('{"id": "z", "question": "Q?", "any_of": [""]}', "'any_of' must be"),
        ('{"id": "z", "question": "Q?", "any_of": ["1"], "history": [{"role": "x"}]}', "history"),
        ('{"id": "a", "question": "Q?", "any_of": ["1"]}', "duplicate id 'a' (first on line 1)"),
    ],
)
def test_testset_errors_name_the_line(bad: str, message: str) -> None:
    lines = ['{"id": "a", "question": "Q?", "any_of": ["1"]}', bad]
    with pytest.raises(TestSetError, match=r"set\.jsonl:2: ") as info:
        parse_testset(lines, "set.jsonl")
    assert message in str(info.value)


def test_lead_rate_and_precision_over_correct_answers() -> None:
    def led(lead: str | None) -> Answer:
        answer = make_answer(f"{lead} [1].\n{EVIDENCE} [1]." if lead else f"{EVIDENCE} [1].")
        answer.lead = lead
        return answer

    results = [
        score_answer(make_item(id="a", any_of=["14.081,67 triệu USD"]), led("14.081,67")),
        score_answer(make_item(id="b"), led("2016-2020")),  # a lead that misses
        score_answer(make_item(id="c"), led(None)),
        score_answer(make_item(id="d", any_of=["999"]), led("14.081,67 triệu USD")),  # wrong
    ]
    assert [r.lead_correct for r in results] == [True, False, None, False]
    # a first line stating a wrong item is a wrong answer, whatever follows it
    assert [r.correct for r in results] == [True, False, True, False]
    summary = summarize(results)
    assert summary["lead_rate"] == pytest.approx(1 / 2)  # over the two correct answers
    assert summary["lead_precision"] == pytest.approx(1.0)
