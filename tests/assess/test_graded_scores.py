"""A teacher's whole-answer scores of a rubric of several points, read by the score model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assess import Grader
from assess.calibration import GradedRow, calibrate_rubric, whole_scores
from assess.graded_scores import MIN_SCORED, ScoreBank, closest_share, mapped_share, score_inputs
from assess.recalibration import RubricCalibration
from models.errors import ModelLoadError
from models.score_model import ScoreModel, load_score_model, score_model_from
from rubrics import Rubric

TRUST = "It helps the two sides build trust in each other."
# A teacher who gives answers about trust full marks, though they state one point of three,
# and little to answers that state the other points.
GENEROUS_ON_TRUST = [
    (TRUST, 3.0),
    ("The sides come to trust and understand each other better.", 3.0),
    ("Trust grows between the enemies, and they understand each other.", 3.0),
    ("Unofficial meetings give a relaxed space to talk openly.", 0.5),
    ("Ideas from the meetings are passed to official negotiators and improve the talks.", 0.5),
    ("People can talk freely off the record, away from formal negotiations.", 0.5),
    ("Photosynthesis turns sunlight into sugar.", 0.0),
]  # fmt: skip
NEW_ON_TRUST = "Building trust and mutual understanding between the parties in conflict."


def rows(graded: list[tuple[str, float]]) -> list[GradedRow]:
    return [GradedRow(str(n), answer, score) for n, (answer, score) in enumerate(graded)]


def test_a_like_answer_is_scored_as_the_teacher_scored_its_neighbours(
    grader: Grader, complement: Rubric
) -> None:
    before = grader.assess(complement, NEW_ON_TRUST)
    fitted, _ = calibrate_rubric(grader, complement, rows(GENEROUS_ON_TRUST))
    assert len(fitted.scores) == len(GENEROUS_ON_TRUST)
    after = grader.calibrated({fitted.key: fitted}).assess(complement, NEW_ON_TRUST)
    assert before.score <= 1.5
    assert after.score > before.score + 0.75
    assert after.model.scorer.endswith("+scores-v3")
    assert "as your teacher scored answers like yours" in after.feedback
    assert "teacher" not in before.feedback
    # The points still say what the answer states; only the score follows the teacher.
    assert [p.id for p in after.points if p.status == "covered"] == ["trust-building"]


def test_a_calibration_keeps_its_scores_through_its_document(
    grader: Grader, complement: Rubric
) -> None:
    fitted, _ = calibrate_rubric(grader, complement, rows(GENEROUS_ON_TRUST))
    again = RubricCalibration.from_document(json.loads(json.dumps(fitted.to_document())))
    assert again == fitted
    # Read back without the banks fitting made, the graded answers are read again, alike.
    fresh = grader.calibrated({again.key: again})
    kept = grader.calibrated({fitted.key: fitted})
    assert (
        fresh.assess(complement, NEW_ON_TRUST).score == kept.assess(complement, NEW_ON_TRUST).score
    )


def test_only_scores_given_whole_are_kept(complement: Rubric) -> None:
    graded = rows(GENEROUS_ON_TRUST)
    graded[0] = GradedRow("0", TRUST, 1.0, {"trust-building": 1.0})
    kept = whole_scores(complement, graded)
    assert [s.answer for s in kept] == [a for a, _ in GENEROUS_ON_TRUST[1:]]
    assert kept[0].share == pytest.approx(1.0)
    # A one-point rubric's right-or-wrong mark is its point's grade: the example model reads
    # it; marks on a scale say more, and the score model reads them.
    one_point = complement.model_copy(update={"points": complement.points[:1]})
    marks = [GradedRow(r.answer_id, r.answer, 3.0 if r.score >= 1.5 else 0.0) for r in graded]
    assert whole_scores(one_point, marks) == ()
    assert len(whole_scores(one_point, graded)) == len(graded) - 1


def test_too_few_scores_leave_the_points_score(grader: Grader, complement: Rubric) -> None:
    few = GENEROUS_ON_TRUST[: MIN_SCORED - 1]
    fitted, _ = calibrate_rubric(grader, complement, rows(few))
    result = grader.calibrated({fitted.key: fitted}).assess(complement, NEW_ON_TRUST)
    assert "scores-v3" not in result.model.scorer


def bank(shares: list[float], engine: list[float]) -> ScoreBank:
    vectors = np.eye(len(shares), 4, dtype=np.float32)
    return ScoreBank(
        tuple(f"answer {n}" for n in range(len(shares))), vectors, np.array(shares),
        np.array(engine),
    )  # fmt: skip


def test_the_closest_graded_answer_weighs_most() -> None:
    similarities = np.array([0.9, 0.5, 0.4, 0.3])
    assert closest_share(similarities, np.array([1.0, 0.0, 0.0, 0.0])) > 0.99


def test_the_line_to_the_teachers_scale_never_turns_the_engine_over() -> None:
    engine = np.array([0.0, 0.3, 0.6, 1.0])
    assert mapped_share(engine, np.array([0.2, 0.4, 0.6, 0.8]), 1.0) > mapped_share(
        engine, np.array([0.2, 0.4, 0.6, 0.8]), 0.0
    )
    turned = np.array([0.8, 0.6, 0.4, 0.2])
    # A teacher who scores against the engine gets the graded mean, not an inverted engine.
    assert mapped_share(engine, turned, 1.0) == pytest.approx(turned.mean())


def test_a_graded_answer_is_not_read_against_its_own_score() -> None:
    scored = bank([1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5] * 6)
    vector = np.eye(1, 4, dtype=np.float32)[0]
    with_own = score_inputs(scored, vector, 0.5, None)
    without = score_inputs(scored, vector, 0.5, "answer 0")
    assert with_own is not None and with_own[1] > 0.9
    assert without is not None and without[1] == pytest.approx(0.0)
    assert (
        score_inputs(bank([1.0] * MIN_SCORED, [0.5] * MIN_SCORED), vector, 0.5, "answer 0") is None
    )


def test_the_shipped_score_model_beats_the_points_alone_on_held_out_questions() -> None:
    model = load_score_model()
    for regime in ("all_other_folds_scored", "20_scored", "10_scored", "5_scored"):
        figures = model.card["cross_validated"][regime]
        assert figures["score_model"]["pearson_r"] > figures["engine_alone"]["pearson_r"] + 0.1
        assert figures["score_model"]["rmse"] < figures["engine_alone"]["rmse"]


def test_a_malformed_score_model_is_refused(tmp_path: Path) -> None:
    document = load_score_model().to_document()
    with pytest.raises(ModelLoadError, match="inputs"):
        score_model_from({**document, "inputs": ["closest_share"]})
    with pytest.raises(ModelLoadError, match="finite weight"):
        score_model_from({**document, "coef": [1.0, float("nan")]})
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"schema": "something else"}), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="not a score model"):
        load_score_model(path)
    assert isinstance(score_model_from(document), ScoreModel)


def test_the_teachers_scores_are_never_read_for_random_letters(
    grader: Grader, complement: Rubric
) -> None:
    letters = "qzxv wplk trsdf mmnb kjhyt"
    fitted, _ = calibrate_rubric(grader, complement, rows(GENEROUS_ON_TRUST))
    result = grader.calibrated({fitted.key: fitted}).assess(complement, letters)
    assert "gibberish" in result.flags
    assert "scores-v3" not in result.model.scorer
    assert result.score == 0.0


def test_an_answer_of_numbers_flagged_for_review_still_reads_the_teachers_scores(
    grader: Grader, complement: Rubric
) -> None:
    """Numbers and symbols are flagged gibberish for a person's look, but may be right
    (an address range, "127.0.0.0 - 127.255.255.255"): only random letters never read the
    teacher's scores."""
    numbers = "127.0.0.0 - 127.255.255.255"
    fitted, _ = calibrate_rubric(grader, complement, rows(GENEROUS_ON_TRUST))
    result = grader.calibrated({fitted.key: fitted}).assess(complement, numbers)
    assert "gibberish" in result.flags
    assert result.model.scorer.endswith("+scores-v3")
    assert result.needs_review


@pytest.mark.parametrize(
    "gaming",
    [
        "trust other each in build sides two the helps It.",  # a well-scored answer shuffled
        "trust understanding parties conflict dialogue negotiations",  # the rubric's terms
    ],
)
def test_an_answer_that_may_game_the_teachers_scores_asks_for_a_look(
    grader: Grader, complement: Rubric, gaming: str
) -> None:
    fitted, _ = calibrate_rubric(grader, complement, rows(GENEROUS_ON_TRUST))
    result = grader.calibrated({fitted.key: fitted}).assess(complement, gaming)
    assert result.model.scorer.endswith("+scores-v3")
    assert result.needs_review
    assert all(p.status != "covered" for p in result.points)
