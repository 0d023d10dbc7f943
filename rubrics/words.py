"""Word-level helpers shared by the rubric builder and the scorer: tokens, stems, stopwords."""

from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from models.plain import plain
from models.stops import ends_stopped

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)

# Negators change what a sentence claims while barely moving its embedding.
NEGATORS = frozenset(
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot",
        "without", "hardly", "barely", "n't", "doesnt", "dont", "isnt", "arent", "wasnt",
        "werent", "wont", "cant", "couldnt", "shouldnt", "wouldnt", "didnt", "hasnt", "havent",
        "unless", "lack", "lacks", "lacking", "absence", "fail", "fails", "failed", "unable",
        "rarely", "seldom",
    }
)  # fmt: skip
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) - NEGATORS
# Words that frame a question rather than say what it is about.
INSTRUCTION_WORDS = frozenset(
    {
        "does", "do", "did", "explain", "describe", "discuss", "evaluate", "give", "list",
        "state", "identify", "way", "ways", "why", "how", "what", "which", "potential",
        "briefly", "main", "example", "examples", "reason", "reasons",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of the text's plain form (`models.plain`), apostrophes kept
    inside words."""
    return _TOKEN.findall(plain(text).lower())


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one lower-case word."""
    return str(_stemmer().stemWord(word))


def question_stems(question: str) -> frozenset[str]:
    """Stems of what a question is about, without its framing words."""
    return frozenset(
        stem(t)
        for t in tokens(question)
        if t not in STOPWORDS and t not in INSTRUCTION_WORDS and not is_negator(t) and len(t) > 1
    )


def is_negator(token: str) -> bool:
    """True for words that negate a claim (not, never, without, ...n't)."""
    return token in NEGATORS or token.endswith("n't")


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning: no stopwords, no negators, no numbers alone."""
    return [
        stem(t) for t in tokens(text) if t not in STOPWORDS and not is_negator(t) and len(t) > 1
    ]


NEGATION_SCOPE = 3
# A negation's reach ends with its clause.
_SCOPE_END = re.compile(
    r"[,;:.!?()\u2013\u2014]|\b(?:since|because|which|that|who|but|although|though|while|"
    r"when|whereas|if|so|and then)\b",
    re.IGNORECASE,
)


# "It is not true that X", "it is false that X": the denial is of the clause after "that",
# which would otherwise end the negation's reach at "true".
_DENIED_CLAUSE = re.compile(
    r"(\bnot|n't|\bnever)\s+(?:true|the case|correct|right)\s+that\b"
    r"|\b(?:false|untrue)\s+that\b",
    re.IGNORECASE,
)


def _deny_clause(match: re.Match[str]) -> str:
    return match.group(1) or "not"


# What ends a denied clause's reach: a turn to another claim ("..., but Y").
_DENIED_CLAUSE_END = re.compile(r"[;:]|\b(?:but|although|though|whereas|however)\b", re.IGNORECASE)


def denied_clause(text: str) -> tuple[int, int] | None:
    """The (start, end) offsets in `text` of a clause denied whole ("It is not true that X",
    "it is false that X": the span of X), or None. Every word of X is denied, not only the
    first few after the negator, so X may say the point in words of its own and still be
    denied."""
    match = _DENIED_CLAUSE.search(text)
    if match is None:
        return None
    end = _DENIED_CLAUSE_END.search(text, match.end())
    return match.end(), end.start() if end else len(text)


def negated_stems(text: str, scope: int = NEGATION_SCOPE) -> frozenset[str]:
    """Stems of the `scope` content words after each negator ("does not build trust": build,
    trust): what a sentence denies, to compare with what a rubric point asserts. "It is not
    true that X" and "it is false that X" deny X."""
    denied: set[str] = set()
    text = _DENIED_CLAUSE.sub(_deny_clause, text)
    for clause in _SCOPE_END.split(text):
        words = tokens(clause)
        for i, word in enumerate(words):
            if not is_negator(word):
                continue
            taken = 0
            for follower in words[i + 1 :]:
                if taken == scope or is_negator(follower):
                    break
                if follower not in STOPWORDS:
                    denied.add(stem(follower))
                    taken += 1
    return frozenset(denied)


def demote(text: str, question_stems: frozenset[str] | set[str]) -> str:
    """The text without the words it shares with the question.

    Every point and every on-topic answer repeats the question's words ("Track II diplomacy"),
    which makes unrelated sentences look alike to an encoder; comparing what is left compares
    what is actually claimed. A text made only of question words is kept whole.
    """
    if not question_stems:
        return text
    kept = [word for word in text.split() if not _asked(word, question_stems)]
    return " ".join(kept) if kept else text


def _asked(word: str, question_stems: frozenset[str] | set[str]) -> bool:
    core = tokens(word)
    return bool(core) and core[0] not in STOPWORDS and all(stem(c) in question_stems for c in core)


def as_sentence(text: str) -> str:
    """The text ended as a sentence (a full stop added where it ends in none of . ! ?), so
    that text glued after it starts a sentence of its own."""
    said = text.rstrip()
    return said if ends_stopped(said) else f"{said}."
