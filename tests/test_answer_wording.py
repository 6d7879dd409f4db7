"""Readers' wording that the answering rules must read right (no model needed): the
counted thing no unit lists, a time or a request opening the question, an English word
in a Vietnamese conversation, the kind of document or place asked, one partner's share,
the side of a signatory, a list of the first few, a cause the next sentence points back
at."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import (
    has_asked_kind,
    of_the_asked_partner,
    score_segments,
    segments_of,
    select,
)
from assistant.answer.kinds import (
    asked_name_kind,
    asked_side,
    asked_subject,
    asked_unit,
    asked_unit_topic,
    asks_guiding_document,
    counted_word,
    names_of_kind,
    ranks_first,
    states_counted,
    states_unit,
)
from assistant.answer.lexicon import expansions, phrase_words
from assistant.answer.question import analyse, is_english, with_kind_of
from assistant.answer.rewrite import rewrite_followup
from assistant.answer.scope import question_scope
from assistant.core.tuning import Tuning
from assistant.core.types import Passage
from assistant.text.vietnamese import fold


def _passage(text: str, doc_id: str = "bai") -> Passage:
    return Passage(
        chunk_id=1, doc_id=doc_id, title="Bài", text=text, start=0, end=len(text), dense_score=0.6
    )


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Tòa nhà của trung tâm mới cao mấy tầng?", "tầng"),
        ("Trung tâm có mấy phòng mổ?", "phòng"),
        ("cao may tang", "tang"),
        ("Có bao nhiêu dự án?", None),  # a listed unit: required, not merely preferred
        ("Xuất khẩu đạt bao nhiêu triệu USD?", None),  # a scale, not a thing
        ("Con số đó là bao nhiêu vậy?", None),
        ("Nhà máy linh kiện có vốn bao nhiêu?", None),  # "nhà máy" is no "mấy"
    ],
)
def test_the_counted_thing_no_unit_lists(question: str, word: str | None) -> None:
    assert counted_word(question) == word


def test_a_clause_counting_the_thing_is_preferred_not_required() -> None:
    assert states_counted("gồm khối nhà 9 tầng nổi và 1 tầng hầm", "tầng")
    assert not states_counted("xuất khẩu đạt 5,2%, tăng mạnh", "tầng")  # folded alike
    text = (
        "Trung tâm khánh thành ngày 18-11-2022 với quy mô 300 giường bệnh. "
        "Công trình gồm khối nhà 9 tầng nổi và 1 tầng hầm."
    )
    q = analyse("Trung tâm cao mấy tầng?")
    segments = segments_of([_passage(text)])
    scores = []
    for tuning in (Tuning(), Tuning(counted_bonus=0.0)):
        score_segments(segments, q, {"trung_tam": 1.0}, None, None, tuning)
        scores.append([seg.score for seg in segments])
    (beds, floors), (beds_without, floors_without) = scores
    assert floors - floors_without == pytest.approx(Tuning().counted_bonus)
    assert beds == pytest.approx(beds_without)
    assert has_asked_kind(segments[0], q)  # "300 giường" stays eligible: only preferred


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Riêng nửa đầu năm 2023 Thanh Hóa xuất khẩu được bao nhiêu?", {}),
        ("Quý I năm 2024 kim ngạch xuất khẩu đạt bao nhiêu?", {"xuat_khau": "xuất khẩu"}),
        (
            "Số đó sai rồi. Bạn kiểm tra lại xem nhập khẩu 2022 thực ra là bao nhiêu?",
            {"nhap_khau": "nhập khẩu"},
        ),
        ("Báo đã đính chính rồi mà, đúng ra là bao nhiêu?", {}),
        ("Cho mình hỏi dân số Thanh Hóa là bao nhiêu?", {"dan_so": "dân số"}),
    ],
)
def test_a_time_a_request_or_a_quality_opening_the_question_names_no_measure(
    question: str, subject: dict[str, str]
) -> None:
    assert asked_subject(question) == subject


def test_an_english_phrase_replaces_its_parallel_in_a_vietnamese_conversation() -> None:
    history = [{"role": "user", "content": "Năm 2022 xuất khẩu của tỉnh Thanh Hóa được bao nhiêu?"}]
    rewrite = rewrite_followup("what about imports?", history)
    assert rewrite.query == "Năm 2022 nhập khẩu của tỉnh Thanh Hóa được bao nhiêu?"
    english = [{"role": "user", "content": "What were Thanh Hoa's exports in 2022?"}]
    assert "imports" in rewrite_followup("what about imports?", english).query


def test_a_follow_up_asking_a_document_drops_the_asked_place_kind() -> None:
    previous = analyse("Thanh Hóa xúc tiến quan hệ với tỉnh nào của Nga?")
    own = analyse("đoàn sang đó ký được văn bản gì?")
    merged = with_kind_of(previous, own)
    assert previous.named_kind is not None and merged.named_kind is None
    assert merged.asked_kind == "van ban"


def test_a_document_is_named_by_what_it_is() -> None:
    q = analyse("Hai tỉnh đã ký văn bản gì?")
    text = (
        "Đoàn gồm lãnh đạo Sở Kế hoạch và Đầu tư đã thăm tỉnh Tula. "
        "Hai bên đã ký Biên bản ghi nhớ về thúc đẩy hợp tác."
    )
    visit, memorandum = segments_of([_passage(text)])
    visit.score, memorandum.score = 1.0, 0.5
    assert select([visit], q, Tuning(), [visit, memorandum]).segments == [visit, memorandum]


def test_one_partner_is_not_answered_by_another_partners_figure() -> None:
    q = analyse("Riêng tỉnh Luông Pha Băng có bao nhiêu đoàn trao đổi với Lào?")
    (other,) = segments_of([_passage("Riêng hai tỉnh Thanh Hóa – Hủa Phăn đã tổ chức 250 đoàn.")])
    assert not of_the_asked_partner(other, q)
    (own,) = segments_of([_passage("Với tỉnh Luông Pha Băng, hai bên trao đổi 6 đoàn.")])
    assert of_the_asked_partner(own, q)


def test_a_partners_capital_and_other_spellings_are_that_partner() -> None:
    q = analyse("Hội đàm thường niên giữa Thanh Hóa và Hủa Phăn năm 2022 diễn ra hôm nào?")
    (capital,) = segments_of([_passage("Chiều 15-6-2022, tại thủ phủ Sầm Nưa, hai đoàn hội đàm.")])
    assert of_the_asked_partner(capital, q)
    english = analyse("How many delegations did Thanh Hoa exchange with Luang Prabang?")
    (spelled,) = segments_of([_passage("Với tỉnh Luông Pha Băng, hai bên trao đổi 6 đoàn.")])
    assert of_the_asked_partner(spelled, english)


def test_english_kinds_of_places() -> None:
    kind = asked_name_kind("Which Japanese prefecture cooperates with Nghe An?")
    assert kind is not None and kind.forms == ("tỉnh",) and kind.place


def test_names_after_a_kind_and_a_modifier() -> None:
    text = "các huyện biên giới Mường Lát, Quan Sơn (Thanh Hóa) và Xăm Tảy duy trì giao ban"
    assert [text[a:b] for a, b in names_of_kind(text, ("huyện",))] == ["Mường Lát", "Quan Sơn"]
    listed = "các tỉnh của Lào (Hủa Phăn, Xiêng Khoảng)"  # "của" is no modifier
    assert [listed[a:b] for a, b in names_of_kind(listed, ("tỉnh",))] == [
        "Hủa Phăn",
        "Xiêng Khoảng",
    ]


def test_the_leaders_of_the_asked_province_are_its_side() -> None:
    assert asked_side("Ai là lãnh đạo tỉnh Thanh Hóa đã ký thỏa thuận với Hủa Phăn?") == (
        "thanh hoa"
    )
    assert asked_side("Lãnh đạo UBND tỉnh đã tiếp ai?") is None


def test_the_first_few_are_those_having_many() -> None:
    clause = "Các địa phương có nhiều người đi làm việc ở nước ngoài là các huyện Quảng Xương."
    assert ranks_first(clause, several=True) and not ranks_first(clause)
    assert ranks_first("Nhật Bản là thị trường lớn nhất.")


def test_capital_asked_right_before_how_much() -> None:
    assert asked_unit_topic("lọc hóa dầu nghi sơn tổng vốn đầu tư bao nhiêu tỷ đô vậy?")
    assert not asked_unit_topic("xuất khẩu bao nhiêu tỷ đô?")


def test_the_readers_acronym_for_foreign_ngos() -> None:
    question = "Nghệ An nhận bao nhiêu tiền từ các tổ chức NGO nước ngoài?"
    assert "phi chính phủ nước ngoài" in expansions(question, english=False)
    assert "ngo" in phrase_words(question, english=False)  # no name the answer must hold
    assert not expansions("Giá ngô bao nhiêu?", english=False)  # corn, as typed


def test_a_search_box_query_with_an_english_word_is_english() -> None:
    assert is_english("remittances Thanh Hoa 2021")
    assert not is_english("fdi thanh hoa 2023")  # the acronym is both languages'
    assert not is_english("kieu hoi thanh hoa 2021")


def test_a_guiding_document_is_dated_by_its_issue() -> None:
    question = (
        "Which Party Secretariat directive did Thanh Hoa follow in 2016-2021, and when was "
        "it issued?"
    )
    assert asks_guiding_document(fold(question).lower())
    assert not asks_guiding_document(fold("Đoàn đã ký được văn bản gì?").lower())


def test_a_look_back_is_a_summary() -> None:
    assert analyse("Điểm lại giúp mình cuộc hội đàm có gì đáng chú ý?").broad
    assert analyse("Nói ngắn gọn cả năm 2025 kinh tế đối ngoại của Thanh Hóa ra sao?").broad


def test_the_sentence_a_so_points_back_at_is_the_cause() -> None:
    text = (
        "Tỉnh đã thành lập tổ công tác thúc đẩy hợp tác đầu tư nước ngoài. "
        "Nhờ đó, thị trường xuất khẩu của tỉnh ngày càng mở rộng. "
        "Năm 2020 tỉnh đón 40 đoàn."
    )
    cause, fact, other = segments_of([_passage(text)])
    q = analyse("Nhờ đâu mà thị trường xuất khẩu ngày càng mở rộng?")
    assert q.wants_reason
    fact.score, cause.score, other.score = 1.0, 0.2, 0.3
    assert select([fact], q, Tuning(), [cause, fact, other]).segments == [cause, fact]


def test_half_of_a_year_is_scoped_as_such() -> None:
    question = "Riêng nửa đầu năm 2023 Thanh Hóa xuất khẩu được bao nhiêu?"
    scope = question_scope(question, [], "Thanh Hóa")
    assert scope.part == "6 thang" and scope.periods == ((2023, 2023),)


def test_a_list_of_a_measures_items_is_held_to_the_measure() -> None:
    scope = question_scope("Kể tên các dự án FDI của Hàn Quốc năm 2023.", [], "Thanh Hóa")
    assert scope.measure_terms  # a clause on Korea's workers lists no investment
    assert not question_scope("Kể tên các tỉnh của Lào.", [], "Thanh Hóa").measure_terms


def test_officials_asked_as_readers_address_them() -> None:
    assert analyse("Lãnh đạo tỉnh tiếp đoàn hôm đó là đồng chí nào?").wants_person
    assert analyse("Vị nào dẫn đầu đoàn Seongnam?").wants_person


def test_a_relative_clause_ends_the_subject() -> None:
    assert asked_subject("Con số chính xác mà tòa soạn đề nghị sử dụng là bao nhiêu?") == {}


def test_a_stock_asked_is_the_total_it_was_brought_to() -> None:
    from assistant.answer.lead import answer_lead

    clause = (
        "Năm học 2022-2023, tỉnh tiếp nhận 210 lưu học sinh mới của Hủa Phăn, nâng tổng số "
        "lưu học sinh Hủa Phăn đang học tập tại các trường lên 680 người"
    )
    lead = answer_lead(
        analyse("Hiện có bao nhiêu sinh viên Hủa Phăn đang theo học ở Sơn La?"), clause
    )
    assert lead is not None and lead.text.startswith("680")


def test_a_one_word_country_after_going_somewhere() -> None:
    from assistant.text.names import names_in_lowercase

    nothing: set[str] = set()
    assert names_in_lowercase(
        "năm 2023 có bao nhiêu lao động sang đức làm việc", lambda _: nothing
    ) == ["đức"]
    assert names_in_lowercase("đạo đức nghề báo", lambda _: nothing) == []


def test_a_specific_date_asked_is_a_date_not_a_manner() -> None:
    q = analyse("Biên bản ghi nhớ được ký vào ngày cụ thể nào?")
    assert q.wants_date and not q.wants_manner


def test_a_kind_of_document_is_no_name_and_a_given_date_no_requirement() -> None:
    from assistant.answer.refusal import requirements
    from assistant.text.names import name_runs

    question = "Đoàn ở Tula từ 18 đến 22-9-2023, nhưng Biên bản ghi nhớ được ký ngày nào?"
    assert name_runs(question) == ["Tula"]
    required = requirements(analyse(question), ["thanh hoa"], lambda t: dict.fromkeys(t, 1))
    assert required.figures == {}


def test_a_plan_years_talks_report_on_the_year_they_are_held() -> None:
    from assistant.answer.scope import period_covered
    from assistant.core.types import ArticleScope

    talks = ArticleScope(["Thanh Hóa"], ["thanh hoa"], [(2024, 2024), (2023, 2023)])
    sentence = "Trong năm, Thanh Hóa đã trao tặng 500 tấn gạo"
    for year, covered in ((2023, True), (2024, False)):
        scope = question_scope(f"Năm {year} Thanh Hóa tặng bao nhiêu tấn gạo?", [], "Thanh Hóa")
        assert period_covered(scope, talks, sentence) is covered


def test_a_documents_number_asked_after_it() -> None:
    from assistant.answer.kinds import asked_code_issuer, asks_document_code

    question = fold("Kế hoạch của UBND tỉnh thực hiện Nghị quyết 22 ban hành ngày nào, số mấy?")
    assert asks_document_code(question.lower()) and asked_code_issuer(question.lower()) == "UBND"
    assert not asks_document_code(fold("Năm 2023 tỉnh đón bao nhiêu đoàn, số mấy?").lower())


def test_a_day_asked_is_not_answered_by_a_year() -> None:
    q = analyse("Bài tổng kết gốc được đăng ngày nào?")
    (year,) = segments_of([_passage("Giá trị nhập khẩu tăng so với năm 2021 do giá dầu tăng.")])
    (day,) = segments_of([_passage("Bài viết gốc được đăng ngày 4-1-2023 trên báo điện tử.")])
    assert not has_asked_kind(year, q)
    assert has_asked_kind(day, q)
    assert has_asked_kind(year, analyse("Giá trị nhập khẩu tăng so với năm nào?"))


def test_a_date_setting_the_event_is_found_anywhere_in_its_article() -> None:
    from assistant.answer.refusal import requirements

    q = analyse("Tại hội đàm ngày 17-12-2019 ở Sầm Nưa, người phát biểu phía Hủa Phăn là ai?")
    required = requirements(q, ["thanh hoa"], lambda t: dict.fromkeys(t, 1))
    assert required.figures == {}
    assert "17_12_2019" in required.located


def test_a_cue_of_several_words_ends_with_a_word() -> None:
    q = analyse("Thanh Hóa trao đổi đoàn với mấy tỉnh bên Lào, kể tên giùm mình với")
    assert not q.wants_person  # "tên giùm" is no "tên gì"
    assert analyse("Người dẫn đầu đoàn Seongnam tên gì?").wants_person


def test_then_a_place_what_about_it() -> None:
    history = [{"role": "user", "content": "Năm 2023 Thanh Hóa có bao nhiêu người đi làm việc?"}]
    assert rewrite_followup("thế Nghệ An thì sao", history).query == (
        "Năm 2023 Nghệ An có bao nhiêu người đi làm việc?"
    )
    korea = [{"role": "user", "content": "Năm 2023 lao động sang Đài Loan bao nhiêu người?"}]
    assert rewrite_followup("what about Japan?", korea).query == (
        "Năm 2023 lao động sang Nhật Bản bao nhiêu người?"
    )


def test_a_tag_in_brackets_ends_like_a_sentence() -> None:
    from assistant.text.names import name_runs

    assert name_runs("[tom-tat-tu-dong] Tóm tắt các kết quả của Thanh Hóa") == ["Thanh Hóa"]


def test_a_passive_agent_or_an_appositive_is_found_anywhere_in_its_article() -> None:
    from assistant.answer.refusal import requirements

    def located(question: str) -> set[str]:
        required = requirements(analyse(question), ["thanh hoa"], lambda t: dict.fromkeys(t, 1))
        return set(required.located)

    assert "unesco" in located("Năm 2023, tòa thành được UNESCO ghi danh đón bao nhiêu khách?")
    appositive = (
        "Hà Tĩnh, tỉnh ký thỏa thuận hợp tác giai đoạn 2021-2025 với Khăm Muồn tại Thà Khẹc,"
        " đến hết năm 2020 có bao nhiêu dự án FDI còn hiệu lực?"
    )
    assert {"kham_muon", "tha_khec"} <= located(appositive)
    # the subject set out before the question is no description: it must be there
    assert "hang_day" not in located("Vòng 10 Đông Á làm khách ở sân Hàng Đẫy, tỷ số mấy?")


def test_the_clause_that_asks_gives_the_period() -> None:
    appositive = (
        "Hà Tĩnh, tỉnh ký thỏa thuận hợp tác giai đoạn 2021-2025 với Khăm Muồn,"
        " đến hết năm 2020 có bao nhiêu dự án FDI còn hiệu lực?"
    )
    scope = question_scope(appositive, [], "Thanh Hóa")
    assert scope.periods == () and scope.until == (2020,)
    plain = question_scope("Năm 2023, Thanh Hóa xuất khẩu bao nhiêu?", [], "Thanh Hóa")
    assert plain.periods == ((2023, 2023),)


def test_a_school_year_is_about_both_its_years() -> None:
    from assistant.answer.scope import own_periods

    periods = own_periods("Năm học 2022-2023, tỉnh tiếp nhận 210 lưu học sinh mới.")
    assert (2022, 2022) in periods and (2023, 2023) in periods
    assert (2022, 2022) not in own_periods("Giai đoạn 2022-2023, tỉnh tiếp nhận 210 người.")


def test_a_length_asked_is_a_length() -> None:
    from assistant.answer.kinds import LENGTH, measured_in

    assert measured_in("Cầu chính dài bao nhiêu?") == LENGTH
    assert measured_in("Tula cách Mát-xcơ-va bao xa?") == LENGTH
    assert measured_in("Dự án kéo dài mấy năm?") != LENGTH


def test_a_count_the_question_gives_is_no_list_of_its_items() -> None:
    from assistant.answer.extractive import only_counts

    q = analyse("Kể tên 7 doanh nghiệp Thanh Hóa đi cùng đoàn sang Tula.")
    (counts,) = segments_of([_passage("Đoàn gồm lãnh đạo tỉnh và đại diện 7 doanh nghiệp.")])
    (lists,) = segments_of([_passage("Có 7 doanh nghiệp tham gia, gồm Công ty A, Công ty B.")])
    (where,) = segments_of([_passage("Đại diện 7 doanh nghiệp đã làm việc tại Tula (Nga).")])
    assert only_counts(counts, q) and only_counts(where, q)
    assert not only_counts(lists, q)
    in_brackets = "Có 260 hoạt động với các địa phương của Lào (Hủa Phăn, Xiêng Khoảng)."
    (listed,) = segments_of([_passage(in_brackets)])
    assert not only_counts(listed, analyse("260 hoạt động đó là với những tỉnh nào?"))
    # a count that only qualifies ("trẻ em dưới 5 tuổi") asks for no items
    (age,) = segments_of([_passage("Quỹ A tài trợ dự án dinh dưỡng cho trẻ em dưới 5 tuổi.")])
    assert not only_counts(age, analyse("Tổ chức nào tài trợ dự án cho trẻ dưới 5 tuổi?"))


def test_english_words_in_a_vietnamese_question_are_translated() -> None:
    mixed = "Trong 3 năm 2021-2023, tổng remittances chuyển về Thanh Hóa là bao nhiêu?"
    assert "kiều hối" in expansions(mixed, english=False)
    assert "remittances" in phrase_words(mixed, english=False)
    # a short word typed without marks may be Vietnamese: left alone
    assert expansions("xuat khau nam 2023 bao nhieu", english=False) == []


def test_a_terse_keyword_question_asks_a_figure() -> None:
    assert analyse("Thanh Hoa remittances 2019?").wants_number
    assert not analyse("Thanh Hóa có tham gia hội chợ xuất khẩu nào ở Hàn Quốc không?").wants_number


def test_chat_particles_and_foreign_words_weigh_nothing() -> None:
    from assistant.answer.extractive import query_weights

    def weights(question: str) -> dict[str, float]:
        return query_weights(question, question, lambda terms: {"nhap": 5}, 100, Tuning())

    chatty = weights("Năm 2023 sang Nhật bao nhiêu người vậy nhỉ, phải không?")
    assert not {"vay", "nhi", "phai", "khong", "phai_khong"} & chatty.keys()
    assert "nhat" in chatty
    # "vay" typed without marks may be a loan: kept
    assert "vay" in weights("lao dong vay von bao nhieu")
    mixed = weights("Còn nhập khẩu năm đó, did they go up?")
    assert "nhap" in mixed and not {"did", "they", "go", "up"} & mixed.keys()
    english = weights("Which trades does the plan between Thanh Hóa and Mittelsachsen cover?")
    assert "trades" in english


def test_a_target_asked_leads_with_the_target() -> None:
    from assistant.answer.lead import answer_lead

    clause = "Xuất khẩu 3 năm đạt 14.927,9 triệu USD, bằng 57,4% mục tiêu 26.000 triệu USD."
    target = answer_lead(
        analyse("Cả giai đoạn tỉnh đặt chỉ tiêu xuất khẩu bao nhiêu tiền?"), clause
    )
    assert target is not None and target.text == "26.000 triệu USD"
    share = answer_lead(analyse("Xuất khẩu đã hoàn thành được bao nhiêu phần chỉ tiêu?"), clause)
    assert share is not None and share.text == "57,4%"


def test_the_worth_of_each_is_not_the_total_of_several() -> None:
    from assistant.answer.kinds import asks_worth_of_each, states_worth_of_each

    assert asks_worth_of_each("Mỗi chiếc xe cứu thương mà Seongnam tặng trị giá bao nhiêu?")
    assert not asks_worth_of_each("Seongnam tặng xe cứu thương trị giá bao nhiêu?")
    assert not states_worth_of_each("Seongnam trao tặng 2 xe cứu thương trị giá 180.000 USD.")
    assert states_worth_of_each("Mỗi xe trị giá 90.000 USD.")


def test_the_part_of_a_goal_is_a_goal() -> None:
    from assistant.answer.kinds import is_target

    clause = (
        "Năm 2023, Ban Quản lý phấn đấu thu hút khoảng 35 dự án, trong đó có ít nhất 8 dự án FDI"
    )
    assert is_target(clause, clause.index("35")) and is_target(clause, clause.index("8 dự"))
    reached = "Năm 2023, tỉnh thu hút 35 dự án, trong đó có 8 dự án FDI"
    assert not is_target(reached, reached.index("8 dự"))


def test_a_why_question_read_back_is_no_answer() -> None:
    from assistant.answer.extractive import restated_without_cause

    q = analyse("Vì sao giai đoạn 2016-2020 tỉnh chỉ đạt 92,02% kế hoạch đưa lao động đi?")
    (read_back,) = segments_of([_passage("Toàn tỉnh có 46.101 người đi (đạt 92,02% kế hoạch).")])
    (cause,) = segments_of([_passage("Tỉnh chỉ đạt 92,02% kế hoạch do dịch COVID-19 kéo dài.")])
    assert restated_without_cause([read_back], q)
    assert not restated_without_cause([read_back, cause], q)
    assert not restated_without_cause([read_back], analyse("Tỉnh đạt bao nhiêu % kế hoạch?"))


def test_readers_ways_of_asking_why_how_and_who() -> None:
    assert analyse("Tỉnh đạt tỷ lệ đỗ 98,68% nhờ những cách làm nào?").wants_reason
    assert analyse("Các trường đã ôn tập bằng những cách nào?").wants_manner
    assert analyse("In the 2023 derby against Nghệ An, who scored the winning goal?").wants_person
    assert not analyse("How many workers who went abroad came back?").wants_person
    assert asked_subject("Số liệu mới nhất về lượng khách du lịch là bao nhiêu?") == {
        "khach": "khách"
    }


def test_a_plan_is_no_outcome_and_done_is_finished() -> None:
    from assistant.answer.extractive import foretells_only

    q = analyse("Ở vòng 10, Đông Á làm khách trên sân Hàng Đẫy và có kết quả thế nào?")
    (plan,) = segments_of([_passage("Ở vòng 10, Đông Á sẽ làm khách trên sân Hàng Đẫy.")])
    (played,) = segments_of([_passage("Ở vòng 9, Đông Á thắng Sông Lam Nghệ An tỷ số 2-1.")])
    assert foretells_only(plan, q) and not foretells_only(played, q)
    assert not foretells_only(plan, analyse("Ở vòng 10, Đông Á sẽ làm khách ở đâu?"))
    assert analyse("Thế bao giờ thì cầu xong vậy?").events == ("hoàn thành",)


@pytest.mark.parametrize(
    ("question", "stated", "not_stated"),
    [
        (
            "Doanh nghiệp ký được bao nhiêu hợp đồng thương mại?",
            "ký 3 hợp đồng thương mại",
            "cùng đại diện 7 doanh nghiệp",
        ),
        (
            "Mỗi năm Seongnam cấp bao nhiêu suất học bổng?",
            "cấp 20 suất học bổng",
            "hợp tác trong 5 lĩnh vực",
        ),
        (
            "Xuất khẩu lớn hơn bao nhiêu lần năm 2010?",
            "gấp 2,5 lần năm 2010",
            "đạt 14.081,67 triệu USD",
        ),
    ],
)
def test_the_counted_thing_a_unit_lists_must_be_stated(
    question: str, stated: str, not_stated: str
) -> None:
    forms = asked_unit(question)
    assert forms and states_unit(stated, forms) and not states_unit(not_stated, forms)


def test_the_name_of_a_role_holder_asks_for_a_person() -> None:
    assert analyse("What is the name of the Governor of Farwaniyah province?").wants_person
    assert not analyse("What is the name of the province that signed the deal?").wants_person


def test_a_vietnamese_name_in_brackets_keeps_a_question_english() -> None:
    assert is_english("How many delegations did Thanh Hoa and Houaphanh (Hủa Phăn) exchange?")


def test_goods_bought_from_a_partner_are_its_imports() -> None:
    question = "Năm 2023, hàng hóa Thanh Hóa nhập từ Lào qua cửa khẩu Na Mèo trị giá bao nhiêu?"
    added = expansions(question, False)
    assert "nhập khẩu" in added
    scope = question_scope(question, {"thanh hoa", "lao"}, "Thanh Hóa", added)
    assert scope.measure_terms == ("nhap_khau",)
    assert "xuất khẩu" in expansions("Thanh Hóa xuất hàng sang Nhật Bản bao nhiêu?", False)
    moved = "Các tập đoàn dịch chuyển sản xuất sang Việt Nam, tỉnh chuẩn bị gì?"
    assert "xuất khẩu" not in expansions(moved, False)
    assert "nhập khẩu" not in expansions("Việt Nam gia nhập từ năm nào?", False)
    # what a partner wants to buy is what it needs to import
    wanted = expansions("Đoàn Farwaniyah nói tỉnh họ cần nhập những mặt hàng gì?", False)
    assert "có nhu cầu nhập khẩu" in wanted


def test_a_vietnamese_province_asked_is_one_of_the_whole_country() -> None:
    places = {"thanh hoa", "viet nam", "quang ninh"}
    asked = "Which Vietnamese province attracted the most foreign investment in 2023?"
    assert question_scope(asked, places, "Thanh Hóa").places == ("viet nam",)
    own = "Which province signed an agreement with Thanh Hoa in 2023?"
    assert question_scope(own, places, "Thanh Hóa").places == ("thanh hoa",)
