"""Article scope: the place(s) an article reports on and the period(s) its figures cover.

Read where a newspaper states them: the headline (with its dateline, ``Nghệ An: …``),
the lead paragraph and the tags. In the body a bare "tỉnh" means the article's own
province, so the body is not searched for places: a Thanh Hóa review that mentions
Nghệ An once is still about Thanh Hóa. An article that names no Vietnamese province is
about the portal's home province (``ASSISTANT_HOME_PLACE``), unless it speaks of the whole
country ("cả nước", a ministry), when its place is :data:`~assistant.text.places.NATIONAL`.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.core.types import ArticleScope, Document, Period
from assistant.text.periods import DATE_OPENING, periods_in, relative_spans
from assistant.text.places import (
    NATIONAL,
    admin_places,
    dateline_place,
    display_name,
    is_national,
    known_provinces,
    place_key,
)
from assistant.text.vietnamese import fold

LEAD_CHARS = 400  # the lead: the first paragraph after the headline, at most this long


def lead_of(doc: Document) -> str:
    """The article's lead: its first paragraph that is not the headline itself."""
    for paragraph in doc.text.split("\n"):
        text = paragraph.strip()
        if text and fold(text) != fold(doc.title):
            return text[:LEAD_CHARS]
    return ""


def _places(doc: Document, lead: str, home_place: str) -> list[str]:
    """Places of the headline and tags; failing those, the whole country when the
    headline says so, the provinces of the lead (not where an event was held), the
    whole country when the lead says so, and finally the home province."""
    headline_and_tags = "\n".join([doc.title, *doc.tags])
    dateline = dateline_place(doc.title)
    names = [dateline] if dateline else []
    names += admin_places(headline_and_tags) + known_provinces(headline_and_tags)
    if names:
        return names
    if is_national(doc.title):
        return [NATIONAL]
    names = admin_places(lead) + known_provinces(lead, skip_locations=True)
    if names:
        return names[:1]  # the lead's subject comes first; later names are partners
    return [NATIONAL] if is_national(lead) else [home_place]


def _year(published_at: str | None) -> int | None:
    try:
        return date.fromisoformat(published_at[:10]).year if published_at else None
    except ValueError:
        return None


# News of an event opens with its date ("Ngày 18-6-2024, …", "Sáng 27-10-2022, …").
_DATED_LEAD = re.compile(rf"\s*{DATE_OPENING}\b")


def article_scope(doc: Document, home_place: str) -> ArticleScope:
    """The scope of one article (pure function of its text, title, tags and date)."""
    lead = lead_of(doc)
    places: dict[str, str] = {}
    for name in _places(doc, lead, home_place):
        places.setdefault(place_key(name), display_name(name))
    # the headline's and tags' periods and the lead's first (a talks article titled
    # with next year's plan opens with this year's date; the lead's later years are
    # comparisons: "tăng 8% so với năm 2022"); failing those, the year published
    periods: list[Period] = periods_in("\n".join([doc.title, *doc.tags]))
    periods += [p for p in periods_in(lead)[:1] if p not in periods]
    published = _year(doc.published_at)
    if not periods and published:
        periods = [(published, published)]
    if not periods:
        # undated, its lead "Trong những năm qua, …": the span it gives its "N năm qua"
        # ("trong 5 năm qua (2016-2021)") is what it reviews
        periods = list(relative_spans(doc.text).values())[:1]
    # a programme's span that runs past the publication ("Sơ kết 3 năm thực hiện Chương
    # trình … giai đoạn 2021-2025", published in 2023): its figures cover the years so far
    periods += [
        (first, published)
        for first, last in list(periods)
        if published and first < published < last and (first, published) not in periods
    ]
    # a plan for a coming year ("ký kế hoạch hợp tác năm 2024", published in December
    # 2023) reports on the year it is published in: its "Trong năm, …" is that year; so
    # does the news of an event that starts a plan ("Ngày 18-6-2024, … đã ký Kế hoạch …
    # giai đoạn 2024-2027"): its undated facts ("Tỉnh Mittelsachsen hỗ trợ trang thiết bị
    # …") are the event's, that year's (a plan itself, undated, gives targets)
    this_year = (published, published) if published else None
    dated = _DATED_LEAD.match(lead)
    event = dated is not None and int(dated.group(1)) == published
    if (
        this_year
        and this_year not in periods
        and any(p[0] > this_year[0] or (event and p[0] == this_year[0] < p[1]) for p in periods)
    ):
        periods.append(this_year)
    return ArticleScope(
        places=list(places.values()),
        place_keys=list(places),
        periods=periods,
        correction="dinh chinh" in fold(doc.title),
    )
