"""The parameters of a rubric calibration, fitted on a teacher's grades: Platt scaling with the
answer's nearness to the other graded answers, and the same for denials."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from assess.analyse import Analysis
from assess.examples import denied_given_missed
from assess.graded import DENIED, GradedRow, graded_exemplars
from assess.grader import Grader
from assess.neighbours import ExampleBank, bank_of, nearness_of
from assess.point_status import point_probabilities
from models.point_model import logit
from rubrics import Rubric

# The pull on the nearness weight: it is fitted on held-out nearness, so it needs little; on
# train, 1e-2 -> 1e-4 lifted within-question CV 3-way macro-F1 by 0.02 (scripts/graded_cv.py).
PULL = 1e-4
# Fewer answers marked as contradicting a point (or as merely missing it) than this and the
# denial part is not fitted: a handful swings it (scripts/graded_cv.py).
MIN_DENIALS = 5


def fit_platt(
    probability: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> tuple[float, float]:
    """Slope and intercept on logit(P) minimising cross-entropy with (soft) targets; a light
    pull towards the identity (1, 0) keeps a handful of answers from swinging it."""
    slope, intercept, _ = fit_with_neighbours(probability, target, None)
    return slope, intercept


def _fit_logistic(
    offset: npt.NDArray[np.float64],
    inputs: list[npt.NDArray[np.float64]],
    target: npt.NDArray[np.float64],
    start: list[float],
    pulls: list[float],
    bounds: list[tuple[float | None, float | None]] | None = None,
) -> list[float]:
    """Weights w minimising the cross-entropy of sigmoid(offset + sum w_i * inputs_i) with
    (soft) targets, each w_i pulled towards its start by its own `pulls` weight and kept
    within its `bounds` (None: free)."""
    from scipy.optimize import minimize

    columns, origin, pull = np.column_stack(inputs), np.asarray(start), np.asarray(pulls)

    def loss(w: npt.NDArray[np.float64]) -> float:
        q = np.clip(1 / (1 + np.exp(-(offset + columns @ w))), 1e-9, 1 - 1e-9)
        ce = -np.mean(target * np.log(q) + (1 - target) * np.log(1 - q))
        return float(ce + pull @ (w - origin) ** 2)

    found = minimize(loss, origin.astype(float), method="L-BFGS-B", bounds=bounds)
    return [float(w) for w in found.x]


def fit_with_neighbours(
    probability: npt.NDArray[np.float64],
    target: npt.NDArray[np.float64],
    nearness: npt.NDArray[np.float64] | None,
) -> tuple[float, float, float]:
    """Slope, intercept and nearness weight: Platt scaling with one more input, each answer's
    nearness to the other graded answers (`assess.neighbours`); the same light pull towards
    the identity (1, 0) on the first two, and `PULL` on the nearness weight."""
    z = logit(probability)
    near = np.zeros_like(z) if nearness is None else np.asarray(nearness, dtype=np.float64)
    # Coming nearer the answers graded covering a point never makes it less likely covered:
    # a handful of grades can fit a negative weight, which would turn a copy of a graded
    # answer against its own grade.
    slope, intercept, neighbour = _fit_logistic(
        np.zeros_like(z), [z, np.ones_like(z), near], target, [1.0, 0.0, 0.0],
        [0.01, 0.01, PULL], [(None, None), (None, None), (0.0, None)],
    )  # fmt: skip
    return slope, intercept, neighbour


def fit_denial(
    denied: npt.NDArray[np.float64],
    target: npt.NDArray[np.float64],
    nearness: npt.NDArray[np.float64],
) -> tuple[float, float]:
    """Intercept and nearness weight added to logit(P(denied | not covered)), on the answers
    the teacher marked as not covering a point, contradicting it (1) or not (0)."""
    z = logit(denied)
    near = np.asarray(nearness, dtype=np.float64)
    intercept, neighbour = _fit_logistic(
        z, [np.ones_like(z), near], target, [0.0, 0.0], [0.01, PULL], [(None, None), (0.0, None)]
    )
    return intercept, neighbour


def graded_bank(
    rubric: Rubric, rows: Sequence[GradedRow], analyses: Sequence[Analysis]
) -> ExampleBank:
    """The graded answers as examples, read from their own analyses (no model runs)."""
    exemplars = graded_exemplars(rubric, rows)
    by_answer = {row.answer: analysis for row, analysis in zip(rows, analyses, strict=True)}
    return bank_of(exemplars, [by_answer[e.answer].alignments for e in exemplars], rubric)


def denial_fit(
    grader: Grader,
    bank: ExampleBank,
    rubric: Rubric,
    rows: Sequence[GradedRow],
    analyses: Sequence[Analysis],
) -> tuple[float, float]:
    """The denial part of a calibration, where the teacher marked some answers as
    contradicting a point and others as merely not covering it; (0, 0) otherwise."""
    if grader.point_model is None:
        return 0.0, 0.0
    model_denied, target, near = [], [], []
    for row, analysis in zip(rows, analyses, strict=True):
        found = point_probabilities(analysis.alignments, grader.point_model, grader.config)
        denied = denied_given_missed(found)
        close = nearness_of(bank, rubric, analysis.alignments, row.answer, denial=True)
        for n, point in enumerate(rubric.points):
            grade = row.points.get(point.id)
            if grade not in (0, DENIED):
                continue
            model_denied.append(denied[n])
            target.append(float(grade == DENIED))
            near.append(close[n])
    if min(sum(target), len(target) - sum(target)) < MIN_DENIALS:
        return 0.0, 0.0
    return fit_denial(np.asarray(model_denied), np.asarray(target), np.asarray(near))


def held_out_nearness(
    bank: ExampleBank, rubric: Rubric, rows: Sequence[GradedRow], analyses: Sequence[Analysis]
) -> npt.NDArray[np.float64]:
    """Each graded answer's nearness per point to the other graded answers, flattened in
    (answer, point) order: what the calibration will see for answers it was not fitted on."""
    return np.concatenate([
        nearness_of(bank, rubric, a.alignments, row.answer)[: len(rubric.points)]
        for row, a in zip(rows, analyses, strict=True)
    ])  # fmt: skip
