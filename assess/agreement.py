"""How a teacher's grades and the engine's agree: on scores (QWK, exact and adjacent
agreement on quarter-mark levels, Pearson r) and on the points the teacher graded (agreement
and Cohen's kappa of the covered calls), each with a bootstrap 95% interval over answers.
The calibration's agreement report (`assess.calibration.fit_calibration`) is made of these.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.graded import GradedRow
from assess.result import AssessmentResult
from rubrics import Rubric

BOOTSTRAP = 1000


def levels(scores: npt.NDArray[np.float64], max_score: float) -> npt.NDArray[np.int64]:
    """Scores as quarters of the maximum (0..4), the scale QWK and agreement are read on."""
    return np.rint(np.clip(scores / max_score, 0, 1) * 4).astype(np.int64)


def interval(value: float, draws: Sequence[float]) -> dict[str, float]:
    """A figure with the 95% interval of its bootstrap draws."""
    return {"value": round(value, 4), "low": round(float(np.percentile(draws, 2.5)), 4),
            "high": round(float(np.percentile(draws, 97.5)), 4)}  # fmt: skip


def agreement(
    teacher: npt.NDArray[np.float64], engine: npt.NDArray[np.float64], max_score: float
) -> dict[str, float]:
    """QWK, exact and adjacent agreement (quarter-mark levels) and Pearson r on scores."""
    from sklearn.metrics import cohen_kappa_score

    t, e = levels(teacher, max_score), levels(engine, max_score)
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
    return {k: interval(v, draws[k]) for k, v in point.items()}


def point_calls(
    rows: Sequence[GradedRow], results: Sequence[AssessmentResult], point_ids: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(answers, points) of the teacher's and the engine's calls: 1 covered, 0 not (a
    contradiction is not covered), NaN where the teacher did not grade the point."""
    teacher = np.full((len(rows), len(point_ids)), np.nan)
    engine = teacher.copy()
    for i, (row, result) in enumerate(zip(rows, results, strict=True)):
        status = {p.id: p.status for p in result.points}
        for j, point_id in enumerate(point_ids):
            if point_id in row.points and point_id in status:
                teacher[i, j] = float(row.points[point_id] >= 0.5)
                engine[i, j] = float(status[point_id] == "covered")
    return teacher, engine


def agreed_calls(
    teacher: npt.NDArray[np.float64], engine: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """(answers, points) of `point_calls`: 1 where the engine's call of a point the teacher
    graded matches the teacher's, 0 where it does not, NaN where the teacher did not grade it."""
    return np.where(np.isnan(teacher), np.nan, (teacher == engine).astype(float))


def calls_kappa(teacher: npt.NDArray[np.float64], engine: npt.NDArray[np.float64]) -> float:
    """Cohen's kappa of two sides' covered calls: agreement beyond what their shares of
    "covered" alone would give (a point nearly nobody covers is agreed on by calling it
    missing every time; kappa says 0 to that). As for QWK, 1 where both make one same call
    throughout, 0 where it is undefined."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(teacher.tolist()) | set(engine.tolist())) == 1:
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = float(cohen_kappa_score(teacher, engine))
    return kappa if np.isfinite(kappa) else 0.0


def bootstrap_share(agreed: npt.NDArray[np.float64], seed: int = 0) -> dict[str, float]:
    """The share of agreements among the graded cells of `agreed` (answers, points), with a
    bootstrap 95% interval over answers (each draw keeps an answer's points together)."""
    graded = ~np.isnan(agreed)
    rows = np.flatnonzero(graded.any(axis=1))
    value = float(np.nanmean(agreed[rows]))
    rng = np.random.default_rng(seed)
    draws = [float(np.nanmean(agreed[rng.choice(rows, len(rows))])) for _ in range(BOOTSTRAP)]
    return interval(value, draws)


@dataclass(frozen=True)
class PointFigures:
    """Agreement on the points the teacher graded: all of them pooled (`bootstrap_share`) and
    the same before calibration, and each point's own, with `n` answers that graded it, its
    share `before` calibration and its `kappa` (`calls_kappa`)."""

    pooled: dict[str, float]
    pooled_before: float
    points: dict[str, dict[str, float]]


def per_point_figures(
    rows: Sequence[GradedRow],
    after: Sequence[AssessmentResult],
    before: Sequence[AssessmentResult],
    rubric: Rubric,
) -> PointFigures | None:
    """`PointFigures` of the graded answers' results after and before calibration; None
    where the teacher graded no point."""
    point_ids = [p.id for p in rubric.points]
    teacher, engine = point_calls(rows, after, point_ids)
    if np.isnan(teacher).all():
        return None
    agreed = agreed_calls(teacher, engine)
    earlier = agreed_calls(*point_calls(rows, before, point_ids))
    points = {}
    for j, point_id in enumerate(point_ids):
        graded = ~np.isnan(agreed[:, j])
        if graded.any():
            points[point_id] = bootstrap_share(agreed[graded, j : j + 1]) | {
                "n": int(graded.sum()),
                "before": round(float(np.nanmean(earlier[graded, j])), 4),
                "kappa": round(calls_kappa(teacher[graded, j], engine[graded, j]), 4),
            }
    return PointFigures(bootstrap_share(agreed), round(float(np.nanmean(earlier)), 4), points)
