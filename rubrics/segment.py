"""Split text into sentences, clauses and short overlapping windows, with character offsets.

Offsets always index the text exactly as given, so `text[seg.start:seg.end] == seg.text` and
evidence can be highlighted in the student's own answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from models.plain import LIST_MARKERS

SegmentKind = Literal["sentence", "clause", "window"]

DEFAULT_WINDOW_WORDS = 8
DEFAULT_WINDOW_STRIDE = 4
DEFAULT_MIN_CLAUSE_WORDS = 3
DEFAULT_MAX_ENCODED_WORDS = 3000

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
# Where one clause ends and the next begins: strong punctuation, a comma, or a connective that
# starts a new proposition. Bare "and"/"or" are left alone: they join noun phrases more often
# than clauses ("trust and understanding").
_CLAUSE_BREAK = re.compile(
    r"\s*[;:\u2013\u2014]\s+|,\s+|\s+(?=(?:but|while|whereas|because|since|which|although|"
    r"though|thereby|thus|therefore|hence|unless|by|leading|allowing|creating|making|"
    r"as well as)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of an answer: its text, where it is, and how it was cut."""

    text: str
    start: int
    end: int
    kind: SegmentKind

    @property
    def clean(self) -> str:
        """The text NFC, with single spaces (the encoder reads its plain form, `models.plain`)."""
        return normalise_text(self.text)


def normalise_text(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _pysbd_sentences(block: str) -> list[str]:
    """pysbd's `Segmenter.segment(block)`, without its per-sentence regex.

    `segment` finds each sentence back in the text with a regex made from that sentence:
    one compile per sentence, and since no two answers share them they push pysbd's own
    abbreviation patterns out of `re`'s cache, which then recompiles those too (a third of
    the time of segmenting an answer). `str.find` does the same search.
    """
    if not block:
        return []
    found: list[str] = []
    prior_end = 0
    for sentence in _segmenter().processor(block).process():
        if not sentence:  # an empty match: leave it to pysbd's own search
            return [str(s) for s in _segmenter().segment(block)]
        # As `re.finditer(re.escape(sentence) + r"\s*", block)`: the first non-overlapping
        # match, with its trailing whitespace, that ends after the previous sentence.
        position = 0
        while (start := block.find(sentence, position)) >= 0:
            end = start + len(sentence)
            while end < len(block) and block[end].isspace():
                end += 1
            if end > prior_end:
                found.append(block[start:end])
                prior_end = end
                break
            position = end
    return found


def _trimmed(text: str, start: int, end: int, kind: SegmentKind) -> Segment | None:
    while start < end and (text[start].isspace() or text[start] in LIST_MARKERS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return Segment(text[start:end], start, end, kind)


def split_sentences(text: str) -> list[Segment]:
    """Sentences (pysbd's rules: abbreviations, decimals, lists), each with exact offsets."""
    sentences: list[Segment] = []
    cursor = 0
    for block in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        # Paragraph breaks always end a sentence; pysbd works within each paragraph.
        block_start = block.start()
        local = 0
        for piece in _pysbd_sentences(block.group()):
            stripped = piece.strip()
            if not stripped:
                continue
            found = block.group().find(stripped, local)
            if found < 0:  # pysbd altered the text; keep the rest of the block whole
                found, stripped = local, block.group()[local:]
            local = found + len(stripped)
            segment = _trimmed(text, block_start + found, block_start + local, "sentence")
            if segment is not None:
                sentences.append(segment)
        cursor = block.end()
    del cursor
    return _labels_joined(text, sentences)


# A sentence that is only a list label: "a." or "4." cut off from the step it numbers ("a.
# because soil heats up faster" in lower case, "2. Copy it. 4. Trace it." in a list of steps).
_LABEL = re.compile(r"\(?(?:[A-Za-z]|\d{1,2})[.)]")


def _labels_joined(text: str, sentences: list[Segment]) -> list[Segment]:
    """The sentences with each lone list label joined to the sentence after it: a label says
    where an item begins, not what it says ("No." is a sentence; "a." is not)."""
    joined: list[Segment] = []
    for sentence in sentences:
        if joined and _LABEL.fullmatch(joined[-1].text):
            label = joined.pop()
            sentence = Segment(
                text[label.start : sentence.end], label.start, sentence.end, "sentence"
            )
        joined.append(sentence)
    return joined


def split_clauses(
    text: str,
    sentence: Segment,
    min_words: int = DEFAULT_MIN_CLAUSE_WORDS,
    breaks: re.Pattern[str] = _CLAUSE_BREAK,
) -> list[Segment]:
    """Clauses of a sentence, cut where `breaks` matches; empty when there is only one."""
    body = text[sentence.start : sentence.end]
    cuts = [0]
    for match in breaks.finditer(body):
        cuts.append(match.start())
        cuts.append(match.end())
    cuts.append(len(body))
    clauses: list[Segment] = []
    pending_start: int | None = None
    for i in range(0, len(cuts), 2):
        start = cuts[i] if pending_start is None else pending_start
        end = cuts[i + 1]
        if len(_WORD.findall(body[start:end])) < min_words and i + 2 < len(cuts):
            pending_start = start  # too short to stand alone: join it to the next clause
            continue
        pending_start = None
        clause = _trimmed(text, sentence.start + start, sentence.start + end, "clause")
        if clause is not None and len(_WORD.findall(clause.text)) >= min_words:
            clauses.append(clause)
    if len(clauses) < 2:
        return []
    return clauses


def make_windows(
    text: str,
    sentence: Segment,
    size: int = DEFAULT_WINDOW_WORDS,
    stride: int = DEFAULT_WINDOW_STRIDE,
) -> list[Segment]:
    """Overlapping windows of `size` words inside a sentence longer than a window and a half."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, sentence.start, sentence.end)]
    if len(words) <= size + size // 2:
        return []
    windows: list[Segment] = []
    for first in range(0, len(words) - size + stride, stride):
        last = min(first + size, len(words)) - 1
        window = _trimmed(text, words[first][0], words[last][1], "window")
        if window is not None:
            windows.append(window)
        if last == len(words) - 1:
            break
    return windows


def segment_answer(
    text: str,
    window_words: int = DEFAULT_WINDOW_WORDS,
    window_stride: int = DEFAULT_WINDOW_STRIDE,
    max_encoded_words: int = DEFAULT_MAX_ENCODED_WORDS,
) -> list[Segment]:
    """Sentences, then clauses, then windows, without repeats.

    Encoding costs time in proportion to the words encoded, so each finer level is added
    whole, and only while the words of all segments stay within `max_encoded_words`: a short
    answer gets every level, a long essay keeps every sentence and drops what does not fit.
    """
    sentences = split_sentences(text)
    seen = {(s.start, s.end) for s in sentences}
    segments = list(sentences)
    budget = max_encoded_words - sum(count_words(s.text) for s in sentences)
    for finer in (
        lambda s: split_clauses(text, s),
        lambda s: make_windows(text, s, window_words, window_stride),
    ):
        extra: list[Segment] = []
        for sentence in sentences:
            for piece in finer(sentence):
                if (piece.start, piece.end) not in seen:
                    seen.add((piece.start, piece.end))
                    extra.append(piece)
        cost = sum(count_words(piece.text) for piece in extra)
        if cost > budget:
            break
        budget -= cost
        segments.extend(extra)
    return segments


def count_words(text: str) -> int:
    """Whitespace-separated words in a text."""
    return len(_WORD.findall(text))
