"""Per-rubric calibration from teacher grades: Platt scaling of P(covered), and how well the
engine agrees with the teacher before and after.

`calibrate_rubric` is what `assess calibrate` and the service's calibration endpoint call: it
takes graded answers, returns the fitted `RubricCalibration` and an `AgreementReport`.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.analyse import Analysis, AnswerRequest
from assess.coverage import feature_matrix
from assess.errors import CalibrationError, InputFileError
from assess.grader import Grader
from rubrics import Rubric

MIN_GRADED = 20
BOOTSTRAP = 1000
POINT_PREFIX = "point:"


@dataclass(frozen=True)
class GradedRow:
    """One teacher-graded answer; `points` maps point ids to 0/1 where the teacher gave them."""

    answer_id: str
    answer: str
    score: float
    points: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RubricCalibration:
    """P'(covered) = sigmoid(slope * logit(P(covered)) + intercept), for one rubric version."""

    rubric_id: str
    rubric_version: str
    slope: float
    intercept: float
    n_answers: int

    def apply(self, probability: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Recalibrated probabilities."""
        p = np.clip(probability, 1e-6, 1 - 1e-6)
        z = self.slope * np.log(p / (1 - p)) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class AgreementReport:
    """Engine against teacher on the graded answers (figures with bootstrap 95% intervals)."""

    n: int
    figures: dict[str, dict[str, float]]  # name -> {value, low, high}, after calibration
    before: dict[str, float]  # the same figures with the uncalibrated engine
    disagreements: list[dict[str, Any]]
    warnings: list[str]

    def to_document(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)


def read_graded(path: Path, rubric: Rubric) -> list[GradedRow]:
    """A CSV with `answer` and `score` columns, optional `answer_id` and `point:<id>` (0/1)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if "answer" not in columns or "score" not in columns:
                raise InputFileError(f"{path}: needs columns answer and score, has {columns}")
            ids = {p.id for p in rubric.points}
            extra = [c for c in columns if c.startswith(POINT_PREFIX)]
            unknown = [c for c in extra if c[len(POINT_PREFIX) :] not in ids]
            if unknown:
                raise InputFileError(f"{path}: {unknown} name no point of rubric {rubric.id}")
            rows = []
            for n, record in enumerate(reader, start=2):
                try:
                    points = {c[len(POINT_PREFIX) :]: float(record[c]) for c in extra if record[c]}
                    score = float(record["score"])
                except ValueError as exc:
                    raise InputFileError(f"{path}: line {n}: not a number: {exc}") from exc
                rows.append(
                    GradedRow(record.get("answer_id") or str(n), record["answer"], score, points)
                )
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: cannot read: {exc}") from exc
    return rows


def _levels(scores: npt.NDArray[np.float64], max_score: float) -> npt.NDArray[np.int64]:
    """Scores as quarters of the maximum (0..4), the scale QWK and agreement are read on."""
    return np.rint(np.clip(scores / max_score, 0, 1) * 4).astype(np.int64)


def agreement(
    teacher: npt.NDArray[np.float64], engine: npt.NDArray[np.float64], max_score: float
) -> dict[str, float]:
    """QWK, exact and adjacent agreement (quarter-mark levels) and Pearson r on scores."""
    from sklearn.metrics import cohen_kappa_score

    t, e = _levels(teacher, max_score), _levels(engine, max_score)
    same = bool(np.all(t == t[0]) and np.all(e == e[0]))
    qwk = 1.0 if same and t[0] == e[0] else float(cohen_kappa_score(t, e, weights="quadratic"))
    spread = np.std(teacher) > 0 and np.std(engine) > 0
    return {
        "qwk": qwk if np.isfinite(qwk) else 0.0,
        "exact": float(np.mean(t == e)),
        "adjacent": float(np.mean(np.abs(t - e) <= 1)),
        "pearson_r": float(np.corrcoef(teacher, engine)[0, 1]) if spread else 0.0,
    }


def bootstrap(
    teacher: npt.NDArray[np.float64],
    engine: npt.NDArray[np.float64],
    max_score: float,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Each agreement figure with a bootstrap 95% interval over answers."""
    rng = np.random.default_rng(seed)
    point = agreement(teacher, engine, max_score)
    draws: dict[str, list[float]] = {k: [] for k in point}
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(teacher), len(teacher))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k, v in agreement(teacher[pick], engine[pick], max_score).items():
                draws[k].append(v)
    return {
        k: {"value": round(v, 4), "low": round(float(np.percentile(draws[k], 2.5)), 4),
            "high": round(float(np.percentile(draws[k], 97.5)), 4)}
        for k, v in point.items()
    }  # fmt: skip


def fit_platt(
    probability: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> tuple[float, float]:
    """Slope and intercept on logit(P) minimising cross-entropy with (soft) targets; a light
    pull towards the identity (1, 0) keeps a handful of answers from swinging it."""
    from scipy.optimize import minimize

    p = np.clip(probability, 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p))

    def loss(w: npt.NDArray[np.float64]) -> float:
        q = np.clip(1 / (1 + np.exp(-(w[0] * z + w[1]))), 1e-9, 1 - 1e-9)
        ce = -np.mean(target * np.log(q) + (1 - target) * np.log(1 - q))
        return float(ce + 0.01 * ((w[0] - 1) ** 2 + w[1] ** 2))

    fitted = minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(fitted.x[0]), float(fitted.x[1])


def calibrate_rubric(
    grader: Grader, rubric: Rubric, rows: Sequence[GradedRow]
) -> tuple[Grader, AgreementReport]:
    """Fit Platt scaling of P(covered) on teacher grades; return a Grader that uses it and the
    agreement before and after (in-sample: two parameters fitted on these answers)."""
    if not rows:
        raise CalibrationError(f"no graded answers for rubric {rubric.id}; add some rows")
    notes = []
    if len(rows) < MIN_GRADED:
        notes.append(
            f"only {len(rows)} graded answers: calibration below {MIN_GRADED} is unreliable"
        )
    analyses = grader.analyser.analyse_many([AnswerRequest(rubric, r.answer) for r in rows])
    n_points, names = len(rubric.points), grader.calibrator.feature_names
    probability: list[float] = []
    target: list[float] = []
    for row, analysis in zip(rows, analyses, strict=True):
        if not isinstance(analysis, Analysis):
            raise CalibrationError(f"answer {row.answer_id}: {analysis}")
        p = grader.calibrator.predict_proba(feature_matrix(analysis.alignments[:n_points], names))
        probability.extend(p)
        share = min(max(row.score / rubric.scoring.max_score, 0.0), 1.0)
        target.extend(row.points.get(point.id, share) for point in rubric.points)
    slope, intercept = fit_platt(np.asarray(probability), np.asarray(target))
    base = grader.calibrator
    calibrator = type(base)(
        feature_names=base.feature_names,
        coef=tuple(slope * c for c in base.coef),
        intercept=slope * base.intercept + intercept,
        mean=base.mean,
        scale=base.scale,
        version=f"{base.version}+{rubric.id}@{rubric.version}",
        card={**base.card, "rubric": {"id": rubric.id, "version": rubric.version,
              "platt": {"slope": slope, "intercept": intercept}, "n_answers": len(rows)}},
    )  # fmt: skip
    tuned = Grader(grader.encoder, calibrator, grader.config, grader.contradiction)
    teacher = np.array([r.score for r in rows], dtype=float)
    before = [grader.result(a, None) for a in analyses if isinstance(a, Analysis)]
    after = [tuned.result(a, None) for a in analyses if isinstance(a, Analysis)]
    engine = np.array([r.score for r in after])
    figures = bootstrap(teacher, engine, rubric.scoring.max_score)
    labelled = [
        (r.points[p.id] >= 0.5, p.status == "covered")
        for r, result in zip(rows, after, strict=True)
        for p in result.points
        if p.id in r.points
    ]
    if labelled:
        figures["per_point"] = {"value": round(float(np.mean([a == b for a, b in labelled])), 4)}
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
        },
        disagreements=worst,
        warnings=notes,
    )
    return tuned, report
