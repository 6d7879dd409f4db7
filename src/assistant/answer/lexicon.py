"""A small, documented lexicon of this field: readers' words → the articles' words.

Readers rarely use the article's words ("mua hàng từ nước ngoài" for "nhập khẩu", "vốn
ngoại" for "FDI"), and English questions share no word with a Vietnamese article. The
lexicon adds the articles' wording to the question for the lexical side (BM25) and for
word coverage; dense retrieval keeps the question as typed. Each entry is a general
equivalence of provincial foreign-relations reporting, not a rule for one question.
Expansions are returned so that the response can show them (``scope.expansions``).

Keys and matching are folded (no diacritics, lower case) on word boundaries. A key of
three words or more also matches with one word between two of its words ("mua hàng của
nước ngoài" for "mua của nước ngoài"): readers add a word where the phrase stays the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from assistant.text.vietnamese import fold, has_diacritics, unify_tones

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
    # the reader's acronym for what the articles call "phi chính phủ nước ngoài" ("ngô",
    # corn, and "ngõ" fold alike: see _SPELLING)
    "ngo": "phi chính phủ nước ngoài",
    "ngos": "phi chính phủ nước ngoài",
    "von ngoai": "FDI đầu tư trực tiếp nước ngoài",
    "von nuoc ngoai": "FDI đầu tư trực tiếp nước ngoài",
    "hut von": "thu hút vốn đầu tư",
    # what a review calls its weak points
    "diem yeu": "hạn chế",
    "yeu kem": "hạn chế",
    "bat cap": "hạn chế",
    "nhuoc diem": "hạn chế",
    "mua hang tu nuoc ngoai": "nhập khẩu",
    # the balance of trade in plain words ("bán ra nhiều hơn mua vào")
    "nhieu hon mua vao": "xuất siêu thặng dư",
    "xuat nhieu hon nhap": "xuất siêu thặng dư",
    "nhieu hon ban ra": "nhập siêu",
    "nhap nhieu hon xuat": "nhập siêu",
    "ban ra nuoc ngoai": "xuất khẩu",
    "ban hang ra nuoc ngoai": "xuất khẩu",
    "toan quoc": "cả nước",
    # the right figure after a correction ("mức tăng đúng là bao nhiêu?")
    "so lieu dung": "đính chính",
    "con so dung": "đính chính",
    "muc tang dung": "tăng đính chính",
    "sau khi sua": "đính chính",
    # what was signed, in the reader's words ("đặt bút ký giấy tờ gì")
    "giay to": "văn bản biên bản thỏa thuận",
    "dat but ky": "ký kết",
    "xep hang": "đứng thứ",
    "khach nuoc ngoai": "khách quốc tế",
    "doan ra doan vao": "trao đổi đoàn",
    "tham lan nhau": "trao đổi đoàn",
    "sang tham": "trao đổi đoàn thăm và làm việc",
    "cu nguoi sang": "trao đổi đoàn",
    "cu doan": "trao đổi đoàn",
    "vien tro": "hỗ trợ kinh phí",
    "giup do": "hỗ trợ",
    "giai ngan": "thực hiện",
    "gui ve": "kiều hối",
    "kieu bao": "kiều hối người Việt Nam ở nước ngoài",
    "co gia tri den": "có hiệu lực đến",
    "co gia tri trong": "có hiệu lực trong",
    "thoi han": "có hiệu lực",
    "van kien": "thỏa thuận biên bản ghi nhớ",
    "sang nuoc ngoai lam viec": "đi làm việc ở nước ngoài",
    "ra nuoc ngoai lam viec": "đi làm việc ở nước ngoài",
    "lao dong xuat canh": "người đi làm việc ở nước ngoài",
    "mua tu nuoc ngoai": "nhập khẩu",
    "du khach quoc te": "khách quốc tế",
    "du khach nuoc ngoai": "khách quốc tế",
    "nha dau tu ngoai": "nhà đầu tư nước ngoài FDI",
    "du an moi": "cấp giấy chứng nhận đăng ký đầu tư dự án mới",
    "cap phep": "cấp giấy chứng nhận đăng ký đầu tư",
    "anh em": "hữu nghị",
    # money and investment in plain words
    "rot von": "đầu tư vốn",
    "do von": "đầu tư vốn",
    "bo von": "đầu tư vốn",
    "bo tien": "tài trợ kinh phí",
    "chi tien": "tài trợ kinh phí",
    "cap tien": "tài trợ kinh phí",
    "doanh nghiep nuoc ngoai": "doanh nghiệp FDI có vốn đầu tư nước ngoài",
    "cong ty nuoc ngoai": "doanh nghiệp FDI có vốn đầu tư nước ngoài",
    "cho phep dau tu": "cấp giấy chứng nhận đăng ký đầu tư",
    # trade
    "hang ban ra nuoc ngoai": "xuất khẩu",
    "ban sang nuoc ngoai": "xuất khẩu",
    "mua cua nuoc ngoai": "nhập khẩu",
    "nhap ve": "nhập khẩu",
    # goods bought from a partner ("hàng hóa nhập từ Lào", "nhập hàng từ Hàn Quốc") and
    # sold to one ("xuất sang Nhật Bản")
    "nhap tu": "nhập khẩu",
    "nhap hang tu": "nhập khẩu",
    "xuat sang": "xuất khẩu",
    "xuat hang sang": "xuất khẩu",
    # what a partner wants to buy ("tỉnh họ cần nhập những mặt hàng gì"; "cần mua" below)
    "can nhap": "có nhu cầu nhập khẩu",
    "muon nhap": "có nhu cầu nhập khẩu",
    "mua ve": "nhập khẩu",
    # people going abroad, and visitors
    "lam thue o nuoc ngoai": "đi lao động tại nước ngoài",
    "ra nuoc ngoai lam thue": "đi lao động tại nước ngoài",
    "khach tay": "khách quốc tế",
    "khach ngoai": "khách quốc tế",
    "qua lai": "trao đổi đoàn",
    "chuyen doan": "trao đổi đoàn",
    "tham nhau": "trao đổi đoàn",
    # relations and plans
    "ket ban": "thiết lập quan hệ hữu nghị hợp tác",
    "lam ban": "thiết lập quan hệ hữu nghị hợp tác",
    "chi tieu": "kế hoạch",
    "con hoat dong": "còn hiệu lực",
    "gui tien ve": "kiều hối chuyển về",
    "muon mua": "có nhu cầu nhập khẩu",
    "can mua": "có nhu cầu nhập khẩu",
    "di san the gioi": "di sản văn hóa thế giới UNESCO",
    "nam nao cung": "mỗi năm hằng năm",
    "hoc ngan ngay": "tập huấn bồi dưỡng ngắn hạn",
    "ngan ngay": "ngắn hạn",
    "may moc": "trang thiết bị máy móc",
    "rot vao": "đầu tư vào",
    "bom them": "điều chỉnh tăng vốn",
    "bom von": "điều chỉnh tăng vốn",
    "von moi": "vốn cấp mới",
    "lam an o nuoc ngoai": "làm việc ở nước ngoài",
    "di lam an": "đi làm việc",
    "di lam thue": "đi làm việc ở nước ngoài lao động",
    "viet kieu": "kiều bào người Việt Nam ở nước ngoài kiều hối",
    "buon ban hai chieu": "kim ngạch thương mại song phương hai chiều",
    "buon ban": "thương mại kim ngạch trao đổi hàng hóa",
    "keo nha dau tu": "thu hút nhà đầu tư",
    "lap ra": "thành lập",
    "nhom chuyen trach": "tổ công tác",
    "bo ra": "bố trí kinh phí",
    # what a work cost to build ("cầu … xây hết bao nhiêu tiền")
    "xay het": "xây dựng tổng mức đầu tư kinh phí",
    "xin von": "thu hút nguồn vốn",
    "bat moi": "thiết lập quan hệ",
    "co quan vien tro": "cơ quan hợp tác quốc tế tổ chức quốc tế",
    # when a thing began, opened or was built
    "co tu nam": "xây dựng năm thành lập năm ra đời năm",
    "co tu khi nao": "xây dựng thành lập ra đời",
    "xay tu": "xây dựng năm",
    "dong tho": "khởi công",
    "khoi cong": "động thổ",
    "dua vao su dung": "khánh thành đưa vào hoạt động",
    "khai truong": "khánh thành đưa vào hoạt động",
    "mo cua": "khai trương đưa vào hoạt động",
    # what a place earns, spends and measures
    "khach tieu": "tổng thu doanh thu",
    "thu ve": "tổng thu doanh thu",
    "kiem duoc": "thu nhập doanh thu",
    "tien ban ve": "doanh thu bán vé",
    "tien ve": "doanh thu bán vé",
    "ban ve thu": "doanh thu bán vé",
    "tien luong": "thu nhập",
    "cay so": "km",
    "diem tuyet doi": "điểm 10",
    "boc xep": "hàng hóa thông qua cảng sản lượng",
    "hoc viec": "đào tạo thực tập",
    "sang hoc": "đào tạo du học",
    "nha may me": "nhà máy mẹ công ty mẹ",
    "ve vao cua": "vé tham quan",
    "cho o": "cơ sở lưu trú buồng",
    "nha nghi khach san": "cơ sở lưu trú",
    # money sent home, and every year
    "chuyen tien ve": "kiều hối tiền gửi về",
    "ben nuoc ngoai": "ở nước ngoài",
    "moi nam": "hằng năm hàng năm",
    # who is local, and the jobs for them
    "so tai": "địa phương",
    "cho lam": "việc làm",
    "ngoai quoc": "nước ngoài",
    # when a work is finished
    "lam xong": "hoàn thành",
    "xay xong": "hoàn thành",
    "hoan tat": "hoàn thành",
    "gio xong": "hoàn thành",
    "nao xong": "hoàn thành",
    "moi xong": "hoàn thành",
    "thi xong": "hoàn thành",
    "xong vay": "hoàn thành",
    "xong chua": "hoàn thành",
    "se xong": "hoàn thành",
    # jobs a project brings
    "cong nhan": "lao động",
    "nuoi song": "tạo việc làm",
    "cho viec lam": "tạo việc làm",
    "vao lam": "việc làm lao động",
    "chay on dinh": "hoạt động ổn định",
    "van hanh on dinh": "hoạt động ổn định",
}

# Readers' abbreviations the articles spell out ("FDI vào VN", "BV tỉnh", "trận thắng
# SLNA"), as typed: upper case (and a few that are no Vietnamese word in lower case).
ABBREVIATIONS: dict[str, str] = {
    "VN": "Việt Nam",
    "vn": "Việt Nam",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "tphcm": "Thành phố Hồ Chí Minh",
    "HN": "Hà Nội",
    "BV": "bệnh viện",
    "KCN": "khu công nghiệp",
    "kcn": "khu công nghiệp",
    "KKT": "khu kinh tế",
    "kkt": "khu kinh tế",
    "DN": "doanh nghiệp",
    "LĐ": "lao động",
    "XK": "xuất khẩu",
    "xk": "xuất khẩu",
    "NK": "nhập khẩu",
    "nk": "nhập khẩu",
    "XNK": "xuất nhập khẩu",
    "xnk": "xuất nhập khẩu",
    "SLNA": "Sông Lam Nghệ An",
    "slna": "Sông Lam Nghệ An",
    "HAGL": "Hoàng Anh Gia Lai",
}
_ABBREVIATION = re.compile(
    r"(?<![\w.-])("
    + "|".join(map(re.escape, sorted(ABBREVIATIONS, key=len, reverse=True)))
    + r")(?![\w-])"
)


# What the press and readers call a country ("đất nước mặt trời mọc" is Japan), folded:
# the articles name the country, and the answer's figure must be the country's.
COUNTRY_NICKNAMES: dict[str, str] = {
    "dat nuoc mat troi moc": "Nhật Bản",
    "xu so mat troi moc": "Nhật Bản",
    "xu mat troi moc": "Nhật Bản",
    "xu so hoa anh dao": "Nhật Bản",
    "xu hoa anh dao": "Nhật Bản",
    "xu so kim chi": "Hàn Quốc",
    "xu kim chi": "Hàn Quốc",
    "dat nuoc kim chi": "Hàn Quốc",
    "xu so cua han": "Hàn Quốc",
    "dat nuoc trieu voi": "Lào",
    "xu trieu voi": "Lào",
    "xu so trieu voi": "Lào",
    "xu so bach duong": "Nga",
    "dat nuoc bach duong": "Nga",
    "xu bach duong": "Nga",
    "xu so chua vang": "Thái Lan",
    "dat nuoc chua vang": "Thái Lan",
    "dat nuoc chua thap": "Campuchia",
    "xu chua thap": "Campuchia",
    "dat nuoc van dao": "Indonesia",
    "xu so van dao": "Indonesia",
    "xu so dai bang": "Mỹ",
    "dat nuoc co hoa": "Mỹ",
    "xu so chuot tui": "Úc",
    "dat nuoc chuot tui": "Úc",
    "xu chuot tui": "Úc",
}
_NICKNAME = re.compile(
    r"(?<!\w)("
    + "|".join(sorted(map(re.escape, COUNTRY_NICKNAMES), key=len, reverse=True))
    + r")(?!\w)"
)


def _replaced(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, words) span replaced by its words, in order; the
    first of overlapping spans wins. The spans were found in ``fold(text)``, whose
    offsets are the text's (the callers check that folding kept the length)."""
    out, at = [], 0
    for start, end, words in sorted(spans):
        if start >= at:
            out += [text[at:start], words]
            at = end
    return "".join([*out, text[at:]])


def _named_countries(text: str) -> str:
    """The text with each country's nickname replaced by its name (matched folded; the
    rest kept as written)."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: nothing to align
        return text
    return _replaced(
        text,
        ((m.start(), m.end(), COUNTRY_NICKNAMES[m.group(1)]) for m in _NICKNAME.finditer(folded)),
    )


def spelled_out(text: str) -> str:
    """The question with readers' abbreviations and countries' nicknames written as the
    articles write them ("XK sang xứ kim chi" → "xuất khẩu sang Hàn Quốc")."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], _named_countries(text))


# English names of partner countries (and their adjectives) → the articles' Vietnamese.
ENGLISH_COUNTRIES: dict[str, str] = {
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
    "france": "Pháp",
    "french": "Pháp",
    "taiwan": "Đài Loan",
    "taiwanese": "Đài Loan",
    "china": "Trung Quốc",
    "chinese": "Trung Quốc",
    "thailand": "Thái Lan",
    "thai": "Thái Lan",
    "netherlands": "Hà Lan",
    "dutch": "Hà Lan",
    "hong kong": "Hồng Kông",
    "singapore": "Singapore",
    "singaporean": "Singapore",
    "united states": "Hoa Kỳ",
    "american": "Hoa Kỳ",
    "australia": "Úc",
    "australian": "Úc",
    "india": "Ấn Độ",
    "indian": "Ấn Độ",
    "cambodia": "Campuchia",
    "cambodian": "Campuchia",
    "britain": "Anh",
    "british": "Anh",
    "canada": "Canada",
    "canadian": "Canada",
    "sweden": "Thụy Điển",
    "swedish": "Thụy Điển",
    "poland": "Ba Lan",
    "polish": "Ba Lan",
    "hungary": "Hungary",
    "hungarian": "Hungary",
}

# English → the articles' Vietnamese (lexical side only: the meaning is the model's job).
ENGLISH: dict[str, str] = {
    "export": "xuất khẩu",
    "weaknesses": "hạn chế",
    "shortcomings": "hạn chế",
    "limitations": "hạn chế",
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
    "fans": "khán giả cổ động viên",
    "spectators": "khán giả",
    "students": "lưu học sinh",
    "tourists": "lượt khách du lịch",
    "visitors": "lượt khách",
    "heritage": "di sản",
    "rank": "đứng thứ",
    "growth": "tăng",
    "total": "tổng",
    "value": "giá trị",
    "governor": "tỉnh trưởng thống đốc",
    "state": "bang",
    "city": "thành phố",
    "disbursed": "thực hiện giải ngân",
    "registered": "đăng ký",
    "licensed": "cấp giấy chứng nhận đăng ký đầu tư",
    "license": "cấp giấy chứng nhận đăng ký đầu tư",
    "new": "mới",
    "aid": "hỗ trợ kinh phí",
    "support": "hỗ trợ",
    "visit": "thăm làm việc",
    "dropped by": "đến thăm",
    "welcome": "đón tiếp",
    "host": "đón tiếp",
    "foreign delegation": "đoàn quốc tế nước ngoài",
    "paid": "tài trợ kinh phí",
    "pay for": "tài trợ kinh phí",
    "study": "nghiên cứu",
    "valid": "hiệu lực",
    "tourism": "du lịch",
    "international": "quốc tế",
    "people": "người",
    "chairman": "chủ tịch",
    "work abroad": "đi làm việc ở nước ngoài lao động",
    "working abroad": "đi làm việc ở nước ngoài lao động",
    "send home": "kiều hối gửi về",
    "sent home": "kiều hối gửi về",
    "fund": "quỹ tài trợ",
    "funded": "tài trợ",
    "supported": "hỗ trợ tài trợ",
    "research": "nghiên cứu",
    "bricks": "gạch",
    "citadel": "thành",
    "preserve": "bảo tồn",
    "conservation": "bảo tồn",
    "aim": "phấn đấu mục tiêu",
    "target": "mục tiêu kế hoạch",
    "establish": "thiết lập",
    "relations": "quan hệ",
    "localities": "địa phương tỉnh thành phố",
    "partners": "đối tác",
    "population": "dân số",
    "exchanges": "trao đổi",
    "ranks": "đứng thứ",
    # trade in plain words: what a province sells abroad is its exports
    "sell": "xuất khẩu",
    "sells": "xuất khẩu",
    "sold": "xuất khẩu",
    "selling": "xuất khẩu",
    "buy": "nhập khẩu",
    "buys": "nhập khẩu",
    "bought": "nhập khẩu",
    "buying": "nhập khẩu",
    "purchase": "nhập khẩu",
    "purchases": "nhập khẩu",
    "purchased": "nhập khẩu",
    "trade": "thương mại kim ngạch",
    "trade surplus": "xuất siêu cán cân thương mại",
    "surplus": "xuất siêu thặng dư",
    "trade deficit": "nhập siêu cán cân thương mại",
    "deficit": "nhập siêu",
    "turnover": "kim ngạch",
    "goods": "hàng hóa",
    "products": "sản phẩm mặt hàng",
    "items": "mặt hàng",
    "markets": "thị trường",
    "market": "thị trường",
    "garments": "dệt may",
    "textiles": "dệt may",
    "footwear": "giày dép",
    "shoes": "giày dép",
    "seafood": "thủy sản",
    "farm products": "nông sản",
    "agricultural products": "nông sản",
    "electronics": "điện tử",
    "border gate": "cửa khẩu",
    "border crossing": "cửa khẩu",
    "border": "biên giới",
    "port": "cảng",
    "seaport": "cảng biển",
    "industrial park": "khu công nghiệp",
    "industrial parks": "khu công nghiệp",
    "industrial zone": "khu công nghiệp",
    "economic zone": "khu kinh tế",
    "factory": "nhà máy",
    "plant": "nhà máy",
    "company": "công ty doanh nghiệp",
    "mostly": "chủ yếu",
    "mainly": "chủ yếu",
    "bilateral": "song phương",
    # money in plain words
    "revenue": "doanh thu tổng thu",
    "revenues": "doanh thu tổng thu",
    "earn": "doanh thu thu nhập",
    "earned": "doanh thu thu nhập",
    "earnings": "doanh thu thu nhập",
    "income": "thu nhập",
    "worth": "trị giá",
    "loan": "cho vay vốn",
    "loans": "cho vay vốn",
    "grant": "viện trợ không hoàn lại tài trợ",
    "donated": "trao tặng",
    "donate": "trao tặng",
    "gave": "trao tặng",
    "presented": "trao tặng",
    "send back": "kiều hối gửi về",
    "sent back": "kiều hối gửi về",
    "remittance": "kiều hối",
    # the portal's sport news
    "winning goal": "ấn định chiến thắng",
    "equaliser": "gỡ hòa",
    "equalizer": "gỡ hòa",
    "opening goal": "mở tỷ số",
    "overseas": "nước ngoài",
    "ngo": "tổ chức phi chính phủ nước ngoài",
    "ngos": "tổ chức phi chính phủ nước ngoài",
    # international banks, by acronym or name (the sample writes both)
    "wb": "Ngân hàng Thế giới WB",
    "world bank": "Ngân hàng Thế giới WB",
    "adb": "Ngân hàng Phát triển Châu Á ADB",
    "asian development bank": "Ngân hàng Phát triển Châu Á ADB",
    "keximbank": "Ngân hàng Xuất nhập khẩu Hàn Quốc KEXIMBANK",
    "korea eximbank": "Ngân hàng Xuất nhập khẩu Hàn Quốc KEXIMBANK",
    "non-governmental": "tổ chức phi chính phủ nước ngoài",
    "capital increase": "điều chỉnh tăng vốn",
    "additional capital": "điều chỉnh tăng vốn",
    # who and where
    "foreign ministry": "Bộ Ngoại giao",
    "ministry of foreign affairs": "Bộ Ngoại giao",
    "ministry": "bộ",
    "economic diplomacy": "ngoại giao kinh tế",
    "cultural diplomacy": "ngoại giao văn hóa",
    "diplomacy": "ngoại giao",
    # the Party's and the State's documents
    "politburo": "Bộ Chính trị",
    "secretariat": "Ban Bí thư",
    "government": "Chính phủ",
    "resolution": "nghị quyết",
    "resolutions": "nghị quyết",
    "directive": "chỉ thị",
    "directives": "chỉ thị",
    "action programme": "chương trình hành động",
    "action program": "chương trình hành động",
    "international integration": "hội nhập quốc tế",
    "integration": "hội nhập",
    "adopted": "ban hành",
    "issued": "ban hành",
    "conference": "hội nghị",
    "talks": "hội đàm",
    "meeting": "hội đàm làm việc",
    "forum": "diễn đàn",
    "fair": "hội chợ",
    "festival": "lễ hội",
    "exhibition": "triển lãm",
    "anniversary": "kỷ niệm",
    "treaty": "hiệp ước",
    "friendship": "hữu nghị",
    "twinning": "kết nghĩa hợp tác hữu nghị",
    "twinned": "kết nghĩa hợp tác hữu nghị",
    "sister province": "hợp tác hữu nghị",
    "on behalf of": "phía",
    "deputy": "phó",
    "vice": "phó",
    "mayor": "thị trưởng",
    "secretary": "bí thư",
    "chair": "chủ tịch",
    "chairwoman": "chủ tịch",
    "president": "chủ tịch",
    "director": "giám đốc",
    "ambassador": "đại sứ",
    "consul general": "tổng lãnh sự",
    "minister": "bộ trưởng",
    "prime minister": "thủ tướng",
    "people's committee": "ủy ban nhân dân UBND",
    "department": "sở",
    "district": "huyện",
    "commune": "xã",
    "prefecture": "tỉnh",
    "nationwide": "cả nước",
    "whole country": "cả nước",
    "biggest": "lớn nhất dẫn đầu",
    "largest": "lớn nhất dẫn đầu",
    "leading": "dẫn đầu",
    "top": "dẫn đầu",
    # people, schools and care
    "hospital": "bệnh viện",
    "medical": "y tế",
    "health": "y tế",
    "ambulance": "xe cứu thương",
    "ambulances": "xe cứu thương",
    "equipment": "trang thiết bị",
    "school": "trường",
    "vocational": "nghề",
    "training": "đào tạo",
    "trained": "đào tạo",
    "scholarship": "học bổng",
    "scholarships": "học bổng",
    "teachers": "giáo viên",
    "doctors": "bác sĩ",
    "nurses": "điều dưỡng",
    "study abroad": "du học",
    "jobs": "việc làm",
    "employment": "việc làm",
    "youth": "thanh niên",
    "culture": "văn hóa",
    "education": "giáo dục",
    "agriculture": "nông nghiệp",
    "industry": "công nghiệp",
    "plan": "kế hoạch",
    "goal": "mục tiêu",
    "exceeded": "vượt",
    "correction": "đính chính",
    "corrected": "đính chính",
    "international visitors": "khách quốc tế",
    "foreign visitors": "khách quốc tế",
    "foreign tourists": "khách quốc tế",
    "domestic": "nội địa trong nước",
    "hotels": "cơ sở lưu trú khách sạn",
    "tickets": "vé",
    "relic": "di tích",
    "historical site": "di tích",
    "world heritage": "di sản văn hóa thế giới",
    # weather and works
    "bridge": "cầu",
    "river": "sông",
    "temperature": "nhiệt độ",
    "degrees": "độ",
    "cold spell": "đợt rét",
    "cold snap": "đợt rét",
    "cold": "rét",
    "flood": "lũ",
    "floods": "lũ lụt",
    "storm": "bão",
    "weather": "thời tiết",
    "rice": "lúa gạo",
    **ENGLISH_COUNTRIES,
}

# Partner places as Vietnamese articles spell them (several spellings in use; the one
# the index holds is preferred, see ``in_vietnamese_spelling``) ← as English writes them.
_SPELT_IN_ENGLISH: dict[tuple[str, ...], tuple[str, ...]] = {
    ("Hủa Phăn",): ("houaphanh", "houaphan", "huaphan"),
    ("Sầm Nưa",): ("sam neua", "xam neua"),
    ("Luông Pha Băng", "Luang Prabang"): ("luang prabang",),
    ("Viêng Chăn", "Vientiane"): ("vientiane",),
    ("Xiêng Khoảng",): ("xieng khouang", "xiengkhouang", "xiangkhouang"),
    ("Bôlykhămxay", "Bô-ly-khăm-xay", "Bolikhamxay"): ("bolikhamxay", "bolikhamsai", "borikhamxay"),
    ("U-đôm-xay", "Oudomxay"): ("oudomxay",),
    ("Phông-xa-lỳ", "Phongsaly"): ("phongsaly",),
    ("Xay-nha-bu-ly", "Sayaboury"): ("sayaboury", "xayaboury"),
    ("Xa-văn-na-khệt", "Savannakhet"): ("savannakhet",),
    ("Khăm Muộn", "Khammouane"): ("khammouane",),
    ("Chăm-pa-xắc", "Champasak"): ("champasak",),
    ("Luông Nậm Thà", "Luang Namtha"): ("luang namtha",),
    ("Bò Kẹo", "Bokeo"): ("bokeo",),
    ("Át-ta-pư", "Attapeu"): ("attapeu",),
    ("Xa-ra-van", "Saravan"): ("saravan",),
    ("Xê-kông", "Sekong"): ("sekong",),
    ("Xay-sổm-bun", "Xaisomboun"): ("xaisomboun",),
    ("Nậm Xôi",): ("nam xoi", "nam soi"),
    ("Hà Nội",): ("hanoi",),
    ("TP Hồ Chí Minh",): ("ho chi minh city",),
}
ENGLISH_PLACES: dict[str, tuple[str, ...]] = {
    english: spellings for spellings, forms in _SPELT_IN_ENGLISH.items() for english in forms
}


# Words that, folded, end a fixed term before a key's first word: "Bí thư về" (the
# Secretary) is no "thu về" (earned).
_FIXED_BEFORE = {
    "thu": ("bi",),
    "nhap": ("gia", "sap"),  # "gia nhập từ năm 2007", "sáp nhập": no imports
    "xuat": ("san", "de"),  # "sản xuất sang Việt Nam", "đề xuất sang năm": no exports
}


def _pattern(key: str, english: bool = False) -> re.Pattern[str]:
    """A key on word boundaries; one of three words or more, with at most one extra word
    between two of its words. An English key's last word also matches its inflections
    ("visit": "visits", "visited", "visiting")."""
    words = [re.escape(word) for word in key.split()]
    between = r" (?:[\w-]+ )?" if len(words) >= 3 else " "
    fixed = "".join(f"(?<!{word} )" for word in _FIXED_BEFORE.get(key.split()[0], ()))
    inflected = r"(?:s|es|d|ed|ing)?" if english and key[-1].isalpha() else ""
    return re.compile(rf"(?<![\w-]){fixed}{between.join(words)}{inflected}(?![\w-])")


_PATTERNS: dict[bool, dict[str, re.Pattern[str]]] = {}


def _matches(folded: str, english: bool) -> Iterator[tuple[re.Match[str], str]]:
    """(match, key) for each key of the table found in ``folded`` text, table order."""
    patterns = _PATTERNS.get(english)
    if patterns is None:
        table = ENGLISH if english else VIETNAMESE
        patterns = _PATTERNS[english] = {key: _pattern(key, english) for key in table}
    for key, pattern in patterns.items():
        for match in pattern.finditer(folded):
            yield match, key


# Keys that folding confuses with other words, as they must be spelled when the reader
# types diacritics: "chỗ ở" (lodging), never "cho ô tô".
_SPELLING = {"cho o": "chỗ ở", "cho lam": "chỗ làm", "so tai": "sở tại", "ngo": "ngo"}


@lru_cache(maxsize=1024)
def _phrases(text: str, english: bool) -> tuple[tuple[str, str], ...]:
    """(the question's words matched, key) for each known phrase of a question: computed
    once for the expansions and for the words they cover."""
    folded = " ".join(re.findall(r"[\w-]+", fold(text)))
    written = " ".join(re.findall(r"[\w-]+", unify_tones(text.lower())))
    aligned = len(written) == len(folded)

    def as_spelled(match: re.Match[str], key: str) -> bool:
        typed = written[match.start() : match.end()] if aligned else ""
        return key not in _SPELLING or not has_diacritics(typed) or typed == _SPELLING[key]

    return tuple(
        (match[0], key) for match, key in _matches(folded, english) if as_spelled(match, key)
    )


# An English word of the glossary this long or longer, typed without marks in a
# Vietnamese question, is English ("tổng remittances chuyển về", "the corrected figure là
# bao nhiêu"); shorter ones may be Vietnamese words typed without marks.
_MIXED_ENGLISH_LETTERS = 5


@lru_cache(maxsize=1024)
def _mixed_english(text: str) -> tuple[tuple[re.Match[str], str], ...]:
    """(match in ``fold(text)``, key) for the English glossary's words that a Vietnamese
    question mixes in: typed without marks, long enough not to be Vietnamese."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: nothing to align
        return ()
    lower = text.lower()
    return tuple(
        (match, key)
        for match, key in _matches(folded, english=True)
        if len(key.replace(" ", "")) >= _MIXED_ENGLISH_LETTERS
        and lower[match.start() : match.end()] == match.group(0)
    )


def expansions(text: str, english: bool) -> list[str]:
    """The articles' wording for the reader's phrases found in the question, in order
    (and for the English words a Vietnamese question mixes in)."""
    table = ENGLISH if english else VIETNAMESE
    found = [table[key] for _, key in _phrases(text, english)]
    if not english:
        found += [ENGLISH[key] for _, key in _mixed_english(text)]
    return list(dict.fromkeys(found))


def phrase_words(text: str, english: bool) -> frozenset[str]:
    """The (folded) words of the question that belong to a reader's phrase the lexicon
    knows: "Tây" in "khách Tây" is no name the answer must contain."""
    mixed = () if english else _mixed_english(text)
    return frozenset(
        word
        for words in [*(w for w, _ in _phrases(text, english)), *(m[0] for m, _ in mixed)]
        for word in words.split()
    )


def in_articles_words(text: str) -> str:
    """A Vietnamese question with each reader's phrase replaced by the articles' wording
    ("cử người sang thăm" → "cử người trao đổi đoàn thăm và làm việc"): what a clause
    stating it in the articles' words should cover, without the reader's words that it
    cannot contain. (Matched folded; the rest of the text is kept as written.)"""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length: nothing to align
        return " ".join([text, *expansions(text, english=False)])
    return _replaced(
        text,
        [
            *((m.start(), m.end(), VIETNAMESE[key]) for m, key in _matches(folded, False)),
            *((m.start(), m.end(), ENGLISH[key]) for m, key in _mixed_english(text)),
        ],
    )


def english_country(name: str) -> str | None:
    """The Vietnamese name of the country an English name refers to ("South Korean" →
    "Hàn Quốc"), if any."""
    for word in re.findall(r"[a-z]+", name.lower()):
        if word in ENGLISH_COUNTRIES:
            return ENGLISH_COUNTRIES[word]
    return None


_LONGEST_FIRST = sorted(map(re.escape, ENGLISH_PLACES), key=len, reverse=True)
_ENGLISH_PLACE = re.compile(rf"(?<![\w-])({'|'.join(_LONGEST_FIRST)})(?![\w-])", re.IGNORECASE)


def in_vietnamese_spelling(text: str, known: Callable[[str], bool] | None = None) -> str:
    """An English question with the partner places it names spelt as Vietnamese articles
    spell them ("Houaphanh" → "Hủa Phăn"): the answer must name the place, and a name
    is matched as written. ``known(spelling)``: does the index hold that spelling (the
    first known one is taken; else the usual one)."""

    def spelt(match: re.Match[str]) -> str:
        spellings = ENGLISH_PLACES[match.group(1).lower()]
        return next((s for s in spellings if known and known(s)), spellings[0])

    return _ENGLISH_PLACE.sub(spelt, text)
