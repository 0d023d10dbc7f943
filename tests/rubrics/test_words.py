"""What a sentence denies, word by word."""

from __future__ import annotations

import pytest

from rubrics.words import denied_clause, negated_stems, stem


def stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


@pytest.mark.parametrize(
    ("sentence", "denied"),
    [
        ("Track II does not build trust.", ("build", "trust")),
        ("It is not true that officials resist ideas.", ("officials", "resist", "ideas")),
        ("It isn't the case that trust grows.", ("trust", "grows")),
        ("It is false that officials resist ideas.", ("officials", "resist", "ideas")),
        ("That is not true.", ("true",)),
        ("Trust grows because talks are not official.", ("official",)),
    ],
)
def test_a_negation_denies_the_words_after_it(sentence: str, denied: tuple[str, ...]) -> None:
    assert negated_stems(sentence) == stems(*denied)


def test_a_negation_ends_with_its_clause() -> None:
    assert negated_stems("They do not meet, so trust grows.") == stems("meet")


@pytest.mark.parametrize(
    ("sentence", "clause"),
    [
        ("It is not true that talks build trust.", "talks build trust."),
        ("It's false that talks build trust; they build contacts.", "talks build trust"),
        ("It isn't the case that talks build trust, but they help.", "talks build trust, "),
        ("Talks do not build trust.", None),
    ],
)
def test_a_clause_denied_whole_is_found_to_its_end(sentence: str, clause: str | None) -> None:
    span = denied_clause(sentence)
    assert (sentence[span[0] : span[1]].strip() if span else None) == (
        clause.strip() if clause else None
    )
