"""The pair judge reading a new answer against the teacher's closest answers graded covering
the point (`GraderConfig.peer_weight`), on the real packaged models."""

from __future__ import annotations

import numpy as np
import pytest

from assess import Grader
from assess.analyse import Analysis, AnswerRequest
from assess.calibration import GradedRow, calibrate_rubric
from rubrics import Rubric, parse_rubric_text
from tests.assess.test_examples import graded as graded_for_trust
from tests.assess.test_neighbours import GRADED
from tests.helpers import with_config

ONE_POINT = """
schema: assess.rubric/v1
id: trust/one-point
question: What does Track II diplomacy do for the relations between the two sides?
model_answers:
- It builds trust between the two sides.
points:
- id: trust
  label: trust-building
  text: It builds trust between the two sides.
"""
NEW = "Over the years the old enemies learn to trust one another."
WEIGHT = 0.5


@pytest.fixture(scope="module")
def one_point() -> Rubric:
    return parse_rubric_text(ONE_POINT, "one-point.yaml")


def graded(rows: list[tuple[str, float]]) -> list[GradedRow]:
    return [GradedRow(f"g{n}", answer, score, {}) for n, (answer, score) in enumerate(rows)]


def with_peers(grader: Grader, weight: float) -> Grader:
    return with_config(grader, peer_weight=weight)


def test_the_judge_reads_a_new_answer_against_the_closest_graded_covering_answers(
    grader: Grader, one_point: Rubric
) -> None:
    assert grader.judge is not None
    fitted, _ = calibrate_rubric(grader, one_point, graded(GRADED))
    calibrated = grader.calibrated({fitted.key: fitted})
    without = with_peers(calibrated, 0.0).assess(one_point, NEW).points[0].coverage
    heard = with_peers(calibrated, WEIGHT)
    closest = heard.config.peer_neighbours
    # The graded covering answers closest to the new one, by the engine's own context vectors.
    (analysis,) = heard.analyse_many([AnswerRequest(one_point, NEW)])
    assert isinstance(analysis, Analysis)
    covering = [answer for answer, score in GRADED if score]
    vectors = heard.encoder.embed(covering)
    context = analysis.alignments[0].context_vector
    assert context is not None
    order = np.argsort(-(vectors @ context), kind="stable")[:closest]
    reads = grader.judge.predict([(covering[n], NEW) for n in order])[:, 0]
    expected = (1 - WEIGHT) * without + WEIGHT * float(reads.mean())
    assert heard.assess(one_point, NEW).points[0].coverage == pytest.approx(expected, abs=2e-3)


def test_the_judge_reads_no_peers_in_a_rubric_of_several_points(
    grader: Grader, complement: Rubric
) -> None:
    """Like its own share: a whole answer graded covering one point of several is no
    reference for that point alone."""
    fitted, _ = calibrate_rubric(grader, complement, graded_for_trust())
    calibrated = grader.calibrated({fitted.key: fitted})
    quiet = with_peers(calibrated, 0.0).assess(complement, NEW)
    heard = with_peers(calibrated, WEIGHT).assess(complement, NEW)
    assert [p.coverage for p in heard.points] == [p.coverage for p in quiet.points]


def test_the_example_model_reads_the_point_model_without_the_judge(
    grader: Grader, one_point: Rubric
) -> None:
    """The example model was fitted on the point model's probabilities alone: whatever share
    of P(covered) the judge decides before grades, it reads the same inputs after them, and
    an engine without the judge gives the same P(covered) to a graded rubric's point."""
    assert grader.judge is not None
    fitted, _ = calibrate_rubric(grader, one_point, graded(GRADED))
    calibrated = grader.calibrated({fitted.key: fitted})
    coverages = [
        with_config(calibrated, judge_weight=weight).assess(one_point, NEW).points[0].coverage
        for weight in (0.0, 0.25, 0.75)
    ]
    assert coverages[0] == coverages[1] == coverages[2]
    # ... while before grades the judge's share moves it.
    before = [
        with_config(grader, judge_weight=weight).assess(one_point, NEW).points[0].coverage
        for weight in (0.0, 0.75)
    ]
    assert before[0] != before[1]
