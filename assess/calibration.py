"""Per-rubric calibration from teacher grades: Platt scaling of P(covered) with the answer's
nearness to the graded answers of each point, and how well the engine agrees with the teacher
before and after (after: each graded answer judged by the others, never by itself).

`calibrate_rubric` is what `assess calibrate` and the service's calibration endpoint call: it
takes graded answers, returns the fitted `RubricCalibration` and an `AgreementReport`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.agreement import agreement, bootstrap, levels, per_point_figures
from assess.analyse import Analysis, AnswerRequest
from assess.calibration_fit import (
    denial_fit,
    fit_with_neighbours,
    graded_bank,
    held_out_nearness,
)
from assess.errors import AssessError, CalibrationError, InputFileError
from assess.graded import DENIED, GradedRow, graded_exemplars
from assess.graded_scores import MIN_SCORED, GradedBanks, reads_whole_scores
from assess.grader import Grader
from assess.recalibration import GradedScore, RubricCalibration
from rubrics import Rubric

MIN_GRADED = 20
POINT_PREFIX = "point:"


REVIEW_GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
# An answer is left to the engine alone when answers at least as confident agreed with the
# teacher (same quarter-mark level) this often.
AUTO_GRADE_AGREEMENT = 0.8
MIN_AUTO_GRADED = 5


@dataclass(frozen=True)
class AgreementReport:
    """Engine against teacher on the graded answers (figures with bootstrap 95% intervals)."""

    n: int
    figures: dict[str, dict[str, float]]  # name -> {value, low, high}, after calibration
    before: dict[str, float]  # the same figures with the uncalibrated engine
    disagreements: list[dict[str, Any]]
    warnings: list[str]
    # Per review threshold: the share of answers graded without a human and their agreement.
    auto_grading: list[dict[str, float]] = field(default_factory=list)
    review_below: float = 1.0
    # Per point the teacher graded: agreement on whether it is covered, with its bootstrap
    # 95% interval, how many answers graded it, the same before calibration, and Cohen's
    # kappa (agreement beyond chance).
    points: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)


def read_graded(path: Path, rubric: Rubric) -> list[GradedRow]:
    """A CSV with `answer` and `score` columns, optional `answer_id` and `point:<id>` (1: covered,
    0: not covered, -1: the answer contradicts the point)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return parse_graded(handle, str(path), rubric)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: cannot read: {exc}") from exc


def parse_graded(lines: Iterable[str], source: str, rubric: Rubric) -> list[GradedRow]:
    """The graded rows of CSV text (what `read_graded` reads from a file, an upload reads
    from memory); `source` names it in the errors."""
    try:
        reader = csv.DictReader(lines)
        columns = reader.fieldnames or []
        if "answer" not in columns or "score" not in columns:
            raise InputFileError(f"{source}: needs columns answer and score, has {columns}")
        ids = {p.id for p in rubric.points}
        extra = [c for c in columns if c.startswith(POINT_PREFIX)]
        unknown = [c for c in extra if c[len(POINT_PREFIX) :] not in ids]
        if unknown:
            raise InputFileError(f"{source}: {unknown} name no point of rubric {rubric.id}")
        rows = []
        for n, record in enumerate(reader, start=2):
            try:
                points = {c[len(POINT_PREFIX) :]: float(record[c]) for c in extra if record[c]}
                score = float(record["score"])
            except (TypeError, ValueError) as exc:
                raise InputFileError(f"{source}: line {n}: not a number: {exc}") from exc
            rows.append(
                GradedRow(record.get("answer_id") or str(n), record["answer"] or "", score, points)
            )
    except csv.Error as exc:
        raise InputFileError(f"{source}: not a readable CSV file: {exc}") from exc
    return rows


def check_graded(rubric: Rubric, rows: Sequence[GradedRow]) -> None:
    """Refuse grades the calibration cannot use: a score outside [0, max_score], a point id
    the rubric lacks, a per-point grade other than 1, 0 or -1."""
    if not rows:
        raise CalibrationError(f"no graded answers for rubric {rubric.id}; add some rows")
    top = rubric.scoring.max_score
    ids = [p.id for p in rubric.points]
    for row in rows:
        if not (math.isfinite(row.score) and 0 <= row.score <= top):
            raise CalibrationError(
                f"answer {row.answer_id}: score {row.score} is outside 0..{top:g} "
                f"(the max_score of rubric {rubric.id})"
            )
        for point, grade in row.points.items():
            if point not in ids:
                raise CalibrationError(
                    f"answer {row.answer_id}: {point!r} names no point of rubric {rubric.id}; "
                    f"its points are {', '.join(ids)}"
                )
            if grade not in (0, 1, DENIED):
                raise CalibrationError(
                    f"answer {row.answer_id}: point {point!r} is graded {grade}; use 1 "
                    f"(covered), 0 (not covered) or {DENIED} (the answer contradicts it)"
                )


def review_threshold(
    confidence: npt.NDArray[np.float64], agreed: npt.NDArray[np.bool_]
) -> tuple[float, list[dict[str, float]]]:
    """The lowest confidence from which the engine's grades agreed with the teacher's at
    `AUTO_GRADE_AGREEMENT` (1.0, review everything, when none does), and the table behind it."""
    table, chosen = [], 1.0
    for t in REVIEW_GRID:
        kept = confidence >= t
        share = float(kept.mean())
        rate = float(agreed[kept].mean()) if kept.any() else 0.0
        table.append({"threshold": t, "share": round(share, 4), "agreement": round(rate, 4)})
        if chosen == 1.0 and kept.sum() >= MIN_AUTO_GRADED and rate >= AUTO_GRADE_AGREEMENT:
            chosen = t
    return chosen, table


def calibrate_rubric(
    grader: Grader, rubric: Rubric, rows: Sequence[GradedRow]
) -> tuple[RubricCalibration, AgreementReport]:
    """Fit Platt scaling of P(covered) and a review threshold on teacher grades; return them
    with the agreement before and after (in-sample: two parameters fitted on these answers)."""
    return fit_calibration(grader, rubric, rows, analyse_graded(grader, rubric, rows))


def analyse_graded(
    grader: Grader, rubric: Rubric, rows: Sequence[GradedRow]
) -> list[Analysis | AssessError]:
    """The step that runs the models (a service holds its grader lock for this one only)."""
    check_graded(rubric, rows)
    return grader.analyse_many([AnswerRequest(rubric, r.answer) for r in rows])


def fit_parameters(
    grader: Grader,
    rubric: Rubric,
    rows: Sequence[GradedRow],
    analyses: Sequence[Analysis | AssessError],
) -> tuple[RubricCalibration, GradedBanks]:
    """The calibration's parameters (no review threshold yet): Platt scaling of the scorer's
    P(covered) with each answer's nearness to the other graded answers, and the whole-answer
    scores of a rubric of several points for the score model; and those graded answers read
    from their analyses, for `Grader.calibrated(banks=...)`."""
    n_points = len(rubric.points)
    scores = whole_scores(rubric, rows)
    # Where the score model reads the whole-answer scores, they are not also made targets of
    # each point: a mark for the whole would call points covered that the answer never
    # states, and what the teacher counts is the score model's to learn.
    by_score = grader.score_model is not None and len(scores) >= MIN_SCORED
    probability: list[float] = []
    target: list[float] = []
    fitted_on: list[bool] = []
    analysed: list[Analysis] = []
    for row, analysis in zip(rows, analyses, strict=True):
        if not isinstance(analysis, Analysis):
            raise CalibrationError(f"answer {row.answer_id}: {analysis}")
        analysed.append(analysis)
        probability.extend(grader.covered_probabilities(analysis.alignments[:n_points]))
        share = row.share(rubric.scoring.max_score)
        target.extend(max(row.points.get(point.id, share), 0.0) for point in rubric.points)
        fitted_on.extend(not (by_score and p.id not in row.points) for p in rubric.points)
    bank = graded_bank(rubric, rows, analysed)
    near = held_out_nearness(bank, rubric, rows, analysed)
    kept = np.asarray(fitted_on, dtype=bool)
    slope, intercept, neighbour = (
        fit_with_neighbours(
            np.asarray(probability)[kept], np.asarray(target)[kept],
            near[kept] if near[kept].any() else None,
        )
        if kept.any()
        else (1.0, 0.0, 0.0)
    )  # fmt: skip
    deny_intercept, deny_neighbour = denial_fit(grader, bank, rubric, rows, analysed)
    # Kept whatever the fit: the example model reads them, and a copy of a graded answer
    # gets the teacher's grade.
    examples = tuple(graded_exemplars(rubric, rows))
    fitted = RubricCalibration(
        rubric.id, rubric.version, slope, intercept, len(rows), None, neighbour, examples,
        deny_intercept, deny_neighbour, scores, scorer=grader.scorer_version,
    )  # fmt: skip
    return fitted, GradedBanks(bank, grader.score_bank_of(scores, analysed))


def whole_scores(rubric: Rubric, rows: Sequence[GradedRow]) -> tuple[GradedScore, ...]:
    """The answers the teacher scored whole, without a grade per point, where the score
    model reads them (`assess.graded_scores.reads_whole_scores`)."""
    top = rubric.scoring.max_score
    found = tuple(GradedScore(r.answer, r.share(top)) for r in rows if not r.points)
    return found if reads_whole_scores(len(rubric.points), [s.share for s in found]) else ()


def calibrated_on(grader: Grader, graded: Iterable[tuple[Rubric, Sequence[GradedRow]]]) -> Grader:
    """The grader with each rubric calibrated on its graded rows, the graded answers read
    once and kept as the calibrations' examples (what a teacher's grades do, measured)."""
    fitted, banks = {}, {}
    for rubric, rows in graded:
        analyses = grader.analyse_many([AnswerRequest(rubric, r.answer) for r in rows])
        calibration, bank = fit_parameters(grader, rubric, rows, analyses)
        fitted[calibration.key], banks[calibration] = calibration, bank
    return grader.calibrated({**grader.calibrations, **fitted}, banks=banks)


def fit_calibration(
    grader: Grader,
    rubric: Rubric,
    rows: Sequence[GradedRow],
    analyses: Sequence[Analysis | AssessError],
) -> tuple[RubricCalibration, AgreementReport]:
    """Fit on analysed answers: no model runs here, only the calibrator and the bootstrap (the
    graded answers' examples come from these analyses, so none is read again)."""
    notes = []
    if len(rows) < MIN_GRADED:
        notes.append(
            f"only {len(rows)} graded answers: calibration below {MIN_GRADED} is unreliable"
        )
    fitted, bank = fit_parameters(grader, rubric, rows, analyses)
    tuned = grader.calibrated(
        {**grader.calibrations, fitted.key: fitted}, hold_out_graded=True, banks={fitted: bank}
    )
    teacher = np.array([r.score for r in rows], dtype=float)
    before = [grader.result(a, None) for a in analyses if isinstance(a, Analysis)]
    after = [tuned.result(a, None) for a in analyses if isinstance(a, Analysis)]
    engine = np.array([r.score for r in after])
    levels_agree = levels(teacher, rubric.scoring.max_score) == levels(
        engine, rubric.scoring.max_score
    )
    review_below, table = review_threshold(np.array([r.confidence for r in after]), levels_agree)
    fitted = replace(fitted, review_below=review_below)
    figures = bootstrap(teacher, engine, rubric.scoring.max_score)
    graded_points = per_point_figures(rows, after, before, rubric)
    if graded_points is not None:
        figures["per_point"] = graded_points.pooled
    order = np.argsort(-np.abs(engine - teacher))[:5]
    worst = [
        {"answer_id": rows[i].answer_id, "teacher": float(teacher[i]), "engine": float(engine[i]),
         "answer": rows[i].answer[:160]}
        for i in order
    ]  # fmt: skip
    report = AgreementReport(
        n=len(rows),
        figures=figures,
        before={
            k: round(v, 4)
            for k, v in agreement(
                teacher, np.array([r.score for r in before]), rubric.scoring.max_score
            ).items()
        }
        | ({"per_point": graded_points.pooled_before} if graded_points else {}),
        disagreements=worst,
        warnings=notes,
        auto_grading=table,
        review_below=review_below,
        points=graded_points.points if graded_points else {},
    )
    return fitted, report
