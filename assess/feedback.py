"""Feedback a student can act on, written from the rubric: no model answer is revealed."""

from __future__ import annotations

from collections.abc import Sequence

from assess.result import Flag, PointResult

QUOTE_CHARS = 140

_FLAG_ADVICE: dict[Flag, str] = {
    "empty": "Your answer is empty: write a few sentences that answer the question.",
    "too_short": "Your answer is very short: explain each idea in a full sentence.",
    "off_topic": "Your answer does not seem to address the question: reread it and answer "
    "what it asks.",
    "copies_question": "Your answer mostly repeats the question: add your own explanation.",
    "copies_model_answer": "Your answer closely matches the reference text: explain it in "
    "your own words.",
    "gibberish": "Much of your answer is not readable text: write in full words and sentences.",
    "keyword_list": "Your answer lists terms without saying how they connect: explain each idea "
    "in a full sentence.",
    "padded": "Much of your answer is not about the question: keep to what it asks.",
    "language_unsupported": "Your answer does not seem to be written in English, the only "
    "language this grader reads: your teacher will read and grade it.",
}


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def point_feedback(point: PointResult) -> str:
    """One line on one point: what earned it, or what is missing (its label only)."""
    if point.status == "covered" and point.evidence:
        return f"Covered: {point.label}, where you wrote {_quote(point.evidence.text)}."
    if point.status == "partial" and point.evidence:
        return (
            f"Partly covered: {point.label}. {_quote(point.evidence.text)} points that way; "
            "make it explicit and explain it."
        )
    if point.status == "contradicted" and point.evidence:
        return (
            f"Check this: {point.label}. {_quote(point.evidence.text)} seems to say the "
            "opposite of what is expected."
        )
    return f"Missing: {point.label}. Add this to your answer."


def write_feedback(
    points: Sequence[PointResult],
    flags: Sequence[Flag],
    score: float,
    max_score: float,
    misconception_labels: Sequence[str] = (),
    scored_like_graded: bool = False,
) -> str:
    """Overall line, flag advice, misconceptions, then one line per point; with
    `scored_like_graded`, the overall line says the score follows the teacher's scores of
    answers like this one (the score model set it, `assess.graded_scores`). An answer in a
    language the encoder does not read gets its provisional score and the advice only."""
    covered = sum(p.status == "covered" for p in points)
    basis = ", as your teacher scored answers like yours" if scored_like_graded else ""
    advice = [_FLAG_ADVICE[flag] for flag in flags]
    if "language_unsupported" in flags:
        # The encoder cannot read the answer: what it makes of each point is no advice.
        return "\n".join([f"Provisional score {score:g} of {max_score:g}{basis}.", *advice])
    lines = [
        f"You covered {covered} of {len(points)} points (score {score:g} of {max_score:g}{basis})."
    ]
    lines += advice
    if "empty" in flags:
        return "\n".join(lines)
    lines += [f"Reconsider: your answer claims that {label}." for label in misconception_labels]
    lines += [point_feedback(point) for point in points]
    return "\n".join(lines)
