"""A teacher's graded answers of a point vote by their words and word pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from assess.word_vote import fit_vote, vote, word_bag
from rubrics.words import content_stems

GRADED = [
    ("The bulb is in a closed path with the battery.", 0),
    ("Bulb A is still in a closed path.", 0),
    ("It is on a closed path to the battery.", 0),
    ("The bulb is not in a closed path.", 1),
    ("Bulb A is not on a closed path with the battery.", 1),
    ("The switch is open so the path is open.", 2),
    ("Because the battery is good.", 2),
    ("The bulb has power.", 2),
]


def bag(text: str) -> frozenset[str]:
    return word_bag(text, frozenset(content_stems(text)))


def fitted_on(graded: list[tuple[str, int]]) -> tuple[Any, npt.NDArray[np.int64]]:
    """The vote fitted on graded (text, kind) pairs, and their kinds."""
    kinds = np.array([kind for _, kind in graded])
    return fit_vote([bag(text) for text, _ in graded], kinds), kinds


def test_word_pairs_join_the_stems() -> None:
    assert {"close path", "path"} <= bag("a closed path")


def test_letter_runs_cross_the_spaces_between_words() -> None:
    assert {"# a ", "#a c", "#clo", "#ed "} <= bag("a closed")


def test_a_misspelt_answer_votes_with_the_answers_it_misspells() -> None:
    graded = [
        ("The terminals are connected to the battery.", 0),
        ("Both terminals connected to the battery.", 0),
        ("Terminal 1 is connected to the battery.", 0),
        ("There is a gap in the circuit.", 2),
        ("The bulb is damaged.", 2),
        ("The terminal is damaged.", 2),
        ("The battery is dead.", 2),
    ]
    fitted, kinds = fitted_on(graded)
    # No stem of "conected" is in any graded answer: only its letters tell it from a word
    # no graded answer holds at all.
    misspelt = vote(fitted, bag("Terminal 1 is conected."), kinds)
    unknown = vote(fitted, bag("Terminal 1 is broken."), kinds)
    assert misspelt[0] > unknown[0] + 0.1


def test_the_vote_follows_the_words_that_set_the_kinds_apart() -> None:
    fitted, kinds = fitted_on(GRADED)
    covering = vote(fitted, bag("Bulb B is in a closed path too."), kinds)
    assert covering[0] == max(covering) and abs(sum(covering) - 1) < 1e-9
    denying = vote(fitted, bag("Bulb B is not in a closed path."), kinds)
    assert denying[1] > covering[1]
    # Without the words that covering answers share, an answer reads as neither.
    unknown = vote(fitted, bag("Photosynthesis makes sugar."), kinds)
    assert unknown[2] == max(unknown)


def test_graded_answers_of_one_kind_vote_for_it() -> None:
    kinds = np.array([2, 2])
    assert vote(fit_vote([bag("a"), bag("b")], kinds), bag("c"), kinds) == [0.0, 0.0, 1.0]


def test_how_many_answers_of_a_kind_were_graded_does_not_carry_the_vote() -> None:
    graded = [
        ("The bulb is in a closed path.", 0),
        ("Bulb A lies on a closed path.", 0),
        ("It is on a closed path to the battery.", 0),
        ("The path is closed.", 0),
        ("A closed path joins them.", 0),
        ("Closed path with the battery.", 0),
        ("Because the battery is good.", 2),
        ("The bulb has power.", 2),
    ]
    fitted, kinds = fitted_on(graded)
    # Six graded covering, two neither: words no graded answer holds are not taken for
    # covering because most graded answers were (the example model reads the counts itself).
    unknown = vote(fitted, bag("xyzzy"), kinds)
    assert unknown[2] > unknown[0]
