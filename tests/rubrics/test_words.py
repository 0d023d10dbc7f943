"""What a sentence denies, word by word."""

from __future__ import annotations

import pytest

from rubrics.words import negated_stems, stem


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
