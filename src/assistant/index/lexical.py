"""Lexical terms for indexing and the FTS5 query that matches them.

A chunk is indexed twice: by its tone-unified terms (``exact``) and by the same terms with
diacritics folded away (``folded``). A query typed with diacritics matches both columns; a
query typed without them (``thanh hoa xuat khau``) matches the folded column. Either way a
term that agrees exactly scores higher through the column weights.
"""

from __future__ import annotations

from assistant.core.words import STOPWORDS
from assistant.text.vietnamese import has_diacritics, lexical_terms

# BM25 weight of a term matched in the exact column, in the folded one (both engines).
COLUMN_WEIGHTS = (1.0, 0.7)


def index_terms(text: str) -> tuple[str, str]:
    """(exact, folded) term strings of a chunk, space separated, for the FTS5 table."""
    exact, folded = lexical_terms(text)
    return " ".join(exact), " ".join(folded)


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """The terms a question is looked up by: (exact terms, folded terms), stopwords
    removed, each once. When the question has no diacritics at all, its terms can only
    be trusted folded, so the exact list is empty."""
    exact, folded = lexical_terms(query)
    keep = [i for i, term in enumerate(folded) if term not in STOPWORDS]
    folded = list(dict.fromkeys(folded[i] for i in keep))
    if not folded or not has_diacritics(query):
        return [], folded
    return list(dict.fromkeys(exact[i] for i in keep)), folded


def match_expression(query: str) -> str:
    """FTS5 MATCH expression for a question: any query term (:func:`query_terms`), in
    its column."""
    exact, folded = query_terms(query)
    if not folded:
        return ""
    parts = []
    if exact:
        parts.append("exact : (" + " OR ".join(_quote(t) for t in exact) + ")")
    parts.append("folded : (" + " OR ".join(_quote(t) for t in folded) + ")")
    return " OR ".join(parts)
