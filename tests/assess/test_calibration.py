"""Per-rubric calibration from teacher grades, and the agreement report."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assess import Grader
from assess.agreement import agreement
from assess.calibration import (
    REVIEW_GRID,
    GradedRow,
    analyse_graded,
    calibrate_rubric,
    fit_calibration,
    read_graded,
    review_threshold,
)
from assess.calibration_fit import fit_platt
from assess.errors import CalibrationError, InputFileError
from assess.recalibration import RubricCalibration, load_calibration
from rubrics import Rubric, library_path

GRADED = [
    ("It helps the two sides build trust in each other.", 1.0),
    ("Informal talks let people speak freely without the pressure of formal negotiations. "
     "They build trust, and their ideas feed into official diplomacy.", 3.0),
    ("Photosynthesis turns sunlight into sugar.", 0.0),
    ("It replaces official negotiations.", 0.0),
    ("Unofficial meetings give a relaxed space to talk openly.", 1.0),
    ("Ideas from the meetings are passed to official negotiators and improve the talks.", 1.0),
]  # fmt: skip


def rows() -> list[GradedRow]:
    return [GradedRow(str(n), answer, score) for n, (answer, score) in enumerate(GRADED)]


def test_identical_scores_agree_perfectly() -> None:
    scores = np.array([0.0, 1.0, 2.0, 3.0])
    assert agreement(scores, scores, 3.0) == {
        "qwk": 1.0, "exact": 1.0, "adjacent": 1.0, "pearson_r": pytest.approx(1.0)
    }  # fmt: skip


def test_platt_scaling_leaves_calibrated_probabilities_alone() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0.02, 0.98, 4000)
    slope, intercept = fit_platt(p, (rng.uniform(size=p.size) < p).astype(float))
    assert slope == pytest.approx(1.0, abs=0.15)
    assert intercept == pytest.approx(0.0, abs=0.15)


def test_calibration_reports_agreement_and_warns_on_few_answers(
    grader: Grader, complement: Rubric
) -> None:
    fitted, report = calibrate_rubric(grader, complement, rows())
    assert report.n == len(GRADED)
    assert set(report.figures) == {"qwk", "exact", "adjacent", "pearson_r"}
    for figure in report.figures.values():
        assert figure["low"] <= figure["value"] <= figure["high"]
    assert "unreliable" in report.warnings[0]
    assert len(report.disagreements) == 5
    assert fitted.key == (complement.id, complement.version)
    assert [row["threshold"] for row in report.auto_grading] == list(REVIEW_GRID)
    assert fitted.review_below == report.review_below
    tuned = grader.calibrated({fitted.key: fitted})
    assert tuned.calibrations and not grader.calibrations
    assert (
        tuned.assess(complement, GRADED[1][0]).score > tuned.assess(complement, GRADED[0][0]).score
    )


def test_a_calibration_moves_only_its_own_rubric_version(
    grader: Grader, complement: Rubric
) -> None:
    answer = "Unofficial meetings give a relaxed space to talk openly."
    stingy = RubricCalibration(complement.id, complement.version, 1.0, -6.0, 20, 0.99)
    other = RubricCalibration(complement.id, "another-version", 1.0, -6.0, 20, 0.99)
    plain = grader.assess(complement, answer)
    assert grader.calibrated({other.key: other}).assess(complement, answer) == plain
    tuned = grader.calibrated({stingy.key: stingy}).assess(complement, answer)
    assert max(p.coverage for p in tuned.points) < max(p.coverage for p in plain.points)
    assert not tuned.needs_review  # sure that nothing is covered
    unsure = RubricCalibration(complement.id, complement.version, 0.0, 0.0, 20, 0.9)
    assert grader.calibrated({unsure.key: unsure}).assess(complement, answer).needs_review


def test_review_threshold_is_the_lowest_that_agrees_often_enough() -> None:
    confidence = np.array([0.55, 0.62, 0.71, 0.74, 0.81, 0.86, 0.9, 0.93, 0.96, 0.97])
    agreed = np.array([False, False, False, True, True, True, True, True, True, True])
    chosen, table = review_threshold(confidence, agreed)
    assert chosen == 0.65  # from 0.65 up: 7 of 8 agree; from 0.6: 7 of 9 (0.78) do not
    assert table[0] == {"threshold": 0.5, "share": 1.0, "agreement": 0.7}
    assert review_threshold(confidence, np.zeros(10, dtype=bool))[0] == 1.0


def test_per_point_grades_are_compared_point_by_point(grader: Grader, complement: Rubric) -> None:
    graded = [GradedRow("a", GRADED[0][0], 1.0, {"trust-building": 1.0, "informal-space": 0.0})]
    _, report = calibrate_rubric(grader, complement, graded * 3)
    pooled = report.figures["per_point"]
    assert pooled["low"] <= pooled["value"] <= pooled["high"]
    assert set(report.points) == {"trust-building", "informal-space"}  # informs-official: none
    assert all(figure["n"] == 3 for figure in report.points.values())
    assert "per_point" in report.before


def test_per_point_agreement_counts_each_graded_point_and_draws_whole_answers() -> None:
    from types import SimpleNamespace

    from assess.agreement import per_point_figures

    def result(**statuses: str) -> Any:
        return SimpleNamespace(
            points=[SimpleNamespace(id=k, status=v) for k, v in statuses.items()]
        )

    rubric = SimpleNamespace(points=[SimpleNamespace(id="a"), SimpleNamespace(id="b")])
    rows = [
        GradedRow("1", "x", 1.0, {"a": 1, "b": 0}),
        GradedRow("2", "y", 1.0, {"a": 1}),
        GradedRow("3", "z", 0.0, {"a": 0, "b": -1}),
        GradedRow("4", "w", 0.0, {}),
    ]
    after = [result(a="covered", b="partial"), result(a="missing", b="covered"),
             result(a="missing", b="contradicted"), result(a="covered", b="covered")]  # fmt: skip
    before = [result(a="missing", b="missing")] * 4
    figures = per_point_figures(rows, after, before, rubric)  # type: ignore[arg-type]
    assert figures is not None
    # a: agrees on answers 1 and 3, not 2; b: agrees on 1 and 3 (a contradiction is not
    # covered); answer 4 graded no point and 2's "b" was not graded.
    assert figures.pooled["value"] == 0.8
    assert figures.points["a"]["value"] == round(2 / 3, 4) and figures.points["a"]["n"] == 3
    assert figures.points["b"]["value"] == 1.0 and figures.points["b"]["n"] == 2
    assert figures.points["b"]["low"] == figures.points["b"]["high"] == 1.0
    # Teacher 1, 1, 0 against engine 1, 0, 0: agreement 2/3 where chance gives 4/9.
    assert figures.points["a"]["kappa"] == 0.4
    assert figures.points["b"]["kappa"] == 1.0  # both call it not covered throughout
    assert figures.points["a"]["before"] == round(1 / 3, 4)  # calling it missing agrees on 3
    assert figures.pooled_before == 0.6
    assert 0 <= figures.pooled["low"] <= 0.8 <= figures.pooled["high"] <= 1
    assert per_point_figures(rows[3:], after[3:], before[3:], rubric) is None  # type: ignore[arg-type]


def test_no_graded_answers_is_an_error(grader: Grader, complement: Rubric) -> None:
    with pytest.raises(CalibrationError, match="no graded answers"):
        calibrate_rubric(grader, complement, [])


def test_a_point_column_must_name_a_point(tmp_path: Path, complement: Rubric) -> None:
    path = tmp_path / "g.csv"
    path.write_text("answer,score,point:nope\nx,1,1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="name no point"):
        read_graded(path, complement)


def test_the_cli_writes_the_calibration_beside_the_rubric_and_grades_with_it(
    tmp_path: Path,
) -> None:
    import csv
    import json

    from click.testing import CliRunner

    from service.cli import cli

    rubric = tmp_path / "complement.yaml"
    shutil.copy(library_path() / "track-ii" / "complement.yaml", rubric)
    graded = tmp_path / "graded.csv"
    with graded.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["answer_id", "answer", "score"])
        writer.writerows([n, a, s] for n, (a, s) in enumerate(GRADED))
    result = CliRunner().invoke(cli, ["calibrate", "--rubric", str(rubric), str(graded)])
    assert result.exit_code == 0, result.output
    assert "Warning: only 6 graded answers" in result.stderr
    assert "6 scores were given to whole answers" in result.stderr
    assert json.loads(result.stdout)["n"] == 6
    (saved,) = tmp_path.glob("complement.*.calibration.json")
    stingy = load_calibration(saved)
    document = json.loads(saved.read_text())
    document.update(slope=0.0, intercept=-1.5, review_below=0.99)  # P = 0.18 everywhere
    saved.write_text(json.dumps(document))
    answer = GRADED[1][0]
    scored = CliRunner().invoke(
        cli, ["score", "--rubric", str(rubric), "--answer", answer, "--json"]
    )
    assert scored.exit_code == 0, scored.output
    result = json.loads(scored.stdout)
    assert stingy.rubric_version in saved.name
    assert result["needs_review"] is True
    assert all(p["coverage"] < 0.3 for p in result["points"])
    assert stingy.scorer == result["model"]["scorer"].split("+")[0]
    assert "warning" not in scored.stderr
    # After an upgrade of the engine the saved scaling was fitted on another scorer.
    saved.write_text(json.dumps({**document, "scorer": "point-v0"}))
    scored = CliRunner().invoke(cli, ["score", "--rubric", str(rubric), "--answer", answer])
    assert scored.exit_code == 0, scored.output
    assert "fitted on scorer point-v0; this engine runs point-" in scored.stderr
    assert "calibrate again with the same grades" in scored.stderr


def test_a_calibration_knows_the_scorer_it_was_fitted_on(
    grader: Grader, complement: Rubric
) -> None:
    fitted, _ = calibrate_rubric(grader, complement, rows())
    assert fitted.scorer == grader.scorer_version
    assert fitted.fitted_for(grader.scorer_version) is True
    assert fitted.stale_warning(grader.scorer_version) is None
    assert fitted.fitted_for("point-v0") is False
    assert "fitted on scorer " + grader.scorer_version in str(fitted.stale_warning("point-v0"))
    document = fitted.to_document()
    assert RubricCalibration.from_document(document) == fitted
    # Saved before the scorer was kept: not known, so no warning.
    older = RubricCalibration.from_document({k: v for k, v in document.items() if k != "scorer"})
    assert older.fitted_for("point-v0") is None
    assert older.stale_warning("point-v0") is None


def test_fitting_needs_no_model_once_the_answers_are_analysed(
    grader: Grader, complement: Rubric
) -> None:
    # The service analyses under its grader lock and fits outside it: same outcome.
    analyses = analyse_graded(grader, complement, rows())
    fitted, report = fit_calibration(grader, complement, rows(), analyses)
    whole, whole_report = calibrate_rubric(grader, complement, rows())
    assert fitted == whole
    assert report.figures == whole_report.figures


def test_fitting_runs_no_model_the_graded_answers_are_read_once(
    grader: Grader, complement: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service holds its grader lock only while `analyse_graded` runs the models; the
    fit and its report must reuse those analyses, never encode again."""
    graded = rows()
    analyses = analyse_graded(grader, complement, graded)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a model ran while fitting")

    monkeypatch.setattr(grader.analyser, "analyse_many", refuse)
    fitted, report = fit_calibration(grader, complement, graded, analyses)
    assert fitted.exemplars and report.n == len(graded)


def test_kappa_gives_no_credit_for_calling_a_rare_point_missing_every_time() -> None:
    from assess.agreement import calls_kappa

    teacher = np.array([0.0] * 9 + [1.0])
    always_missing = np.zeros(10)
    assert np.mean(teacher == always_missing) == 0.9
    assert calls_kappa(teacher, always_missing) == 0.0
    assert calls_kappa(teacher, teacher) == 1.0
