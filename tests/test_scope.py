"""Scope: the place and period an article reports on, read at ingest, and the place,
period, "latest" and measure a question asks for; which article answers when several
state the same measure. Pure functions: no model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistant.answer.scope import (
    asked_parts,
    choose_article,
    own_periods,
    part_of_the_place,
    part_of_year,
    period_covered,
    question_scope,
    speaks_of_the_province,
    states_measure,
    without_recency,
)
from assistant.core.types import ArticleScope, Document, Passage
from assistant.ingest.scope import article_scope
from assistant.text.periods import spelled_counts_as_digits
from assistant.text.places import NATIONAL_KEY

HOME = "Thanh Hóa"


def _doc(title: str, text: str, tags: list[str] | None = None, day: str | None = None) -> Document:
    return Document(id="d", title=title, text=text, tags=tags or [], published_at=day)


def test_dateline_names_the_province() -> None:
    scope = article_scope(_doc("Nghệ An: Đối ngoại năm 2023 khởi sắc", "Năm 2023, tỉnh ..."), HOME)
    assert scope.places == ["Nghệ An"]
    assert scope.periods == [(2023, 2023)]


def test_an_invented_province_in_a_dateline_is_a_place() -> None:
    scope = article_scope(_doc("Tỉnh Lạc Dương: Dấu ấn nhiệm kỳ 2016-2020", "Tỉnh ..."), HOME)
    assert scope.places == ["Lạc Dương"]
    assert scope.periods == [(2016, 2020)]


def test_foreign_partners_are_not_the_subject() -> None:
    doc = _doc(
        "Đoàn công tác thành phố Seongnam (Hàn Quốc) thăm Thanh Hóa",
        "Ngày 3-4-2024, lãnh đạo tỉnh tiếp đoàn tỉnh Hủa Phăn (Lào).",
    )
    assert article_scope(doc, HOME).place_keys == ["thanh hoa"]


def test_no_place_means_the_home_province_and_ca_nuoc_the_country() -> None:
    local = article_scope(_doc("Năm 2017: Đối ngoại tạo động lực", "Năm 2017, tỉnh ..."), HOME)
    assert local.places == [HOME]
    national = article_scope(_doc("Năm 2023, cả nước thu hút 36 tỷ USD FDI", "..."), HOME)
    assert national.places == ["Việt Nam"]
    # "Thái Bình Dương" (the Pacific) is not the province Thái Bình; "phi chính phủ" no cue
    pacific = article_scope(
        _doc("Hội nhập: tận dụng CPTPP", "Hiệp định xuyên Thái Bình Dương ... phi chính phủ"),
        HOME,
    )
    assert pacific.places == [HOME]


def test_a_correction_is_marked_and_dated_by_its_subject() -> None:
    doc = _doc("Đính chính số liệu nhập khẩu năm 2022", "Báo xin đính chính ...", day="2023-01-27")
    scope = article_scope(doc, HOME)
    assert scope.correction and scope.periods == [(2022, 2022)]


def test_an_undated_review_covers_the_span_it_gives_its_recent_years() -> None:
    text = (
        "Trong những năm qua, tỉnh đã tập trung chỉ đạo công tác đối ngoại.\n\n"
        "Để đạt được những kết quả trong 5 năm qua (2016-2021), Tỉnh ủy đã quán triệt ..."
    )
    assert article_scope(_doc("Tăng cường công tác đối ngoại", text), HOME).periods == [
        (2016, 2021)
    ]
    # dated, its year is its period; a span whose length does not fit N is no definition
    assert article_scope(_doc("Đối ngoại", text, day="2021-06-01"), HOME).periods == [(2021, 2021)]
    odd = text.replace("(2016-2021)", "(2010-2021)")
    assert article_scope(_doc("Tăng cường công tác đối ngoại", odd), HOME).periods == []


def test_question_scope_place_period_latest_measure() -> None:
    known = {"thanh hoa", "nghe an", "lac duong", "viet nam"}
    q = question_scope("Kim ngạch nhập khẩu của Nghệ An năm 2023?", known, HOME)
    assert q.places == ("nghe an",) and q.explicit
    assert q.periods == ((2023, 2023),) and q.measure_terms == ("nhap_khau",)
    q = question_scope("xuat khau moi nhat la bao nhieu", known, HOME)
    assert q.places == ("thanh hoa",) and not q.explicit and q.latest and q.wants_recent
    assert q.measure_terms == ("xuat_khau",)
    q = question_scope("Năm 2023 cả nước thu hút bao nhiêu vốn FDI?", known, HOME)
    assert q.places == ("viet nam",)
    q = question_scope("Tổng kim ngạch xuất nhập khẩu của tỉnh Lạc Dương?", known, HOME)
    assert q.places == ("lac duong",) and q.measure_terms == ()
    assert q.place_names == ("Lạc Dương",), "a portal's own place, as the reader wrote it"


def test_a_sentence_is_about_the_years_it_states_not_those_it_compares_with() -> None:
    scope = question_scope("Năm 2022 nhập khẩu đạt bao nhiêu?", set(), HOME)
    yearly = ArticleScope(periods=[(2023, 2023)])
    assert not period_covered(scope, yearly, "Năm 2023, nhập khẩu đạt 5 tỷ USD.")
    assert not period_covered(scope, yearly, "Nhập khẩu tăng 8% so với năm 2022.")
    assert period_covered(scope, yearly, "Năm 2022, nhập khẩu đạt 4 tỷ USD.")
    review_2022 = ArticleScope(periods=[(2022, 2022)])
    assert period_covered(scope, review_2022, "Trong năm, nhập khẩu đạt 4 tỷ USD.")
    plan = ArticleScope(periods=[(2021, 2025)])
    assert not period_covered(scope, plan, "Trong năm, nhập khẩu đạt 4 tỷ USD.")


def _passage(doc_id: str, day: str, periods: list[tuple[int, int]], correction: bool = False):  # type: ignore[no-untyped-def]
    return Passage(
        chunk_id=0,
        doc_id=doc_id,
        title=doc_id,
        text="",
        start=0,
        end=0,
        published_at=day,
        scope=ArticleScope(periods=periods, correction=correction),
    )


def test_the_asked_period_then_the_newest_then_a_correction_wins() -> None:
    y2019 = _passage("y2019", "2020-01-03", [(2019, 2019)])
    y2023 = _passage("y2023", "2024-01-04", [(2023, 2023)])
    far = [(0.90, y2019), (0.95, y2023)]
    asked_2019 = question_scope("Năm 2019 xuất khẩu đạt bao nhiêu?", set(), HOME)
    assert choose_article(asked_2019, far, 0.12, 0.3).doc_id == "y2019"
    newest = choose_article(question_scope("Xuất khẩu đạt bao nhiêu?", set(), HOME), far, 0.12, 0.3)
    assert newest.doc_id == "y2023" and newest.note == "Theo bài đăng ngày 4-1-2024, "
    fix = _passage("fix", "2024-01-27", [(2023, 2023)], correction=True)
    asked_2023 = question_scope("Năm 2023 xuất khẩu đạt bao nhiêu?", set(), HOME)
    fixed = (0.80, fix)
    corrected = choose_article(asked_2023, [*far, fixed], 0.12, 0.3, frozenset({"fix"}))
    assert corrected.doc_id == "fix" and corrected.note.startswith("Theo đính chính")
    assert (
        choose_article(asked_2019, [*far, fixed], 0.12, 0.3, frozenset({"fix"})).doc_id == "y2019"
    )
    # a correction that restates the asked figure unchanged does not replace its article
    assert choose_article(asked_2023, [*far, fixed], 0.12, 0.3).doc_id == "y2023"
    # out of the margin, the best match stands
    alone = choose_article(asked_2019, [(0.95, y2023), (0.5, y2019)], 0.12, 0.3)
    assert alone.doc_id == "y2023"


def test_the_shipped_term_reference_is_the_corpus_one() -> None:
    """Term rarity comes from a fixed reference so answers never depend on what else is
    indexed; the shipped file must be what the corpus gives (rebuild it with
    ``assistant.answer.weights.write_reference`` after changing the corpora)."""
    import json
    from importlib import resources
    from pathlib import Path

    from assistant.answer.weights import REFERENCE_FILE, reference_from_corpus

    root = Path(__file__).resolve().parents[1]
    shipped = json.loads(
        resources.files("assistant.answer").joinpath("data", REFERENCE_FILE).read_text("utf-8")
    )
    rebuilt = reference_from_corpus(
        [root / "corpus" / "sample", root / "corpus" / "synthetic"], 600, 100
    )
    assert shipped == json.loads(json.dumps(rebuilt))


def test_a_sentence_without_a_year_keeps_the_one_stated_before_it_in_its_paragraph() -> None:
    scope = question_scope("Năm 2022 tỉnh hỗ trợ bao nhiêu?", set(), HOME)
    published_2023 = ArticleScope(periods=[(2023, 2023)])
    sentence = "Tỉnh hỗ trợ tổng kinh phí 12,6 tỷ đồng."
    assert not period_covered(scope, published_2023, sentence)
    assert period_covered(scope, published_2023, sentence, ["Trong năm 2022, hai tỉnh …"])
    assert not period_covered(scope, published_2023, sentence, ["Báo cáo năm 2021 cho thấy …"])


def test_the_wording_of_latest_is_no_article_word() -> None:
    assert without_recency("Số liệu kiều hối mới nhất là bao nhiêu?") == "kiều hối là bao nhiêu?"
    assert without_recency("Xuất khẩu năm gần đây nhất?") == "Xuất khẩu năm"


def test_for_the_latest_figure_the_same_measure_competes_whatever_its_score() -> None:
    y2019 = _passage("y2019", "2020-01-03", [(2019, 2019)])
    y2025 = _passage("y2025", "2026-01-06", [(2025, 2025)])
    latest = question_scope("Xuất khẩu mới nhất đạt bao nhiêu?", set(), HOME)
    ranked = [(0.90, y2019), (0.70, y2025)]
    assert choose_article(latest, ranked, 0.12, 0.3).doc_id == "y2019"
    chosen = choose_article(latest, ranked, 0.12, 0.3, alike=frozenset({"y2025"}))
    assert chosen.doc_id == "y2025" and chosen.note == "Theo bài đăng ngày 6-1-2026, "


def test_total_trade_is_neither_imports_nor_exports() -> None:
    assert states_measure("kim ngạch nhập khẩu đạt 5,6 tỷ USD", ["nhap_khau"])
    assert not states_measure(
        "kim ngạch xuất nhập khẩu qua cửa khẩu đạt 61,8 triệu USD", ["nhap_khau"]
    )
    assert not states_measure("tổng kim ngạch xuất, nhập khẩu đạt 74,36 triệu USD", ["xuat_khau"])


def test_the_half_year_review_answers_the_half_year_and_the_yearly_one_the_year() -> None:
    assert part_of_year("6 thang dau nam 2025 ky bao nhieu") == "6 thang"
    assert part_of_year("Quý II năm 2024") == "quy 2"
    assert part_of_year("Kết quả 12 tháng năm 2024") is None
    half = replace(_passage("half", "2025-07-15", [(2025, 2025)]), title="6 tháng đầu năm 2025")
    year = replace(_passage("year", "2026-01-06", [(2025, 2025)]), title="Năm 2025: đối ngoại")
    ranked = [(0.9, half), (0.85, year)]
    asked_half = question_scope("6 tháng đầu năm 2025 ký bao nhiêu thỏa thuận?", set(), HOME)
    assert choose_article(asked_half, ranked, 0.12, 0.3).doc_id == "half"
    asked_year = question_scope("Năm 2025 ký bao nhiêu thỏa thuận?", set(), HOME)
    assert choose_article(asked_year, ranked, 0.12, 0.3).doc_id == "year"


def test_a_year_compared_with_several_words_after_so_voi_is_not_the_clauses_own() -> None:
    sentence = "năng suất tăng 1,2 tạ/ha so với vụ chiêm xuân năm 2023; sản lượng đạt 752.780 tấn."
    assert own_periods(sentence) == []


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("Thanh Hóa và Seongnam ký Kế hoạch hợp tác giai đoạn 2023-2025 vào ngày nào?", ()),
        # asked for figures, the plan's years are the period they cover; its first three
        # years are 2021-2023 (a mid-term review's period)
        ("Ba năm đầu của chương trình hội nhập 2021-2025, tỉnh đạt bao nhiêu?", ((2021, 2023),)),
        ("ky ke hoach hop tac giai doan 2023-2025 ngay nao", ()),
        ("Năm 2024, Kế hoạch hợp tác giai đoạn 2023-2025 ký ngày nào?", ((2024, 2024),)),
        ("Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?", ((2016, 2020),)),
    ],
)
def test_asking_when_years_that_name_a_plan_are_not_the_asked_period(
    question: str, periods: tuple[tuple[int, int], ...]
) -> None:
    assert question_scope(question, {"thanh hoa"}, HOME).periods == periods


@pytest.mark.parametrize(
    ("title", "question", "part"),
    [
        (
            "Kim ngạch qua cửa khẩu quốc tế Na Mèo năm 2023",
            "thanh hoa nhap khau nam 2023",
            "Na Mèo",
        ),
        (
            "Huyện Quan Sơn đón 20 đoàn khách Lào",
            "Thanh Hóa đón bao nhiêu đoàn khách Lào?",
            "Quan Sơn",
        ),
        ("Kim ngạch qua cửa khẩu quốc tế Na Mèo năm 2023", "Cửa khẩu Na Mèo nhập khẩu?", None),
        ("KKT Nghi Sơn thu hút 2 tỷ USD", "Vốn FDI vào Khu kinh tế Nghi Sơn?", None),
        ("Thanh Hóa: xuất khẩu năm 2023 đạt 6 tỷ USD", "Xuất khẩu năm 2023?", None),
        ("Đoàn đại biểu thành phố Seongnam thăm Thanh Hóa", "Seongnam tặng bao nhiêu?", None),
        # a heritage site's visitors are not the province's; readers name a site many ways
        (
            "Di sản Thành Nhà Hồ đón 158.400 lượt khách trong năm 2023",
            "Cả năm 2023 Thanh Hóa đón bao nhiêu lượt khách quốc tế?",
            "Thành Nhà Hồ",
        ),
        (
            "Di sản Thành Nhà Hồ đón 158.400 lượt khách trong năm 2023",
            "Năm 2023 thành Tây Đô đón bao nhiêu lượt khách?",
            None,
        ),
        (
            "Di sản Thành Nhà Hồ đón 158.400 lượt khách trong năm 2023",
            "How many people visited the Ho Dynasty Citadel in 2023?",
            None,
        ),
    ],
)
def test_an_article_about_a_part_of_the_province_is_told_apart(
    title: str, question: str, part: str | None
) -> None:
    assert part_of_the_place(title, question) == part


def test_a_sentence_on_the_province_itself_stands_in_an_article_on_a_part_of_it() -> None:
    assert speaks_of_the_province("Năm 2023, hai tỉnh đã tổ chức 38 lượt trao đổi đoàn")
    assert speaks_of_the_province("Toàn tỉnh có 9.865 người đi làm việc ở nước ngoài")
    assert not speaks_of_the_province("Năm 2023, giá trị xuất khẩu đạt 45,18 triệu USD")


def test_a_part_of_a_measure_asked_for_must_be_stated() -> None:
    """ "lao động nữ", "khách quốc tế", "thu hồi": the whole measure's figure is no answer."""
    q = question_scope("Năm 2022, lao động nữ chiếm bao nhiêu phần trăm?", set(), HOME)
    assert q.measure_terms == ("nu|nu gioi", "chiem|ty trong|ty le")
    assert not states_measure("năm 2022, toàn tỉnh có 9.865 người, tăng 85,5%", q.measure_terms)
    assert states_measure("trong đó lao động nữ chiếm 31,2%", q.measure_terms)
    q = question_scope("Trong số đó có bao nhiêu khach quoc te?", set(), HOME)
    assert states_measure("đón 5.840 lượt khách nước ngoài", q.measure_terms)
    assert not states_measure("đón 112.600 lượt khách", q.measure_terms)
    q = question_scope("Tỉnh thu hồi giấy chứng nhận của bao nhiêu dự án FDI?", set(), HOME)
    assert not states_measure("tỉnh đã thu hút 79 dự án FDI", q.measure_terms)
    # only a figure question is held to it: "hội nhập quốc tế" names no part of a measure
    assert question_scope("Ai tốt nghiệp thủ khoa?", set(), HOME).measure_terms == ()
    assert asked_parts("Bao nhiêu lao động nữ đi làm việc ở nước ngoài?") == ["lao động nữ"]


def test_a_sentence_opening_with_its_year_is_not_about_the_span_it_is_set_in() -> None:
    scope = question_scope("Tổng vốn FDI cả giai đoạn 2021-2025 là bao nhiêu?", set(), HOME)
    plan = ArticleScope(periods=[(2021, 2025)])
    one_year = "Năm 2025, tỉnh thu hút 2,06 tỷ USD, mức cao nhất trong giai đoạn 2021-2025."
    assert own_periods(one_year) == [(2025, 2025)]
    assert not period_covered(scope, plan, one_year)
    assert period_covered(scope, plan, "Giai đoạn 2021-2025, tổng vốn đạt 6 tỷ USD.")
    # a span that opens the sentence keeps the years inside it ("riêng năm 2025")
    assert own_periods("Giai đoạn 2021-2025 đạt 6 tỷ USD, riêng năm 2025 đạt 2 tỷ USD") == [
        (2021, 2025),
        (2025, 2025),
    ]


def test_a_mid_term_review_covers_the_programmes_years_so_far() -> None:
    doc = _doc(
        "Sơ kết 3 năm thực hiện Chương trình hội nhập quốc tế giai đoạn 2021-2025",
        "Ngày 18-12-2023, UBND tỉnh tổ chức hội nghị sơ kết.",
        day="2023-12-19",
    )
    periods = article_scope(doc, HOME).periods
    assert (2021, 2025) in periods and (2021, 2023) in periods
    # a plan published as its span begins, or a review after it ends: the span alone
    assert article_scope(
        _doc("Kế hoạch giai đoạn 2023-2025", "…", day="2023-02-01"), HOME
    ).periods == [(2023, 2025)]
    assert article_scope(
        _doc("Tổng kết giai đoạn 2016-2020", "…", day="2021-01-05"), HOME
    ).periods == [(2016, 2020)]
    plan = _doc("Thanh Hóa - Hủa Phăn ký kế hoạch hợp tác năm 2024", "…", day="2023-12-16")
    assert article_scope(plan, HOME).periods == [(2024, 2024), (2023, 2023)]
    # the news of the signing that starts a plan: its undated facts are that year's
    signing = _doc(
        "Thanh Hóa và tỉnh Mittelsachsen ký kế hoạch hợp tác đào tạo nghề",
        "Ngày 18-6-2024, hai tỉnh đã ký Kế hoạch hợp tác đào tạo nghề giai đoạn 2024-2027.",
        day="2024-06-19",
    )
    assert article_scope(signing, HOME).periods == [(2024, 2027), (2024, 2024)]


def test_a_sentence_about_the_year_does_not_answer_for_a_span() -> None:
    scope = question_scope("Cả 5 năm 2021-2025, tỉnh đưa bao nhiêu người đi làm việc?", set(), HOME)
    both = ArticleScope(periods=[(2025, 2025), (2021, 2025)])
    assert not period_covered(scope, both, "Cũng trong năm, toàn tỉnh có 13.215 người đi làm việc.")
    assert period_covered(scope, both, "Toàn tỉnh có 53.068 người đi làm việc ở nước ngoài.")


@pytest.mark.parametrize(
    ("question", "periods", "until"),
    [
        ("Từ năm 2016 đến năm 2020, tỉnh thu hút bao nhiêu dự án FDI?", ((2016, 2020),), ()),
        ("tu nam 2016 den het nam 2020 tinh xuat khau bao nhieu", ((2016, 2020),), ()),
        ("Từ nay đến 2025 tỉnh muốn thiết lập thêm mấy địa phương?", (), (2025,)),
        ("By 2025, how many partners does the province plan?", (), (2025,)),
        ("Tính tới cuối năm 2023, tỉnh có bao nhiêu dự án còn hoạt động?", (), (2023,)),
        ("Hai năm cuối của giai đoạn 2021-2025 xuất khẩu bao nhiêu?", ((2024, 2025),), ()),
        ("In the first three years of 2021-2025, how many went abroad?", ((2021, 2023),), ()),
    ],
)
def test_spans_deadlines_and_parts_of_a_span_are_read_from_the_question(
    question: str, periods: tuple[tuple[int, int], ...], until: tuple[int, ...]
) -> None:
    scope = question_scope(question, {"thanh hoa"}, HOME)
    assert (scope.periods, scope.until) == (periods, until)


def test_a_deadline_is_met_by_a_plan_or_a_stock_ending_that_year() -> None:
    scope = question_scope("Từ nay đến năm 2025 tỉnh thiết lập thêm mấy địa phương?", [], HOME)
    plan = "phấn đấu trong giai đoạn 2021-2025, thiết lập mới quan hệ với 2 - 3 tỉnh"
    assert period_covered(scope, None, plan)
    assert period_covered(scope, None, "lũy kế đến hết năm 2025 có 180 dự án")
    assert not period_covered(scope, None, "giai đoạn 2016-2020 thiết lập quan hệ với 3 tỉnh")


def test_labour_export_is_not_the_export_measure() -> None:
    scope = question_scope("Năm 2025 xuất khẩu lao động được bao nhiêu người?", [], HOME)
    assert scope.measure_terms == ()
    assert question_scope("Năm 2025 xuất khẩu đạt bao nhiêu?", [], HOME).measure_terms == (
        "xuat_khau",
    )


def test_the_articles_wording_of_a_paraphrase_names_the_measure() -> None:
    text = "Năm 2022 tỉnh mua hàng từ nước ngoài hết bao nhiêu?"
    scope = question_scope(text, [], HOME, expansions=["nhập khẩu"])
    assert scope.measure_terms == ("nhap_khau",)


def test_a_sentence_about_the_whole_span_is_about_the_span_named_before_it() -> None:
    earlier = ["Nhìn lại cả giai đoạn 2021-2025, xuất khẩu ước đạt 36,48 tỷ USD."]
    sentence = "cả giai đoạn có 53.068 người xuất cảnh, chủ yếu do dịch COVID-19 trong năm 2021"
    span = question_scope("Cả giai đoạn 2021-2025 có bao nhiêu người xuất cảnh?", [], HOME)
    year = question_scope("Năm 2021 có bao nhiêu người xuất cảnh?", [], HOME)
    assert period_covered(span, None, sentence, earlier)
    assert not period_covered(year, None, sentence, earlier)
    # the target's span is not the figure's: this one is about mid-2023
    target = (
        "từ đầu năm 2021 đến ngày 30-6-2023 đạt 15,5 tỷ USD, bằng 44,3% mục tiêu của cả giai đoạn"
    )
    assert period_covered(
        question_scope("Năm 2023 đạt bao nhiêu phần trăm mục tiêu?", [], HOME), None, target
    )


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("Năm 2024 kiều hối về Việt Nam tăng bao nhiêu phần trăm?", ("viet nam",)),
        ("Nhà đầu tư nào rót vốn nhiều nhất vào Việt Nam năm 2023?", ("viet nam",)),
        # a province named keeps the question on it
        ("Kiều hối về Thanh Hóa năm 2024 đạt bao nhiêu?", ("thanh hoa",)),
        # no province, and Việt Nam only as a partner's name: the home province
        ("Quan hệ Việt Nam – Lào được vun đắp thế nào?", ("thanh hoa",)),
        # a partner buying the country's goods asks about the province's partner
        ("Tỉnh Farwaniyah muốn mua những mặt hàng gì của Việt Nam?", ("thanh hoa",)),
    ],
)
def test_the_whole_country_is_asked_about_by_money_or_people_going_into_it(
    question: str, places: tuple[str, ...]
) -> None:
    assert question_scope(question, [], HOME).places == places


def test_an_event_dated_inside_an_asked_span_is_one_of_its_events_but_not_its_figure() -> None:
    scope = question_scope("Giai đoạn 2016-2020, tỉnh ký với những địa phương nào?", [], HOME)
    event = "Ngày 23-11-2016, tỉnh ký biên bản ghi nhớ hợp tác với tỉnh Hinoura"
    assert period_covered(scope, None, event, within=True)
    assert not period_covered(scope, None, event)  # a figure of 2016 is not the span's
    assert not period_covered(scope, None, "Ngày 5-3-2021, tỉnh ký với tỉnh Tula", within=True)


def test_a_stock_and_remittances_are_parts_the_clause_must_state() -> None:
    stock = question_scope("Năm 2023 tỉnh có bao nhiêu dự án FDI còn hiệu lực?", [], HOME)
    assert states_measure(
        "lũy kế đến hết năm 2023 có 168 dự án FDI còn hiệu lực", stock.measure_terms
    )
    assert not states_measure("cấp phép cho 23 dự án FDI mới", stock.measure_terms)
    sent = question_scope("Năm 2023 lao động gửi tiền về được bao nhiêu?", [], HOME)
    assert states_measure("lượng kiều hối chuyển về tỉnh ước đạt 236 triệu USD", sent.measure_terms)
    assert not states_measure("giải ngân 87,4 tỷ đồng cho lao động vay vốn", sent.measure_terms)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            "Sáu tháng đầu 2023, tỉnh nhập khẩu bao nhiêu?",
            "6 tháng đầu 2023, tỉnh nhập khẩu bao nhiêu?",
        ),
        ("Chín tháng đầu năm 2025", "9 tháng đầu năm 2025"),
        ("trong mười hai tháng qua", "trong 12 tháng qua"),
        ("Hai tháng 9 năm liền", "Hai tháng 9 năm liền"),  # "tháng 9" is a month's name
        ("năm tháng", "năm tháng"),  # "năm" is far more often a year than five
    ],
)
def test_a_count_of_months_in_words_is_written_in_digits(text: str, written: str) -> None:
    assert spelled_counts_as_digits(text) == written


def test_until_the_end_of_a_month_is_that_many_months() -> None:
    assert (
        part_of_year("Từ đầu năm đến hết tháng 9/2025, tỉnh cấp phép bao nhiêu dự án?") == "9 thang"
    )
    assert part_of_year("Tháng 9 năm 2023, đoàn sang thăm Tula") is None


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Hết quý II/2023, xuất khẩu đạt bao nhiêu phần trăm kế hoạch?", "6 thang"),
        ("Tính hết tháng 9 năm 2025, xuất khẩu được bao nhiêu?", "9 thang"),
        ("in the first nine months of 2025", "9 thang"),
        ("the first 6 months of 2024", "6 thang"),
        ("hết quý I năm 2024", "quy 1"),
        ("đến hết quý IV", None),
    ],
)
def test_parts_of_a_year_as_readers_say_them(text: str, part: str | None) -> None:
    assert part_of_year(text) == part


def test_new_projects_are_not_the_stock() -> None:
    scope = question_scope("Năm 2017 Thanh Hóa cấp mới bao nhiêu dự án FDI?", [], HOME)
    new = "Trong năm, tỉnh đã cấp giấy chứng nhận đăng ký đầu tư cho 14 dự án FDI mới"
    stock = "Lũy kế đến hết năm 2017, trên địa bàn tỉnh có 104 dự án FDI còn hiệu lực"
    assert states_measure(new, scope.measure_terms)
    assert not states_measure(stock, scope.measure_terms)


def test_a_named_province_may_be_answered_from_a_national_piece_that_names_it() -> None:
    scope = question_scope("How much in remittances did Hanoi receive in 2024?", [], HOME)
    assert scope.places == ("ha noi",) and NATIONAL_KEY in scope.document_filter(None).places
    national = ArticleScope(places=["Việt Nam"], place_keys=[NATIONAL_KEY], periods=[(2024, 2024)])
    assert scope.admits(national, frozenset({"ha_noi", "1_86"}))
    assert not scope.admits(national, frozenset({"ho_chi_minh", "9_61"}))
    hanoi = ArticleScope(places=["Hà Nội"], place_keys=["ha noi"], periods=[])
    assert scope.admits(hanoi, frozenset())
    # the home province, unnamed, is not looked for in national pieces
    home = question_scope("Năm 2024 kiều hối về tỉnh bao nhiêu?", [], HOME)
    assert NATIONAL_KEY not in home.document_filter(None).places


@pytest.mark.parametrize(
    ("question", "national"),
    [
        ("Năm 2025 Việt Nam xuất siêu được bao nhiêu?", True),
        ("How much did Vietnam receive in remittances in 2024?", True),
        ("Ai là Tổng Giám đốc Công ty TNHH Hoshimi Auto Parts Việt Nam?", False),  # a name
        ("Tỉnh Farwaniyah muốn mua những mặt hàng gì của Việt Nam?", False),  # a partner's
        ("Năm 2025 Thanh Hóa xuất khẩu sang các nước ngoài Việt Nam bao nhiêu?", False),
        ("How many Vietnamese workers went abroad on labour contracts in 2022?", True),
    ],
)
def test_a_question_about_vietnam_naming_no_province_is_national(
    question: str, national: bool
) -> None:
    assert (question_scope(question, [], HOME).places == (NATIONAL_KEY,)) is national


def test_a_named_document_is_looked_for_in_national_pieces_and_its_horizon_is_no_period() -> None:
    scope = question_scope(
        "When did the Party Secretariat issue Directive 15-CT/TW on economic diplomacy "
        "for national development to 2030?",
        [],
        HOME,
    )
    assert scope.periods == () and scope.documents == ("15_ct_tw",)
    assert scope.document_filter(None).places == ("thanh hoa", NATIONAL_KEY)
    national = ArticleScope(places=["Việt Nam"], place_keys=[NATIONAL_KEY], periods=[(2022, 2022)])
    assert scope.admits(national, frozenset({"15_ct_tw", "10_8_2022"}))
    assert not scope.admits(national, frozenset({"41_ct_tw"}))
    # a question about the home province naming no document does not look there
    plain = question_scope("Chỉ thị về ngoại giao kinh tế ban hành ngày nào?", [], HOME)
    assert NATIONAL_KEY not in plain.document_filter(None).places


def test_a_correction_does_not_set_the_bar_for_the_newest_review() -> None:
    y2023 = _passage("y2023", "2024-01-04", [(2023, 2023)])
    y2025 = _passage("y2025", "2026-01-06", [(2025, 2025)])
    fix = _passage("fix", "2023-01-27", [(2022, 2022)], correction=True)
    # the correction restates one figure in the asked words: its score is not the bar
    ranked = [(0.98, fix), (0.88, y2023), (0.82, y2025)]
    latest = question_scope("Con số nhập khẩu gần nhất là bao nhiêu?", set(), HOME)
    assert choose_article(latest, ranked, 0.12, 0.3).doc_id == "y2025"
    # a name or a reason (no margin) is the best match's, a correction included
    assert choose_article(latest, ranked, 0.0, 0.3).doc_id == "fix"


def test_the_balance_of_trade_is_the_measure_not_the_imports_it_comes_from() -> None:
    asked = question_scope(
        "After the paper corrected its 2022 import figure, how big was the trade deficit?",
        set(),
        HOME,
    )
    assert "nhap_khau" not in asked.measure_terms
    assert states_measure("cán cân thương mại nhập siêu 856,5 triệu USD", asked.measure_terms)


def test_a_central_document_asked_without_its_code_is_looked_for_in_national_pieces() -> None:
    asked = question_scope(
        "Chỉ thị mới của Ban Bí thư về ngoại giao kinh tế có số hiệu gì?", set(), HOME
    )
    assert asked.central_document and NATIONAL_KEY in asked.document_filter(None).places
    national = ArticleScope(place_keys=(NATIONAL_KEY,))
    assert asked.admits(national, frozenset({"chi", "thi", "15_ct_tw"}))
    assert not asked.admits(national, frozenset({"dia", "phuong"}))
    # the province's own body is no central one
    assert not question_scope("Nghị quyết của Tỉnh ủy về hội nhập", set(), HOME).central_document


def test_a_bare_province_planning_for_money_into_vietnam_is_the_home_province() -> None:
    known = {"thanh hoa", "viet nam"}
    q = question_scope(
        "Tỉnh đã chuẩn bị những gì để đón làn sóng đầu tư nước ngoài vào Việt Nam?", known, HOME
    )
    assert q.places == ("thanh hoa",) and not q.explicit
    q = question_scope("Năm 2023 kiều hối về Việt Nam đạt bao nhiêu?", known, HOME)
    assert q.places == ("viet nam",)
    q = question_scope("Các tỉnh thu hút bao nhiêu vốn đầu tư vào Việt Nam?", known, HOME)
    assert q.places == ("viet nam",)
    q = question_scope("Tỉnh mình đứng thứ mấy cả nước về FDI vào Việt Nam?", known, HOME)
    assert q.places == ("thanh hoa",)


def test_registered_capital_is_that_of_the_projects_still_valid() -> None:
    q = question_scope(
        "By the end of 2020, how many FDI projects were still valid and what was their "
        "total registered capital?",
        {"thanh hoa"},
        HOME,
    )
    stock = "lũy kế đến hết năm 2020, có 134 dự án FDI còn hiệu lực, tổng vốn 14,35 tỷ USD"
    assert states_measure(stock, q.measure_terms)


def test_a_search_box_query_naming_a_part_of_a_measure_asks_that_part() -> None:
    q = question_scope("kieu hoi thanh hoa 2024", {"thanh hoa"}, HOME)
    assert q.measure_terms == ("kieu hoi|gui ve|chuyen ve",) and q.periods == ((2024, 2024),)
    assert (
        question_scope("Thanh Hóa có quan hệ với kiều bào ở đâu?", set(), HOME).measure_terms == ()
    )


def test_today_or_tomorrow_asks_for_articles_of_these_days_only() -> None:
    today = date(2026, 12, 7)
    weather = question_scope("Hôm nay trời ở Thanh Hóa có mưa không?", [], "Thanh Hóa", (), today)
    assert weather.as_of == "2026-12-06"
    assert weather.document_filter(None).date_from == "2026-12-06"
    match = question_scope("Tomorrow's match of Dong A Thanh Hoa?", [], "Thanh Hóa", (), today)
    assert match.as_of == "2026-12-06"
    # "up to today" asks the newest figure, from any date
    so_far = question_scope("Tính đến hôm nay có bao nhiêu dự án FDI?", [], "Thanh Hóa", (), today)
    assert so_far.as_of is None and so_far.document_filter(None).date_from is None


def test_english_parts_of_a_measure_are_held_to_their_part() -> None:
    """ "international tourists" is the foreign visitors' figure, not all visitors'."""
    asked = "How many international tourists visited Thanh Hoa in 2019?"
    terms = question_scope(asked, ["thanh hoa"], HOME).measure_terms
    assert states_measure("trong đó khách quốc tế đạt 368.000 lượt", terms)
    assert not states_measure("tổng lượng khách ước đạt 9,65 triệu lượt", terms)
    disbursed = question_scope("How much FDI was disbursed in 2023?", ["thanh hoa"], HOME)
    assert states_measure("vốn FDI giải ngân đạt 420 triệu USD", disbursed.measure_terms)
