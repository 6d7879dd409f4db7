"""With the real model, over a corpus that looks like a portal (the sample article and
the synthetic portal of corpus/synthetic/): the right article for the asked place and
period, the newest when none is asked, corrections first, and answers about the sample
article that do not change when unrelated articles join the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer.assistant import Assistant
from assistant.core.config import get_settings
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import open_index

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]


def _cites_only(answer, doc_id: str, figure: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.answerable, answer.answer
    assert figure in answer.answer
    assert {c.doc_id for c in answer.citations} == {doc_id}, answer.citations


def test_a_province_is_answered_from_its_own_articles(assistant) -> None:  # type: ignore[no-untyped-def]
    own = assistant.ask("Giai đoạn 2016-2020, Thanh Hóa thu hút bao nhiêu dự án FDI?")
    _cites_only(own, "thanh-hoa-doi-ngoai", "79")
    other = assistant.ask("Nghệ An thu hút bao nhiêu dự án FDI trong giai đoạn 2016-2020?")
    _cites_only(other, "syn-nghe-an-doi-ngoai-2016-2020", "58")
    assert other.scope["places"] == ["Nghệ An"]


def test_a_part_of_a_measure_the_articles_do_not_give_is_refused_and_named(assistant) -> None:  # type: ignore[no-untyped-def]
    # the review gives all workers abroad in 2022 (and their rise in %), not the women
    answer = assistant.ask(
        "Năm 2022, lao động nữ chiếm bao nhiêu phần trăm số người Thanh Hóa "
        "đi làm việc ở nước ngoài?"
    )
    assert not answer.answerable and "“lao động nữ”" in answer.answer
    whole = assistant.ask("Năm 2022, Thanh Hóa có bao nhiêu người đi làm việc ở nước ngoài?")
    assert whole.answerable and whole.lead == "9.865 người"


def test_a_thanh_hoa_question_is_not_answered_from_a_neighbour(assistant) -> None:  # type: ignore[no-untyped-def]
    # only Sơn La's article (same Lao partner) names such a school
    answer = assistant.ask("Thanh Hóa hỗ trợ xây dựng trường học nào cho tỉnh Hủa Phăn năm 2022?")
    assert all(not c.doc_id.startswith("syn-pt-son-la") for c in answer.citations)


def test_a_refusal_offers_the_asked_measure_in_years_the_articles_cover(assistant) -> None:  # type: ignore[no-untyped-def]
    refused = assistant.ask("Kim ngạch xuất khẩu của Thanh Hóa năm 2030 đạt bao nhiêu?")
    assert not refused.answerable and refused.suggestions
    assert "xuất khẩu" in refused.suggestions[0]
    for suggestion in refused.suggestions:
        assert assistant.ask(suggestion).answerable, suggestion
    elsewhere = assistant.ask("Nghệ An có bao nhiêu sân bay quốc tế năm 2030?")
    assert all("Nghệ An" in s for s in elsewhere.suggestions), elsewhere.suggestions


def test_the_asked_year_is_answered_from_that_years_review(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Kim ngạch nhập khẩu của Thanh Hóa năm 2019 đạt bao nhiêu?")
    _cites_only(answer, "syn-rv-tong-ket-2019", "3.912,8")


def test_no_period_means_the_newest_article_and_says_so(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Kim ngạch xuất khẩu mới nhất của Thanh Hóa là bao nhiêu?")
    _cites_only(answer, "syn-rv-tong-ket-2025", "6.935,2")
    assert answer.answer.startswith("Theo bài đăng ngày 6-1-2026")


def test_a_correction_supersedes_the_figure_it_corrects(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Kim ngạch nhập khẩu của Thanh Hóa năm 2022 là bao nhiêu?")
    _cites_only(answer, "syn-rv-dinh-chinh-nhap-khau-2022", "6.042,9")
    assert "6.420,9" not in answer.answer
    assert answer.answer.startswith("Theo đính chính")


def test_a_correction_of_another_measure_does_not_supersede_the_asked_one(assistant) -> None:  # type: ignore[no-untyped-def]
    # the 2022 correction restates imports; remittances of 2022 are the review's figure
    answer = assistant.ask("kieu hoi chuyen ve thanh hoa nam 2022 la bao nhieu")
    _cites_only(answer, "syn-rv-tong-ket-2022", "214 triệu USD")


def test_a_locality_the_articles_do_not_name_is_refused_with_what_they_say(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Thanh Hóa có quan hệ hợp tác với những địa phương nào của Nhật Bản?")
    assert not answer.answerable
    assert "“Nhật Bản”" in answer.answer and "không nêu tên địa phương" in answer.answer
    (citation,) = answer.citations
    assert "Nhật Bản" in citation.quote  # what the articles do say about Japan, cited


def test_the_first_years_of_a_span_are_the_mid_term_reviews(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Ba năm đầu của chương trình hội nhập 2021-2025, tỉnh đã đưa bao nhiêu người "
        "ra nước ngoài làm việc?"
    )
    _cites_only(answer, "syn-rv-so-ket-hoi-nhap-2021-2023", "26.668")


def test_a_summary_goes_on_into_the_next_chunk_of_its_paragraph(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Tóm tắt các hoạt động ngoại giao văn hóa của tỉnh.")
    assert answer.answerable and "UNESCO" in answer.answer
    quotes = [c.quote for c in answer.citations]
    assert quotes[0].startswith("Đối với công tác ngoại giao văn hóa")  # in the article's order


def test_the_answer_leads_with_the_figure_the_quote_states(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?")
    assert answer.lead == "14.081,67 triệu USD" and answer.lead in answer.citations[0].quote
    assert answer.answer.startswith("14.081,67 triệu USD [1].\n")


def test_the_date_before_an_undated_signing_dates_it(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Thanh Hóa và tỉnh Tula ký biên bản ghi nhớ ngày nào?")
    _cites_only(answer, "syn-pt-thanh-hoa-tula-2023", "20-9-2023")
    assert answer.lead == "20-9-2023"
    assert any("ký Biên bản ghi nhớ" in c.quote for c in answer.citations)


def test_the_half_year_is_answered_from_the_half_year_review(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "6 tháng đầu năm 2025 Thanh Hóa có bao nhiêu người đi làm việc ở nước ngoài?"
    )
    _cites_only(answer, "syn-rv-6-thang-2025", "6.382")


def test_latest_takes_the_newest_review_stating_the_measure(assistant) -> None:  # type: ignore[no-untyped-def]
    """Each year words the figure a little differently; the newest yearly review still
    wins, and "hiện nay" takes the newest article whatever part of the year it covers."""
    share = assistant.ask(
        "Theo số liệu mới nhất, kim ngạch xuất khẩu của Thanh Hóa đạt bao nhiêu phần trăm "
        "kế hoạch năm?"
    )
    _cites_only(share, "syn-rv-tong-ket-2025", "101,2%")
    stock = assistant.ask("Hiện nay toàn tỉnh Thanh Hóa có bao nhiêu cơ sở lưu trú du lịch?")
    _cites_only(stock, "syn-nw-thanh-hoa-du-lich-9-thang-2024", "1.287")


def test_a_goal_does_not_answer_a_question_about_a_result(assistant) -> None:  # type: ignore[no-untyped-def]
    achieved = assistant.ask(
        "Năm 2024 Ninh Bình thực tế đã đón được bao nhiêu lượt khách Hàn Quốc?"
    )
    assert not achieved.answerable, achieved.answer
    goal = assistant.ask("Năm 2024 Ninh Bình đặt mục tiêu đón bao nhiêu lượt khách Hàn Quốc?")
    assert goal.answerable and "120.000" in goal.answer


def test_the_whole_year_is_not_answered_with_nine_months(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Cả năm 2024 Thanh Hóa đón tổng cộng bao nhiêu lượt khách du lịch?")
    assert not answer.answerable, answer.answer


def test_a_figure_beside_a_list_of_countries_is_none_of_theirs(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Năm 2017 có bao nhiêu người Thanh Hóa đi làm việc ở Nhật Bản?")
    assert "8.714" not in answer.answer, answer.answer  # "… chủ yếu tại Nhật Bản, Đài Loan"


def test_an_english_country_adjective_must_be_the_figures_country(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "How many new FDI projects did Chinese investors register in Vietnam in 2023?"
    )
    _cites_only(answer, "syn-nw-fdi-ca-nuoc-2023", "756")


def test_an_english_answer_leads_with_what_was_asked_and_the_figure(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("How much in remittances did Vietnam receive in 2024?")
    assert answer.answer.startswith("Remittances: 16,12 tỷ USD [1].\n"), answer.answer
    assert answer.lead in answer.citations[0].quote


def test_english_trade_words_name_the_measure(assistant) -> None:  # type: ignore[no-untyped-def]
    # "sell" is exporting: the clause stating exports, not the gate's total trade
    answer = assistant.ask(
        "How much did Thanh Hoa sell to Laos through the Na Meo border crossing in 2023?"
    )
    _cites_only(answer, "syn-na-meo-thuong-mai-2023", "22,3 triệu USD")
    assert "xuất khẩu" in answer.scope["expansions"] and answer.scope["measure"] == ["xuat_khau"]


def test_an_english_partner_name_is_spelt_as_the_articles_spell_it(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "What was the exact date of the 2023 annual talks between Thanh Hoa and Houaphanh?"
    )
    assert "Hủa Phăn" in answer.query, answer.query
    assert answer.lead == "15-12-2023", answer.answer


def test_a_named_measure_is_not_answered_with_another_one(assistant) -> None:  # type: ignore[no-untyped-def]
    # the national 2025 piece gives exports (468,35 tỷ USD) and the FDI sector's share of
    # them, never the registered FDI capital
    answer = assistant.ask("Năm 2025, tổng vốn FDI đăng ký vào Việt Nam đạt bao nhiêu?")
    assert not answer.answerable, answer.answer
    surplus = assistant.ask("How big was Vietnam's trade surplus in goods in 2025?")
    assert surplus.answerable and surplus.lead == "11,93 tỷ USD", surplus.answer
    money = assistant.ask("How much money did tourism bring Thanh Hoa in 2019?")
    assert money.lead == "16.870 tỷ đồng", money.answer  # not the 9,65 triệu lượt visitors


def test_new_projects_are_not_the_cumulative_stock(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("How much new FDI capital did Thanh Hoa license in 2020 alone?")
    assert not answer.answerable and "14,35" not in answer.answer, answer.answer


def test_a_deputy_does_not_answer_for_the_role(assistant) -> None:  # type: ignore[no-untyped-def]
    # the article names Seongnam's deputy mayor only ("thành phố" is no "phó")
    answer = assistant.ask("Thị trưởng thành phố Seongnam (Hàn Quốc) hiện nay tên là gì?")
    assert not answer.answerable, answer.answer


def test_a_total_asked_leads_with_the_total(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "In the 2022-2023 school year, how many Houaphanh students in total were studying "
        "in Son La?"
    )
    assert answer.lead == "680 người", answer.answer


def test_a_search_box_query_naming_a_measure_gets_its_figure(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("tổng mức đầu tư cầu Thiệu Định")
    assert answer.lead == "1.186 tỷ đồng", answer.answer


def test_the_newest_review_is_not_outscored_by_a_correction(assistant) -> None:  # type: ignore[no-untyped-def]
    # the 2022 correction restates imports in the asked words; the newest review wins
    answer = assistant.ask("Con số nhập khẩu cả năm gần nhất của tỉnh Thanh Hóa là bao nhiêu?")
    assert answer.lead == "7.108,6 triệu USD", answer.answer
    remittances = assistant.ask(
        "What is the latest yearly figure for remittances sent back to Thanh Hoa?"
    )
    assert remittances.lead == "285 triệu USD", remittances.answer


def test_a_question_in_readers_words_finds_the_clause(assistant) -> None:  # type: ignore[no-untyped-def]
    # "khi" opens a clause of the question, "công nhân" are the article's "lao động", the
    # industrial park locates the factory (its name need not be in the answering clause)
    jobs = assistant.ask(
        "Nhà máy của tập đoàn Nhật dựng ở khu công nghiệp Hoàng Long khi chạy ổn định "
        "sẽ nuôi sống bao nhiêu công nhân người địa phương?"
    )
    assert jobs.lead == "khoảng 2.400 lao động", jobs.answer
    gift = assistant.ask(
        "What was the value of the ambulances Seongnam gave to the Hoang Hoa district "
        "hospital when its delegation came in 2022?"
    )
    assert gift.lead == "180.000 USD" and gift.answer.startswith("Value:"), gift.answer
    # UNESCO's "ghi danh" is the "công nhận" asked; "vùng Vịnh" only says where
    listed = assistant.ask("thanh nha ho duoc unesco cong nhan di san the gioi ngay nao")
    assert listed.lead == "27-6-2011", listed.answer
    gulf = assistant.ask(
        "Khu lọc hóa dầu ở Nghi Sơn có tập đoàn dầu mỏ của nước nào vùng Vịnh bỏ vốn vào?"
    )
    assert gulf.answerable and "Cô-oét" in gulf.answer, gulf.answer
    covid = assistant.ask(
        "Năm 2021, giữa lúc dịch COVID, Thanh Hóa tiếp bao nhiêu đoàn khách nước ngoài?"
    )
    assert covid.lead == "14 đoàn", covid.answer


def test_a_summary_of_a_period_is_the_review_of_that_period(assistant) -> None:  # type: ignore[no-untyped-def]
    # the 2019 talks' article reports on 2019 and 2020, not on the asked 2016-2021
    answer = assistant.ask(
        "Tóm tắt kết quả hợp tác giữa Thanh Hóa và Hủa Phăn giai đoạn 2016-2021."
    )
    assert {c.doc_id for c in answer.citations} == {"thanh-hoa-doi-ngoai"}, answer.answer


def test_a_way_asked_is_quoted_with_all_its_clauses(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Thanh Hóa đã chuẩn bị như thế nào để đón làn sóng đầu tư nước ngoài dịch chuyển?"
    )
    assert "tổ công tác" in answer.answer and "danh mục dự án" in answer.answer, answer.answer
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)  # the clauses in the article's order


def test_an_english_question_about_a_person_finds_the_signer(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("who signed the MoU with Nghe An for Toyama prefecture")
    assert "Takeda Kenji" in answer.answer, answer.answer
    listed = assistant.ask(
        "Which Lao provinces did Thanh Hoa exchange delegations with between 2016 and 2021?"
    )
    assert all(name in listed.answer for name in ("Xiêng Khoảng", "Luông Pha Băng")), listed


def test_a_list_asked_besides_some_items_gives_the_others(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Năm 2023, ngoài Nhật Bản, Đài Loan và Hàn Quốc, lao động Thanh Hóa còn đi những "
        "thị trường nào?"
    )
    assert "Singapore" in answer.answer, answer.answer


def test_the_items_asked_are_read_past_the_retrieved_paragraph(assistant) -> None:  # type: ignore[no-untyped-def]
    # the signing opens the article; the fields agreed stand in a later paragraph
    answer = assistant.ask(
        "Hồi ký thỏa thuận năm 2019, Ninh Bình với thành phố Andong thống nhất hợp tác các "
        "lĩnh vực gì?"
    )
    assert "bảo tồn di sản" in answer.answer and "nông nghiệp" in answer.answer, answer.answer


def test_an_english_question_on_a_party_document_finds_it(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "What is the number of the Government resolution issuing the action programme for "
        "the Politburo's Resolution 22?"
    )
    assert "31-NQ/CP" in answer.answer, answer.answer


def test_a_summary_of_an_article_draws_on_its_later_paragraphs(assistant) -> None:  # type: ignore[no-untyped-def]
    # the signing opens the article; the trades and the funding come paragraphs later
    answer = assistant.ask(
        "Tóm tắt giúp tôi kế hoạch đào tạo nghề mà Thanh Hóa ký với tỉnh Mittelsachsen."
    )
    assert "2024-2027" in answer.answer and "cơ điện tử" in answer.answer, answer.answer
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)  # in the article's order


def test_the_latest_figure_is_found_however_each_year_words_it(assistant) -> None:  # type: ignore[no-untyped-def]
    # the 2022 review words it "Các thị trường … mở cửa trở lại giúp số người …: năm
    # 2022, …", the 2025 one "Năm 2025, toàn tỉnh có … người …": the same measure
    answer = assistant.ask(
        "Số người Thanh Hóa đi làm việc ở nước ngoài theo hợp đồng trong năm gần đây nhất "
        "là bao nhiêu?"
    )
    _cites_only(answer, "syn-rv-tong-ket-2025", "13.204")


def test_a_question_for_the_first_is_not_answered_by_a_list(assistant) -> None:  # type: ignore[no-untyped-def]
    # the reviews name Japan, Korea, Taiwan among the investors, never the largest one
    refused = assistant.ask("Nước nào là nhà đầu tư FDI lớn nhất vào Thanh Hóa?")
    assert not refused.answerable, refused.answer
    first = assistant.ask("Năm 2023, nước nào rót vốn FDI vào Việt Nam nhiều nhất?")
    assert "Singapore" in first.answer, first.answer


def test_a_work_handed_over_is_named_in_a_follow_up(assistant) -> None:  # type: ignore[no-untyped-def]
    history = [
        {"role": "user", "content": "Năm 2019 Thanh Hóa bàn giao công trình gì cho Hủa Phăn?"}
    ]
    answer = assistant.ask("Còn năm 2023 thì sao?", history=history)
    assert "Xăm Tảy" in answer.answer, answer.answer


def test_the_measures_taken_are_the_clauses_of_their_sentence(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Thanh Hóa đã chuẩn bị những gì để đón làn sóng đầu tư nước ngoài dịch chuyển vào Việt Nam?"
    )
    assert "tổ công tác" in answer.answer and "danh mục dự án" in answer.answer, answer.answer


def test_a_name_is_known_by_its_other_name_and_a_company_by_its_core(assistant) -> None:  # type: ignore[no-untyped-def]
    # "Thành Nhà Hồ, còn gọi là thành Tây Đô": the figure's sentence names the first
    visits = assistant.ask("Năm 2023, thành Tây Đô ở Vĩnh Lộc đón bao nhiêu lượt khách tham quan?")
    assert "158.400" in visits.answer, visits.answer
    # the article names "Công ty TNHH Akatsuki Seimitsu Việt Nam" once, the project after
    capital = assistant.ask(
        "Dự án nhà máy của Công ty TNHH Akatsuki Seimitsu Việt Nam tại Khu công nghiệp "
        "Hoàng Long có tổng vốn đầu tư bao nhiêu?"
    )
    assert capital.lead == "65 triệu USD", capital.answer


def test_a_plan_signed_is_not_the_agreement_asked_for(assistant) -> None:  # type: ignore[no-untyped-def]
    # the 2022 visit signed a plan under an agreement signed earlier, on no date given
    refused = assistant.ask("Thanh Hóa ký thỏa thuận hợp tác với thành phố Seongnam năm nào?")
    assert not refused.answerable, refused.answer
    plan = assistant.ask("Thanh Hóa và Seongnam ký kế hoạch hợp tác 2023-2025 ngày nào?")
    assert plan.lead == "27-10-2022", plan.answer


def test_a_ranking_asked_in_english_needs_a_place_in_it(assistant) -> None:  # type: ignore[no-untyped-def]
    refused = assistant.ask("What was Thanh Hoa's national ranking for FDI in 2023?")
    assert not refused.answerable, refused.answer
    ranked = assistant.ask("What was Thanh Hoa's national ranking for FDI by the end of 2020?")
    assert "thứ 8" in ranked.answer, ranked.answer


def test_a_why_question_asking_a_figure_too_quotes_both(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Vì sao Báo Thanh Hóa phải đính chính số liệu nhập khẩu năm 2022, số đúng là bao nhiêu?"
    )
    assert "đảo vị trí" in answer.answer and "6.042,9" in answer.answer, answer.answer


SAMPLE_QUESTIONS = [
    "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt bao nhiêu?",
    "Thanh Hóa thu hút bao nhiêu dự án FDI giai đoạn 2016-2020?",
    "Chỉ thị số 41-CT/TW được ban hành ngày nào?",
    "Thanh Hóa trao đổi đoàn với những địa phương nào của Lào?",
    "thanh hoa co bao nhieu du an FDI con hieu luc den het nam 2020",
    "Which German province cooperates with Thanh Hoa?",
    "Tổng giá trị xuất khẩu của Thanh Hóa năm 2018 đạt bao nhiêu?",
    "Chủ tịch UBND tỉnh Thanh Hóa là ai?",
    "Thanh Hóa hợp tác gì với tỉnh Chăm-pa-sắc của Lào?",
]


def _unrelated_articles(count: int) -> list[dict[str, object]]:
    """Other provinces' reviews with the same structure (names and figures changed) and
    national pieces: what a portal publishes beside the sample."""
    provinces = ["Lào Cai", "An Giang", "Quảng Ngãi", "Bắc Ninh", "Phú Yên", "Gia Lai"]
    base = [
        json.loads(line)
        for name in ("portal_partners.jsonl", "distractors.jsonl")
        for line in (ROOT / "corpus" / "synthetic" / name).read_text(encoding="utf-8").splitlines()
    ]
    # about other provinces only: neither the headline nor the lead names Thanh Hóa
    others = [r for r in base if "Thanh Hóa" not in f"{r['title']} {str(r['text'])[:400]}"]
    out = []
    for i in range(count):
        record = others[i % len(others)]
        province = provinces[i % len(provinces)]
        text = str(record["text"])
        for old in ("Nghệ An", "Hà Tĩnh", "Quảng Bình", "Ninh Bình", "Sơn La", "Hòa Bình"):
            text = text.replace(old, province)
        title = f"{province}: {record['title']}"
        out.append({**record, "id": f"unrelated-{i}", "title": title, "text": text})
    return out


def test_a_figure_beside_the_asked_country_answers_in_english(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("How many Thanh Hoa workers left for jobs in Taiwan in 2023?")
    _cites_only(answer, "syn-rv-lao-dong-ngoai-nuoc-2023", "3.412")


def test_readers_spoken_questions(assistant) -> None:  # type: ignore[no-untyped-def]
    japan = assistant.ask(
        "Năm 2023, trong số người Thanh Hóa xuất cảnh đi làm thuê, có bao nhiêu người sang "
        "đất nước mặt trời mọc?"
    )
    _cites_only(japan, "syn-rv-lao-dong-ngoai-nuoc-2023", "5.836")
    history = [{"role": "user", "content": "Năm 2022 xuất khẩu của Thanh Hóa đạt bao nhiêu?"}]
    following = assistant.ask("Thế cả năm tiếp theo thì xuất khẩu đạt bao nhiêu?", history=history)
    _cites_only(following, "syn-rv-tong-ket-2023", "5.472,8")
    why = assistant.ask("Sao báo lại phải đính chính con số nhập khẩu năm 2022 của tỉnh vậy?")
    assert "sơ suất" in why.answer
    capital = assistant.ask(
        "Dự án trung tâm logistics ở Khu kinh tế Nghi Sơn được cấp phép 6 tháng đầu năm 2025 "
        "có vốn bao nhiêu?"
    )
    assert not capital.answerable, capital.answer


def test_a_correction_is_read_whole_and_its_retracted_figures_are_no_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    deficit = assistant.ask("Năm 2022 Thanh Hóa nhập siêu bao nhiêu?")
    _cites_only(deficit, "syn-rv-dinh-chinh-nhap-khau-2022", "856,5")
    history = [
        {"role": "user", "content": "Năm 2022 Thanh Hóa nhập khẩu bao nhiêu?"},
        {"role": "assistant", "content": "“Kim ngạch nhập khẩu đạt 6.420,9 triệu USD” [1]."},
    ]
    right = assistant.ask("Số đó báo đính chính rồi mà, con số đúng là bao nhiêu?", history=history)
    _cites_only(right, "syn-rv-dinh-chinh-nhap-khau-2022", "6.042,9")
    assert right.lead == "6.042,9 triệu USD"


def test_one_countrys_share_does_not_answer_for_the_whole(assistant) -> None:  # type: ignore[no-untyped-def]
    # the newer Nghệ An article gives the Japanese investors' 12 projects only
    answer = assistant.ask("Nghệ An hiện có bao nhiêu dự án FDI còn hiệu lực?")
    _cites_only(answer, "syn-pt-nghe-an-doi-ngoai-2023", "152")


def test_an_issuers_document_number_and_a_delegations_leader(assistant) -> None:  # type: ignore[no-untyped-def]
    code = assistant.ask(
        "What is the number of the Politburo resolution on international integration?"
    )
    assert code.lead == "22/NQ-TW", code.answer
    leader = assistant.ask(
        "Người dẫn đầu phía Thanh Hóa trong chuyến sang làm việc ở tỉnh Tula tháng 9-2023 "
        "tên là gì?"
    )
    assert not leader.answerable, leader.answer


def test_opinions_and_todays_news_are_refused_with_their_reason(assistant) -> None:  # type: ignore[no-untyped-def]
    opinion = assistant.ask("Theo bạn Thanh Hóa nên ưu tiên hợp tác với Hàn Quốc hay Nhật Bản?")
    assert not opinion.answerable and "ý kiến" in opinion.answer
    weather = assistant.ask("Hôm nay thời tiết ở thành phố Thanh Hóa thế nào, có mưa không?")
    assert not weather.answerable and "chưa có bài nào" in weather.answer
    assert weather.scope["as_of"]
    corrected = assistant.ask(
        "Không, ý tôi là Nghệ An",
        history=[{"role": "user", "content": "Tổng kim ngạch xuất khẩu giai đoạn 2016-2020?"}],
    )
    _cites_only(corrected, "syn-nghe-an-doi-ngoai-2016-2020", "9.512,4")


def test_unrelated_articles_never_change_answers_about_the_sample(
    tmp_path: Path,
    real_embedder,  # type: ignore[no-untyped-def]
) -> None:
    answers = []
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in _unrelated_articles(50)),
        encoding="utf-8",
    )
    for name, paths in (("small", [ROOT / "corpus" / "sample"]), ("large", [extra])):
        folder = tmp_path / "index"
        settings = get_settings(index_dir=folder)
        index = open_index(settings, real_embedder)
        Ingestor.from_settings(index, real_embedder, settings).ingest_paths(paths)
        assistant = Assistant(index, real_embedder, settings)
        answers.append([assistant.ask(q) for q in SAMPLE_QUESTIONS])
        assert name == "small" or index.counts()["documents"] == 51
    for question, small, large in zip(SAMPLE_QUESTIONS, *answers, strict=True):
        assert (small.answerable, small.answer) == (large.answerable, large.answer), question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "trong 5 năm qua": the years the article gives that span once (2016-2021)
        (
            "Kể tên các quốc gia và vùng lãnh thổ trọng điểm trong hợp tác của Thanh Hóa "
            "suốt 5 năm qua (2016-2021).",
            ("Nhật Bản", "Hàn Quốc", "Đài Loan", "Nga", "Đức"),
        ),
        # a sentence of the undated review that states no period is about the span it
        # reviews (its "5 năm qua (2016-2021)")
        (
            "Giai đoạn 2016-2021, Thanh Hóa đã ký thỏa thuận hợp tác với những tỉnh, thành "
            "phố nước ngoài nào ngoài các tỉnh của Lào?",
            ("Seongnam", "Mittelsachsen"),
        ),
        # a multiple asked ("lớn hơn bao nhiêu lần"): the multiple leads, not the total
        (
            "Tổng xuất khẩu giai đoạn 2016-2020 so với năm 2010 thì lớn hơn bao nhiêu lần?",
            ("2,5 lần [1].\n",),
        ),
        # capital newly put in over the span, not the stock at its end
        (
            "Trong 5 năm 2016-2020, tổng vốn của các dự án có vốn nước ngoài mới rót vào "
            "Thanh Hóa là bao nhiêu?",
            ("3.777,5 triệu USD [1].\n",),
        ),
        # the Vietnamese name in brackets keeps the question English
        (
            "How many delegation exchanges did Thanh Hoa and Houaphanh (Hủa Phăn) hold in "
            "2016-2021?",
            ("250",),
        ),
    ],
)
def test_the_sample_article_read_as_readers_ask_it(
    assistant,  # type: ignore[no-untyped-def]
    question: str,
    expected: tuple[str, ...],
) -> None:
    answer = assistant.ask(question)
    assert answer.answerable and all(e in answer.answer for e in expected), answer.answer


def test_a_counted_thing_or_a_role_the_articles_do_not_give_is_refused(assistant) -> None:  # type: ignore[no-untyped-def]
    for question in (
        # the visit names 7 businesses, no contracts
        "Trong chuyến công tác tại Tula tháng 9-2023, doanh nghiệp Thanh Hóa ký được bao "
        "nhiêu hợp đồng thương mại?",
        # the plan names 5 fields and 10 officials a year, no scholarships
        "Theo kế hoạch hợp tác 2023-2025, mỗi năm Seongnam cấp bao nhiêu suất học bổng?",
        # only the deputy governor is named
        "What is the name of the Governor of Farwaniyah province in Kuwait?",
    ):
        answer = assistant.ask(question)
        assert not answer.answerable, (question, answer.answer)
