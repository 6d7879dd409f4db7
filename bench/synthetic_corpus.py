"""Deterministic generators of large synthetic corpora for the scale benchmark.

The shipped corpus has a few dozen chunks; the questions a deployment asks of us (how big
can the archive grow on one machine, when does exact search stop fitting the latency
budget) are about 10⁴–10⁶ chunks. Real articles in that number cannot be shipped or
embedded here, so this module makes stand-ins that exercise the same code paths:

* **Text** (:func:`chunk_texts`, :func:`documents`, :func:`lexical_queries`): chunk-sized
  passages of Vietnamese-*like* text. Syllables are drawn from an inventory built from
  Vietnamese onsets, rimes and the six tones (spelling rules applied: ``k``/``gh``/``ngh``
  before front vowels, only sắc/nặng on stopped rimes) with a Zipf frequency law, so the
  lexical index sees a realistic vocabulary size, term-frequency skew and diacritics
  (folded and exact columns both matter). Sentences carry figures (``14.081,67``),
  periods (``2016-2020``), dates and document codes (``41-CT/TW``) and capitalised names,
  which the tokenizer must keep whole. The text is not Vietnamese: it is for measuring
  speed and size, never quality.
* **Vectors** (:func:`clustered_unit_vectors`, :func:`query_vectors`): embedding a million
  chunks with the real model would take days on this machine, so vector-search figures
  use generated unit vectors. Isotropic random vectors would be a poor stand-in (every
  point is nearly equidistant from every other in 768 dimensions, which makes approximate
  search look far worse than on real embeddings), so points are drawn around topic
  centres in a low-dimensional latent space, mapped to ``dim`` dimensions by a fixed
  random projection and given a little isotropic noise: clustered, with a low intrinsic
  dimension, like sentence embeddings.

Everything is a pure function of ``seed`` (and of the sizes), and generation is
block-wise, so a larger corpus starts with the smaller one (the 10k corpus is the first
10k chunks of the 100k corpus) and memory stays flat while streaming text.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator

import numpy as np

from assistant.core.types import Document
from assistant.text.vietnamese import unify_tone_word

BLOCK = 1000  # chunks (or vectors) generated from one child seed

ONSETS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)
RIMES = tuple(
    """
    a ai ao au ay an ang anh am at ac ach ap ăn ăng ăm ăt ăc ăp âu ây ân âng âm ât âc âp
    e eo en em et ep ê êu ên ênh êm êt êch êp i ia iu in inh im it ich ip iêu iên iêng iêm
    iêt iêc iêp o oa oai oay oan oang oanh oat oac oe oen oet oi on ong om ot oc op ô ôi ôn
    ông ôm ôt ôc ôp ơ ơi ơn ơm ơt ơp u ua uân uât uê uy uyên uyêt ui un ung um ut uc up
    uôi uôn uông uôt uôc ư ưa ưi ưu ưng ưt ưc ươi ươn ương ươm ươt ươc ươu
    """.split()
)
# level, grave (huyền), acute (sắc), hook (hỏi), tilde (ngã), dot below (nặng)
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_STOPPED_TONES = ("\u0301", "\u0323")  # the only tones a rime ending in p/t/c/ch takes
_FRONT = ("e", "ê", "i", "y")
_VOWEL_CHARS = set("aăâeêioôơuưy")
ZIPF_EXPONENT = 1.05
# Frequent Vietnamese function words, most frequent first (the head of the Zipf law).
FUNCTION_WORDS = tuple(
    """
    và của là các có được trong cho với những đã để một này từ đến theo về tại khi như
    trên ra vào còn thì mà đó sẽ cũng đang nhiều năm
    """.split()
)
CODE_SUFFIXES = ("CT/TW", "NQ-TW", "QĐ-UBND", "NĐ-CP", "KH-UBND", "TB-VPCP", "QĐ-TTg")


def _spell(onset: str, rime: str) -> str | None:
    """The written syllable for onset + rime, or None where the spelling does not exist."""
    front = rime.startswith(_FRONT)
    if (onset == "c" and front) or (onset == "k" and not front):
        return None
    if onset == "g" and front:
        onset = "gh"
    if onset == "ng" and front:
        onset = "ngh"
    if onset == "qu" and rime[0] in "uo":
        return None
    if onset == "qu" and rime[0] == "i":  # written with y: quyên, quyết
        rime = "y" + rime[1:]
    if onset == "gi" and rime[0] == "i":
        return "gi" + rime[1:] if len(rime) > 1 else "gi"
    return onset + rime


def _with_tone(syllable: str, tone: str) -> str:
    """The syllable with ``tone`` on the vowel Vietnamese spelling puts it on (the
    project's own rule, :func:`unify_tone_word`)."""
    if not tone:
        return syllable
    decomposed = unicodedata.normalize("NFD", syllable)
    for i, ch in enumerate(decomposed):
        if unicodedata.normalize("NFC", ch) in _VOWEL_CHARS or ch in "aeiouy":
            marked = decomposed[: i + 1] + tone + decomposed[i + 1 :]
            return unify_tone_word(unicodedata.normalize("NFC", marked))
    return syllable


@functools.lru_cache(maxsize=1)
def syllable_inventory() -> tuple[str, ...]:
    """Every syllable the generator can write (a few thousand, sorted)."""
    found: set[str] = set()
    for onset in ONSETS:
        for rime in RIMES:
            spelled = _spell(onset, rime)
            if spelled is None:
                continue
            stopped = rime.endswith(("p", "t", "c", "ch"))
            for tone in _STOPPED_TONES if stopped else TONES:
                found.add(_with_tone(spelled, tone))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=8)
def _vocabulary(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(syllables in frequency-rank order, cumulative Zipf probabilities) for ``seed``.

    As in real Vietnamese, the most frequent syllables are function words (the ones the
    lexical query drops as stopwords); the rest of the inventory follows in random order.
    """
    rng = np.random.default_rng([seed, 0])
    rest = sorted(set(syllable_inventory()) - set(FUNCTION_WORDS))
    shuffled = np.array(rest, dtype=object)
    rng.shuffle(shuffled)
    syllables = np.concatenate([np.array(FUNCTION_WORDS, dtype=object), shuffled])
    ranks = np.arange(1, len(syllables) + 1, dtype=np.float64)
    weights = 1.0 / (ranks + 2.7) ** ZIPF_EXPONENT
    return syllables, np.cumsum(weights / weights.sum())


def _figure(rng: np.random.Generator) -> str:
    """A figure, period, date or document code as Vietnamese articles write them."""
    kind = int(rng.integers(0, 6))
    if kind == 0:
        return f"{rng.integers(1, 99)}.{rng.integers(0, 1000):03d},{rng.integers(0, 100):02d}"
    if kind == 1:
        start = int(rng.integers(1990, 2025))
        return f"{start}-{start + int(rng.choice([1, 4, 5, 10]))}"
    if kind == 2:
        return f"{rng.integers(1, 29)}-{rng.integers(1, 13)}-{rng.integers(1990, 2026)}"
    if kind == 3:
        return f"{rng.integers(1, 200)}-{CODE_SUFFIXES[int(rng.integers(0, len(CODE_SUFFIXES)))]}"
    if kind == 4:
        return f"{rng.integers(1, 100)},{rng.integers(0, 10)}%"
    return f"{rng.integers(1, 10_000):,}".replace(",", ".")


def _chunk(rng: np.random.Generator, syllables: np.ndarray, cdf: np.ndarray, target: int) -> str:
    """One passage of about ``target`` characters: sentences of 8–24 syllables, some
    with a capitalised name and a figure."""
    sentences: list[str] = []
    size = 0
    while size < target:
        count = int(rng.integers(8, 25))
        words = list(syllables[np.searchsorted(cdf, rng.random(count))])
        if rng.random() < 0.5:  # a name: two or three capitalised rare-ish syllables
            at = int(rng.integers(1, count))
            name = syllables[rng.integers(50, 2000, size=int(rng.integers(2, 4)))]
            words[at:at] = [str(w).capitalize() for w in name]
        if rng.random() < 0.6:
            words.insert(int(rng.integers(1, len(words))), _figure(rng))
        words[0] = str(words[0]).capitalize()
        sentence = " ".join(words) + ("," if rng.random() < 0.1 else ".")
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


def chunk_texts(n: int, seed: int = 0, target_chars: int = 550) -> Iterator[str]:
    """``n`` deterministic chunk texts (about ``target_chars`` each, like the project's
    600-character chunks after overlap trimming); a prefix of a larger call's output."""
    syllables, cdf = _vocabulary(seed)
    for block in range(0, n, BLOCK):
        rng = np.random.default_rng([seed, 1, block // BLOCK])
        for _ in range(min(BLOCK, n - block)):
            yield _chunk(rng, syllables, cdf, target_chars)


def documents(n_chunks: int, seed: int = 0, chunks_per_doc: int = 8) -> Iterator[Document]:
    """Articles of ``chunks_per_doc`` generated chunks each (one paragraph per chunk),
    with a title, a date and a tag, as a portal export would give them."""
    texts = chunk_texts(n_chunks, seed)
    for number in range(0, n_chunks, chunks_per_doc):
        paragraphs = [next(texts) for _ in range(min(chunks_per_doc, n_chunks - number))]
        title = paragraphs[0].split(".")[0][:80]
        yield Document(
            id=f"syn-{seed}-{number // chunks_per_doc:07d}",
            title=title,
            text="\n\n".join(paragraphs),
            published_at=f"{2010 + number % 15}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            tags=["synthetic"],
        )


def lexical_queries(n: int, seed: int = 0, corpus_chunks: int = 10_000) -> list[str]:
    """``n`` questions built from words of chunks inside the first ``corpus_chunks``
    (3–6 consecutive syllables, sometimes with the chunk's figure), so every query has
    matching chunks, as a user's question about the archive would."""
    rng = np.random.default_rng([seed, 2])
    picks = sorted(set(rng.integers(0, corpus_chunks, size=n * 3).tolist()))[: n * 2]
    wanted = {int(i) for i in rng.choice(picks, size=min(n, len(picks)), replace=False)}
    out: list[str] = []
    for i, text in enumerate(chunk_texts(max(wanted) + 1, seed)):
        if i not in wanted:
            continue
        words = text.replace(".", " ").replace(",", " ").split()
        start = int(rng.integers(0, max(1, len(words) - 6)))
        phrase = " ".join(words[start : start + int(rng.integers(3, 7))])
        out.append(f"{phrase} là bao nhiêu?")
    return out


# ---------------------------------------------------------------------------------------
# vectors


def _latent_model(seed: int, dim: int, latent_dim: int, n_clusters: int) -> tuple[np.ndarray, ...]:
    """(topic centres in latent space, the latent → ``dim`` projection)."""
    rng = np.random.default_rng([seed, 3])
    centres = rng.standard_normal((n_clusters, latent_dim)).astype(np.float32)
    projection = rng.standard_normal((latent_dim, dim)).astype(np.float32) / np.sqrt(latent_dim)
    return centres, projection


def _draw(
    rng: np.random.Generator,
    count: int,
    centres: np.ndarray,
    projection: np.ndarray,
    spread: float,
    noise: float,
) -> np.ndarray:
    latent_dim, dim = projection.shape
    labels = rng.integers(0, len(centres), size=count)
    latent = centres[labels] + spread * rng.standard_normal((count, latent_dim), dtype=np.float32)
    out = latent @ projection
    out += noise * rng.standard_normal((count, dim), dtype=np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def clustered_unit_vectors(
    n: int,
    dim: int = 768,
    seed: int = 0,
    *,
    latent_dim: int = 64,
    n_clusters: int = 1024,
    spread: float = 0.6,
    noise: float = 0.25,
) -> np.ndarray:
    """``n`` float32 unit vectors of ``dim`` dimensions with topic structure (see the
    module docstring): a point is a topic centre plus ``spread`` latent noise, projected,
    plus ``noise`` isotropic noise, normalised. Row i does not depend on ``n``."""
    centres, projection = _latent_model(seed, dim, latent_dim, n_clusters)
    out = np.empty((n, dim), dtype=np.float32)
    for block in range(0, n, BLOCK):
        rng = np.random.default_rng([seed, 4, block // BLOCK])
        count = min(BLOCK, n - block)
        # always draw a whole block, so that row i is the same whatever n is
        out[block : block + count] = _draw(rng, BLOCK, centres, projection, spread, noise)[:count]
    return out


def query_vectors(
    n: int,
    dim: int = 768,
    seed: int = 0,
    *,
    latent_dim: int = 64,
    n_clusters: int = 1024,
    spread: float = 0.6,
    noise: float = 0.25,
) -> np.ndarray:
    """``n`` held-out query vectors from the same distribution as
    :func:`clustered_unit_vectors` (same topics, fresh draws: never a stored vector)."""
    centres, projection = _latent_model(seed, dim, latent_dim, n_clusters)
    rng = np.random.default_rng([seed, 5])
    return _draw(rng, n, centres, projection, spread, noise)
