from __future__ import annotations

import pytest

from models import Encoder
from rubrics import RubricValidationError, build_rubric, propositions

QUESTION = "How does Track II diplomacy complement traditional diplomatic efforts?"
MODEL = (
    "Track II diplomacy complements traditional diplomatic efforts by providing a space for "
    "informal dialogue that allows participants to express ideas and concerns without the "
    "pressure of formal negotiations. This can foster trust and understanding among conflicting "
    "parties, creating an environment conducive to resolving disputes. Additionally, insights "
    "gained from Track II dialogues can inform and guide official diplomatic initiatives, "
    "leading to more effective negotiations."
)


def test_restating_the_question_is_not_a_point() -> None:
    claims = propositions(MODEL, QUESTION)
    assert not any(c.startswith("Track II diplomacy complements") for c in claims)
    assert claims[0].startswith("Providing a space for informal dialogue")
    assert len(claims) == 3


def test_build_gives_one_point_per_claim_with_short_labels(encoder: Encoder) -> None:
    rubric = build_rubric(QUESTION, [MODEL], encoder, rubric_id="draft/q1")
    assert len(rubric.points) == 3
    assert rubric.scoring.max_score == 3
    for point in rubric.points:
        assert 1 <= len(point.label.split()) <= 4
        assert "track ii" not in point.label  # question words tell a student nothing
    assert len({p.id for p in rubric.points}) == 3


def test_paraphrased_model_answers_merge_into_exemplars(encoder: Encoder) -> None:
    second = (
        "It offers an unofficial setting where participants can share ideas and concerns "
        "freely, away from the pressure of formal negotiations. It fosters trust and mutual "
        "understanding between the conflicting parties. Insights from these dialogues then "
        "inform and guide official diplomacy, making negotiations more effective."
    )
    rubric = build_rubric(QUESTION, [MODEL, second], encoder)
    assert len(rubric.points) == 3
    assert all(len(p.exemplars) == 1 for p in rubric.points)


@pytest.mark.parametrize(
    ("question", "answers", "problem"),
    [
        ("", [MODEL], "question: must not be empty"),
        (QUESTION, ["  "], "model_answers: give at least one"),
        (QUESTION, ["...", "!?"], "model_answers: no sentence with words"),
    ],
)
def test_build_refuses_empty_input(
    encoder: Encoder, question: str, answers: list[str], problem: str
) -> None:
    with pytest.raises(RubricValidationError, match=problem):
        build_rubric(question, answers, encoder)
