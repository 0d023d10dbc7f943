"""Build a draft rubric for the API and the editor, refusing answers with no claim in them."""

from __future__ import annotations

import uuid

from rubrics import (
    Rubric,
    RubricValidationError,
    build_rubric,
    normalise_text,
    parse_rubric,
    propositions,
)
from service.state import AppState


def build_draft(
    state: AppState, question: str, model_answers: list[str], rubric_id: str | None
) -> Rubric:
    """A draft rubric from a question and model answers, built under the grader lock."""
    chosen = rubric_id or f"draft-{uuid.uuid4().hex[:8]}"
    # The id is checked before the encoder runs, with the engine's own message.
    placeholder = {"id": "x", "label": "x", "text": "x"}
    parse_rubric({"id": chosen, "question": question or "x", "points": [placeholder]}, "draft")
    answers = [normalise_text(a) for a in model_answers if a and a.strip()]
    # The builder needs at least one claim (an answer of only punctuation has none); say so
    # here rather than let it fail deeper down.
    if answers and not any(propositions(a, question) for a in answers):
        raise RubricValidationError(
            "draft", ["model_answers: no sentence with words in it; write the answer out in full"]
        )
    with state.grader_lock:
        return build_rubric(question, model_answers, state.grader.encoder, chosen)
