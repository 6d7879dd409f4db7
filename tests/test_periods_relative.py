"""An article's "N năm qua", given its years once ("trong 5 năm qua (2016-2021)"), covers
those years in its other sentences."""

from __future__ import annotations

from assistant.text.periods import periods_in, relative_spans, with_relative_spans

ARTICLE = (
    "Để đạt được những kết quả trong công tác đối ngoại trong 5 năm qua (2016-2021), "
    "tỉnh đã quán triệt các chủ trương. Ngoài các quốc gia trọng điểm như Nhật Bản, Hàn "
    "Quốc trong 5 năm qua, tỉnh đã mở rộng hợp tác với các tổ chức tài chính quốc tế."
)


def test_the_years_an_article_gives_its_n_years_once() -> None:
    assert relative_spans(ARTICLE) == {"5 năm qua": (2016, 2021)}
    assert relative_spans("Trong 3 năm qua, từ 2021 đến 2023, tỉnh …") == {
        "3 năm qua": (2021, 2023)
    }


def test_a_span_of_another_length_is_no_definition() -> None:
    assert relative_spans("Trong 5 năm qua (2010-2021), …") == {}
    assert relative_spans("Trong 5 năm qua, xuất khẩu năm 2020 tăng.") == {}


def test_a_sentence_saying_only_n_years_gets_those_years() -> None:
    spans = relative_spans(ARTICLE)
    sentence = "Ngoài các quốc gia trọng điểm như Nhật Bản, Hàn Quốc trong 5 năm qua, tỉnh …"
    assert periods_in(with_relative_spans(sentence, spans)) == [(2016, 2021)]
    # a sentence with years of its own, or naming no such span, is left as it is
    dated = "Năm 2019, trong 5 năm qua, …"
    assert with_relative_spans(dated, spans) == dated
    assert with_relative_spans("Trong 3 năm qua, …", spans) == "Trong 3 năm qua, …"
