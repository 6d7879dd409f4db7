"""A small, documented lexicon of this field: readers' words → the articles' words.

Readers rarely use the article's words ("mua hàng từ nước ngoài" for "nhập khẩu", "vốn
ngoại" for "FDI"), and English questions share no word with a Vietnamese article. The
lexicon adds the articles' wording to the question for the lexical side (BM25) and for
word coverage; dense retrieval keeps the question as typed. Each entry is a general
equivalence of provincial foreign-relations reporting, not a rule for one question.
Expansions are returned so that the response can show them (``scope.expansions``).

Keys and matching are folded (no diacritics, lower case) on word boundaries.
"""

from __future__ import annotations

import re

from assistant.text.vietnamese import fold

# Vietnamese near-synonyms: reader's phrase → the phrase the articles use.
VIETNAMESE: dict[str, str] = {
    "ket nghia": "hợp tác hữu nghị thỏa thuận hợp tác",
    "ket than": "thiết lập quan hệ hợp tác",
    "kieu hoi": "tiền gửi về",
    "tien gui ve": "kiều hối",
    "xuat khau lao dong": "đi làm việc ở nước ngoài theo hợp đồng",
    "lam viec o nuoc ngoai": "xuất khẩu lao động",
    "du hoc sinh": "lưu học sinh",
    "luu hoc sinh": "du học sinh",
    "fdi": "đầu tư trực tiếp nước ngoài",
    "dau tu truc tiep nuoc ngoai": "FDI",
    "von ngoai": "FDI đầu tư trực tiếp nước ngoài",
    "von nuoc ngoai": "FDI đầu tư trực tiếp nước ngoài",
    "hut von": "thu hút vốn đầu tư",
    "mua hang tu nuoc ngoai": "nhập khẩu",
    "ban ra nuoc ngoai": "xuất khẩu",
    "ban hang ra nuoc ngoai": "xuất khẩu",
    "toan quoc": "cả nước",
    "xep hang": "đứng thứ",
    "khach nuoc ngoai": "khách quốc tế",
    "doan ra doan vao": "trao đổi đoàn",
    "tham lan nhau": "trao đổi đoàn",
}

# English → the articles' Vietnamese (lexical side only: the meaning is the model's job).
ENGLISH: dict[str, str] = {
    "export": "xuất khẩu",
    "exports": "xuất khẩu",
    "import": "nhập khẩu",
    "imports": "nhập khẩu",
    "fdi": "FDI dự án vốn đầu tư",
    "foreign direct investment": "đầu tư trực tiếp nước ngoài FDI",
    "investment": "đầu tư",
    "investors": "nhà đầu tư",
    "projects": "dự án",
    "capital": "vốn",
    "province": "tỉnh",
    "provincial": "tỉnh",
    "sister city": "hợp tác hữu nghị",
    "cooperation": "hợp tác",
    "cooperates": "hợp tác",
    "agreement": "thỏa thuận",
    "memorandum": "biên bản ghi nhớ",
    "mou": "biên bản ghi nhớ",
    "signed": "ký",
    "delegation": "đoàn",
    "delegations": "đoàn",
    "workers": "lao động người",
    "labour": "lao động",
    "labor": "lao động",
    "abroad": "nước ngoài",
    "remittances": "kiều hối",
    "students": "lưu học sinh",
    "tourists": "lượt khách du lịch",
    "visitors": "lượt khách",
    "heritage": "di sản",
    "laos": "Lào",
    "lao": "Lào",
    "korea": "Hàn Quốc",
    "korean": "Hàn Quốc",
    "japan": "Nhật Bản",
    "japanese": "Nhật Bản",
    "germany": "Đức",
    "german": "Đức",
    "kuwait": "Cô-oét",
    "kuwaiti": "Cô-oét",
    "russia": "Nga",
    "russian": "Nga",
    "taiwan": "Đài Loan",
    "france": "Pháp",
    "rank": "đứng thứ",
    "growth": "tăng",
    "total": "tổng",
    "value": "giá trị",
    "governor": "tỉnh trưởng thống đốc",
    "chairman": "chủ tịch",
}


def expansions(text: str, english: bool) -> list[str]:
    """The articles' wording for the reader's phrases found in the question, in order."""
    folded = " " + " ".join(re.findall(r"[\w-]+", fold(text))) + " "
    table = ENGLISH if english else VIETNAMESE
    found = [table[key] for key in table if f" {key} " in folded]
    return list(dict.fromkeys(found))
