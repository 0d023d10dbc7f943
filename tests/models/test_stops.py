"""A text ended with or without its closing stop, as the rubric's texts are."""

from __future__ import annotations

from models.stops import ended_as, mostly_stopped


def test_a_text_is_ended_with_a_stop_or_without_one() -> None:
    assert ended_as("the circuit is open", stopped=True) == "the circuit is open."
    assert ended_as("is it open? ", stopped=True) == "is it open?"
    assert ended_as("the circuit is open. ", stopped=False) == "the circuit is open"
    assert ended_as("it is open!?", stopped=False) == "it is open"
    # Inner stops are the text's own; a text of stops alone, or none, is left as it is.
    assert ended_as("No. It is open.", stopped=False) == "No. It is open"
    assert ended_as("...", stopped=False) == "..."
    assert ended_as("", stopped=True) == ""


def test_texts_are_mostly_stopped_when_at_least_half_end_with_a_stop() -> None:
    assert mostly_stopped(["It is open.", "it is closed"])
    assert not mostly_stopped(["It is open.", "it is closed", "the gap"])
    assert not mostly_stopped([])
