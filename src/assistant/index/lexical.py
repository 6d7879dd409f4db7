"""Lexical terms for indexing and the FTS5 query that matches them.

A chunk is indexed twice: by its tone-unified terms (``exact``) and by the same terms with
diacritics folded away (``folded``). A query typed with diacritics matches both columns; a
query typed without them (``thanh hoa xuat khau``) matches the folded column. Either way a
term that agrees exactly scores higher through the column weights.
"""

from __future__ import annotations

from assistant.core.words import STOPWORDS
from assistant.text.vietnamese import has_diacritics, lexical_terms


def index_terms(text: str) -> tuple[str, str]:
    """(exact, folded) term strings of a chunk, space separated, for the FTS5 table."""
    exact, folded = lexical_terms(text)
    return " ".join(exact), " ".join(folded)


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def match_expression(query: str) -> str:
    """FTS5 MATCH expression for a question: any query term, in either column.

    When the question has no diacritics at all, its terms can only be trusted folded,
    so they are looked up in the folded column only.
    """
    exact, folded = lexical_terms(query)
    keep = [i for i, term in enumerate(folded) if term not in STOPWORDS]
    exact = list(dict.fromkeys(exact[i] for i in keep))
    folded = list(dict.fromkeys(folded[i] for i in keep))
    if not folded:
        return ""
    parts = []
    if has_diacritics(query):
        parts.append("exact : (" + " OR ".join(_quote(t) for t in exact) + ")")
    parts.append("folded : (" + " OR ".join(_quote(t) for t in folded) + ")")
    return " OR ".join(parts)
