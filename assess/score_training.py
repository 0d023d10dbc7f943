"""Fit the score model (`models/score_model.py`) on answers scored whole, such as SAF `train`.

Each question whose scores the score model reads (a rubric of several points, or of one point
scored on a scale) stands for a rubric whose teacher scored answers whole: its answers are
split into `FOLDS` folds, and each answer is read against the scores of the other folds (all
of them, and again only `FEW` of them drawn at random, as a teacher who scored a handful would
see), with the engine's own share of every answer (its points, before any calibration).
Figures: the same rows, `FOLDS`-fold cross-validated by question, so each question's answers
are scored by weights fitted on other questions only. Deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.analyse import Analysis, AnswerRequest
from assess.datasets import GradedAnswer, by_question
from assess.graded_scores import (
    CLOSEST,
    MAP_PULL,
    TEMPERATURE,
    ScoreBank,
    answer_vector,
    reads_whole_scores,
    score_inputs,
)
from assess.grader import Grader
from models.score_model import SCORE_INPUTS, ScoreModel

FOLDS = 5
FEW = 20  # graded answers in the second regime
# Fewer graded answers still, measured but not fitted on (drawn apart, so the fit's rows do not
# depend on them): how far a teacher who scored a handful can trust the scores.
HANDFULS = (10, 5)


@dataclass(frozen=True)
class ScoreRows:
    """One row per (answer, regime): the score model's inputs, the engine's own share, the
    teacher's share, the question and the regime (0: all other folds scored, 1: `FEW`, then
    one per `HANDFULS`, measured only)."""

    inputs: npt.NDArray[np.float64]
    engine: npt.NDArray[np.float64]
    target: npt.NDArray[np.float64]
    groups: npt.NDArray[np.str_]
    regimes: npt.NDArray[np.int64]


def question_rows(
    grader: Grader,
    answers: Sequence[GradedAnswer],
    rng: np.random.Generator,
    handful_rng: np.random.Generator,
) -> list[tuple[list[float], float, float, int]]:
    """(inputs, engine share, teacher share, regime) of one question's answers."""
    rubric = answers[0].rubric
    analyses = grader.analyse_many([AnswerRequest(rubric, a.answer) for a in answers])
    read = [n for n, a in enumerate(analyses) if isinstance(a, Analysis)]
    vectors = {n: answer_vector(analyses[n]) for n in read}  # type: ignore[arg-type]
    kept = [n for n in read if vectors[n] is not None]
    engine = {n: grader.share(analyses[n]) for n in kept}  # type: ignore[arg-type]
    shares = {n: float(answers[n].score or 0.0) for n in kept}
    folds = dict(zip(kept, rng.permutation(len(kept)) % FOLDS, strict=True))
    found = []
    for fold in range(FOLDS):
        graded = [n for n in kept if folds[n] != fold]
        few = sorted(rng.choice(graded, size=min(FEW, len(graded)), replace=False).tolist())
        handfuls = [
            sorted(handful_rng.choice(graded, size=min(k, len(graded)), replace=False).tolist())
            for k in HANDFULS
        ]
        for regime, chosen in enumerate((graded, few, *handfuls)):
            bank = ScoreBank(
                tuple(answers[n].answer for n in chosen),
                np.stack([vectors[n] for n in chosen]),  # type: ignore[misc]
                np.array([shares[n] for n in chosen]),
                np.array([engine[n] for n in chosen]),
            )
            for n in (m for m in kept if folds[m] == fold):
                inputs = score_inputs(bank, vectors[n], engine[n], None)  # type: ignore[arg-type]
                if inputs is not None:
                    found.append((inputs, engine[n], shares[n], regime))
    return found


def score_rows(
    grader: Grader,
    answers: Sequence[GradedAnswer],
    progress: Callable[[str], None] | None = None,
) -> ScoreRows:
    """Rows of every question whose scores the score model reads
    (`assess.graded_scores.reads_whole_scores`)."""
    rng, handful_rng = np.random.default_rng(0), np.random.default_rng(1)
    found: list[tuple[list[float], float, float, int, str]] = []
    for group, mine in by_question(answers).items():
        if not reads_whole_scores(len(mine[0].rubric.points), [a.score or 0.0 for a in mine]):
            continue
        found += [(*row, group) for row in question_rows(grader, mine, rng, handful_rng)]
        if progress is not None:
            progress(group)
    return ScoreRows(
        np.array([r[0] for r in found], dtype=np.float64),
        np.array([r[1] for r in found]),
        np.array([r[2] for r in found]),
        np.array([r[4] for r in found]),
        np.array([r[3] for r in found], dtype=np.int64),
    )


def _figures(
    predicted: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> dict[str, float]:
    from scipy.stats import pearsonr

    return {
        "pearson_r": round(float(pearsonr(predicted, target)[0]), 4),
        "rmse": round(float(np.sqrt(np.mean((predicted - target) ** 2))), 4),
    }


def cross_validated(rows: ScoreRows) -> dict[str, Any]:
    """Question-grouped CV of the score model against what each of its inputs says alone and
    against the engine's own share, per regime."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import GroupKFold

    predicted = np.zeros(len(rows.target))
    fitted_on = rows.regimes <= 1
    for train, test in GroupKFold(n_splits=FOLDS).split(rows.inputs, rows.target, rows.groups):
        train = train[fitted_on[train]]
        fitted = LinearRegression().fit(rows.inputs[train], rows.target[train])
        predicted[test] = np.clip(fitted.predict(rows.inputs[test]), 0.0, 1.0)
    figures: dict[str, Any] = {
        "cv": f"{FOLDS}-fold GroupKFold by question; scored answers: the question's other "
        f"{FOLDS - 1} folds (all of them, or {FEW} of them drawn at random; and, measured "
        f"only, {' or '.join(str(k) for k in HANDFULS)} of them)"
    }
    names = ("all_other_folds_scored", *(f"{k}_scored" for k in (FEW, *HANDFULS)))
    for regime, name in enumerate(names):
        mine = rows.regimes == regime
        figures[name] = {
            "score_model": _figures(predicted[mine], rows.target[mine]),
            "engine_alone": _figures(rows.engine[mine], rows.target[mine]),
            **{
                f"{input_name}_alone": _figures(rows.inputs[mine, k], rows.target[mine])
                for k, input_name in enumerate(SCORE_INPUTS)
            },
            "n": int(mine.sum()),
        }
    return figures


def fit_score_model(
    rows: ScoreRows, version: str, command: str, data: str, encoder: dict[str, str]
) -> ScoreModel:
    """The score model fitted on the rows of the first two regimes, with its model card
    (`encoder`: the name and weights' sha256 of the encoder whose vectors it read)."""
    from sklearn.linear_model import LinearRegression

    fitted_on = rows.regimes <= 1
    fitted = LinearRegression().fit(rows.inputs[fitted_on], rows.target[fitted_on])
    card = {
        "version": version,
        "created": dt.date.today().isoformat(),
        "task": "the score share of an answer, given the engine's own share and the "
        "teacher's whole-answer scores of other answers to the rubric",
        "training_data": f"{data}: each question a rubric (a point per sentence of its "
        f"reference answer) whose answers in the other {FOLDS - 1} of {FOLDS} folds are the "
        f"teacher's scores (all of them, and {FEW} drawn at random); questions of one point "
        "marked right or wrong only are left out, as the engine leaves them to the example model",
        "n_rows": int(fitted_on.sum()),
        "n_questions": len(set(rows.groups.tolist())),
        "inputs": list(SCORE_INPUTS),
        "settings": {"closest": CLOSEST, "temperature": TEMPERATURE, "map_pull": MAP_PULL},
        "model": "LinearRegression, clipped to [0, 1]",
        "encoder": encoder,
        "cross_validated": cross_validated(rows),
        "library_versions": {name: metadata.version(name) for name in ("scikit-learn", "numpy")},
        "command": command,
    }
    return ScoreModel(
        np.asarray(fitted.coef_, dtype=np.float64), float(fitted.intercept_), version, card
    )
