"""How much each word of a question weighs, independently of what else is indexed.

Coverage (the share of the question's words a sentence contains) weighs words by rarity,
as BM25 does. Measured on the live index, those weights move whenever articles arrive:
fifty weather bulletins make "tỉnh" commoner and "nhập khẩu" relatively rarer, and an
answer about an unrelated article could flip. So rarity is read from a fixed reference:
the document frequencies of the project's own corpus (the sample article and the
synthetic portal), shipped with the package and rebuilt only on purpose
(:func:`build_reference`, checked by a test). A word the reference never saw counts as
rare, which is what an unseen name or figure is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.ingest.loaders import LoadError
from assistant.text.vietnamese import lexical_terms

REFERENCE_FILE = "reference_df.json"
MIN_DF = 2  # terms seen once are left out: they weigh like unseen ones


def build_reference(chunks: Iterable[str]) -> dict[str, object]:
    """Document frequencies (folded terms, per chunk) of a reference corpus."""
    df: Counter[str] = Counter()
    n = 0
    for text in chunks:
        n += 1
        df.update(set(lexical_terms(text)[1]))
    kept = {term: count for term, count in sorted(df.items()) if count >= MIN_DF}
    return {"chunks": n, "df": kept}


def reference_from_corpus(
    paths: Sequence[Path], chunk_size: int, overlap: int
) -> dict[str, object]:
    """The reference of the articles under ``paths``, chunked as the index chunks them."""
    from assistant.ingest.chunk import chunk_document
    from assistant.ingest.loaders import load_paths

    chunks = [
        chunk.text
        for doc in load_paths(list(paths))
        if not isinstance(doc, LoadError)
        for chunk in chunk_document(doc, chunk_size, overlap)
    ]
    return build_reference(chunks)


def write_reference(root: Path, chunk_size: int = 600, overlap: int = 100) -> Path:
    """Rebuild the shipped file from ``root``'s corpus/sample and corpus/synthetic (run
    after changing those corpora or the tokenisation; then re-fit on the dev split)."""
    reference = reference_from_corpus(
        [root / "corpus" / "sample", root / "corpus" / "synthetic"], chunk_size, overlap
    )
    data_dir = resources.files("assistant.answer").joinpath("data")
    target = Path(str(data_dir.joinpath(REFERENCE_FILE)))
    target.write_text(json.dumps(reference, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    _reference.cache_clear()
    return target


@lru_cache(maxsize=1)
def _reference() -> tuple[int, dict[str, int]]:
    data = json.loads(
        resources.files("assistant.answer")
        .joinpath("data")
        .joinpath(REFERENCE_FILE)
        .read_text("utf-8")
    )
    return int(data["chunks"]), {str(k): int(v) for k, v in data["df"].items()}


def reference_chunks() -> int:
    """Size of the reference corpus, in chunks."""
    return _reference()[0]


def reference_frequencies(terms: Sequence[str]) -> dict[str, int]:
    """In how many reference chunks each folded term occurs (0: never seen)."""
    df = _reference()[1]
    return {term: df.get(term, 0) for term in terms}
