"""The point model inside the engine: its features, its statuses and its training."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assess import Grader
from assess.analyse import Analysis, AnswerRequest
from assess.context import MAX_RATIO, context_features
from assess.coverage import with_judge
from assess.point_status import check_point_model, judge_points, point_probabilities
from models.point_model import CLASSES, PointModel, load_point_model
from rubrics import Rubric
from tests.helpers import SEMEVAL


def analysed(grader: Grader, rubric: Rubric, answer: str) -> Analysis:
    (analysis,) = grader.analyse_many([AnswerRequest(rubric, answer)])
    assert isinstance(analysis, Analysis)
    return analysis


def test_negation_counts_only_where_the_point_does_not_negate() -> None:
    asked = frozenset({"track", "diplomaci"})
    plain = ["Fosters trust among conflicting parties."]
    assert context_features("It does not build trust.", plain, asked)["negation_differs"] == 1
    assert context_features("It builds trust.", plain, asked)["negation_differs"] == 0
    # A point that negates ("without the pressure") is paraphrased without negators freely.
    negated = ["Dialogue without the pressure of formal talks."]
    assert (
        context_features("Talk away from formal pressure.", negated, asked)["negation_differs"] == 0
    )


def test_an_opposite_or_another_number_counts_as_a_turn_against_the_closest_phrasing() -> None:
    closest = ["Terminal 1 is connected to the negative terminal", "The bulb is lit"]
    facts = context_features(
        "Terminal 1 is connected to the positive terminal.", closest, frozenset()
    )
    assert facts["opposite_differs"] == 1 and facts["turn_involved"] == 1
    assert facts["negation_involved"] == 0
    moved = context_features(
        "Terminal 4 is connected to the negative terminal.", closest, frozenset()
    )
    assert moved["number_differs"] == 1 and moved["opposite_differs"] == 0
    # A number added beside the phrasing's own is no other number in its place.
    added = context_features("Terminals 1 and 2 are on the negative side.", closest, frozenset())
    assert added["number_differs"] == 0
    # Numbers of another statement, in words far from the phrasing, are not in its place.
    far = context_features("In 1998 the lamps of 4 houses were lit.", closest, frozenset())
    assert far["number_differs"] == 0
    plain = context_features("It is wired to the negative terminal.", closest, frozenset())
    assert plain["turn_involved"] == 0


def test_a_long_run_of_words_does_not_read_as_ever_more_coverage() -> None:
    facts = context_features("word " * 200, ["Fosters trust."], frozenset())
    assert facts["length_ratio"] == MAX_RATIO


def test_a_short_answer_to_several_points_is_read_and_its_negations_by_sentence(
    grader: Grader, complement: Rubric
) -> None:
    answer = "Informal talks let people speak freely. They do not replace diplomats."
    analysis = analysed(grader, complement, answer)
    trust = analysis.alignments[[p.id for p in complement.points].index("trust-building")]
    # Short, but its other sentence is about another point: read whole only in a rubric of
    # one point (tests/assess/test_several_points.py).
    assert trust.context == trust.sentence != answer
    informal = analysis.alignments[0]
    assert informal.evidence is not None and "freely" in informal.evidence.text
    assert informal.context_facts["negation_differs"] == 0  # the "not" is in the other sentence


def test_a_long_answer_is_read_by_the_evidence_sentence(grader: Grader, complement: Rubric) -> None:
    filler = " ".join(["The weather was mild and the markets were busy that spring."] * 8)
    analysis = analysed(grader, complement, f"{filler} Rivals come to trust one another.")
    trust = analysis.alignments[[p.id for p in complement.points].index("trust-building")]
    assert trust.context == "Rivals come to trust one another."


def test_recalibration_moves_coverage_and_keeps_a_distribution(
    grader: Grader, complement: Rubric
) -> None:
    analysis = analysed(grader, complement, "It helps the two sides build trust in each other.")
    assert grader.point_model is not None
    plain = point_probabilities(analysis.alignments, grader.point_model, grader.config)
    halved = point_probabilities(
        analysis.alignments, grader.point_model, grader.config, lambda p: p / 2
    )
    assert np.allclose(halved[:, 0], plain[:, 0] / 2)
    assert np.allclose(halved.sum(axis=1), 1.0)
    # The split between denial and absence is the model's, whatever the calibration.
    ratio = plain[:, 1] / (plain[:, 1] + plain[:, 2])
    assert np.allclose(halved[:, 1] / (halved[:, 1] + halved[:, 2]), ratio)


def test_off_topic_evidence_earns_nothing_whatever_the_features(
    grader: Grader, complement: Rubric
) -> None:
    analysis = analysed(grader, complement, "Photosynthesis turns sunlight into sugar in leaves.")
    assert grader.point_model is not None
    far = [replace(a, similarity=0.05) for a in analysis.alignments]
    statuses = judge_points(far, grader.point_model, grader.config, partial_credit=True)
    assert {s.status for s in statuses} == {"missing"}
    assert sum(s.credit for s in statuses) == 0


def test_a_point_model_for_other_features_is_refused(point_model: PointModel) -> None:
    other = replace(point_model, feature_names=("similarity",))
    with pytest.raises(ValueError, match="refit it"):
        check_point_model(other)


def test_results_name_the_scorer(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, "It builds trust.")
    assert result.model.scorer == "point-v6"


def test_training_fits_exports_and_checks_the_model(tmp_path: Path) -> None:
    """The real training command on a small slice of SemEval train: features from the real
    encoder, question-grouped CV, export, and the exported model checked against
    scikit-learn's (the command refuses to write one that differs)."""
    if not SEMEVAL.is_dir():
        pytest.skip(f"SemEval-2013 data not found at {SEMEVAL} (CI has it beside the clone)")
    from assess.point_training import main

    for corpus in ("beetle", "sciEntsBank"):
        lines = (SEMEVAL / corpus / "train.jsonl").read_text(encoding="utf-8").splitlines()
        (tmp_path / corpus).mkdir()
        (tmp_path / corpus / "train.jsonl").write_text("\n".join(lines[::25]) + "\n")
    out = tmp_path / "point.json"
    assert main(["--data", str(tmp_path), "--out", str(out), "--version", "point-test"]) == 0
    model = load_point_model(out)
    assert model.version == "point-test"
    card = json.loads(out.read_text())["card"]
    assert card["n_examples"] == sum(
        len((tmp_path / c / "train.jsonl").read_text().splitlines())
        for c in ("beetle", "sciEntsBank")
    )
    assert set(card["cross_validated"]) == {"cv", "beetle", "sciEntsBank"}
    blank = np.zeros((1, 384))
    named = np.zeros((1, len(model.feature_names)))
    assert model.predict_proba(named, blank, blank).shape == (1, len(CLASSES))


def test_rubric_calibrations_are_fitted_on_the_scorers_own_probability(
    grader: Grader, complement: Rubric
) -> None:
    from assess.coverage import covered_probability

    analysis = analysed(grader, complement, "It helps the two sides build trust in each other.")
    assert grader.point_model is not None
    ours = grader.covered_probabilities(analysis.alignments)
    model = point_probabilities(analysis.alignments, grader.point_model, grader.config)[:, 0]
    legacy = covered_probability(analysis.alignments, grader.calibrator, grader.config)[0]
    assert np.allclose(ours, model)
    assert not np.allclose(ours, legacy)


def test_the_judge_credits_a_point_in_a_one_point_rubric_only(
    grader: Grader, complement: Rubric
) -> None:
    answer = "It helps the two sides build trust in each other."
    ids = [p.id for p in complement.points]
    several = analysed(grader, complement, answer).alignments[ids.index("trust-building")]
    alone_rubric = Rubric.model_validate(
        {**complement.to_document(), "id": "trust-only", "misconceptions": [],
         "points": [complement.points[ids.index("trust-building")].model_dump()]}
    )  # fmt: skip
    (alone,) = analysed(grader, alone_rubric, answer).alignments
    # The judge reads the point in both (its denials count in any rubric) ...
    assert several.judged is not None and alone.judged is not None
    # ... but its P(correct) moves P(covered) only where the rubric has one point.
    assert grader.config.judge_max_points == 1
    assert not several.judge_credits and alone.judge_credits
    p = np.array([0.2])
    assert with_judge(p, [several], grader.config)[0] == 0.2
    share = grader.config.judge_weight
    assert with_judge(p, [alone], grader.config)[0] == pytest.approx(
        (1 - share) * 0.2 + share * alone.judged[0]
    )
