"""Every tuning constant of retrieval and answering, in one typed, documented place.

Each value was chosen with ``assistant eval`` on the **dev** split of the project's
questions (``eval/dev.jsonl``, index = the sample article + ``corpus/synthetic/``) and
is reported, never re-fitted, on the **test** split (``eval/test.jsonl``). Every eval
report carries the full object, so a figure can always be traced to the constants that
produced it. Change a value only with a dev-split measurement, and say so in the commit.

The object is frozen: components receive it when they are built and cannot drift apart.
Every field can be set from the environment as ``ASSISTANT_TUNING__<FIELD>``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

FITTED_ON = "dev"  # the split every value below was chosen on


class Tuning(BaseModel):
    """Constants of retrieval, segment scoring, selection, scoping and refusal."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    # --- retrieval -------------------------------------------------------------------
    top_k: int = 12
    """Passages handed to answer composition."""
    candidate_k: int = 40
    """Candidates taken from each retriever."""
    rrf_k: int = 60
    """Reciprocal-rank-fusion constant."""
    dense_weight: float = 0.6
    """Share of the dense ranking in the fusion."""
    english_dense_weight: float = 0.9
    """Dense share for English questions (no Vietnamese words to match)."""
    segment_passages: int = 12
    """Passages whose sentences compete (at most passages_per_article from
    one article: the same measure may be stated by many yearly articles)."""
    passages_per_article: int = 2
    """At most this many from one article."""
    newer_probes: int = 3
    """Retrievals restricted to the newest day found and
    then to articles newer than all found so far."""

    # --- segment scoring -------------------------------------------------------------
    coverage_weight: float = 1.0
    """Weight of word coverage in the score."""
    coverage_weight_english: float = 0.35
    """Weight of word coverage for an English question."""
    passage_similarity_share: float = 0.3
    """Share of the passage's similarity in a clause's similarity."""
    bigram_boost: float = 1.5
    """A matching word pair counts this much more."""
    focus_boost: float = 2.0
    """The new words of a follow-up count this much."""
    min_idf: float = 0.05
    """Floor of a term's rarity weight."""
    figure_bonus: float = 0.08
    """Asked for a figure, the clause has one."""
    figure_penalty: float = 0.15
    """Asked for a figure, the clause has none."""
    counted_bonus: float = 0.3
    """Asked how many of a thing no unit lists (mấy tầng), the clause counts it."""
    date_bonus: float = 0.08
    """Asked for a date, the clause has one."""
    reason_bonus: float = 0.08
    """Asked why, the clause gives a cause (do, vì, nhờ, nguyên nhân…)."""
    date_penalty: float = 0.10
    """Asked for a date, the clause has none."""

    # --- selection -------------------------------------------------------------------
    floor_factual: float = 0.9
    """Second clause of a factual answer: share."""
    floor_list: float = 0.75
    """Further items of a list answer: share."""
    floor_broad: float = 0.55
    """Further sentences of a summary: share."""
    results_figure_bonus: float = 0.15
    """A summary of results ('tóm tắt kết quả …'): a clause stating
    a figure ranks this much higher among the further sentences."""
    floor_reason: float = 0.45
    """The best clause giving a cause ('vì sao') or a way ('thế nào'), when the
    best one does not: share of the best score it needs to join the answer."""
    max_answer_sentences: int = 6
    """At most this many quoted segments."""
    refusal_suggestions: int = 3
    """A refusal offers up to this many questions the articles do answer."""
    suggestion_passages: int = 5
    """Those questions come from this many of the closest passages."""
    summary_sentences: int = 4
    """A summary quotes its best sentence and those after it in its paragraph, this
    many at most (then the best of other passages, up to max_answer_sentences)."""
    completion_chunks: int = 4
    """Chunks of the answering article read past the retrieved ones when
    none states what a 'lĩnh vực nào', 'vì sao' or 'thế nào' asks for."""
    reason_sentences: int = 3
    """At most this many quoted segments for a 'vì sao' or 'thế nào' question."""

    # --- scoping ---------------------------------------------------------------------
    article_margin: float = 0.12
    """Articles whose best clause scores within this of the best one compete
    on period and recency (the same measure in several articles)."""
    correction_margin: float = 0.3
    """A correction of the asked figure wins over the article it corrects within this of the best
    score (it restates only the corrected figure, so its wording matches the question less well)."""
    same_measure_similarity: float = 0.8
    """Asked for the latest figure, an article whose best clause is this
    close in meaning to the best article's states the same measure
    (another year's review) and competes on recency whatever its score."""
    same_measure_words: float = 0.8
    """Asked for the latest figure, an article whose best clause has this share
    of the question's words that the best article's clause has (weighted)
    states the same measure too, however its sentence is worded around them."""
    topical_mentions: int = 3
    """A name the article's lead names and its body mentions this often is its topic
    and need not be repeated in the quoted sentence (per article, never per corpus)."""

    # --- refusal ---------------------------------------------------------------------
    refusal_threshold: float = 0.58
    """Minimum support score (coverage + similarity) to answer."""
    min_coverage: float = 0.12
    """Share of the question's weighted words the answer must contain."""
    close_similarity: float = 0.65
    """A clause this close in meaning to the question answers with less word coverage
    (close_min_coverage): long questions in the reader's own words share few of its words."""
    close_min_coverage: float = 0.08
    """Word coverage enough for a clause of close_similarity."""
    similarity_alone: float = 0.99
    """A clause this close in meaning answers even with
    few shared words (paraphrases); 0.99 = never."""
    english_min_similarity: float = 0.46
    """Minimum similarity of the quoted sentence to an English question."""
    english_min_coverage: float = 0.3
    """An English question's glossary words this well covered by the quoted sentence
    answer at english_covered_similarity (a person's sentence, 'Ký biên bản phía
    Nhật Bản là ông …', is short and far in meaning from 'Who signed …')."""
    english_covered_similarity: float = 0.40
    """Similarity enough for an English question at english_min_coverage (dev: the
    same answers from 0.38 to 0.40, three fewer false refusals than at 0.42)."""

    def report(self) -> dict[str, object]:
        """The values as written into every eval report."""
        return {"fitted_on": FITTED_ON, **self.model_dump()}
