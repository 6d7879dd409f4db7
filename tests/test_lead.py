"""The answer's first line: the figure, date or name the cited clause states."""

from __future__ import annotations

import pytest

from assistant.answer.lead import answer_lead, english_label
from assistant.answer.question import analyse

FDI = "Trong giai đoạn 2016-2020, tỉnh đã thu hút 79 dự án FDI, với tổng vốn 3.777,5 triệu USD"
EXPORT = (
    "tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, "
    "tăng 88% so với mục tiêu đại hội, gấp 2,5 lần năm 2010"
)
VALID = (
    "lũy kế đến hết năm 2020, toàn tỉnh có 134 dự án FDI còn hiệu lực, với tổng vốn đầu tư "
    "14,35 tỷ USD, đứng thứ 8 cả nước về thu hút đầu tư trực tiếp nước ngoài."
)
PARTNERS = (
    "ký kết thỏa thuận hữu nghị hợp tác với tỉnh Farwaniyah, Cô-oét và đang xúc tiến thiết "
    "lập quan hệ hợp tác với tỉnh Tula, Liên bang Nga."
)


def lead(question: str, clause: str) -> str | None:
    found = answer_lead(analyse(question), clause)
    if found is None:
        return None
    assert clause[found.start : found.end] == found.text  # a span of the quote
    return found.text


@pytest.mark.parametrize(
    ("question", "clause", "expected"),
    [
        # the measure named, not the count beside it
        ("Tổng vốn các dự án FDI giai đoạn 2016-2020 là bao nhiêu?", FDI, "3.777,5 triệu USD"),
        ("Giai đoạn 2016-2020 tỉnh thu hút bao nhiêu dự án FDI?", FDI, "79 dự án"),
        ("Số dự án FDI còn hiệu lực đến cuối 2020 là mấy?", VALID, "134 dự án"),
        # the value, not the change after it; the change when that is asked
        ("Giá trị xuất khẩu giai đoạn 2016-2020 đạt bao nhiêu?", EXPORT, "14.081,67 triệu USD"),
        ("Xuất khẩu giai đoạn 2016-2020 gấp bao nhiêu lần năm 2010?", EXPORT, "2,5 lần"),
        ("Thanh Hóa đứng thứ mấy cả nước về thu hút FDI?", VALID, "thứ 8"),
        (
            "Tỷ lệ tốt nghiệp năm 2023 là bao nhiêu?",
            "tỷ lệ tốt nghiệp đạt 98,68%, tăng 0,34 điểm phần trăm so với năm 2022.",
            "98,68%",
        ),
        # the counted thing a few words on
        (
            "How many delegation exchanges did the two provinces hold in 2023?",
            "Năm 2023, hai tỉnh đã tổ chức 38 lượt trao đổi đoàn các cấp.",
            "38 lượt",
        ),
        # dates: the asked event's, a code's number is no date
        (
            "Kế hoạch hợp tác được ký ngày nào?",
            "Ngày 27-10-2022, tại thành phố Thanh Hóa, hai bên đã ký Kế hoạch hợp tác.",
            "27-10-2022",
        ),
        (  # each date goes with the event named nearest to it
            "Nhà máy đi vào vận hành khi nào?",
            "Theo kế hoạch, nhà máy khởi công trong tháng 10/2022 và vận hành giai đoạn 1 từ "
            "quý IV/2023.",
            "quý IV/2023",
        ),
        (
            "Số hiệu nghị quyết của Chính phủ về hội nhập quốc tế là gì?",
            "Nghị quyết số 31-NQ/CP ngày 13-5-2014 của Chính phủ thực hiện Nghị quyết số 22",
            "31-NQ/CP",
        ),
        # names: the one tied to the asked country, never one the question gives
        ("Thanh Hóa đang xúc tiến hợp tác với tỉnh nào của Liên bang Nga?", PARTNERS, "Tula"),
        (
            "Nghệ An ký biên bản ghi nhớ với tỉnh nào của Nhật Bản?",
            "UBND tỉnh Nghệ An và chính quyền tỉnh Toyama (Nhật Bản) đã ký biên bản ghi nhớ",
            "Toyama",
        ),
        (  # a range stays a range, with its bound
            "Mỗi năm kiều hối gửi về khoảng bao nhiêu tiền?",
            "hằng năm, số tiền gửi về nước khoảng 150 đến 180 triệu USD.",
            "khoảng 150 đến 180 triệu USD",
        ),
        (
            "Ai dẫn đầu đoàn đại biểu thành phố Seongnam?",
            "đoàn đại biểu thành phố Seongnam do ông Kim Dong-hyun, Phó Thị trưởng dẫn đầu",
            "Kim Dong-hyun",
        ),
    ],
)
def test_lead_states_the_asked_item(question: str, clause: str, expected: str) -> None:
    assert lead(question, clause) == expected


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        # two figures of the asked unit, nothing to tell them apart
        (
            "How many workers went to work in South Korea in 2023?",
            "tiếp đến là Đài Loan với 3.412 người và Hàn Quốc với 1.527 người.",
        ),
        # two names of the asked kind, no country to choose by
        ("Thanh Hóa hợp tác với tỉnh nào?", PARTNERS),
        # a list, a summary, a reason: no single item
        ("Những tỉnh nào của Lào hợp tác với Thanh Hóa?", PARTNERS),
        ("Tóm tắt kết quả thu hút FDI giai đoạn 2016-2020.", FDI),
        ("Vì sao vốn FDI tăng?", FDI),
    ],
)
def test_no_lead_when_the_clause_does_not_single_one_out(question: str, clause: str) -> None:
    assert lead(question, clause) is None


def test_ordinals_identifiers_and_parts_of_a_year_are_no_figures() -> None:
    clause = "6 tháng đầu năm 2025, thực hiện Nghị quyết số 22, tỉnh thu hút 14 dự án FDI"
    assert lead("Tỉnh thu hút được bao nhiêu?", clause) == "14 dự án"


def test_a_duration_is_led_for_bao_lau_only() -> None:
    clause = "Thỏa thuận có hiệu lực 5 năm và tự động gia hạn thêm 5 năm"
    assert lead("Thỏa thuận có giá trị trong bao lâu?", clause) == "5 năm"
    assert lead("How long is the agreement valid?", clause) == "5 năm"
    # elsewhere "6 tháng" is a part of a year
    assert lead("Tỉnh thu hút được bao nhiêu?", "6 tháng đầu năm, tỉnh thu hút 14 dự án") == (
        "14 dự án"
    )


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("How many new FDI projects did Chinese investors register in 2023?", "New FDI projects"),
        ("How much in remittances did Vietnam receive in 2024?", "Remittances"),
        ("What is the FDI total capital?", "FDI total capital"),
        ("Which German province cooperates with Thanh Hoa?", "German province"),
        ("When did Thanh Hoa sign the memorandum with Tula?", "Date"),
        ("In 2023, how many companies?", "Companies"),
        ("After the correction, how big was Thanh Hoa's trade deficit that year?", "Trade deficit"),
        ("How much did the Social Policy Bank lend in 2023?", "Answer"),
    ],
)
def test_an_english_lead_is_labelled_with_what_the_question_asks(question: str, label: str) -> None:
    assert english_label(question) == label


def test_a_bound_stays_with_its_figure() -> None:
    clause = "sản phẩm của tỉnh đã có mặt tại hơn 100 quốc gia và vùng lãnh thổ"
    assert lead("Hàng hóa của tỉnh có mặt tại bao nhiêu quốc gia?", clause) == "hơn 100 quốc gia"
    crowd = "Trận đấu thu hút khoảng 11.500 khán giả đến sân cổ vũ"
    assert lead("Trận đấu có bao nhiêu khán giả?", crowd) == "khoảng 11.500 khán giả"


def test_a_multiple_asked_without_its_unit_leads_with_the_multiple() -> None:
    clause = "tổng giá trị xuất khẩu đạt 14.081,67 triệu USD, gấp 2,5 lần năm 2010"
    assert lead("So với năm 2010 thì xuất khẩu lớn gấp mấy?", clause) == "2,5 lần"
