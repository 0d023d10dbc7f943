"""How a text ends: the closing stop (. ! ?), which is no part of what a student says.

Both readers of an answer match its end to the rubric's: the encoder to how the rubric's texts
mostly end (`assess.align.RubricIndex.ended`), the pair judge to the phrasing it reads the
answer against (`models.judge.ended_alike`).
"""

from __future__ import annotations

from collections.abc import Iterable

STOPS = ".!?"


def ends_stopped(text: str) -> bool:
    """Whether the text ends with a stop (trailing whitespace aside)."""
    return text.rstrip().endswith(tuple(STOPS))


def ended_as(text: str, stopped: bool) -> str:
    """The text ended with a stop where `stopped` (a full stop added where it has none),
    else with its closing stops dropped: what a text says, whichever way its writer ended it."""
    said = text.rstrip()
    if stopped:
        return f"{said}." if said and not ends_stopped(said) else said
    return said.rstrip(STOPS).rstrip() or said


def mostly_stopped(texts: Iterable[str]) -> bool:
    """Whether at least half of the texts end with a stop."""
    ends = [ends_stopped(t) for t in texts]
    return bool(ends) and 2 * sum(ends) >= len(ends)
