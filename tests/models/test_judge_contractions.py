"""A student's n't says what the words in full say: the pair judge reads contractions
spelled out, having learned n't as a denial of its own (every denial made for its training
contracts one)."""

from __future__ import annotations

import numpy as np
import pytest

from models.judge import LABELS, PairJudge, spelled_out

POINT = "Fosters trust and understanding among conflicting parties."


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("It isn't official", "It is not official"),
        ("it doesn\u2019t light", "it does not light"),
        ("They DON'T meet", "They DO not meet"),
        ("It can't be, and it won't be", "It cannot be, and it will not be"),
        ("Can't see", "Cannot see"),
        ("Ain't so, shan't", "Is not so, shall not"),
        # Nothing to spell out: no apostrophe, or no word before it.
        ("It isnt official", "It isnt official"),
        ("n't", "n't"),
    ],
)
def test_each_nt_is_spelled_out(text: str, full: str) -> None:
    assert spelled_out(text) == full


def test_the_judge_reads_a_contraction_as_the_words_in_full(pair_judge: PairJudge) -> None:
    contracted = "It isn't official, so people talk freely and build trust."
    full = "It is not official, so people talk freely and build trust."
    pairs = [(POINT, contracted), (POINT, full)]
    read = pair_judge.predict(pairs)
    np.testing.assert_array_equal(read[0], read[1])
    assert LABELS[int(read[0].argmax())] == "correct"
    # As written, the n't alone turned the point stated into its denial.
    written = pair_judge.predict(pairs, as_written=True)
    assert LABELS[int(written[0].argmax())] == "contradictory"
    assert LABELS[int(written[1].argmax())] == "correct"
