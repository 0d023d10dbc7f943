"""A teacher's graded answers as examples: nearness, the calibration that keeps them, and the
evaluation that grades after a teacher has graded a split."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assess import Grader
from assess.analyse import Analysis, AnswerRequest
from assess.calibration import GradedRow, calibrate_rubric, graded_exemplars
from assess.evaluation import evaluate_split
from assess.neighbours import nearness
from assess.recalibration import RubricCalibration
from models.example_model import ExampleModel
from models.thresholds import load_thresholds
from rubrics import Rubric
from tests.assess.test_evaluation import write_semeval_split

# The teacher grades "build trust" answers as covering trust-building, and vague ones not.
TRUST = "trust-building"
GRADED = [
    ("The two sides slowly come to trust each other.", 1.0),
    ("Rivals learn to trust one another over time.", 1.0),
    ("People start believing the other side means well.", 1.0),
    ("Enemies begin to rely on each other's word.", 1.0),
    ("Track II diplomacy is important for the world.", 0.0),
    ("It is a kind of diplomacy that happens.", 0.0),
    ("Diplomacy is good and helps a lot.", 0.0),
    ("Many countries use diplomacy every day.", 0.0),
]


# Answers that say nothing of trust-building (graded 0 where contradictions are marked -1).
MISSES = [
    "Track II diplomacy is important for the world.",
    "It is a kind of diplomacy that happens.",
    "Diplomacy is good and helps a lot.",
    "Many countries use diplomacy every day.",
    "Meetings take place in hotels.",
    "Academics often attend these sessions.",
]


def replace_example_model(grader: Grader, model: ExampleModel | None) -> Grader:
    """The same engine with another example model (None: calibrations' own Platt scaling)."""
    twin = grader.calibrated(grader.calibrations)
    twin.example_model = model
    return twin


def rows() -> list[GradedRow]:
    return [GradedRow(str(n), a, s, {TRUST: s}) for n, (a, s) in enumerate(GRADED)]


def test_nearness_is_the_gap_between_the_closest_of_each_grade() -> None:
    similarities = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    covered = np.array([True, True, True, False, False])
    assert nearness(similarities, covered) == pytest.approx(0.8 - 0.15)
    assert nearness(similarities, np.ones(5, dtype=bool)) == 0.0  # one grade only: no signal


def test_per_point_grades_and_clear_scores_make_examples(complement: Rubric) -> None:
    found = graded_exemplars(complement, [
        GradedRow("a", "x", 1.0, {TRUST: 1.0}),  # a per-point grade: that point only
        GradedRow("b", "y", 0.0),  # nothing earned: every point not covered
        GradedRow("c", "z", 1.5),  # half marks on three points: says nothing per point
    ])  # fmt: skip
    assert [(e.point_id, e.answer, e.covered) for e in found] == [
        (TRUST, "x", True), *[(p.id, "y", False) for p in complement.points]
    ]  # fmt: skip


def test_a_calibration_learns_from_the_graded_answers_and_keeps_them(
    grader: Grader, complement: Rubric, tmp_path: Path
) -> None:
    fitted, report = calibrate_rubric(grader, complement, rows())
    assert fitted.neighbour > 0
    assert {e.answer for e in fitted.exemplars} == {a for a, _ in GRADED}
    again = RubricCalibration.from_document(json.loads(json.dumps(fitted.to_document())))
    assert again == fitted
    tuned = grader.calibrated({fitted.key: fitted})
    new = "Over the meetings both camps come to trust each other."
    before = grader.assess(complement, new).points[1]
    after = tuned.assess(complement, new).points[1]
    assert before.id == after.id == TRUST
    assert after.coverage > before.coverage
    # The report judges each graded answer by the others, never by itself.
    assert report.figures["per_point"]["value"] <= 1.0


def test_a_graded_answer_is_judged_by_the_others_only_when_measuring(
    grader: Grader, complement: Rubric
) -> None:
    fitted, _ = calibrate_rubric(grader, complement, rows())
    held_out = grader.calibrated({fitted.key: fitted}, hold_out_graded=True)
    first = held_out.assess(complement, GRADED[0][0]).points[1].coverage
    unseen = replace(fitted, exemplars=fitted.exemplars[1:])
    alone = grader.calibrated({unseen.key: unseen}).assess(complement, GRADED[0][0])
    assert first == alone.points[1].coverage
    # Grading, a copy of a graded answer gets the teacher's grade.
    copy = grader.calibrated({fitted.key: fitted}).assess(complement, GRADED[0][0])
    assert copy.points[1].status == "covered"
    assert copy.points[1].coverage > first


def test_evaluation_can_grade_after_a_teacher_graded_another_split(
    grader: Grader, tmp_path: Path
) -> None:
    data = write_semeval_split(tmp_path / "data")
    answers = (data / "beetle" / "test_unseen_answers.jsonl").read_text().splitlines()
    graded = [json.loads(line) | {"split": "train"} for line in answers]
    (data / "beetle" / "train.jsonl").write_text("\n".join(json.dumps(r) for r in graded) + "\n")
    evaluation = evaluate_split(
        grader, data, "beetle", "test_unseen_answers", load_thresholds(), graded_split="train"
    )
    assert "engine_graded" in evaluation.figures  # type: ignore[union-attr]
    assert evaluation.extra["graded_questions"] == "1 of 1"  # type: ignore[union-attr]
    assert "engine_graded" in evaluation.summary()  # type: ignore[union-attr]
    assert 0 <= evaluation.extra["confidence_ece_2way_graded"] <= 1  # type: ignore[union-attr]


def test_contradictions_marked_by_the_teacher_are_learned(
    grader: Grader, complement: Rubric
) -> None:
    """Answers marked as contradicting trust-building (-1) against answers that just miss it
    (0): a new denial like the marked ones becomes likelier to be called contradicted."""
    denials = [
        "The sides never come to trust each other at all.",
        "Nobody ends up trusting the other side.",
        "Trust does not grow between the enemies.",
        "The rivals keep on distrusting one another.",
        "It makes the parties trust each other less.",
        "Suspicion between the camps only deepens.",
    ]
    graded = [GradedRow(f"d{n}", a, 0.0, {TRUST: -1}) for n, a in enumerate(denials)] + [
        GradedRow(f"m{n}", a, 0.0, {TRUST: 0}) for n, a in enumerate(MISSES)
    ] + rows()  # fmt: skip
    fitted, _ = calibrate_rubric(grader, complement, graded)
    assert fitted.deny_neighbour > 0
    assert sum(e.denied is True for e in fitted.exemplars) == len(denials)
    again = RubricCalibration.from_document(json.loads(json.dumps(fitted.to_document())))
    assert again == fitted
    from assess.point_status import point_probabilities

    new = "The two camps never learn to trust each other."
    (analysis,) = grader.analyse_many([AnswerRequest(complement, new)])
    assert isinstance(analysis, Analysis)
    assert grader.point_model is not None
    plain = point_probabilities(analysis.alignments, grader.point_model, grader.config)
    share = lambda p: p[1, 1] / (p[1, 1] + p[1, 2])  # noqa: E731
    # Both ways of reading the graded answers learn it: the example model, and the
    # calibration's own nearness weight (an engine without the example model).
    for engine in (grader, replace_example_model(grader, None)):
        recalibrate, redeny, _ = engine.calibrated({fitted.key: fitted})._recalibration(
            fitted, analysis
        )
        learned = point_probabilities(
            analysis.alignments, grader.point_model, grader.config, recalibrate, redeny
        )
        assert share(learned) > share(plain)
    assert grader.calibrated({fitted.key: fitted}).assess(complement, new).points[1].status == (
        "contradicted"
    )


def test_a_per_point_grade_must_be_one_zero_or_minus_one(complement: Rubric) -> None:
    from assess.calibration import check_graded
    from assess.errors import CalibrationError

    check_graded(complement, [GradedRow("a", "x", 0.0, {TRUST: -1})])
    with pytest.raises(CalibrationError, match="use 1 \\(covered\\), 0 \\(not covered\\) or -1"):
        check_graded(complement, [GradedRow("a", "x", 0.0, {TRUST: 2})])


def test_a_large_class_is_judged_by_votes_fitted_without_its_tenth(
    grader: Grader, complement: Rubric
) -> None:
    """Past `EXACT_HOLD_OUT` graded answers the agreement report fits a word vote per tenth
    of them, not one per answer, and no answer's tenth votes on it."""
    from assess.calibration import analyse_graded, fit_parameters
    from assess.neighbours import EXACT_HOLD_OUT, HOLD_OUT_FOLDS, held_out_tenth

    many = [
        GradedRow(f"s{n}", f"{answer} Student {n} wrote this.", score, {TRUST: score})
        for n in range(EXACT_HOLD_OUT // len(GRADED) + 1)
        for answer, score in GRADED
    ]
    assert len(many) > EXACT_HOLD_OUT
    analyses = analyse_graded(grader, complement, many)
    fitted, banks = fit_parameters(grader, complement, many, analyses)
    held_out = grader.calibrated({fitted.key: fitted}, hold_out_graded=True, banks={fitted: banks})
    for analysis in analyses:
        assert isinstance(analysis, Analysis)
        held_out.result(analysis, None)
    examples = banks.examples[TRUST]
    assert 1 < len(examples.votes) <= HOLD_OUT_FOLDS
    one = many[0].answer
    voters = examples.voters(examples.other_than(one), one)
    mine = np.array([held_out_tenth(a) == held_out_tenth(one) for a in examples.answers])
    assert mine.any() and not voters[mine].any() and voters[~mine].all()
    # Grading a new answer, every graded answer votes.
    assert examples.voters(examples.other_than(None), None).all()
