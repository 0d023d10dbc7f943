"""A teacher's whole-answer scores, as the score model's inputs.

A teacher who scores answers whole (no grade per point) says little of each point: full marks
go to answers that leave a sentence of the model answer out, a one-point answer earns half
marks for half an explanation, and one class is marked harder than another. What those scores
do say is how this teacher scores answers like a new one. The score model
(`models/score_model.py`) reads two estimates of a new answer's score share: the engine's own
share (its points, before any calibration) mapped onto the teacher's scale by a straight line
fitted on the graded answers, and the mean share of the `CLOSEST` graded answers nearest the
new one, each weighted by exp(similarity / `TEMPERATURE`).

On SAF train (5 folds within each question as the tutor's scores, question-grouped CV of the
score model; `python scripts/score_training.py`) this took Pearson r from the uncalibrated
engine's 0.310 to 0.633; see the model card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.analyse import Analysis
from assess.neighbours import ExampleBank
from assess.recalibration import GradedScore
from models.score_model import ScoreModel

CLOSEST = 20
TEMPERATURE = 0.05
# The pull of the straight line's slope towards 0 (towards the graded answers' mean share): a
# handful of graded answers on which the engine's shares barely differ cannot fix a slope.
MAP_PULL = 0.01
# Fewer graded answers than this and their scores are not read: the points decide alone.
MIN_SCORED = 5


def reads_whole_scores(n_points: int, shares: Sequence[float]) -> bool:
    """Whether a teacher's whole-answer score shares (given without grades per point) are
    the score model's to read: for a rubric of several points always; for one point only
    on a scale (some share strictly between 0 and 1), as a right-or-wrong mark of one point
    is that point's grade, which the example model reads."""
    return n_points > 1 or any(0.0 < s < 1.0 for s in shares)


@dataclass(frozen=True)
class ScoreBank:
    """A rubric's answers scored whole: their vectors, the teacher's share and the engine's."""

    answers: tuple[str, ...]
    vectors: npt.NDArray[np.float32]  # (m, d), unit length
    shares: npt.NDArray[np.float64]  # (m,) the teacher's score / max_score
    engine: npt.NDArray[np.float64]  # (m,) the engine's own share, before any calibration

    def other_than(self, answer: str | None) -> npt.NDArray[np.bool_]:
        """Which graded answers are not of the text `answer` (all of them for None)."""
        return np.array([a != answer for a in self.answers], dtype=bool)


@dataclass(frozen=True)
class GradedBanks:
    """A calibration's graded answers as the engine reads them: per-point examples, and the
    whole-answer scores of a rubric of several points (None where it has none to read)."""

    examples: ExampleBank
    scores: ScoreBank | None = None


def answer_vector(analysis: Analysis) -> npt.NDArray[np.float32] | None:
    """The answer as one unit vector: the mean of its sentences' vectors (a long answer is
    never cut short, as one encoding of the whole would be); None without a sentence."""
    chosen = [n for n, s in enumerate(analysis.segments) if s.kind == "sentence"]
    if not chosen:
        return None
    mean = np.asarray(analysis.vectors[chosen], dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else None


def score_bank(
    scores: Sequence[GradedScore],
    analyses: Mapping[str, Analysis],
    engine: Mapping[str, float],
) -> ScoreBank | None:
    """The scored answers that were analysed, with their vectors and the engine's own shares
    (`engine`, by answer); None below `MIN_SCORED` of them."""
    kept: list[tuple[GradedScore, npt.NDArray[np.float32]]] = []
    for score in scores:
        analysis = analyses.get(score.answer)
        vector = None if analysis is None else answer_vector(analysis)
        if vector is not None:
            kept.append((score, vector))
    if len(kept) < MIN_SCORED:
        return None
    return ScoreBank(
        tuple(s.answer for s, _ in kept),
        np.stack([v for _, v in kept]),
        np.array([s.share for s, _ in kept], dtype=np.float64),
        np.array([engine[s.answer] for s, _ in kept], dtype=np.float64),
    )


def closest_share(similarities: npt.NDArray[np.floating], shares: npt.NDArray[np.float64]) -> float:
    """Mean share of the `CLOSEST` most similar graded answers, the nearest weighing most."""
    order = np.argsort(-similarities, kind="stable")[:CLOSEST]
    near = similarities[order].astype(np.float64)
    weights = np.exp((near - near.max()) / TEMPERATURE)
    return float(weights @ shares[order] / weights.sum())


def mapped_share(
    engine: npt.NDArray[np.float64], shares: npt.NDArray[np.float64], own: float
) -> float:
    """The engine's share `own` on the teacher's scale: the line through the graded answers'
    (engine share, teacher share), its slope pulled towards 0 by `MAP_PULL` and never below."""
    centred = engine - engine.mean()
    slope = max(
        float(centred @ (shares - shares.mean()))
        / (float(centred @ centred) + MAP_PULL * len(engine)),
        0.0,
    )
    return float(shares.mean() + slope * (own - engine.mean()))


def score_inputs(
    bank: ScoreBank, vector: npt.NDArray[np.float32], engine_share: float, answer: str | None
) -> list[float] | None:
    """The score model's inputs for one answer (its vector and the engine's own share),
    leaving out graded answers of the text `answer` where given; None where fewer than
    `MIN_SCORED` graded answers are left."""
    kept = bank.other_than(answer)
    if kept.sum() < MIN_SCORED:
        return None
    return [
        mapped_share(bank.engine[kept], bank.shares[kept], engine_share),
        closest_share(bank.vectors[kept] @ vector, bank.shares[kept]),
    ]


def graded_share(
    model: ScoreModel,
    bank: ScoreBank,
    analysis: Analysis,
    engine_share: float,
    answer: str | None,
) -> float | None:
    """The score model's share of an analysed answer; None where it cannot read one."""
    vector = answer_vector(analysis)
    inputs = None if vector is None else score_inputs(bank, vector, engine_share, answer)
    return None if inputs is None else float(model.predict([inputs])[0])
