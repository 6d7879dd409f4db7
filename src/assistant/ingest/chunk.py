"""Splitting documents into overlapping chunks with exact character offsets.

Chunks are what the retrievers index and what answers cite, so two guarantees matter more
than chunk sizes being exactly even:

* ``doc.text[chunk.start:chunk.end] == chunk.text`` always, also when the document repeats
  itself (langchain's own ``add_start_index`` finds the first occurrence of the text,
  which is wrong for repeats; offsets are computed here instead).
* a chunk never starts or ends inside a token: every separator is whitespace, so numbers
  (``14.081,67``), dates (``15-4-2010``) and document codes (``41-CT/TW``) are never cut,
  and there is no character-level fallback: a token longer than ``chunk_size`` is kept
  whole in an oversized chunk.

Separators go from the largest unit to the smallest: paragraph, line, sentence (the same
rule as :func:`assistant.text.sentences.split_sentences`), clause (``;``, ``,``), word.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.core.types import Chunk, Document
from assistant.text.sentences import SENTENCE_BREAK

# Regular expressions, all matching whitespace only (kept at the end of the piece before
# them and stripped from the chunk), so no break can fall inside a token.
SEPARATORS: tuple[str, ...] = (
    r"\n\s*\n",  # paragraph
    r"\n",  # line (headline, byline, list item)
    SENTENCE_BREAK,  # sentence, aware of abbreviations and "..." followed by lower case
    r"(?<=;)\s+",  # clause
    r"(?<=,)\s+",  # list item inside a sentence
    r"\s+",  # word
)


def chunk_document(doc: Document, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Chunks of at most ``chunk_size`` characters (unless a single word is longer),
    consecutive chunks sharing at most ``chunk_overlap`` characters, covering every
    non-whitespace character of ``doc.text``, each starting and ending at a word boundary.
    """
    # The splitter strips merged chunks but not a single oversized piece: strip them all.
    pieces = [p.strip() for p in _splitter(chunk_size, chunk_overlap).split_text(doc.text)]
    pieces = [p for p in pieces if p]
    starts = _locate(doc.text, pieces, chunk_overlap)
    return [
        Chunk(
            doc_id=doc.id,
            ordinal=i,
            start=start,
            end=start + len(piece),
            text=piece,
            title=doc.title,
        )
        for i, (piece, start) in enumerate(zip(pieces, starts, strict=True))
    ]


@lru_cache(maxsize=16)
def _splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    """The configured splitter (built once per size: compiling the separators is not free).

    ``keep_separator="end"`` keeps every character in some piece, so a chunk is always a
    contiguous slice of the text, stripped of surrounding whitespace.
    """
    return RecursiveCharacterTextSplitter(
        separators=list(SEPARATORS),
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        strip_whitespace=True,
    )


def _locate(text: str, pieces: list[str], overlap: int) -> list[int]:
    """Start offset of each piece in ``text``.

    The splitter emits contiguous slices in order, with only whitespace between
    consecutive chunks and at most ``overlap`` characters shared, so chunk k+1 starts in
    ``[max(start_k + 1, end_k - overlap), first non-space at or after end_k]``. Repeated
    text can offer several positions in that window; a depth-first search (remembering
    dead ends, so it stays polynomial) picks the sequence that covers the text to its end.
    """
    if not pieces:
        return []
    starts: list[int] = []
    dead: set[tuple[int, int]] = set()
    stack: list[Iterator[int]] = [_candidates(text, pieces, 0, starts, overlap)]
    while stack:
        index = len(stack) - 1
        start = next(stack[-1], None)
        if start is None:
            stack.pop()
            if starts:
                dead.add((len(starts) - 1, starts.pop()))
            continue
        if (index, start) in dead:
            continue
        starts.append(start)
        if index + 1 < len(pieces):
            stack.append(_candidates(text, pieces, index + 1, starts, overlap))
        elif not text[start + len(pieces[index]) :].strip():
            return starts
        else:
            dead.add((index, starts.pop()))
    raise AssertionError("text splitter returned a chunk that is not a slice of the text")


def _candidates(
    text: str, pieces: list[str], index: int, starts: list[int], overlap: int
) -> Iterator[int]:
    """Positions where piece ``index`` may start, given the starts of the pieces before."""
    if index == 0:
        low = high = _skip_space(text, 0)
    else:
        previous_start = starts[index - 1]
        previous_end = previous_start + len(pieces[index - 1])
        low = max(previous_start + 1, previous_end - overlap)
        high = _skip_space(text, previous_end)
    piece = pieces[index]
    position = text.find(piece, low, high + len(piece))
    while position != -1:
        yield position
        position = text.find(piece, position + 1, high + len(piece))


def _skip_space(text: str, position: int) -> int:
    """First non-whitespace position at or after ``position`` (``len(text)`` if none)."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position
