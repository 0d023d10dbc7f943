"""The example model reading a rubric's graded answers, on the real packaged model."""

from __future__ import annotations

import numpy as np
import pytest

from assess import Grader
from assess.calibration import GradedRow, calibrate_rubric
from assess.neighbours import EXAMPLE_FEATURES, MIN_EXAMPLES, example_row, word_overlaps
from rubrics import Rubric
from tests.assess.test_neighbours import GRADED, MISSES, TRUST

COVERS = [answer for answer, score in GRADED if score]
# Denials of trust-building that carry no negation: only the teacher's grades can teach them.
DENIES = [
    "The meetings make both camps more suspicious of each other.",
    "Suspicion between the enemies only deepens.",
    "The rivals grow to distrust one another.",
    "It makes the parties fear and resent each other more.",
    "Hostility between the two sides increases.",
    "Each side ends up more wary of the other.",
]


def graded() -> list[GradedRow]:
    kinds = [(COVERS, 1.0), (DENIES, -1.0), (MISSES, 0.0)]
    return [
        GradedRow(f"{grade:g}-{n}", answer, max(grade, 0.0), {TRUST: grade})
        for answers, grade in kinds
        for n, answer in enumerate(answers)
    ]


def test_example_features_read_the_closest_answers_of_each_kind() -> None:
    similarities = np.array([0.9, 0.8, 0.1, 0.2])
    kinds = np.array([0, 0, 2, 1])  # covered, covered, neither, contradicting
    overlaps = np.array([0.5, 0.3, 0.0, 0.1])
    said = (0.7, 0.1, 0.2)
    row = dict(zip(EXAMPLE_FEATURES, example_row(similarities, kinds, overlaps, said), strict=True))
    assert (row["said_covered"], row["said_denied"], row["said_missing"]) == said
    assert row["closest_covered"] == pytest.approx(0.85)
    assert row["closest_denied"] == pytest.approx(0.2)
    assert row["closest_missing"] == pytest.approx(0.1)
    weights = np.exp((similarities - 0.9) / 0.05)
    assert row["vote_covered"] == pytest.approx(weights[:2].sum() / weights.sum())
    assert row["vote_covered"] + row["vote_denied"] + row["vote_missing"] == pytest.approx(1)
    assert (row["none_covered"], row["none_denied"], row["none_missing"]) == (0, 0, 0)
    assert row["words_covered"] == pytest.approx(0.4)
    assert (row["words_denied"], row["words_missing"]) == (0.1, 0.0)
    without = dict(
        zip(
            EXAMPLE_FEATURES,
            example_row(similarities[:2], kinds[:2], overlaps[:2], (1.0, 0.0, 0.0)),
            strict=True,
        )
    )
    assert without["none_denied"] == without["none_missing"] == 1.0
    assert without["closest_denied"] == without["words_denied"] == 0.0


def test_word_overlap_is_jaccard_of_content_words() -> None:
    words = frozenset({"trust", "grow"})
    others = [frozenset({"trust", "grow"}), frozenset({"trust", "fall", "slow"}), frozenset()]
    assert word_overlaps(words, others).tolist() == [1.0, 0.25, 0.0]


def test_denials_the_teacher_marked_are_learned_without_a_negation(
    grader: Grader, complement: Rubric
) -> None:
    new = "The talks leave both sides more suspicious of one another."
    before = grader.assess(complement, new).points[1]
    assert before.id == TRUST and before.status != "contradicted"
    fitted, _ = calibrate_rubric(grader, complement, graded())
    result = grader.calibrated({fitted.key: fitted}).assess(complement, new)
    after = result.points[1]
    assert after.status == "contradicted"
    assert result.model.scorer == "point-v6+examples-v7"
    fine = "Over the years the enemies come to trust each other."
    assert grader.calibrated({fitted.key: fitted}).assess(complement, fine).points[1].status == (
        "covered"
    )


def test_too_few_graded_answers_of_a_kind_leave_the_point_to_platt_scaling(
    grader: Grader, complement: Rubric
) -> None:
    few = graded()[: MIN_EXAMPLES - 1] + graded()[len(COVERS) :]
    fitted, _ = calibrate_rubric(grader, complement, few)
    from assess.analyse import Analysis, AnswerRequest

    (analysis,) = grader.analyse_many([AnswerRequest(complement, COVERS[-1])])
    assert isinstance(analysis, Analysis)
    _, _, calls = grader.calibrated({fitted.key: fitted})._recalibration(fitted, analysis)
    assert calls is not None and not calls.found.any()
    fitted, _ = calibrate_rubric(grader, complement, graded())
    _, _, calls = grader.calibrated({fitted.key: fitted})._recalibration(fitted, analysis)
    assert calls is not None and calls.found[1] and not calls.found[0]


def test_whole_answer_marks_of_a_rubric_of_several_points_are_not_read_as_examples(
    grader: Grader, complement: Rubric
) -> None:
    """Full and zero marks still make examples (a copy gets the teacher's grade, Platt
    scaling reads their nearness), but the example model reads only per-point grades when the
    rubric has several points."""
    from assess.analyse import Analysis, AnswerRequest

    top = complement.scoring.max_score
    marks = [
        GradedRow(f"m{n}", row.answer, top if row.points[TRUST] > 0 else 0.0)
        for n, row in enumerate(graded())
    ]
    fitted, _ = calibrate_rubric(grader, complement, marks)
    assert fitted.exemplars  # every point of each full or zero mark
    (analysis,) = grader.analyse_many([AnswerRequest(complement, COVERS[-1])])
    assert isinstance(analysis, Analysis)
    _, _, calls = grader.calibrated({fitted.key: fitted})._recalibration(fitted, analysis)
    assert calls is not None and not calls.found.any()
    result = grader.calibrated({fitted.key: fitted}).assess(complement, COVERS[-1])
    # The score model reads the marks instead (`assess.graded_scores`).
    assert result.model.scorer == "point-v6+scores-v3"
