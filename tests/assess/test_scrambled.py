"""A near copy of a phrasing's words in scrambled order is never covered."""

from __future__ import annotations

import pytest

from assess import Grader
from rubrics import Rubric
from rubrics.copies import kept_pairs, scrambled_copy

CONNECTED = ["Terminals 1 and 4 are connected", "There is no gap between terminals 1 and 4"]


@pytest.mark.parametrize(
    "sentence",
    [
        "4 1 connected terminals are and.",
        "Between 4 gap there terminals and is no 1.",
    ],
)
def test_a_phrasing_with_its_words_shuffled_is_scrambled(sentence: str) -> None:
    assert scrambled_copy(sentence, CONNECTED)


@pytest.mark.parametrize(
    "sentence",
    [
        "Terminals 1 and 4 are connected.",
        # A phrase moved is a paraphrase, not a shuffle.
        "Terminal 4 and terminal 1 are connected.",
        # Not a copy at all: word order is nobody's business.
        "The bulb lights because the circuit is closed.",
    ],
)
def test_a_copy_in_order_or_no_copy_is_not_scrambled(sentence: str) -> None:
    assert not scrambled_copy(sentence, CONNECTED)


def test_a_point_with_its_words_shuffled_is_not_covered(grader: Grader, complement: Rubric) -> None:
    point = next(p for p in complement.points if p.id == "trust-building")
    words = point.text.rstrip(".").split()
    scrambled = " ".join(reversed(words)).capitalize() + "."
    result = grader.assess(complement, scrambled)
    assert next(p for p in result.points if p.id == "trust-building").status != "covered"
    assert (
        next(p for p in grader.assess(complement, point.text).points if p.id == point.id).status
        == "covered"
    )


def test_only_word_for_word_copies_judge_the_order() -> None:
    # The shuffle is a near copy of the second phrasing too, once "negative" is read as the
    # opposite of "positive"; that phrasing's pairs must not vouch for its order.
    phrasings = [
        "Terminals 4, 5 and 6 are not connected to the negative battery terminal",
        "Terminals 4, 5 and 6 are connected to the positive battery terminal",
    ]
    shuffle = "Battery 4, 5 terminal negative are connected to the not and 6 terminals."
    assert scrambled_copy(shuffle, phrasings)


def test_a_copy_keeping_two_fifths_of_the_pairs_is_scrambled() -> None:
    phrasing = "Red bulbs glow when wires connect"
    shuffle = "Red bulbs when wires glow connect."  # 2 of 5 pairs side by side
    assert kept_pairs(shuffle, phrasing) == pytest.approx(0.4)
    assert scrambled_copy(shuffle, [phrasing])
    assert not scrambled_copy("Red bulbs glow when wires connect.", [phrasing])
