"""A near copy of a phrasing with its polarity turned over says the opposite."""

from __future__ import annotations

import pytest

from rubrics.copies import claim, flipped_copy, nearness, opposite_words


@pytest.mark.parametrize(
    ("sentence", "phrasings"),
    [
        ("Terminals 1 and 4 are not connected.", ["Terminals 1 and 4 are connected"]),
        # A point that denies, copied back without its denial.
        (
            "The battery in 2 is in a closed path.",
            ["The battery in 2 is not in a closed path"],
        ),
        ("It is not true that bulb B creates a gap.", ["bulb B creates a gap"]),
        ("It is false that the switch in circuit 2 is open.", ["The switch in circuit 2 is open."]),
        # A word swapped for its opposite turns a claim over as a negation does.
        ("Terminal 1 is connected to the positive battery terminal.",
         ["Terminal 1 is connected to the negative battery terminal"]),
        ("The switch in circuit 2 is closed.", ["The switch in circuit 2 is open"]),
        # One negation more than a phrasing that already has one: an odd difference.
        (
            "If no gas is produced, the food does contain acid.",
            ["If gas is produced, the food contains acid. If no gas is produced, the food "
             "does not contain acid."],
        ),
    ],
)  # fmt: skip
def test_a_near_copy_with_polarity_turned_over_is_flipped(
    sentence: str, phrasings: list[str]
) -> None:
    assert flipped_copy(sentence, phrasings)


@pytest.mark.parametrize(
    ("sentence", "phrasings"),
    [
        # Same polarity, other words.
        ("terminal 1 is not connected to the positive terminal",
         ["Terminal 1 and the positive terminal are not connected"]),
        # An opposite and a negation: the same claim.
        ("Terminal 1 is not connected to the positive battery terminal.",
         ["Terminal 1 is connected to the negative battery terminal"]),
        # Two negations against none: the same claim.
        ("It is not true that the bulbs are not connected.", ["The bulbs are connected."]),
        # A rubric that phrases the point both ways: the copy that agrees wins the tie.
        ("Terminal 1 is not separated from terminal 4.",
         ["Terminal 1 is separated from terminal 4",
          "Terminal 1 is not separated from terminal 4"]),
        # A negation about something else, far from a copy.
        ("Because there was not a gap, the bulb lit.", ["Terminal 1 is connected to the battery"]),
        # "its own path" is not "the same path": the words kept tell them apart.
        ("Bulb A is not in the same path as bulb B.", ["each bulb is in its own path"]),
        # Too short to be a copy of anything.
        ("Not open.", ["Open."]),
    ],
)  # fmt: skip
def test_other_sentences_are_not_flipped(sentence: str, phrasings: list[str]) -> None:
    assert not flipped_copy(sentence, phrasings)


def test_a_claim_counts_negations_and_keeps_numbers_and_stopwords() -> None:
    said = claim("Terminals 4, 5 and 6 are not connected to its own terminal.")
    assert said.negations == 1
    assert {"4", "5", "6", "own"} <= said.words
    assert "not" not in said.words
    assert claim("It is not true that trust grows.") == claim("Not trust grows.")


def test_opposite_words_counts_swaps_and_not_words_both_hold() -> None:
    phrasing = "Terminal 1 is connected to the negative battery terminal"
    assert opposite_words("Terminal 1 is connected to the positive battery terminal.", phrasing)
    # Naming both sides is no swap: "positive" is there, and so is "negative".
    assert not opposite_words("The positive and negative terminals are connected.", phrasing)
    assert not opposite_words("Terminal 1 touches the negative terminal.", phrasing)


def test_nearness_is_the_word_overlap_with_the_closest_phrasing() -> None:
    phrasings = ["The bulb is in a closed path", "Bulb A is contained in a circuit"]
    assert nearness("The bulb is not in a closed path.", phrasings) == 1.0
    # A word swapped for its opposite counts as the same word: near, and turned over.
    assert nearness("The bulb is in an open path.", phrasings) == 1.0
    assert 0.0 < nearness("Electricity flows around the bulb's path.", phrasings) < 0.5
    assert nearness("No.", phrasings) == 0.0  # too short to be a copy of anything
