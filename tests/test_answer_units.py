"""Unit tests of the answering pieces: fusion, question analysis, follow-up rewriting,
diacritic restoration, segment selection, refusal requirements (no model needed)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assistant.answer.extractive import (
    Segment,
    earlier_in_paragraph,
    event_sentence,
    gives_one_countrys_share,
    has_asked_kind,
    names_the_asked_document,
    of_the_asked_partner,
    query_weights,
    score_segments,
    segments_of,
    select,
    signs_the_asked_document,
)
from assistant.answer.kinds import (
    UNITS,
    as_reached,
    asked_code_issuer,
    asked_name_kind,
    asked_side,
    asked_subject,
    asked_unit,
    asked_unit_topic,
    asks_for_a_country,
    asks_for_a_role,
    asks_for_target,
    asks_for_the_first,
    asks_one_projects_money,
    asks_price,
    codes_of_issuer,
    english_money,
    holds_the_role,
    is_retracted,
    is_target,
    names_a_person,
    names_of_kind,
    of_another_side,
    ranks_first,
    states_price,
    states_unit,
    totals_several_projects,
)
from assistant.answer.lead import answer_lead
from assistant.answer.lexicon import (
    expansions,
    in_vietnamese_spelling,
    phrase_words,
    spelled_out,
)
from assistant.answer.question import (
    InvalidQuestionError,
    Question,
    analyse,
    clean_question,
    events_in,
    is_english,
    split_at_place,
)
from assistant.answer.refusal import requirements
from assistant.answer.rewrite import elliptic, rewrite_followup
from assistant.answer.scope import question_scope, states_another_measure, states_measure
from assistant.core.tuning import Tuning
from assistant.core.types import Passage
from assistant.retrieve.hybrid import FusionConfig, fuse, rrf_fuse, weighted_fuse
from assistant.retrieve.restore import restore_diacritics
from assistant.text.names import name_runs
from assistant.text.periods import periods_in
from assistant.text.places import (
    foreign_in,
    listed_countries,
    only_set_aside,
    set_aside_places,
)
from assistant.text.telex import telex_to_vietnamese
from assistant.text.vietnamese import fold

TRADE = (
    "Nhờ đó, thị trường xuất khẩu của tỉnh ngày càng mở rộng, tổng giá trị xuất khẩu hàng "
    "hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, tăng 88% so với mục tiêu "
    "đại hội; tổng giá trị nhập khẩu đạt 14.581,102 triệu USD. Quan hệ hữu nghị hợp tác "
    "(gồm thành phố Seongnam, Hàn Quốc; tỉnh Mittelsachsen, CHLB Đức) ngày càng đi vào "
    "chiều sâu."
)


def _passage(text: str = TRADE, start: int = 100, doc_id: str = "bai") -> Passage:
    return Passage(
        chunk_id=1,
        doc_id=doc_id,
        title="Bài",
        text=text,
        start=start,
        end=start + len(text),
        dense_score=0.6,
    )


# --- fusion ------------------------------------------------------------------------------
def test_rrf_rewards_items_ranked_by_both() -> None:
    fused = rrf_fuse([[(1, 0.9), (2, 0.8)], [(2, 5.0), (3, 4.0)]], k=60)
    assert max(fused, key=fused.get) == 2
    assert fused[1] == pytest.approx(1 / 61)


HOME = "Thanh Hóa"


def test_weighted_fusion_normalises_scales() -> None:
    fused = weighted_fuse([(1, 0.9), (2, 0.1)], [(2, 40.0), (3, 10.0)], dense_weight=0.5)
    assert fused[1] == pytest.approx(0.5) and fused[2] == pytest.approx(0.5)
    assert fused[3] == pytest.approx(0.0)


def test_fuse_breaks_ties_by_dense_order() -> None:
    ranked = fuse([(7, 0.5), (8, 0.4)], [(8, 1.0), (7, 1.0)], FusionConfig("rrf", 60, 0.5))
    assert [item for item, _ in ranked] == [7, 8]


# --- questions -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "code"),
    [("   ", "empty_question"), ("?!… 🙂🙂", "no_content"), ("x" * 2001, "question_too_long")],
)
def test_bad_questions_are_rejected_in_vietnamese(raw: str, code: str) -> None:
    with pytest.raises(InvalidQuestionError) as err:
        clean_question(raw, 2000)
    assert err.value.code == code
    assert err.value.message_vi and not err.value.message_vi.isascii()


def test_control_characters_are_removed() -> None:
    assert clean_question("Xuất\x00 khẩu\u202e  2020?\n", 2000) == "Xuất khẩu 2020?"


def test_question_analysis() -> None:
    q = analyse("Vốn FDI từ Nhật Bản giai đoạn 2016-2020 là bao nhiêu?")
    assert q.wants_number and not q.english
    assert q.names == ["FDI", "Nhật Bản"] and q.numbers == ["2016-2020"]
    assert analyse("Tóm tắt quan hệ hợp tác với Lào").broad
    assert analyse("Nghị quyết 22/NQ-TW ban hành ngày nào?").wants_date
    assert is_english("How many FDI projects did Thanh Hoa attract?")
    assert not is_english("thanh hoa xuat khau bao nhieu")


# --- follow-ups ------------------------------------------------------------------------------
HISTORY = [
    {"role": "user", "content": "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"},
    {"role": "assistant", "content": "14.081,67 triệu USD [1]."},
]


def test_followup_replaces_the_parallel_phrase() -> None:
    rewrite = rewrite_followup("Còn nhập khẩu thì sao?", HISTORY)
    assert rewrite.rewritten
    assert rewrite.query == "Tổng giá trị nhập khẩu giai đoạn 2016-2020 là bao nhiêu?"
    assert rewrite.focus == "nhập khẩu"


def test_anaphoric_followup_borrows_the_previous_question() -> None:
    rewrite = rewrite_followup("Họ gửi về bao nhiêu tiền?", HISTORY)
    # borrowed whole (its first letter in lower case: it no longer opens a sentence)
    assert rewrite.rewritten and HISTORY[0]["content"][1:] in rewrite.query


def test_a_borrowed_question_opening_with_a_common_word_brings_no_name() -> None:
    history = [{"role": "user", "content": "Du lịch Thanh Hóa năm 2019 đón bao nhiêu khách?"}]
    rewrite = rewrite_followup("Còn tổng thu từ du lịch năm đó?", history)
    assert "du lịch Thanh Hóa năm 2019" in rewrite.query
    assert analyse(rewrite.query).names == ["Thanh Hóa"]
    # the follow-up's own measure is its own question: it counts no guests
    assert asked_unit(rewrite.query) == ()
    named = [{"role": "user", "content": "Hàn Quốc tiếp nhận bao nhiêu lao động?"}]
    assert "Hàn Quốc tiếp nhận" in rewrite_followup("Họ gửi về bao nhiêu tiền?", named).query


def test_standalone_question_is_left_alone() -> None:
    question = "Thanh Hóa thu hút bao nhiêu dự án FDI giai đoạn 2016-2020?"
    assert rewrite_followup(question, HISTORY).query == question
    assert rewrite_followup("Còn nhập khẩu thì sao?", None).rewritten is False


def test_followup_naming_a_place_replaces_the_previous_place() -> None:
    history = [
        {"role": "user", "content": "Giai đoạn 2016-2020 Thanh Hóa thu hút bao nhiêu dự án FDI?"}
    ]
    rewrite = rewrite_followup("Tỉnh Nghệ An thì sao?", history)
    # not "bao Tỉnh Nghệ An FDI" (a shared syllable "an" with "dự án")
    assert rewrite.query == "Giai đoạn 2016-2020 Tỉnh Nghệ An thu hút bao nhiêu dự án FDI?"
    rewrite = rewrite_followup("Còn giai đoạn 2021-2025?", history)
    assert rewrite.query == "giai đoạn 2021-2025 Thanh Hóa thu hút bao nhiêu dự án FDI?"
    # "cùng giai đoạn", "năm đó": the previous period stays, only the place changes
    for followup in (
        "Tỉnh Hà Tĩnh cùng giai đoạn thì sao?",
        "What about Hà Tĩnh in the same period?",
    ):
        rewrite = rewrite_followup(followup, history)
        assert rewrite.query == "Giai đoạn 2016-2020 Hà Tĩnh thu hút bao nhiêu dự án FDI?" or (
            rewrite.query == "Giai đoạn 2016-2020 Tỉnh Hà Tĩnh thu hút bao nhiêu dự án FDI?"
        ), rewrite.query


def test_followup_of_a_followup_keeps_the_first_topic() -> None:
    history = [
        {
            "role": "user",
            "content": "Năm 2023 Thanh Hóa có bao nhiêu người đi làm việc ở nước ngoài?",
        },
        {"role": "assistant", "content": "11.486 người."},
        {"role": "user", "content": "Còn năm 2025?"},
        {"role": "assistant", "content": "13.204 người."},
    ]
    rewrite = rewrite_followup("Năm 2017 thì sao?", history)
    assert rewrite.query == "Năm 2017 Thanh Hóa có bao nhiêu người đi làm việc ở nước ngoài?"


def test_a_question_for_the_first_or_a_country_needs_it_in_the_clause() -> None:
    assert asks_for_the_first("Nước nào đầu tư vào Thanh Hóa nhiều nhất?")
    assert asks_for_the_first("Which was the largest investor?")
    assert not asks_for_the_first("What is the most recent figure?")
    assert not asks_for_the_first("Số liệu mới nhất là bao nhiêu?")
    assert ranks_first("Singapore dẫn đầu với tổng vốn đầu tư 6,78 tỷ USD")
    assert ranks_first("chế biến, chế tạo là lĩnh vực thu hút nhiều vốn FDI nhất")
    # folded, "Nhật" would read as "nhất"
    assert not ranks_first("Nhiều nhà đầu tư Nhật Bản, Hàn Quốc đã đến khảo sát")
    assert asks_for_a_country("Quỹ Prince Claus là của nước nào?")
    assert asks_for_a_country("Which country invested most?")
    assert not asks_for_a_country("Thanh Hóa có bao nhiêu lao động ở nước ngoài?")


def test_english_between_two_years_is_one_period() -> None:
    assert periods_in("exchanges between 2016 and 2021") == [(2016, 2021)]


def test_places_put_aside_are_not_asked() -> None:
    q = analyse("Năm 2023, ngoài Nhật Bản, Đài Loan và Hàn Quốc, lao động đi những thị trường nào?")
    assert q.set_aside == {"nhat ban", "dai loan", "han quoc"} and q.names == []
    # "nước ngoài của Hàn Quốc" puts nothing aside; a partner put aside leaves its country
    assert set_aside_places("vốn đầu tư nước ngoài của Hàn Quốc") == frozenset()
    aside = set_aside_places("Ngoài Hủa Phăn, Thanh Hóa hợp tác với tỉnh nào của Lào?")
    assert only_set_aside("hai tỉnh Thanh Hóa – Hủa Phăn (Lào)", aside)
    assert not only_set_aside("tỉnh Xiêng Khoảng (Lào)", aside)
    # right after the asked item ("… những địa phương nào ngoài các tỉnh của Lào?")
    assert set_aside_places("Thanh Hóa ký với những tỉnh nào ngoài các tỉnh của Lào?") == {"lao"}
    assert set_aside_places("những nhà đầu tư nước ngoài nào đến Thanh Hóa") == frozenset()


def test_a_rank_in_the_country_is_the_provinces() -> None:
    asked = "Tính tới cuối 2020, tỉnh mình xếp thứ mấy cả nước về thu hút vốn nước ngoài?"
    assert question_scope(asked, [], "Thanh Hóa").places == ("thanh hoa",)
    assert question_scope("Cả nước thu hút bao nhiêu vốn FDI?", [], "Thanh Hóa").places == (
        "viet nam",
    )


def test_a_name_asked_of_a_kind_is_not_a_persons() -> None:
    q = analyse("Thành phố bên Hàn Quốc đã ký kết hợp tác với tỉnh mình tên là gì?")
    assert not q.wants_person and q.named_kind is not None and q.named_kind.place
    q = analyse("Em hỏi: tỉnh bên Lào gắn bó với Thanh Hóa tên là gì?")
    assert q.named_kind is not None and q.named_kind.written == "tỉnh"
    assert analyse("Phó Thị trưởng dẫn đoàn tên là gì?").wants_person


# --- diacritics ------------------------------------------------------------------------------
FORMS = {
    "thanh": [("thanh", 9)],
    "hoa": [("hoá", 9), ("hoa", 2)],
    "xuat": [("xuất", 5)],
    "khau": [("khẩu", 6)],
    "ky": [("kỳ", 3), ("ký", 2)],
    "thoa": [("thoả", 4)],
    "thuan": [("thuận", 4)],
    "thanh_hoa": [("thanh_hoá", 9)],
    "xuat_khau": [("xuất_khẩu", 5)],
    "hoa_ky": [("hoa_kỳ", 1)],
    "ky_thoa": [("ký_thoả", 3)],
    "thoa_thuan": [("thoả_thuận", 4)],
    "lao": [("lào", 5), ("lao", 3)],
    "dong": [("động", 4)],
    "lao_dong": [("lao_động", 3)],
}


def _forms(terms):  # type: ignore[no-untyped-def]
    return {t: FORMS.get(t, []) for t in terms}


def test_restoration_prefers_pairs_the_articles_use() -> None:
    assert restore_diacritics("thanh hoa xuat khau", _forms) == "thanh hoá xuất khẩu"
    assert restore_diacritics("thanh hoa ky thoa thuan", _forms) == "thanh hoá ký thoả thuận"
    assert restore_diacritics("Đã có dấu", _forms) == "Đã có dấu"


def test_telex_remnants() -> None:
    assert telex_to_vietnamese("xuaats") == "xuất"
    assert telex_to_vietnamese("ddoongj") == "động"
    assert telex_to_vietnamese("nuowcs") == "nước"
    assert telex_to_vietnamese("bao") is None
    # the tone key typed before the final letters ("muoosn" is "muốn", "ddaafu" "đầu")
    assert telex_to_vietnamese("muoosn") == "muốn"
    assert telex_to_vietnamese("ddaafu") == "đầu"
    assert telex_to_vietnamese("tieesng") == "tiếng"
    assert restore_diacritics("xuaats khaaur lao ddoongj", _forms) == "xuất khẩu lao động"
    # "vons" is "vón", no word of the articles: its letters are restored from them
    forms = {**FORMS, "von": [("vốn", 6)], "dau": [("đầu", 6)], "tu": [("tư", 6)]}
    lookup = lambda terms: {t: forms.get(t, []) for t in terms}  # noqa: E731
    assert restore_diacritics("vons ddaauf tuw", lookup) == "vốn đầu tư"


# --- segments and selection ---------------------------------------------------------------
def test_segments_quote_exact_offsets_and_keep_bracketed_lists_whole() -> None:
    passage = _passage()
    document = " " * passage.start + TRADE
    segments = segments_of([passage])
    for seg in segments:
        assert document[seg.start : seg.end] == seg.text
    texts = [seg.text for seg in segments]
    assert texts[0].startswith("thị trường xuất khẩu"), "the connector 'Nhờ đó,' is dropped"
    assert "tổng giá trị nhập khẩu đạt 14.581,102 triệu USD." in texts
    assert any("Seongnam, Hàn Quốc; tỉnh Mittelsachsen" in t for t in texts)


def _segment(clause: str) -> Segment:
    """The one segment of a passage holding just ``clause``."""
    (segment,) = segments_of([_passage(clause)])
    return segment


def _judged(check: Callable[[Segment, Question], bool], question: str, clause: str) -> bool:
    """``check``'s verdict on a one-clause passage for ``question``."""
    return check(_segment(clause), analyse(question))


def _select(question: str):  # type: ignore[no-untyped-def]
    q = analyse(question)
    segments = segments_of([_passage()])
    weights = {"nhap": 3.0, "khau": 1.0, "nhap_khau": 4.0, "tong": 0.5, "gia_tri": 0.5}
    score_segments(segments, q, weights, None, None, Tuning())
    return select([s for s in segments if has_asked_kind(s, q)], q, Tuning())


def test_the_clause_that_answers_wins() -> None:
    chosen = _select("Tổng giá trị nhập khẩu là bao nhiêu?").segments
    assert chosen[0].text.startswith("tổng giá trị nhập khẩu đạt 14.581,102")


def test_a_figure_question_needs_a_figure() -> None:
    q = analyse("Giá trị hợp tác đạt bao nhiêu?")
    segments = segments_of([_passage()])
    kinds = {seg.text[:20]: has_asked_kind(seg, q) for seg in segments}
    assert kinds["Quan hệ hữu nghị hợp"] is False
    assert kinds["tổng giá trị nhập kh"] is True
    # a count of provinces is not answered by an amount of money
    q = analyse("Bao nhiêu tỉnh đã ký thỏa thuận?")
    assert not has_asked_kind(segments[1], q) and segments[1].text.startswith("tổng giá trị")


# --- refusal requirements --------------------------------------------------------------------
def test_requirements_leave_places_and_years_to_scoping() -> None:
    q = analyse("Xuất khẩu của Thanh Hóa sang Nhật Bản năm 2023 đạt 1.200 tỷ?")

    def freq(terms):  # type: ignore[no-untyped-def]
        return dict.fromkeys(terms, 1)

    need = requirements(q, ["thanh hoa"], freq)
    assert set(need.figures) == {"1_200"}, "years are checked per article by scoping"
    assert "nhat_ban" in need.names and "thanh_hoa" not in need.names
    sentence = frozenset({"1_200", "nhat_ban"})
    assert need.met_by(sentence, sentence, frozenset(), lambda term: False)
    # a partner named neither in the sentence nor the title must be the article's topic
    assert not need.met_by(frozenset({"1_200"}), sentence, frozenset(), lambda term: False)
    assert need.met_by(frozenset({"1_200"}), sentence, frozenset(), lambda term: True)


# --- question words, names, English with Vietnamese names -----------------------------------
def test_question_phrases_keep_their_one_spelling() -> None:
    forms = {**FORMS, "bao": [("bảo", 40)], "nhieu": [("nhiều", 60)], "tien": [("tiến", 30)]}

    def lookup(terms):  # type: ignore[no-untyped-def]
        return {t: forms.get(t, []) for t in terms}

    assert restore_diacritics("xuat khau bao nhieu tien", lookup) == "xuất khẩu bao nhiêu tiền"


def test_titles_are_not_names_and_a_place_starts_a_name_of_its_own() -> None:
    q = analyse("Phó Chủ tịch UBND tỉnh tiếp đoàn Phó Thị trưởng Seongnam Lee Dong-hwan khi nào?")
    assert q.names == ["UBND", "Seongnam", "Lee Dong-hwan"]


def test_an_english_question_may_name_a_vietnamese_place() -> None:
    q = analyse("Which German state has a cooperation agreement with Bắc Thủy province?")
    assert q.english and q.names == ["German", "Bắc Thủy"]
    assert not is_english("Tỉnh Bắc Thủy hợp tác với bang nào của Đức?")


def test_a_question_opening_with_so_asks_for_a_count() -> None:
    assert analyse("số lao động thanh hoá đi làm việc ở nước ngoài năm 2021").wants_number
    assert not analyse("Sở Ngoại vụ tổ chức hội nghị ở đâu?").wants_number


def test_a_country_after_a_partner_only_says_where_it_is() -> None:
    def freq(terms):  # type: ignore[no-untyped-def]
        return dict.fromkeys(terms, 1)

    q = analyse("Tỉnh trao đổi bao nhiêu đoàn với tỉnh Savanh bên Lào?")
    assert set(requirements(q, [], freq).names) == {"savanh"}
    q = analyse("Tổng vốn FDI của các nhà đầu tư Hàn Quốc là bao nhiêu?")
    assert "han_quoc" in requirements(q, [], freq).names


def test_a_region_a_place_or_a_circumstance_is_no_name_the_clause_must_give() -> None:
    def freq(terms):  # type: ignore[no-untyped-def]
        return dict.fromkeys(terms, 1)

    # "vùng Vịnh" says where the asked country is; the clause names the country
    gulf = requirements(analyse("Tập đoàn dầu mỏ của nước nào vùng Vịnh góp vốn?"), [], freq)
    assert "vinh" not in gulf.names
    # an industrial park locates the thing, COVID is the time: the article names them
    park = requirements(
        analyse("Nhà máy ở khu công nghiệp Hoàng Long tạo bao nhiêu việc làm?"), [], freq
    )
    assert "hoang_long" in park.located
    covid = requirements(analyse("Giữa lúc dịch COVID, tỉnh đón bao nhiêu đoàn?"), [], freq)
    assert "covid" in covid.located


def test_when_opening_a_clause_asks_no_date() -> None:
    assert not analyse("What was the value of the gifts when the delegation came?").wants_date
    assert analyse("What was the value of the gifts when the delegation came?").wants_number
    assert analyse("When did the delegation come?").wants_date
    assert analyse("And when was the agreement signed?").wants_date
    # UNESCO's "ghi danh" is the "công nhận" a reader asks about
    assert analyse("Thành Nhà Hồ được công nhận ngày nào?").events == ("công nhận",)
    assert events_in("UNESCO ghi danh Thành Nhà Hồ") == ("công nhận",)


def test_a_secretary_is_no_earning_and_one_projects_money_no_total() -> None:
    assert expansions("Chỉ thị của Ban Bí thư về ngoại giao kinh tế", english=False) == []
    assert expansions("khách tiêu và thu về bao nhiêu", english=False)
    one = "Dự án trung tâm logistics ở Nghi Sơn có vốn đăng ký bao nhiêu?"
    assert asks_one_projects_money(one)
    assert totals_several_projects("cấp giấy chứng nhận cho 12 dự án FDI mới, với tổng vốn")
    assert not totals_several_projects("dự án có tổng vốn đầu tư 65 triệu USD")
    # counted or summed projects are no single one
    assert asks_one_projects_money("Nhà đầu tư Nhật bỏ bao nhiêu tiền xây nhà máy ở Hoàng Long?")
    assert not asks_one_projects_money("Tỉnh có bao nhiêu dự án FDI và tổng vốn bao nhiêu?")
    assert not asks_one_projects_money("Số dự án có vốn nước ngoài còn hiệu lực là mấy?")


def test_readers_abbreviations_are_spelled_out_as_the_articles_write_them() -> None:
    assert spelled_out("nước nào rót vốn FDI vào VN nhiều nhất") == (
        "nước nào rót vốn FDI vào Việt Nam nhiều nhất"
    )
    assert spelled_out("BV tỉnh xây hết bao nhiêu, trận thắng SLNA") == (
        "bệnh viện tỉnh xây hết bao nhiêu, trận thắng Sông Lam Nghệ An"
    )
    assert spelled_out("VNPT và KCN") == "VNPT và khu công nghiệp"  # whole words only


def test_a_region_beside_a_named_kind_only_says_where_it_is() -> None:
    def freq(terms):  # type: ignore[no-untyped-def]
        return dict.fromkeys(terms, 1)

    fund = requirements(analyse("Dự án do quỹ nào bên châu Âu tài trợ?"), [], freq)
    assert "chau_au" not in fund.names
    # asked for a figure, the region is what the figure is of
    exports = requirements(analyse("Xuất khẩu sang châu Âu đạt bao nhiêu?"), [], freq)
    assert "chau_au" in exports.names


def test_a_date_asked_for_a_year_is_a_date_of_that_year() -> None:
    from assistant.answer.scope import dated_within, event_periods

    assert not dated_within("Ngày 17-12-2019, tại Sầm Nưa, … kế hoạch năm 2020", [(2020, 2020)])
    assert dated_within("Ngày 15-12-2023, hai tỉnh đã hội đàm", [(2023, 2023)])
    assert dated_within("Tháng 12 hằng năm, hai tỉnh hội đàm", [(2020, 2020)])  # no full date
    # a year that names the plan signed does not date the signing
    asked = "Hội đàm ký kế hoạch hợp tác năm 2024 diễn ra vào ngày nào?"
    assert event_periods(asked, [(2024, 2024)]) == []
    assert event_periods("Hội đàm năm 2020 diễn ra ngày nào?", [(2020, 2020)]) == [(2020, 2020)]


def test_a_price_is_asked_per_person_or_ticket_not_per_year() -> None:
    assert asks_price("Vé vào cổng Thành Nhà Hồ bao nhiêu tiền một người?")
    assert not asks_price("Doanh thu bán vé bao nhiêu tiền?")
    assert not asks_price("Họ gửi về nước bao nhiêu tiền mỗi năm?")


def test_an_english_search_box_query_naming_a_measure_asks_its_figure() -> None:
    assert analyse("thanh hoa remittances full year 2025").wants_number
    assert not analyse("who signed the MoU with Nghe An").wants_number


def test_the_asked_measure_must_be_in_the_quoted_clause() -> None:
    imports = question_scope("Nhập khẩu đạt bao nhiêu?", set(), "Thanh Hóa").measure_terms
    assert imports == ("nhap_khau",)
    assert states_measure("kim ngạch xuất khẩu đạt 5 tỷ USD; nhập khẩu đạt 4 tỷ USD", imports)
    assert not states_measure("kim ngạch xuất khẩu đạt 5 tỷ USD", imports)


def test_the_measure_a_question_opens_with_must_be_named() -> None:
    assert asked_subject("Dân số tỉnh Thanh Hóa hiện nay là bao nhiêu người?") == {
        "dan_so": "Dân số"
    }
    assert asked_subject("Năm 2017 lượng kiều hối chuyển về tỉnh ước đạt bao nhiêu?") == {
        "kieu_hoi": "kiều hối"
    }
    assert asked_subject("Giá vé tham quan năm 2024 là bao nhiêu?") == {"gia_ve": "Giá vé"}
    assert asked_subject("tong von fdi giai doan 2016-2020 la bao nhieu") == {"von": "von"}
    # "vốn đầu tư": "đầu tư" is a word of its own, "vốn đầu" no phrase
    assert asked_subject("Dự án có tổng vốn đầu tư bao nhiêu?") == {"von": "vốn"}
    # "số liệu" opens the measure without naming it: never the broken pair "liệu nhập"
    assert asked_subject("Số liệu nhập khẩu năm 2022 là bao nhiêu?") == {"nhap_khau": "nhập khẩu"}
    assert asked_subject("Thanh Hóa có bao nhiêu dự án FDI?") == {}
    assert asked_subject("Năm 2021 Thanh Hóa thu hút được bao nhiêu dự án?") == {}


def test_the_counted_thing_is_the_first_known_unit_and_pay_is_money() -> None:
    # "mấy ông Nhật" counts no one: the workers are what "bao nhiêu công nhân" counts
    asked = asked_unit("Nhà máy của mấy ông Nhật nhận chừng bao nhiêu công nhân?")
    assert "công nhân" in asked
    # "với mấy tỉnh bên Lào" names the partners; "bao nhiêu chuyến đoàn" is what is counted
    trips = asked_unit("Mình với mấy tỉnh bên Lào qua lại tất cả bao nhiêu chuyến đoàn?")
    assert "đoàn" in trips and "tỉnh" not in trips
    pay = asked_unit("Nhà máy trả lương công nhân bao nhiêu một tháng?")
    assert states_unit("mức lương bình quân 8 triệu đồng", pay)
    assert not states_unit("tạo việc làm cho 2.400 lao động", pay)
    assert "tấn" in asked_unit("Xuất khẩu lương thực được bao nhiêu tấn?")


def test_a_currency_is_not_read_into_lao_dong() -> None:
    money = asked_unit("Họ gửi về nước bao nhiêu tiền mỗi năm?")
    assert not states_unit("toàn tỉnh có 46.101 người đi lao động tại nước ngoài", money)
    assert states_unit("Tỉnh hỗ trợ 12,6 tỷ đồng", money)
    assert states_unit("khoảng 150 đến 180 triệu USD", money)


def test_an_english_country_is_required_in_vietnamese() -> None:
    q = analyse("How many workers from Thanh Hoa went to work in South Korea in 2023?")
    need = requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 0))
    assert set(need.names) == {"han_quoc"}


def test_a_list_after_a_colon_stays_one_quote() -> None:
    text = "Hai bên hợp tác trong 3 lĩnh vực: nông nghiệp; du lịch; giáo dục. Năm sau ký tiếp."
    texts = [seg.text for seg in segments_of([_passage(text)])]
    assert texts[0] == "Hai bên hợp tác trong 3 lĩnh vực: nông nghiệp; du lịch; giáo dục."


def test_a_role_question_wants_the_role_not_its_deputy() -> None:
    question = "Chủ tịch UBND tỉnh là ai?"
    assert not holds_the_role("ông Kim Dong-hyun, Phó Thị trưởng thành phố Seongnam", question)
    assert not holds_the_role("bà Lê Thị Thu Hằng, Phó Chủ tịch UBND tỉnh", question)
    assert holds_the_role("ông Đỗ Minh Tuấn, Chủ tịch UBND tỉnh", question)
    assert holds_the_role("bà Lê Thị Thu Hằng, Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch là ai?")
    # "thành phố" folds to "… pho": only the word right before the role makes a deputy
    mayor = "Thị trưởng thành phố Seongnam tên là gì?"
    assert not holds_the_role("ông Kim Dong-hyun, Phó Thị trưởng thành phố Seongnam", mayor)
    deputy = "Who is the deputy mayor of Seongnam?"
    assert holds_the_role("ông Kim Dong-hyun, Phó Thị trưởng thành phố Seongnam", deputy)


def test_a_measure_named_in_a_figure_question_must_be_stated() -> None:
    def scope(text: str):  # type: ignore[no-untyped-def]
        english = is_english(text)
        return question_scope(text, set(), "Thanh Hóa", expansions(text, english))

    fdi = scope("Năm 2025, tổng vốn FDI đăng ký vào Việt Nam đạt bao nhiêu?").measure_terms
    assert not states_measure("kim ngạch xuất khẩu của cả nước ước đạt 468,35 tỷ USD", fdi)
    assert not states_measure("giải ngân cho 1.162 lao động vay vốn, 87,4 tỷ đồng", fdi)
    assert states_measure("18 dự án FDI mới, với tổng vốn đăng ký 846,1 triệu USD", fdi)
    # "thu về" is no revenue asked: a reader's word for what exports bring
    assert scope("Hàng bán ra nước ngoài thu về bao nhiêu?").measure_terms == ("xuat_khau",)
    surplus = scope("How big was Vietnam's trade surplus in goods in 2025?").measure_terms
    assert states_measure("Cán cân thương mại tiếp tục xuất siêu 11,93 tỷ USD", surplus)
    total = scope("How much was Vietnam's two-way trade (exports plus imports) in 2025?")
    assert not states_measure("kim ngạch xuất khẩu ước đạt 468,35 tỷ USD", total.measure_terms)
    assert states_measure("Tổng kim ngạch xuất nhập khẩu đạt 924,77 tỷ USD", total.measure_terms)
    new = scope("How much new FDI capital did Thanh Hoa license in 2020 alone?")
    assert states_another_measure("Lũy kế đến hết năm 2020, có 134 dự án FDI", new.excluded_terms)


def test_english_trade_words_and_partner_places() -> None:
    sell = question_scope("How much did Thanh Hoa sell to Laos in 2023?", set(), "Thanh Hóa")
    assert sell.measure_terms == ()  # the scope alone: the glossary's words come in below
    added = expansions("How much did Thanh Hoa sell to Laos in 2023?", english=True)
    assert "xuất khẩu" in added
    assert in_vietnamese_spelling("talks with Houaphanh in Sam Neua") == (
        "talks with Hủa Phăn in Sầm Nưa"
    )
    # the index's spelling is preferred when it holds one
    assert in_vietnamese_spelling("Bolikhamxay", lambda s: s == "Bolikhamxay") == "Bolikhamxay"


def test_a_run_of_names_splits_at_a_place_inside_it() -> None:
    assert split_at_place("Akatsuki Seimitsu Thanh Hóa") == ["Akatsuki Seimitsu", "Thanh Hóa"]
    assert split_at_place("Seongnam Lee Dong-hwan") == ["Seongnam", "Lee Dong-hwan"]
    assert split_at_place("Nguyễn Đức Anh") == ["Nguyễn Đức Anh"]  # a person, not Germany


def test_english_questions_for_dates_and_money() -> None:
    date = analyse("What was the exact date of the 2023 talks?")
    assert date.wants_date and not date.wants_number
    assert english_money("How much money did tourism bring in 2019?") == UNITS["tien"]
    assert english_money("Investors from how many countries put money into Vietnam?") == ()
    assert analyse("kim ngạch nhập khẩu Thanh Hóa 2024").wants_number


VISIT = (
    "Ngày 20-9-2023, tại thành phố Tula, đoàn đã làm việc với ông Andrei Sokolov, Phó "
    "Thống đốc tỉnh Tula. Hai bên đã ký Biên bản ghi nhớ về thúc đẩy hợp tác giữa hai tỉnh."
)


@pytest.mark.parametrize(
    "text",
    [
        # the date does not open its sentence: it may date something else in it
        "Đoàn đã làm việc với ông Andrei Sokolov ngày 20-9-2023 tại thành phố Tula. "
        "Hai bên đã ký Biên bản ghi nhớ về thúc đẩy hợp tác giữa hai tỉnh.",
        # the next sentence dates the signing itself
        "Ngày 20-9-2023, tại thành phố Tula, đoàn đã làm việc với ông Andrei Sokolov. "
        "Ngày 21-9-2023, hai bên đã ký Biên bản ghi nhớ về hợp tác giữa hai tỉnh.",
        # another paragraph
        "Ngày 20-9-2023, tại thành phố Tula, đoàn đã làm việc với ông Andrei Sokolov."
        "\nHai bên đã ký Biên bản ghi nhớ về thúc đẩy hợp tác giữa hai tỉnh.",
    ],
)
def test_a_date_dates_the_next_sentence_only_when_it_opens_its_own(text: str) -> None:
    q = analyse("Biên bản ghi nhớ giữa hai tỉnh được ký ngày nào?")
    first = segments_of([_passage(text)])[0]
    assert not has_asked_kind(first, q)


def test_a_date_opening_the_sentence_before_the_event_dates_it() -> None:
    q = analyse("Biên bản ghi nhớ giữa hai tỉnh được ký ngày nào?")
    dated, signed = segs = segments_of([_passage(VISIT)])
    assert has_asked_kind(dated, q)  # the next sentence tells the signing, undated
    assert not has_asked_kind(signed, q)  # no date of its own
    told = event_sentence(dated, segs, q.events)
    assert told is signed  # the answer quotes both


def test_counted_things_of_the_portal_are_units() -> None:
    assert "khán giả" in asked_unit("Trận đấu có bao nhiêu khán giả đến sân?")
    assert "quốc gia" in asked_unit("Sản phẩm xuất khẩu sang bao nhiêu thị trường?")
    q = analyse("Trận đấu có bao nhiêu khán giả đến sân?")
    scored = segments_of([_passage("Đội nhà thắng với tỷ số 2-1 ở vòng 9 trên sân nhà.")])
    assert not has_asked_kind(scored[0], q)


def test_a_why_question_quotes_the_fact_and_its_cause() -> None:
    text = (
        "Năm 2021, số lao động đi làm việc ở nước ngoài giảm mạnh, chỉ còn 5.120 người. "
        "Nguyên nhân là do dịch COVID-19 khiến nhiều thị trường đóng cửa. "
        "Các doanh nghiệp đã chủ động tìm kiếm thị trường mới."
    )
    segments = segments_of([_passage(text)])
    weights = {"lao_dong": 2.0, "giam": 1.0, "nguyen_nhan": 1.0, "thi_truong": 0.4}
    for question, most in (
        ("Vì sao số lao động giảm mạnh?", 3),
        ("Lao động giảm còn bao nhiêu?", 2),
    ):
        q = analyse(question)
        score_segments(segments, q, weights, None, None, Tuning())
        for seg in segments:
            seg.score = 1.0  # equally good: the limit decides
        assert len(select(segments, q, Tuning()).segments) <= most
    q = analyse("Vì sao số lao động giảm mạnh?")
    assert len(select(segments, q, Tuning()).segments) == 3


def test_the_cause_or_the_way_joins_the_fact_though_it_is_not_eligible_alone() -> None:
    """The way ("theo hình thức …") does not repeat the question's names: it is no answer
    alone, but the article's best such clause joins the fact on a lower floor."""
    text = (
        "Trung tâm Lam Sơn là đơn vị tích cực đưa lao động đi làm việc ở nước ngoài. "
        "Các lớp học được tổ chức theo hình thức vừa học vừa thực hành. "
        "Năm 2024 có 1.200 học viên."
    )
    segments = segments_of([_passage(text)])
    fact, way, count = segments
    q = analyse("Trung tâm Lam Sơn tổ chức lớp học thế nào?")
    assert q.wants_manner and q.wants_explanation and not q.broad
    for seg, score in ((fact, 1.0), (way, 0.5), (count, 0.6)):
        seg.score = score
    chosen = select([fact], q, Tuning(), segments).segments
    assert chosen == [fact, way]
    too_weak = Tuning(floor_reason=0.55)
    assert select([fact], q, too_weak, segments).segments == [fact]
    # a factual question takes no such companion
    assert select([fact], analyse("Trung tâm Lam Sơn ở đâu?"), Tuning(), segments).segments == [
        fact
    ]


def test_a_small_number_naming_a_document_is_required() -> None:
    q = analyse("Nghị quyết nào của Chính phủ thực hiện Chỉ thị 15 của Ban Bí thư?")
    required = requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1))
    assert required.figures == {"15": "Chỉ thị 15"}
    q = analyse("Trong 5 năm, tỉnh đón bao nhiêu đoàn?")  # a small count may be paraphrased
    assert requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1)).figures == {}


def test_the_question_in_the_articles_words_replaces_the_readers_phrase() -> None:
    from assistant.answer.lexicon import in_articles_words

    assert (
        in_articles_words("Tỉnh mua hàng từ nước ngoài về hết bao nhiêu tiền?")
        == "Tỉnh nhập khẩu về hết bao nhiêu tiền?"
    )
    assert in_articles_words("Không có gì để thay.") == "Không có gì để thay."


def test_the_clause_naming_the_asked_kind_of_items_joins_the_best_one() -> None:
    text = (
        "Thanh Hóa và vùng Bretagne-Sud đã ký biên bản ghi nhớ hợp tác. "
        "Theo biên bản, hai bên hợp tác trong 5 lĩnh vực: kinh tế biển, logistics, du lịch."
    )
    signing, fields = segments_of([_passage(text)])
    q = analyse("Thanh Hóa và Bretagne-Sud hợp tác ở những lĩnh vực nào?")
    assert q.asked_kind == "linh vuc" and q.wants_completion and not q.wants_explanation
    signing.score, fields.score = 1.2, 0.7
    assert select([signing], q, Tuning(), [signing, fields]).segments == [signing, fields]


def test_a_bound_the_question_sets_is_no_figure_to_find() -> None:
    q = analyse("Những dự án nào có vốn đăng ký từ 200 triệu USD trở lên?")
    assert requirements(q, [], lambda terms: dict.fromkeys(terms, 1)).figures == {}
    q = analyse("Dự án 200 triệu USD là của ai?")
    assert requirements(q, [], lambda terms: dict.fromkeys(terms, 1)).figures == {"200": "200"}


@pytest.mark.parametrize(
    ("question", "written", "place"),
    [
        ("Thanh Hóa hợp tác với những địa phương nào của Nhật Bản?", "địa phương", True),
        ("Tỉnh nào của Lào giáp Thanh Hóa?", "tỉnh", True),
        ("Which South Korean city signed an agreement with Thanh Hoa?", "city", True),
        ("Doanh nghiệp Nhật Bản nào được cấp phép?", "doanh nghiệp", False),
        ("Thanh Hóa hợp tác với nước nào?", None, False),
    ],
)
def test_the_kind_of_name_asked_for(question: str, written: str | None, place: bool) -> None:
    kind = asked_name_kind(question)
    assert (kind.written, kind.place) == (written, place) if kind else written is None


def test_names_after_their_kind_or_listed_after_it() -> None:
    forms = ("tỉnh", "thành phố", "địa phương")
    listed = "các địa phương của nước CHDCND Lào (Hủa Phăn, Xiêng Khoảng, Luông Pha Băng) để"
    assert [listed[a:b] for a, b in names_of_kind(listed, forms)] == [
        "Hủa Phăn",
        "Xiêng Khoảng",
        "Luông Pha Băng",
    ]
    single = "làm việc với thành phố Seongnam (Hàn Quốc)"
    assert [single[a:b] for a, b in names_of_kind(single, forms)] == ["Seongnam"]


@pytest.mark.parametrize(
    ("clause", "answers"),
    [
        # names Japan, but no locality of it
        ("các quốc gia trọng điểm như Nhật Bản, Hàn Quốc, Đức", False),
        # a locality, of another country
        ("thúc đẩy quan hệ hợp tác với tỉnh Tula (Liên bang Nga)", False),
        ("tổ chức hội đàm thường niên với tỉnh Hủa Phăn", False),
        # only the place the question names
        ("tỉnh Thanh Hóa tăng cường hợp tác với Nhật Bản", False),
        ("ký thỏa thuận hợp tác với tỉnh Shizuoka (Nhật Bản)", True),
    ],
)
def test_a_name_question_needs_a_name_of_the_asked_kind_and_country(
    clause: str, answers: bool
) -> None:
    question = "Thanh Hóa có quan hệ hợp tác với những địa phương nào của Nhật Bản?"
    assert _judged(has_asked_kind, question, clause) is answers


def test_two_known_words_never_seen_side_by_side_weigh_as_the_rarer_word() -> None:
    df = {"cung": 40, "5": 30, "nhap": 20, "khau": 20, "nhap_khau": 20}

    def freq(terms: list[str]) -> dict[str, int]:
        return {t: df.get(t, 0) for t in terms}

    weights = query_weights("cùng 5 nhập khẩu Akatsuki", "", freq, 1000, Tuning())
    boost = Tuning().bigram_boost
    assert weights["cung_5"] == pytest.approx(weights["5"] * boost)  # the reader's pairing
    unseen = weights["akatsuki"]  # a name never seen: as rare as can be
    assert weights["khau_akatsuki"] == pytest.approx(unseen * boost)


@pytest.mark.parametrize(
    ("clause", "answers"),
    [
        ("tiếp đến là Đài Loan với 3.412 người và Hàn Quốc với 1.527 người", True),
        ("711 lao động còn lại đi làm việc tại CHLB Đức, Úc, Singapore", False),
        ("tổng số lao động đi làm việc ở nước ngoài là 12.000 người", True),  # names none
        ("giáo dục nghề nghiệp và biện pháp hỗ trợ 500 người", True),  # "Đức", "Pháp"? no
    ],
)
def test_a_clause_naming_only_other_countries_does_not_answer_for_the_asked_one(
    clause: str, answers: bool
) -> None:
    question = "Năm 2023 Thanh Hóa có bao nhiêu lao động sang Đài Loan làm việc?"
    assert _judged(of_the_asked_partner, question, clause) is answers


def test_a_question_opening_with_so_counts_the_thing_after_it() -> None:
    assert asked_unit("số lao động thanh hóa đi làm việc ở nước ngoài năm 2021") == asked_unit(
        "Có bao nhiêu lao động?"
    )
    assert asked_unit("Số hiệu của nghị quyết là gì?") == ()
    assert asked_unit("Sở Công Thương báo cáo những gì?") == ()


@pytest.mark.parametrize(
    ("clause", "answers"),
    [
        ("toàn tỉnh có 5.214 người xuất cảnh, đạt 52,1% kế hoạch", True),
        ("diện tích khoảng 6.400 km², dân số 1,18 triệu người", False),
    ],
)
def test_a_count_of_people_answers_for_workers_only_where_work_is_spoken_of(
    clause: str, answers: bool
) -> None:
    question = "Thanh Hóa có bao nhiêu lao động làm việc tại đó?"
    assert _judged(has_asked_kind, question, clause) is answers


@pytest.mark.parametrize(
    ("clause", "answers"),
    [
        ("Nghị quyết số 21/NQ-CP của Chính phủ ban hành Chương trình thực hiện Chỉ thị 15", True),
        ("Chỉ thị số 15-CT/TW ngày 10-8-2022 của Ban Bí thư về ngoại giao kinh tế", True),
        ("Nghị quyết số 31-NQ/CP ban hành Chương trình thực hiện Nghị quyết số 22", False),
    ],
)
def test_a_named_document_must_be_named_where_the_answer_is(clause: str, answers: bool) -> None:
    question = "Nghị quyết nào thực hiện Chỉ thị 15, số hiệu là gì?"
    assert _judged(names_the_asked_document, question, clause) is answers


def test_a_rewritten_follow_up_counts_what_its_own_question_asks_for() -> None:
    rewritten = "Tổng vốn của các dự án đó là bao nhiêu? Năm 2025 có bao nhiêu dự án FDI mới?"
    assert asked_unit(rewritten) == ()  # not the earlier question's "dự án"
    assert asked_unit("Số người đi lao động đạt bao nhiêu phần trăm kế hoạch?") == asked_unit(
        "Tỷ lệ là bao nhiêu phần trăm?"
    )
    assert "thỏa thuận" in asked_unit("6 tháng đầu năm ký bao nhiêu thỏa thuận quốc tế?")


def test_a_summary_quotes_the_rest_of_the_best_sentences_paragraph_in_order() -> None:
    text = (
        "Về ngoại giao văn hóa, tỉnh tăng cường quảng bá hình ảnh xứ Thanh. "
        "Tỉnh phối hợp với UNESCO bảo tồn Thành Nhà Hồ. "
        "Quỹ Prince Claus tài trợ đề án nghiên cứu Minh Văn.\n"
        "Về kinh tế, xuất khẩu đạt 14.081,67 triệu USD."
    )
    q = analyse("Tóm tắt hoạt động ngoại giao văn hóa của tỉnh.")
    segments = segments_of([_passage(text)])
    score_segments(segments, q, {"ngoai_giao": 3.0, "van_hoa": 3.0}, None, None, Tuning())
    chosen = [s.text for s in select(segments, q, Tuning(), segments).segments]
    assert chosen[:3] == [
        "Về ngoại giao văn hóa, tỉnh tăng cường quảng bá hình ảnh xứ Thanh.",
        "Tỉnh phối hợp với UNESCO bảo tồn Thành Nhà Hồ.",
        "Quỹ Prince Claus tài trợ đề án nghiên cứu Minh Văn.",
    ]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hai tỉnh hợp tác trong những lĩnh vực nào?", "linh vuc"),
        ("Thanh Hóa muốn hợp tác với những cơ quan nào?", "co quan"),
        ("Which international cooperation agencies does Thanh Hoa work with?", "co quan"),
        ("What fields do the two provinces cooperate in?", "linh vuc"),
        ("How many projects were licensed?", None),
    ],
)
def test_the_noun_naming_the_asked_items(question: str, kind: str | None) -> None:
    assert analyse(question).asked_kind == kind


def test_a_kind_with_a_modifier_before_nao_is_still_that_kind() -> None:
    kind = analyse("Tỉnh thiết lập quan hệ với những địa phương nước ngoài nào?").named_kind
    assert kind is not None and kind.place and "tỉnh" in kind.forms


def test_an_english_count_names_its_unit() -> None:
    assert "người" in asked_unit("How many people from Thanh Hoa went to work abroad?")
    assert asked_unit("How many new FDI projects did Thanh Hoa license in 2022?") == ("dự án",)
    # a count of things no money answers: "How many beds …" is not "11,2 tỷ đồng"
    assert asked_unit("How many beds will the new infirmary have?") == ("giường",)
    assert "tấn" in asked_unit("How many tonnes of rice did the province donate?")
    assert analyse("What rank does Thanh Hoa hold in attracting FDI?").wants_number


def test_a_paragraph_goes_on_into_the_next_overlapping_passage() -> None:
    first = _passage("Về văn hóa, tỉnh quảng bá hình ảnh. Các hoạt động được triển khai.", start=0)
    # the next chunk, from the space after the first (as the composer reads it)
    second = _passage(
        " Tỉnh phối hợp với UNESCO bảo tồn di sản.\nVề kinh tế, xuất khẩu tăng.", start=66
    )
    segments = segments_of([first, second])
    q = analyse("Tóm tắt hoạt động văn hóa của tỉnh.")
    score_segments(segments, q, {"van_hoa": 3.0}, None, None, Tuning())
    chosen = [s.text for s in select(segments[:1], q, Tuning(), segments).segments]
    assert "Tỉnh phối hợp với UNESCO bảo tồn di sản." in chosen
    assert all("kinh tế" not in text for text in chosen)  # the next paragraph is not


def test_a_lexicon_phrase_may_have_one_more_word_and_its_words_are_no_names() -> None:
    # "mua hàng của nước ngoài" is the lexicon's "mua của nước ngoài" with one more word
    assert "nhập khẩu" in expansions("Tỉnh mua hàng của nước ngoài hết bao nhiêu?", english=False)
    # a key of two words does not stretch ("có tổng giá trị" is not "có giá trị")
    assert expansions("Hợp đồng có tổng giá trị bao nhiêu?", english=False) == []
    assert "tay" in phrase_words("Quảng Bình đón bao nhiêu lượt khách Tây?", english=False)


def test_every_year_is_not_which_year() -> None:
    assert not analyse("Năm nào thành phố này cũng nhận mấy cán bộ sang học?").wants_date
    assert analyse("Thỏa thuận được ký vào năm nào?").wants_date


def test_a_country_is_named_by_its_localities_or_earlier_in_the_paragraph() -> None:
    def freq(terms):  # type: ignore[no-untyped-def]
        return dict.fromkeys(terms, 1)

    need = requirements(
        analyse("Thanh Hóa xây tặng bạn Lào trạm y tế nào năm 2019?"), ["thanh hoa"], freq
    )
    assert "lao" in need.names
    nowhere = frozenset({"tram", "y_te"})
    assert not need.met_by(nowhere, nowhere, frozenset(), lambda term: False)
    # the article is about Hủa Phăn, a Lao province
    assert need.met_by(nowhere, nowhere, frozenset({"hua_phan"}), lambda term: False)
    # or its paragraph, up to the clause, names the country (a list of countries is left
    # out of it by the caller)
    assert need.met_by(
        nowhere, nowhere, frozenset(), lambda term: False, lambda: frozenset({"lao"})
    )
    # a partner that is no country is never satisfied by the paragraph alone
    named = requirements(analyse("Thanh Hóa nhận của Seongnam mấy xe?"), ["thanh hoa"], freq)
    assert "seongnam" in named.names
    assert not named.met_by(
        nowhere, nowhere, frozenset(), lambda term: False, lambda: frozenset({"seongnam"})
    )


def test_people_are_counted_by_what_they_are() -> None:
    forms = asked_unit("Năm 2021, tỉnh cho mấy người điều dưỡng sang Đức?")
    assert states_unit("tỉnh đưa 36 điều dưỡng viên sang làm việc", forms)
    assert states_unit(
        "tiếp nhận 10 cán bộ, công chức của tỉnh", asked_unit("Nhận bao nhiêu người?")
    )


def test_a_question_naming_only_a_time_takes_the_previous_topic() -> None:
    history = [
        {"role": "user", "content": "Xuất khẩu của Thanh Hóa 6 tháng đầu năm 2025 được bao nhiêu?"}
    ]
    rewrite = rewrite_followup("Đến hết 9 tháng thì được bao nhiêu?", history)
    assert rewrite.rewritten and "xuất khẩu của Thanh Hóa" in rewrite.query
    assert not elliptic("Đến hết 9 tháng, Thanh Hóa cấp mới bao nhiêu dự án FDI?")


def test_a_capitalised_first_word_that_is_a_verb_starts_no_name() -> None:
    assert analyse("Sang Tula tháng 9-2023, đoàn làm việc với ai?").names == ["Tula"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Đoàn của tỉnh gồm những cơ quan nào?", None),  # agencies, not a district
        ("Năm 2023, quý nào xuất khẩu cao nhất?", None),  # a quarter, not a fund
        ("Quỹ nào tài trợ đề án?", "quỹ"),
        ("tai tro boi quy nao", "quy"),  # no diacritics: the kind cannot be told apart
    ],
)
def test_a_kind_folded_like_another_is_read_as_written(question: str, kind: str | None) -> None:
    found = asked_name_kind(question)
    assert (found.written if found else None) == kind


def test_a_price_is_money_and_a_factory_is_no_how_many() -> None:
    assert "đồng" in asked_unit("Thương lái mua lúa tươi giá bao nhiêu một cân?")
    assert (
        asked_unit("Nhà máy ở khu công nghiệp nhận khoảng bao nhiêu người vào làm?")[0] == "người"
    )
    assert asked_unit("nam 2023 tinh co may du an fdi") == ("dự án",)


def test_how_or_why_asks_for_no_figure() -> None:
    question = analyse("Thanh Hóa làm cách nào mà tỷ lệ tốt nghiệp cao như vậy?")
    assert question.wants_manner and not question.wants_number
    assert analyse("Tỷ lệ tốt nghiệp năm 2023 là bao nhiêu?").wants_number


def test_a_classifier_does_not_name_the_measure() -> None:
    assert asked_subject("Cái nhà máy linh kiện đạt bao nhiêu?") == {"nha_may": "nhà máy"}


def test_readers_shorten_country_names() -> None:
    assert foreign_in("Năm 2019 có bao nhiêu người đi làm thuê bên Hàn?") == {"han quoc"}
    assert foreign_in("sang Nhật làm việc") == {"nhat ban"}
    assert foreign_in("hàn công nghệ cao") == frozenset()  # welding, as written
    assert "đi làm việc ở nước ngoài lao động" in expansions("đi làm thuê bên Hàn", english=False)


def test_a_goal_is_masked_out_of_what_a_clause_states() -> None:
    clause = "Năm 2024, tỉnh phấn đấu đón 120.000 lượt khách Hàn Quốc"
    assert is_target(clause, clause.index("120.000"))
    stated = as_reached(clause, re.compile(r"\d[\d.,]*\d"))
    assert "120.000" not in stated and len(stated) == len(clause)
    done = "Năm 2023, tỉnh đón 98.000 lượt khách, phấn đấu năm 2024 tăng thêm"
    assert not is_target(done, done.index("98.000"))
    assert asks_for_target(fold("Ninh Bình đặt mục tiêu đón bao nhiêu khách?"))
    assert not asks_for_target(fold("Ninh Bình đã đón bao nhiêu khách?"))


def test_a_price_is_not_a_worth_nor_a_revenue() -> None:
    assert asks_price("Vé vào cửa Thành Nhà Hồ giá bao nhiêu một người?")
    assert not asks_price("Hàng hóa qua cửa khẩu trị giá bao nhiêu?")
    assert not states_price("Doanh thu từ bán vé tham quan đạt 3,47 tỷ đồng")
    assert states_price("Giá vé là 40.000 đồng/người")


def test_countries_listed_together_are_told_apart_from_one_alone() -> None:
    listed = "với 8.714 người, chủ yếu tại các thị trường Nhật Bản, Đài Loan, Hàn Quốc"
    assert listed_countries(listed) == {"nhat ban", "dai loan", "han quoc"}
    assert listed_countries("Nhật Bản có 12 dự án, Hàn Quốc có 8 dự án") == frozenset()


def test_question_cues_are_whole_words() -> None:
    assert not analyse("How many Korean visitors did Ninh Binh aim to welcome?").wants_person
    assert analyse("Ai là Chủ tịch UBND tỉnh?").wants_person
    assert analyse("Who signed the agreement?").wants_person


def test_many_pointing_at_items_asks_for_the_items() -> None:
    pointing = analyse("Mấy dự án FDI mới vào tỉnh chủ yếu đặt ở những khu nào?")
    assert pointing.wants_list and not pointing.wants_number
    assert analyse("Tỉnh có mấy khu công nghiệp?").wants_number


def test_the_whole_year_and_a_part_of_it() -> None:
    whole = question_scope("Cả năm 2024 Thanh Hóa đón bao nhiêu lượt khách?", set(), HOME)
    assert whole.whole_year and whole.part is None
    assert not question_scope("9 tháng năm 2024 đón bao nhiêu khách?", set(), HOME).whole_year


def test_a_person_is_named_by_role_or_family_name() -> None:
    assert names_a_person("trung vệ Lê Quang Vĩnh bật cao đánh đầu")
    assert names_a_person("Thủ khoa của tỉnh là em Lê Minh Đức")
    assert not names_a_person("Khu kinh tế Nghi Sơn thu hút 31 dự án")


def test_a_place_the_thing_is_located_in_may_be_named_elsewhere_in_the_article() -> None:
    q = analyse("Tòa thành đá Tây Đô ở Vĩnh Lộc có từ năm nào?")
    required = requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1))
    assert set(required.located) == {"vinh_loc"}
    sentence = frozenset({"tay_do", "xay_dung"})
    never = lambda term: False  # noqa: E731
    assert required.met_by(sentence, sentence, frozenset(), never, None, lambda t: True)
    assert not required.met_by(sentence, sentence, frozenset(), never, None, never)


def test_a_locality_of_an_asked_country_is_checked_against_the_lead() -> None:
    """A country's localities are not among the asked names: checking them against the
    article's lead must not fail (it once raised KeyError)."""
    q = analyse("Năm 2019, mấy lần Thanh Hóa cử bác sĩ sang các bản biên giới bên Lào?")
    required = requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1))
    assert "lao" in required.localities
    lead = frozenset(required.localities["lao"])
    never = lambda term: False  # noqa: E731
    assert not required.met_by(frozenset(), frozenset(), frozenset(), never, None, never, lead)


def test_english_months_and_may_are_no_names_nor_counts() -> None:
    question = analyse("Who scored Song Lam Nghe An's goal against Dong A Thanh Hoa in May 2023?")
    assert "May" not in question.names and not question.wants_number
    assert analyse("thanh hoa co may du an fdi").wants_number  # Vietnamese without marks


def test_a_memorandum_does_not_answer_when_an_agreement_was_signed() -> None:
    memorandum = "Hai bên đã ký Biên bản ghi nhớ, làm cơ sở để tiến tới ký kết thỏa thuận hợp tác"
    signed = "Hai tỉnh đã ký thỏa thuận hợp tác giai đoạn 2021-2025"
    asked = analyse("Thanh Hóa và tỉnh Tula ký thỏa thuận hợp tác chính thức vào ngày nào?")
    assert not signs_the_asked_document(_segment(memorandum), asked)
    assert signs_the_asked_document(_segment(signed), asked)
    mou = analyse("Thanh Hóa và tỉnh Tula ký biên bản ghi nhớ ngày nào?")
    assert signs_the_asked_document(_segment(memorandum), mou)
    # an agreement only named beside a plan signed is not signed ("văn kiện": an agreement)
    reviewed = (
        "hai tỉnh đánh giá kết quả thực hiện thỏa thuận hợp tác giai đoạn 2021-2025 và ký "
        "kế hoạch hợp tác năm 2024"
    )
    charter = analyse("Văn kiện hợp tác 2021-2025 với Hủa Phăn được ký vào ngày nào?")
    assert not signs_the_asked_document(_segment(reviewed), charter)
    later = "Theo kế hoạch hợp tác năm 2024 được ký tại hội đàm, Thanh Hóa sẽ hỗ trợ 11,2 tỷ đồng"
    assert not signs_the_asked_document(_segment(later), asked)


def test_a_place_typed_in_lower_case_is_no_measure() -> None:
    assert asked_subject("quảng bình đón được bao nhiêu lượt khách du lịch?") == {}
    # "kim ngạch" is a trade value as "giá trị" is: the measure is what follows it
    assert asked_subject("Tổng kim ngạch nhập khẩu giai đoạn 2016-2020 là bao nhiêu?") == {
        "nhap_khau": "nhập khẩu"
    }
    assert asked_subject("Con số đúng là bao nhiêu?") == {}
    assert asked_subject("Dân số tỉnh là bao nhiêu người?") == {"dan_so": "Dân số"}


def test_lengths_and_loans_are_counted_in_their_units() -> None:
    assert asked_unit("Cầu chính dài mấy mét?") == ("m", "mét")
    question = analyse("How much did the bank lend to workers going abroad?")
    assert question.wants_number


def test_a_letter_code_is_required_as_written() -> None:
    q = analyse("Thủ khoa khối D01 của Thanh Hóa năm 2023 là ai?")
    required = requirements(q, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1))
    assert "d01" in required.names


def test_a_continent_is_named_with_its_lower_case_word() -> None:
    assert name_runs("Tiền từ bên châu Á gửi về chiếm mấy phần trăm?") == ["châu Á"]


def test_a_name_inside_a_longer_name_is_not_given_by_the_question() -> None:
    assert _judged(
        has_asked_kind,
        "Which German state is Thanh Hoa's partner province Mittelsachsen part of?",
        "chính quyền tỉnh Mittelsachsen (bang Sachsen, CHLB Đức) đã ký Kế hoạch hợp tác",
    )


def test_a_person_asked_for_one_side_is_not_the_other_sides() -> None:
    asked = "Ai là người thay mặt tỉnh Thanh Hóa ký thỏa thuận với tỉnh Hủa Phăn?"
    assert asked_side(asked) == "thanh hoa"
    host = "Phát biểu tại hội đàm, ông Khamsone Vongphachanh, Phó Tỉnh trưởng tỉnh Hủa Phăn, cảm ơn"
    assert of_another_side(host, "thanh hoa")
    # where the person went is not whose they are; a role naming no place may be ours
    guest = (
        "đoàn do ông Phạm Văn An, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh làm trưởng đoàn "
        "đã thăm, làm việc tại tỉnh Hủa Phăn"
    )
    assert not of_another_side(guest, "thanh hoa")
    # a country's side is held by one of its places' officials
    assert asked_side("Người đại diện phía Nhật ký văn bản là ai?") is None
    # the named side wins over the delegation the question sets the scene with
    assert asked_side("Khi đoàn Thanh Hóa sang Nga, ai là quan chức phía Tula tiếp?") == "tula"


def test_a_partner_listed_among_others_is_not_the_one_a_figure_is_of() -> None:
    from assistant.text.places import listed_partners

    listed = "các địa phương của Lào (Hủa Phăn, Xiêng Khoảng, Luông Pha Băng) có 260 hoạt động"
    assert listed_partners(listed) == {"hua phan", "xieng khoang", "luong pha bang"}
    assert listed_partners("riêng hai tỉnh Thanh Hóa – Hủa Phăn đã tổ chức 250 hoạt động") == set()


def test_a_countrys_nickname_is_its_name() -> None:
    assert spelled_out("có bao nhiêu người sang đất nước mặt trời mọc?") == (
        "có bao nhiêu người sang Nhật Bản?"
    )
    assert spelled_out("XK sang xu so kim chi nam 2023") == "xuất khẩu sang Hàn Quốc nam 2023"
    assert spelled_out("Mặt trời mọc lúc mấy giờ?") == "Mặt trời mọc lúc mấy giờ?"


def test_a_folded_phrase_of_the_lexicon_keeps_its_spelling() -> None:
    assert expansions("Có bao nhiêu chỗ ở cho khách?", english=False)
    assert expansions("co bao nhieu cho o cho khach", english=False)
    assert not expansions("linh kiện cho ô tô", english=False), "'cho ô' is no lodging"


def test_the_next_or_previous_year_counts_from_the_previous_question() -> None:
    history = [{"role": "user", "content": "Năm 2022 xuất khẩu của Thanh Hóa đạt bao nhiêu?"}]
    rewrite = rewrite_followup("Thế cả năm tiếp theo thì xuất khẩu đạt bao nhiêu?", history)
    assert "năm 2023" in rewrite.focus and "2022" not in rewrite.query
    assert rewrite_followup("Còn năm trước đó?", history).query.startswith("năm 2021")
    english = [{"role": "user", "content": "What were exports in 2022?"}]
    assert rewrite_followup("What about the following year?", english).query == (
        "What were exports in 2023?"
    )
    spans = [{"role": "user", "content": "Giai đoạn 2016-2020 xuất khẩu đạt bao nhiêu?"}]
    assert "tiếp theo" in rewrite_followup("Năm tiếp theo thì sao?", spans).query


def test_a_spoken_why_asks_a_cause() -> None:
    for question in (
        "Sao báo lại phải đính chính con số nhập khẩu vậy?",
        "Năm 2023 sao xuất khẩu lại giảm?",
        "How come imports rose in 2022?",
    ):
        q = analyse(question)
        assert q.wants_reason and not q.wants_number, question
    assert not analyse("Huân chương Sao Vàng được trao năm nào?").wants_reason
    assert not analyse("Còn nhập khẩu thì sao?").wants_reason


def test_an_industrial_park_is_a_kind_of_name_asked() -> None:
    kind = asked_name_kind("Nhà máy được đặt ở khu công nghiệp nào của Thanh Hóa?")
    assert kind is not None and kind.place and kind.forms == ("khu công nghiệp",)


def test_capital_asked_before_how_much_is_not_an_export_figure() -> None:
    question = "Dự án trung tâm logistics được cấp phép năm 2025 có vốn bao nhiêu?"
    exports = "tổng kim ngạch xuất khẩu hàng hóa 6 tháng đầu năm 2025 đạt 3.214,7 triệu USD"
    capital = "tỉnh đã cấp phép cho dự án logistics với tổng vốn đầu tư 120 triệu USD"
    assert not _judged(has_asked_kind, question, exports)
    assert _judged(has_asked_kind, question, capital)


def test_investment_in_the_previous_paragraph_is_no_topic_of_an_export_figure() -> None:
    text = (
        "6 tháng đầu năm 2025, thu hút đầu tư trực tiếp nước ngoài có nhiều khởi sắc.\n\n"
        "Tổng kim ngạch xuất khẩu 6 tháng đầu năm 2025 ước đạt 3.214,7 triệu USD."
    )
    q = analyse("Dự án logistics được cấp phép 6 tháng đầu năm 2025 có vốn bao nhiêu?")
    last = segments_of([_passage(text)])[-1]
    assert last.text.startswith("Tổng kim ngạch xuất khẩu") and not has_asked_kind(last, q)


def test_the_paragraph_before_a_chunk_is_read_from_the_article() -> None:
    article = (
        "Mở đầu.\n"
        "Phấn đấu trong giai đoạn 2021-2025, thiết lập quan hệ mới. "
        "Đẩy mạnh hợp tác với các cơ quan hợp tác quốc tế: JICA, KOICA."
    )
    start = article.index("Đẩy mạnh")
    (seg,) = segments_of([_passage(article[start:], start=start)])
    assert earlier_in_paragraph(seg) == [], "the chunk alone starts with the sentence"
    assert earlier_in_paragraph(seg, article) == [
        "Phấn đấu trong giai đoạn 2021-2025, thiết lập quan hệ mới."
    ]


def test_the_cause_told_beside_the_fact_is_quoted_before_a_farther_one() -> None:
    text = (
        "Báo xin đính chính số liệu nhập khẩu năm 2022 của tỉnh. "
        "Do sơ suất trong quá trình biên tập, các chữ số bị đảo vị trí. "
        "Kim ngạch nhập khẩu năm 2022 đạt 6.042,9 triệu USD, tăng 22,9%. "
        "Giá trị nhập khẩu tăng chủ yếu do giá dầu thô thế giới tăng cao."
    )
    q = analyse("Vì sao báo phải đính chính số liệu nhập khẩu năm 2022?")
    segments = segments_of([_passage(text)])
    weights = {"dinh_chinh": 4.0, "nhap_khau": 2.0, "gia": 1.0, "dau_tho": 1.0}
    score_segments(segments, q, weights, None, None, Tuning())
    chosen = select(segments, q, Tuning(), segments).segments
    assert any(s.text.startswith("Do sơ suất") for s in chosen)


def test_spoken_question_words_ask_a_figure_a_date_or_grounds() -> None:
    assert analyse("Rốt cuộc số đúng là nhiêu vậy?").wants_number
    assert not analyse("Tỉnh có nhiều đối tác không?").wants_number
    q = analyse("Cầu Thiệu Định chừng nào mới làm xong dạ?")
    assert q.wants_date and q.events == ("hoàn thành",)
    assert analyse(
        "Lãnh đạo tỉnh dựa vào đâu để khẳng định Cô-oét là đối tác quan trọng?"
    ).wants_reason


def test_a_phone_number_asked_is_answered_only_by_one() -> None:
    question = "Cho mình xin số điện thoại của Sở Ngoại vụ Thanh Hóa với?"
    office = "Hai bên giao Sở Ngoại vụ tỉnh Thanh Hóa làm đầu mối xây dựng dự thảo thỏa thuận."
    assert not _judged(has_asked_kind, question, office)
    assert _judged(has_asked_kind, question, "Sở Ngoại vụ: điện thoại 0237 3852 456.")
    assert _judged(has_asked_kind, "What is the website of the department?", "Xem tại www.a.gov.vn")


def test_a_festival_asked_for_is_no_date() -> None:
    q = analyse("Năm 2023 đoàn nghệ thuật sang Hàn Quốc nhân dịp lễ hội nào?")
    assert not q.wants_date


def test_a_plan_asked_by_its_span_is_not_another_spans_plan() -> None:
    question = "Ông Kim ký Kế hoạch hợp tác đào tạo nghề giai đoạn 2024-2027 vào ngày nào?"
    other = "Ngày 27-10-2022, hai bên đã ký Kế hoạch hợp tác giai đoạn 2023-2025."
    same = "Ngày 5-3-2024, hai bên đã ký Kế hoạch hợp tác đào tạo nghề giai đoạn 2024-2027."
    assert not _judged(has_asked_kind, question, other)
    assert _judged(has_asked_kind, question, same)


def test_completing_a_task_is_no_completion_of_the_works() -> None:
    assert events_in("Dự án hoàn thành, đưa vào sử dụng trong quý IV-2027.") == ("hoàn thành",)
    assert events_in("Các huyện hoàn thành giải phóng mặt bằng trong năm 2025.") == ()
    assert events_in("Khi nào cầu làm xong?") == ("hoàn thành",)


def test_a_span_of_years_or_a_plural_asks_one_figure_not_a_list() -> None:
    q = analyse("Những năm 2016-2020, mỗi năm kiều hối gửi về khoảng bao nhiêu?")
    assert q.wants_number and not q.wants_list
    q = analyse("Các tổ chức phi chính phủ đã tài trợ tổng cộng bao nhiêu tiền?")
    assert q.wants_number and not q.wants_list
    assert analyse("Những nước nào có nhiều lao động Thanh Hóa nhất?").wants_list
    assert analyse("Tỉnh có bao nhiêu dự án, ở những khu công nghiệp nào?").wants_list


def test_local_jobs_in_readers_words() -> None:
    added = expansions("đem lại chỗ làm cho bao nhiêu người dân sở tại?", english=False)
    assert "việc làm" in added and "địa phương" in added
    assert "việc làm" not in expansions("tỉnh cho làm đường mới", english=False)


def test_the_reader_correcting_what_was_understood_replaces_the_place_or_period() -> None:
    history = [{"role": "user", "content": "Tổng kim ngạch xuất khẩu của Thanh Hóa năm 2022?"}]
    for said in ("Không, ý tôi là Nghệ An", "Không phải Thanh Hóa mà là Nghệ An"):
        rewrite = rewrite_followup(said, history)
        assert rewrite.query == "Tổng kim ngạch xuất khẩu của Nghệ An năm 2022?", said
        assert rewrite.focus == "Nghệ An"
    assert "năm 2023" in rewrite_followup("ý mình hỏi năm 2023 cơ", history).query
    assert "Hàn Quốc" in rewrite_followup("No, I meant Korea", history).query


def test_the_number_of_an_issuers_document_is_one_that_issuer_signs() -> None:
    politburo = fold("What is the number of the Politburo resolution on integration?").lower()
    assert asked_code_issuer(politburo) == "TW"
    assert asked_code_issuer(fold("Chỉ thị số mấy của Thủ tướng Chính phủ?").lower()) == "TTg"
    assert asked_code_issuer(fold("Nghị quyết 22 của Bộ Chính trị nói gì?").lower()) is None
    government = "Nghị quyết số 31-NQ/CP của Chính phủ thực hiện Nghị quyết số 22 của Bộ Chính trị"
    assert not codes_of_issuer(government, "TW")
    assert [m.group(0) for m in codes_of_issuer(government, "CP")] == ["31-NQ/CP"]
    assert [m.group(0) for m in codes_of_issuer("Nghị quyết số 22/NQ-TW ngày 13-5-2014", "TW")] == [
        "22/NQ-TW"
    ]


def test_the_assistants_own_view_is_not_asked_of_the_articles() -> None:
    assert analyse("Theo bạn Thanh Hóa nên hợp tác với Hàn Quốc hay Nhật Bản?").asks_opinion
    assert analyse("Xuất khẩu lao động sang Nhật hay Hàn thì lợi hơn?").asks_opinion
    assert analyse("Do you think Thanh Hoa should invest more in Laos?").asks_opinion
    # a fact asked politely, or what the province plans to do, is no opinion
    assert not analyse("Theo bạn, năm 2023 Thanh Hóa xuất khẩu bao nhiêu?").asks_opinion
    assert not analyse("Thanh Hóa cần làm gì để thu hút FDI?").asks_opinion


def test_a_person_asked_as_the_leader_is_named_with_that_role() -> None:
    question = "Người dẫn đầu phía Thanh Hóa trong chuyến sang tỉnh Tula tên là gì?"
    assert asks_for_a_role(question)
    assert not holds_the_role(
        "đoàn đã làm việc với Trường Đại học Tổng hợp Quốc gia Tula", question
    )
    assert holds_the_role("đoàn do ông Kim Dong-hyun làm trưởng đoàn", question)


def test_a_figure_a_correction_takes_back_is_no_figure_it_states() -> None:
    quoted = "Tại đoạn thứ hai có nội dung: “Kim ngạch nhập khẩu đạt 6.420,9 triệu USD”."
    assert is_retracted(quoted, quoted.index("6.420,9"))
    denied = "nhập siêu 856,5 triệu USD, chứ không phải 1.234,5 triệu USD như bài đã nêu"
    assert is_retracted(denied, denied.index("1.234,5"))
    assert not is_retracted(denied, denied.index("856,5"))
    led = answer_lead(analyse("Năm 2022 nhập siêu bao nhiêu?"), denied)
    assert led is not None and led.text == "856,5 triệu USD"


def test_one_countrys_share_is_told_from_the_whole() -> None:
    assert gives_one_countrys_share("các nhà đầu tư Nhật Bản có 12 dự án FDI còn hiệu lực")
    assert gives_one_countrys_share(
        "Theo Sở, Nhật Bản tiếp tục là thị trường lớn nhất với 5.836 người"
    )
    # the whole comes first, the share after it
    assert not gives_one_countrys_share(
        "toàn tỉnh có 134 dự án, trong đó nhà đầu tư Nhật Bản có 20"
    )


def test_weak_points_are_asked_as_the_kind_a_review_names() -> None:
    assert analyse("Hội nghị đã chỉ ra những điểm yếu gì?").asked_kind == "diem yeu"
    assert analyse("Which shortcomings did the review point out?").asked_kind == "han che"


def test_institutions_capitalised_by_convention_are_no_names() -> None:
    assert name_runs("ngân hàng của Nhà nước ở Thanh Hóa cho vay") == ["Thanh Hóa"]


def test_people_going_to_work_abroad_are_workers_not_visits() -> None:
    topic = asked_unit_topic("Năm 2022 Sơn La có bao nhiêu người đi làm việc ở nước ngoài?")
    assert "lao_dong" in topic and "lam_viec" in topic
    assert asked_unit_topic("Năm 2023 tỉnh đón bao nhiêu người đến tham quan?") == ()


def test_same_time_with_its_demonstrative_and_a_place_replaces_only_a_place() -> None:
    history = [{"role": "user", "content": "Xuất khẩu hàng hóa của Nghệ An năm 2023 là bao nhiêu?"}]
    rewrite = rewrite_followup("Còn Thanh Hóa cùng năm đó?", history)
    assert rewrite.query == "Xuất khẩu hàng hóa của Thanh Hóa năm 2023 là bao nhiêu?"
    unplaced = [{"role": "user", "content": "Xuất khẩu hàng hóa năm 2023 là bao nhiêu?"}]
    # "Thanh Hóa" shares "hóa" with "hàng hóa" but is no parallel of it
    assert "hàng hóa" in rewrite_followup("Còn Thanh Hóa thì sao?", unplaced).query


def test_a_figure_for_each_country_named_is_a_list_without_a_single_lead() -> None:
    question = analyse("Số lao động sang Nhật Bản, Đài Loan và Hàn Quốc lần lượt là bao nhiêu?")
    assert question.wants_list and question.wants_number
    clause = "Nhật Bản là thị trường lớn nhất với 5.836 người"
    assert answer_lead(question, clause) is None
    required = requirements(question, ["thanh hoa"], lambda terms: dict.fromkeys(terms, 1))
    assert required.any_country


def test_what_with_a_verb_asks_no_kind_of_name() -> None:
    assert asked_name_kind("What were Hoa Binh province's goods exports in 2021?") is None
    kind = asked_name_kind("Which province of Laos did Thanh Hoa sign with?")
    assert kind is not None and kind.written == "province"


def test_projects_attracted_over_a_span_are_not_the_stock() -> None:
    span = question_scope("How many FDI projects did Thanh Hoa attract over 2016-2020?", [], "")
    assert span.excluded_terms and states_another_measure(
        "lũy kế đến hết năm 2020, toàn tỉnh có 134 dự án FDI còn hiệu lực", span.excluded_terms
    )
    stock = question_scope("Lũy kế đến hết năm 2020 thu hút bao nhiêu dự án FDI?", [], "")
    assert not stock.excluded_terms


def test_regions_are_asked_as_the_kind_an_article_names() -> None:
    assert analyse("Thanh Hóa muốn kết nghĩa ở những vùng nào trên thế giới?").asked_kind == "vung"
    assert analyse("Which regions does Thanh Hoa target?").asked_kind == "khu vuc"
