"""Integrity flags. A flag is reported beside the score; it never zeroes a score by itself."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assess.align import ItemAlignment
from assess.analyse import Analysis
from assess.config import GraderConfig
from assess.result import Flag
from models.language import NO_LANGUAGE, language_of
from models.lexicon import english_words
from rubrics import Rubric
from rubrics.words import STOPWORDS, content_stems, tokens

_VOWEL = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")
_REPEAT = re.compile(r"(.)\1\1")


def is_empty(answer: str) -> bool:
    """No letter or digit at all."""
    return not any(ch.isalnum() for ch in answer)


def _junk_word(word: str, known: frozenset[str]) -> bool:
    if word in known or not word.isalpha() or not word.isascii():
        return False
    return (
        _VOWEL.search(word) is None
        or _CONSONANT_RUN.search(word) is not None
        or _REPEAT.search(word) is not None
        or len(word) > 20
    )


def gibberish_share(answer: str) -> float:
    """Share of alphabetic words that are neither known English words nor pronounceable."""
    words = [t for t in tokens(answer) if t.isalpha()]
    if not words:
        return 1.0 if answer.strip() else 0.0
    known = english_words()
    return sum(_junk_word(w, known) for w in words) / len(words)


def unknown_share(answer: str) -> float:
    """Share of alphabetic words of three letters or more that are not in the word list:
    random letters are almost never words, while jargon and misspellings stay a minority."""
    words = [t for t in tokens(answer) if t.isalpha() and len(t) >= 3]
    if len(words) < 3:
        return 0.0
    known = english_words()
    return sum(w not in known for w in words) / len(words)


def is_gibberish(text: str, config: GraderConfig) -> bool:
    """Half its words junk, or almost all of them unknown: not readable text."""
    return (
        gibberish_share(text) >= config.gibberish_share
        or unknown_share(text) >= config.unknown_share
    )


def is_letter_noise(text: str, config: GraderConfig) -> bool:
    """Gibberish made of letters, and surely so: words, no digit, and more than half of them
    junk (or almost all unknown). An answer of numbers or symbols ("10.", "127.0.0.0 -
    127.255.255.255") or of two words, one odd ("With Xs."), is flagged gibberish for
    review, but may be right."""
    has_words = any(t.isalpha() for t in tokens(text))
    return (
        has_words
        and not any(ch.isdigit() for ch in text)
        and (
            gibberish_share(text) > config.gibberish_share
            or unknown_share(text) >= config.unknown_share
        )
    )


def english_share(text: str, min_words: int) -> float | None:
    """Share of the text's words (letters only, two or more) in the English word list; None
    below `min_words` of them, too few to tell a language by."""
    words = [t for t in tokens(text) if t.isalpha() and len(t) >= 2]
    if len(words) < min_words:
        return None
    known = english_words()
    return sum(w in known for w in words) / len(words)


def unsupported_language(text: str, config: GraderConfig) -> str | None:
    """The language of an answer surely written in one the encoder does not read, else None.

    Surely: enough words, most of them pronounceable, few of them English, and py3langid sure
    of a language. Random letters are no language (py3langid calls them `zxx`, and most of
    their words are junk), so they stay gibberish; a short answer is too little to tell.
    """
    english = english_share(text, config.language_min_words)
    if english is None or english >= config.language_english_share:
        return None
    if gibberish_share(text) >= config.gibberish_share:
        return None
    code, probability = language_of(text)
    if (
        code == NO_LANGUAGE
        or code in config.supported_languages
        or probability < config.language_confidence
    ):
        return None
    return code


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def copied_share(answer: str, sources: Sequence[str], n: int = 4) -> float:
    """Share of the answer's word 4-grams found in any source text."""
    answer_shingles = _shingles(answer, n)
    if not answer_shingles:
        return 0.0
    source_shingles: set[tuple[str, ...]] = set()
    for source in sources:
        source_shingles |= _shingles(source, n)
    return len(answer_shingles & source_shingles) / len(answer_shingles)


def question_share(answer: str, question: str) -> float:
    """Share of the answer's content words that come from the question."""
    stems = content_stems(answer)
    if not stems:
        return 0.0
    question_stems = set(content_stems(question))
    return sum(s in question_stems for s in stems) / len(stems)


# A question that asks for a list ("List the layers", "Name the 3 service classes", "State at
# least 4 objectives"): there a bare list of terms is the answer asked for, not a way round it.
_ASKS_FOR_LIST = re.compile(
    r"\b(?:list|enumerate)\b"
    r"|\b(?:name|state|identify|mention)\s+(?:at\s+least\s+|the\s+)?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b"
    r"|\bwrite[- ]down\s+all\b",
    re.IGNORECASE,
)


def asks_for_list(question: str) -> bool:
    """The question asks for a list of things, so a bare list of terms may answer it."""
    return _ASKS_FOR_LIST.search(question) is not None


# The function words that tell a claim from a list of terms: the stop words and "does" and
# "did", which scikit-learn's list lacks ("Track II does not inform official negotiations" is
# a claim). Negators stay out, as in `STOPWORDS`: a list of a point's terms may carry its
# "not" or "without".
_FUNCTION_WORDS = STOPWORDS | {"does", "did"}


def is_keyword_list(answer: str, config: GraderConfig, question: str) -> bool:
    """A bare list of terms: enough words, almost none of them function words, to a question
    that does not ask for a list.

    Telegraphic short answers ("closed path, damaged bulb") stay below the word count. Numbers
    are no terms: an answer whose tokens are mostly numbers is a calculation ("P(B) = 0.6^3 *
    0.4^3 = 0.0138"), not a list, and the function words are counted among its words only.
    """
    if asks_for_list(question):
        return False
    found = tokens(answer)
    words = [t for t in found if t.isalpha()]
    if len(words) < config.keyword_list_words or 2 * len(words) < len(found):
        return False
    function_words = sum(w in _FUNCTION_WORDS for w in words)
    return function_words / len(words) <= config.keyword_list_function_share


def detect_flags(
    answer: str,
    rubric: Rubric,
    topical: bool,
    any_point_credited: bool,
    config: GraderConfig,
    off_topic_share: float = 0.0,
    language: str | None = None,
) -> list[Flag]:
    """Every flag that applies to an answer, in a fixed order.

    `topical`: whether the answer comes near the rubric's points at all
    (`assess.analyse.Analysis.topical`). `language`: the answer's, where it is one the
    encoder does not read (`unsupported_language`); the tests of English words and of
    nearness to the rubric then say nothing of it, and are not made.
    """
    if is_empty(answer):
        return ["empty"]
    flags: list[Flag] = []
    n_words = len(tokens(answer))
    if n_words < config.too_short_words:
        flags.append("too_short")
    if language is not None:
        flags.append("language_unsupported")
    english = language is None
    gibberish = english and is_gibberish(answer, config)
    if gibberish:
        flags.append("gibberish")
    if english and not any_point_credited and not topical:
        flags.append("off_topic")
    if n_words >= 3 and question_share(answer, rubric.question) >= config.copy_overlap:
        flags.append("copies_question")
    if copied_share(answer, rubric.model_answers) >= config.copy_overlap:
        flags.append("copies_model_answer")
    if english and not gibberish and is_keyword_list(answer, config, rubric.question):
        flags.append("keyword_list")
    if english and any_point_credited and off_topic_share >= config.padded_share:
        flags.append("padded")
    return flags


def word_salad(alignments: Sequence[ItemAlignment], config: GraderConfig) -> list[bool]:
    """Per item, whether its evidence is word salad: few of the item's word pairs in order,
    or a near copy of a phrasing's words with few of its pairs side by side."""
    return [a.word_order < config.scrambled_below or a.scrambled for a in alignments]


def salad_on_closest(analysis: Analysis, config: GraderConfig) -> bool:
    """Whether the evidence for the point the answer comes closest to is word salad."""
    points = analysis.alignments[: analysis.index.n_points]
    if not points:
        return False
    closest = max(range(len(points)), key=lambda n: points[n].similarity)
    return word_salad([points[closest]], config)[0]
