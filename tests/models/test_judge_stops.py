"""A student's closing full stop is no part of what the answer says: the pair judge reads a
text ended as its phrasing is."""

from __future__ import annotations

import numpy as np

from models.judge import PairJudge, ended_alike

STOPPED = "The bulb goes out because the circuit is open."
BARE = "Terminal 1 and the positive terminal are separated by the gap"


def test_a_text_is_ended_as_its_phrasing_is() -> None:
    assert ended_alike((STOPPED, "the circuit is open")) == (STOPPED, "the circuit is open.")
    assert ended_alike((STOPPED, "is it open? ")) == (STOPPED, "is it open?")
    assert ended_alike((BARE, "1 has no gap. ")) == (BARE, "1 has no gap")
    assert ended_alike((BARE, "it is open!?")) == (BARE, "it is open")
    # Inner stops are the text's own; a text of stops alone is left as it is.
    assert ended_alike((BARE, "No. It is open.")) == (BARE, "No. It is open")
    assert ended_alike((BARE, "...")) == (BARE, "...")
    assert ended_alike((STOPPED, "")) == (STOPPED, "")


def test_the_judge_reads_an_answer_the_same_with_or_without_its_full_stop(
    pair_judge: PairJudge,
) -> None:
    texts = ["the bulb goes out since the circuit is open", "the bulb stays lit"]
    for phrasing in (STOPPED, STOPPED.rstrip(".")):
        pairs = [(phrasing, t) for t in texts] + [(phrasing, f"{t}.") for t in texts]
        read = pair_judge.predict(pairs)
        np.testing.assert_array_equal(read[:2], read[2:])
        # As written, the stop moves what the judge reads.
        written = pair_judge.predict(pairs, as_written=True)
        assert np.abs(written[:2] - written[2:]).max() > 0.005
