"""Loading of articles from files and folders (assistant.ingest.loaders)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from assistant.core.types import Document
from assistant.ingest.loaders import LoadError, load_paths, normalise_date, slugify

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "corpus" / "sample" / "thanh-hoa-doi-ngoai.txt"
ARTICLE = "Tỉnh Thanh Hóa tăng cường hợp tác với tỉnh Hủa Phăn.\n\nHai tỉnh ký thỏa thuận mới."

PAGE = """<!DOCTYPE html>
<html lang="vi"><head>
<meta charset="utf-8">
<title>Hợp tác Thanh Hóa - Hủa Phăn | Báo Thanh Hóa</title>
<meta property="og:title" content="Hợp tác Thanh Hóa - Hủa Phăn">
<meta property="og:url" content="https://baothanhhoa.vn/hop-tac-thanh-hoa-hua-phan.htm">
<meta property="article:published_time" content="2021-05-03T08:30:00+07:00">
</head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul></nav>
<article>
<h1>Hợp tác Thanh Hóa - Hủa Phăn</h1>
<p>Trong giai đoạn 2016-2021, công tác hợp tác giữa tỉnh Thanh Hóa với Lào được nâng lên
một bước, thiết thực và hiệu quả hơn, với 260 hoạt động trao đổi đoàn công tác.</p>
<p>Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD,
theo tinh thần Chỉ thị số 41-CT/TW ngày 15-4-2010 của Ban Bí thư.</p>
</article>
<footer>Bản quyền thuộc về Báo Thanh Hóa. Chia sẻ thông tin với bạn bè!</footer>
</body></html>
"""


def load(*paths: Path) -> tuple[list[Document], list[LoadError]]:
    docs: list[Document] = []
    errors: list[LoadError] = []
    for item in load_paths(list(paths)):
        (docs if isinstance(item, Document) else errors).append(item)
    return docs, errors


def load_one(path: Path) -> Document:
    docs, errors = load(path)
    assert errors == []
    assert len(docs) == 1
    return docs[0]


def load_error(path: Path) -> LoadError:
    docs, errors = load(path)
    assert docs == []
    assert len(errors) == 1
    return errors[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- plain text ---------------------------------------------------------------------------


def test_txt_title_is_first_line_and_stays_in_text(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "Bài Một.txt", "\n\n  Tiêu đề bài  \n\n" + ARTICLE))
    assert doc.title == "Tiêu đề bài"
    assert doc.text == "Tiêu đề bài\n\n" + ARTICLE
    assert doc.id == "bai-mot"
    assert doc.source == "Bài Một.txt"


def test_md_title_loses_hashes_but_text_keeps_them(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "a.md", "## Đối ngoại Thanh Hóa\n\n" + ARTICLE))
    assert doc.title == "Đối ngoại Thanh Hóa"
    assert doc.text.startswith("## Đối ngoại Thanh Hóa\n\n")


def test_text_is_cleaned(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "a.txt", ARTICLE + "\n\n0 bình luận\n\nTắt [X]\n"))
    assert doc.text == ARTICLE


def test_sample_corpus_file_loads_with_headline_as_title() -> None:
    doc = load_one(SAMPLE)
    assert doc.id == "thanh-hoa-doi-ngoai"
    assert doc.title == "Tăng cường công tác đối ngoại đáp ứng yêu cầu trong giai đoạn mới"
    assert doc.text == SAMPLE.read_text(encoding="utf-8").rstrip("\n")


def test_folder_is_walked_recursively_sorted_and_hidden_files_skipped(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Bài B\n\nNội dung B.")
    write(tmp_path / "Thời sự" / "Đối ngoại.txt", "Bài C\n\nNội dung C.")
    write(tmp_path / "a.md", "# Bài A\n\nNội dung A.")
    write(tmp_path / ".an.txt", "Ẩn\n\nKhông tải.")
    write(tmp_path / ".git" / "x.txt", "Ẩn\n\nKhông tải.")
    docs, errors = load(tmp_path)
    assert errors == []
    assert [d.source for d in docs] == ["Thời sự/Đối ngoại.txt", "a.md", "b.txt"]
    assert [d.id for d in docs] == ["thoi-su-doi-ngoai", "a", "b"]


def test_unsupported_extension_is_skipped_with_debug_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path / "anh.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path / "a.txt", ARTICLE)
    with caplog.at_level(logging.DEBUG, logger="assistant.ingest.loaders"):
        docs, errors = load(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert errors == []
    assert any("anh.png" in r.getMessage() for r in caplog.records)


# --- HTML ---------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "trang.html", PAGE))
    assert doc.title == "Hợp tác Thanh Hóa - Hủa Phăn"
    assert doc.published_at == "2021-05-03"
    assert doc.url == "https://baothanhhoa.vn/hop-tac-thanh-hoa-hua-phan.htm"
    assert "14.081,67 triệu USD" in doc.text
    assert "Chỉ thị số 41-CT/TW ngày 15-4-2010" in doc.text
    assert "Trang chủ" not in doc.text
    assert "Chia sẻ" not in doc.text
    assert doc.id == "trang"


def test_html_paragraphs_are_separated_by_blank_lines(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "trang.htm", PAGE))
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Hợp tác Thanh Hóa - Hủa Phăn"
    assert paragraphs[-1].startswith("Tổng giá trị xuất khẩu")


def test_html_without_article_falls_back_to_title_tag(tmp_path: Path) -> None:
    page = "<html><head><title>Tin  ngắn</title></head><body><p>Một câu.</p></body></html>"
    doc = load_one(write(tmp_path / "ngan.html", page))
    assert doc.title == "Tin ngắn"
    assert doc.text == "Một câu."


def test_html_extractor_failure_falls_back_to_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("broken markup")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    doc = load_one(write(tmp_path / "hong.html", PAGE))
    assert doc.title == "Hợp tác Thanh Hóa - Hủa Phăn | Báo Thanh Hóa"
    assert "14.081,67 triệu USD" in doc.text


# --- JSON and JSON Lines ------------------------------------------------------------------


def record(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "bai-1",
        "title": "Đối ngoại",
        "url": "https://baothanhhoa.vn/doi-ngoai-1.htm",
        "published_at": "2021-05-03",
        "text": ARTICLE,
        "tags": ["đối ngoại", "Lào"],
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def test_json_list_of_records(tmp_path: Path) -> None:
    records = [
        record(),
        record(id=2, published_at="03/05/2021", tags="a, b"),
        record(id=None, published_at="3-5-2021", text=None, html="<p>Đoạn <b>một</b>.</p>"),
    ]
    docs, errors = load(write(tmp_path / "xuat.json", json.dumps(records, ensure_ascii=False)))
    assert errors == []
    assert [d.id for d in docs] == ["bai-1", "2", "baothanhhoa-vn-doi-ngoai-1-htm"]
    assert [d.published_at for d in docs] == ["2021-05-03"] * 3
    assert docs[0].tags == ["đối ngoại", "Lào"]
    assert docs[1].tags == ["a", "b"]
    assert docs[2].text == "Đoạn một."
    assert docs[0].text == ARTICLE
    assert docs[0].source == "xuat.json"


def test_json_single_record(tmp_path: Path) -> None:
    doc = load_one(write(tmp_path / "mot.json", json.dumps(record(), ensure_ascii=False)))
    assert (doc.id, doc.title, doc.url) == ("bai-1", "Đối ngoại", record()["url"])


def test_json_record_without_text_is_reported_and_others_load(tmp_path: Path) -> None:
    records = [record(), record(id="x", text=None)]
    docs, errors = load(write(tmp_path / "a.json", json.dumps(records)))
    assert [d.id for d in docs] == ["bai-1"]
    assert len(errors) == 1
    assert "record 2" in errors[0].message
    assert "text" in errors[0].message


def test_malformed_json_file_reports_line(tmp_path: Path) -> None:
    error = load_error(write(tmp_path / "hong.json", '[\n  {"id": 1,\n  "text": }\n]'))
    assert error.path.endswith("hong.json")
    assert error.line == 3
    assert "malformed JSON" in error.message


def test_jsonl_malformed_line_reported_with_number_other_lines_load(tmp_path: Path) -> None:
    lines = [
        json.dumps(record(id="a"), ensure_ascii=False),
        '{"id": "b", "text": "thiếu ngoặc"',
        "",
        json.dumps(record(id="c", title=None), ensure_ascii=False),
        json.dumps(record(id="d", text=None)),
        "[1, 2]",
    ]
    docs, errors = load(write(tmp_path / "tin.jsonl", "\n".join(lines) + "\n"))
    assert [d.id for d in docs] == ["a", "c"]
    assert docs[1].title == ARTICLE.split("\n")[0]  # no title: first line of the text
    assert [(e.line, e.path.endswith("tin.jsonl")) for e in errors] == [
        (2, True),
        (5, True),
        (6, True),
    ]
    assert "malformed JSON" in errors[0].message
    assert "text" in errors[1].message


def test_jsonl_keeps_line_separator_characters_inside_strings(tmp_path: Path) -> None:
    line = json.dumps(record(text="Câu một.\u2028Câu hai."), ensure_ascii=False)
    doc = load_one(write(tmp_path / "a.jsonl", line))
    assert doc.text == "Câu một.\nCâu hai."


# --- bad input ----------------------------------------------------------------------------


def test_binary_file_is_reported(tmp_path: Path) -> None:
    error = load_error(write(tmp_path / "nhi-phan.txt", b"GIF89a\x00\x01\x02\xff\x00binary"))
    assert error.path.endswith("nhi-phan.txt")
    assert "binary" in error.message


@pytest.mark.parametrize("content", ["", "   \n\n\t \r\n"])
def test_empty_or_blank_file_is_reported(tmp_path: Path, content: str) -> None:
    error = load_error(write(tmp_path / "rong.txt", content))
    assert "empty" in error.message


def test_file_of_boilerplate_only_is_reported(tmp_path: Path) -> None:
    error = load_error(write(tmp_path / "rac.txt", "{name} - {time}\n\n0 bình luận\n"))
    assert "boilerplate" in error.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_utf8_bom_are_decoded(tmp_path: Path, encoding: str) -> None:
    doc = load_one(write(tmp_path / "u.txt", ("Tiêu đề\n\n" + ARTICLE).encode(encoding)))
    assert doc.title == "Tiêu đề"
    assert doc.text == "Tiêu đề\n\n" + ARTICLE


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_legacy_encoding_is_reported_with_file_line_and_iconv(
    tmp_path: Path, encoding: str
) -> None:
    content = "Tin tuc\nThanh Hóa là quê tôi\n".encode(encoding)
    error = load_error(write(tmp_path / "cu.txt", content))
    assert error.path.endswith("cu.txt")
    assert error.line == 2
    assert error.message.startswith("not UTF-8 (")
    assert "iconv -f WINDOWS-1258 -t UTF-8" in error.message
    assert "cu.txt:2: not UTF-8" in str(error)


def test_bad_file_does_not_stop_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", "Thanh Hóa".encode("cp1258"))
    write(tmp_path / "2.txt", ARTICLE)
    docs, errors = load(tmp_path)
    assert [d.id for d in docs] == ["2"]
    assert [Path(e.path).name for e in errors] == ["1.txt"]


def test_broken_symlink_is_reported_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "mat.txt").symlink_to(tmp_path / "khong-co.txt")
    write(tmp_path / "a.txt", ARTICLE)
    docs, errors = load(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert len(errors) == 1
    assert errors[0].path.endswith("mat.txt")
    assert "cannot read" in errors[0].message


def test_missing_path_argument_is_reported(tmp_path: Path) -> None:
    error = load_error(tmp_path / "khong-co.txt")
    assert "cannot read" in error.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "khoa.txt", ARTICLE)
    path.chmod(0)
    try:
        assert "cannot read" in load_error(path).message
    finally:
        path.chmod(0o644)


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-05-03", "2021-05-03"),
        ("2021-05-03T08:30:00+07:00", "2021-05-03"),
        ("2021/5/3", "2021-05-03"),
        ("03/05/2021", "2021-05-03"),
        ("3-5-2021", "2021-05-03"),
        ("03.05.2021 08:30", "2021-05-03"),
        ("Thứ hai, 03/05/2021, 08:30 (GMT+7)", "2021-05-03"),
        ("ngày 3 tháng 5 năm 2021", "2021-05-03"),
        ("31/02/2021", None),
        ("hôm qua", None),
        ("", None),
        (None, None),
        (20210503, None),
    ],
)
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_slugify() -> None:
    assert slugify("Thời sự/Đối ngoại Thanh Hóa 2021") == "thoi-su-doi-ngoai-thanh-hoa-2021"
