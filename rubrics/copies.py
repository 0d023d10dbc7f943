"""Near copies of a rubric's phrasings that say something else: turned over, or scrambled.

"Terminals 1 and 4 are not connected" against the phrasing "Terminals 1 and 4 are connected",
or a point that denies something copied back without its "not": the two are nearly the same
words, so their embeddings are nearly the same, and the point would be covered. Word-level
polarity in general is unreliable (a paraphrase may swap "not separated" for "connected"),
but a near copy leaves no room for that: the same words with an odd number of negations
between them (or of words swapped for their opposites) say the opposite. Likewise a near copy
of a phrasing's words that keeps few of its word pairs side by side is those words shuffled,
and says nothing for certain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rubrics.words import is_negator, stem, tokens

# A sentence and a phrasing are near copies when this share of their words is common to both
# (Jaccard over stems, negators left out). On SemEval-2013 train it finds 34 of Beetle's 1049
# contradictory answers, and 3 of its 1665 correct answers and 3 of its 1227 incorrect ones
# (SciEntsBank: 1 correct answer of 4969); at 0.7 it would find 45, 7 and 7; without the
# opposites, 20, 2 and 3 (`scripts/near_copies.py`).
NEAR_COPY = 0.8
# At most this share of a copied phrasing's word pairs kept side by side, a near copy is
# scrambled. On SemEval-2013 train that calls 1 of Beetle's 1665 correct answers and 2 of its
# 1227 incorrect ones scrambled ("the battery is in a closed path, but does not contain a
# bulb"), none of SciEntsBank's, and 36 of 47 Beetle and 112 of 135 SciEntsBank references
# with their words shuffled (below 0.4 only: the same answers, and 32 and 108 shuffles);
# below 0.45 would call 5 correct answers scrambled (`scripts/near_copies.py`).
SCRAMBLED_AT_MOST = 0.4
# Too short a sentence is a near copy of too much.
MIN_WORDS = 3
# Words too common to say anything about what is claimed. Kept: everything else, stopwords
# included ("its own path" is not "the same path"), and numbers ("terminals 1, 2 and 3").
_FILLER = frozenset(
    {
        "the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "will", "would",
        "does", "do", "did", "to", "of",
    }
)  # fmt: skip
# "It is not true that X" and "it is false that X" deny X: the frame becomes one "not", so that
# its words do not make the sentence look less like X.
_DENIAL_FRAME = re.compile(
    r"\b(?:(?:it|this|that)\s+(?:is|was|'s)\s+)?"
    r"(?:(?:not|never)\s+(?:true|the case|correct|right)|false|untrue)\s+that\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# Words that turn a claim over when swapped for each other, as a negation does ("connected to
# the positive terminal" against "the negative terminal"): common English opposites, none
# with a second sense that is not an opposite ("light", "right" and "left" are left out).
_OPPOSITES = (
    "positive negative", "open closed", "on off", "increase decrease", "increase reduce",
    "more less", "more fewer", "higher lower", "high low", "larger smaller", "large small",
    "big small", "bigger smaller", "greater less", "greater smaller", "longer shorter",
    "long short", "faster slower", "fast slow", "hotter colder", "hot cold", "warmer cooler",
    "heavier lighter", "same different", "true false", "correct incorrect", "before after",
    "above below", "inside outside", "add remove", "gain lose", "attract repel",
    "conductor insulator", "series parallel", "complete incomplete", "connected disconnected",
    "present absent", "empty full", "strong weak", "stronger weaker", "wide narrow",
    "thick thin", "early late", "first last", "accept reject", "agree disagree",
    "include exclude", "internal external", "maximum minimum", "most least", "rise fall",
    "expand contract", "absorb reflect", "acidic basic", "living nonliving", "formal informal",
    "official unofficial", "public private", "possible impossible", "likely unlikely",
    "direct indirect", "equal unequal", "visible invisible", "active inactive",
    "soluble insoluble", "stable unstable", "safe unsafe", "known unknown", "certain uncertain",
    "friend enemy", "trust distrust", "trust mistrust", "success failure", "win lose",
    "north south", "east west", "increasing decreasing",
)  # fmt: skip


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    pairs: dict[str, set[str]] = {}
    for pair in _OPPOSITES:
        a, b = (stem(w) for w in pair.split())
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in pairs.items()}


@dataclass(frozen=True)
class Claim:
    """What a sentence says, word by word, and how many times it negates."""

    words: frozenset[str]
    negations: int


@lru_cache(maxsize=65_536)
def claim(text: str) -> Claim:
    """The stems of a text's words (negators and filler left out) and its count of negations."""
    said = tokens(_DENIAL_FRAME.sub(" not ", text))
    negations = sum(is_negator(word) for word in said)
    return Claim(
        frozenset(stem(w) for w in said if not is_negator(w) and w not in _FILLER), negations
    )


@lru_cache(maxsize=4096)
def phrasing_claims(phrasing: str) -> tuple[Claim, ...]:
    """One claim per sentence of a phrasing, and the whole phrasing's when it has several."""
    parts = [p for p in _SENTENCE_END.split(phrasing.strip()) if p]
    claims = [claim(p) for p in parts]
    if len(parts) > 1:
        claims.append(claim(phrasing))
    return tuple(claims)


@dataclass(frozen=True)
class Copy:
    """How near a sentence comes to one phrasing (or one sentence of it)."""

    phrasing: str
    overlap: float  # Jaccard of their words, a word swapped for its opposite counting as same
    swaps: int  # words swapped for their opposites
    agrees: bool  # an even number of turns (negations more or fewer, and swaps) between them


def _copies(sentence: str, phrasings: Sequence[str]) -> list[Copy]:
    """The sentence against every phrasing and phrasing sentence; none when the sentence is
    too short to be a copy of anything."""
    said = claim(sentence)
    if len(said.words) < MIN_WORDS:
        return []
    copies = []
    opposites = _opposites()
    for phrasing in phrasings:
        for phrased in phrasing_claims(phrasing):
            words, swaps = said.words, 0
            theirs = phrased.words - words
            for word in said.words - phrased.words:
                swapped = opposites.get(word, frozenset()) & theirs
                if swapped:
                    words = (words - {word}) | {min(swapped)}
                    theirs = theirs - {min(swapped)}
                    swaps += 1
            union = words | phrased.words
            overlap = len(words & phrased.words) / len(union) if union else 0.0
            turns = said.negations - phrased.negations + swaps
            copies.append(Copy(phrasing, overlap, swaps, turns % 2 == 0))
    return copies


def nearness(text: str, phrasings: Sequence[str]) -> float:
    """How near the text comes to the closest phrasing (or one of its sentences): the Jaccard
    overlap of their words, negators and filler left out, a word swapped for its opposite
    counting as the same word; 0.0 when the text is too short to be a copy of anything."""
    return max((c.overlap for c in _copies(text, phrasings)), default=0.0)


def opposite_words(text: str, phrasing: str) -> int:
    """How many of the text's words have their opposite in the phrasing ("positive" against
    "negative"), where the phrasing lacks the word itself and the text lacks the opposite."""
    said, phrased = claim(text).words, claim(phrasing).words
    opposites = _opposites()
    return sum(bool(opposites.get(word, frozenset()) & (phrased - said)) for word in said - phrased)


def copied_phrasings(sentence: str, phrasings: Sequence[str], near: float = NEAR_COPY) -> list[str]:
    """The phrasings the sentence is a near copy of (or of one of their sentences), word for
    word: no word swapped for its opposite."""
    return list(
        dict.fromkeys(
            c.phrasing for c in _copies(sentence, phrasings) if c.overlap >= near and not c.swaps
        )
    )


def flipped_copy(sentence: str, phrasings: Sequence[str], near: float = NEAR_COPY) -> bool:
    """True when the sentence is a near copy of a phrasing (or of one of its sentences) and
    turns it over an odd number of times, by negations more or fewer and by words swapped for
    their opposites ("positive" for "negative"): it says the opposite.

    The nearest copy decides; where two are equally near, one that agrees in polarity wins,
    since a rubric may phrase a point both ways.
    """
    nearest = max(
        ((c.overlap, c.agrees) for c in _copies(sentence, phrasings) if c.overlap >= near),
        default=None,
    )
    return nearest is not None and not nearest[1]


def kept_pairs(sentence: str, phrasing: str, min_pairs: int = 3) -> float | None:
    """Of the phrasing's adjacent word pairs whose two words both occur in the sentence, the
    share still side by side there, in either order ("terminal 4 and terminal 1" keeps "1 and
    4"'s pair); None where fewer than `min_pairs` pairs can be judged."""
    said, phrased = _stems(sentence), _stems(phrasing)
    present = set(said)
    adjacent = {frozenset(pair) for pair in zip(said, said[1:], strict=False)}
    pairs = [
        frozenset(pair)
        for pair in zip(phrased, phrased[1:], strict=False)
        if set(pair) <= present and pair[0] != pair[1]
    ]
    if len(pairs) < min_pairs:
        return None
    return sum(pair in adjacent for pair in pairs) / len(pairs)


def scrambled_copy(
    sentence: str, phrasings: Sequence[str], at_most: float = SCRAMBLED_AT_MOST
) -> bool:
    """True when the sentence is a near copy of phrasings' words whose word pairs it mostly
    does not keep side by side (`kept_pairs` at most `at_most` for each): their words shuffled.
    Only the copied phrasings are asked: of a point's many phrasings, one keeps a few pairs
    by chance."""
    shares = [kept_pairs(sentence, p) for p in copied_phrasings(sentence, phrasings)]
    judged = [share for share in shares if share is not None]
    return bool(judged) and max(judged) <= at_most


def _stems(text: str) -> list[str]:
    return [stem(w) for w in tokens(text)]
