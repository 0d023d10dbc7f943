"""Agreement with tutors on SAF: scores, the 3-way label, and missing points against feedback."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assess.calibration import calibrated_on
from assess.datasets import SAF_LABELS, GradedAnswer, by_question
from assess.graded import GradedRow
from assess.grader import Grader
from assess.result import AssessmentResult
from rubrics.words import content_stems, question_stems

# Fixed, untuned bands on the normalised engine score: thirds of the range.
CORRECT_FROM = 2 / 3
PARTIAL_FROM = 1 / 3


@dataclass(frozen=True)
class SafEvaluation:
    """Figures of the engine on one SAF split."""

    corpus: str
    split: str
    n: int
    figures: dict[str, float]
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The headline figures, as `assess evaluate --json` prints them."""
        graded = {"engine_graded": self.extra["graded"]} if "graded" in self.extra else {}
        return {**self.figures, "n": self.n, **graded}


def band(normalised: float) -> str:
    """SAF's 3-way label from a normalised score."""
    if normalised >= CORRECT_FROM:
        return "Correct"
    return "Partially correct" if normalised >= PARTIAL_FROM else "Incorrect"


def named_in(point_text: str, feedback: str, asked: frozenset[str]) -> bool:
    """The tutor's feedback talks about the point: it shares two of the point's own content
    words (one when the point has fewer than three), the question's words left out."""
    own = set(content_stems(point_text)) - asked
    if not own:
        return False
    shared = len(own & set(content_stems(feedback)))
    return shared >= (1 if len(own) < 3 else 2)


def feedback_agreement(
    results: Sequence[AssessmentResult], answers: Sequence[GradedAnswer]
) -> dict[str, float | int]:
    """How often a point called missing is one the tutor's feedback names, beside how often a
    point called covered is named (the base rate of a point being mentioned at all)."""
    counts = {"missing": [0, 0], "covered": [0, 0]}
    for result, answer in zip(results, answers, strict=True):
        if answer.label == "Correct" or not answer.feedback:
            continue
        asked = question_stems(answer.rubric.question)
        texts = {p.id: p.text for p in answer.rubric.points}
        for point in result.points:
            kind = "covered" if point.status == "covered" else "missing"
            counts[kind][0] += 1
            counts[kind][1] += named_in(texts[point.id], answer.feedback, asked)
    return {
        "missing_points": counts["missing"][0],
        "missing_named_share": round(counts["missing"][1] / max(counts["missing"][0], 1), 4),
        "covered_points": counts["covered"][0],
        "covered_named_share": round(counts["covered"][1] / max(counts["covered"][0], 1), 4),
    }


def score_figures(
    results: Sequence[AssessmentResult], answers: Sequence[GradedAnswer]
) -> dict[str, float]:
    """Pearson r and RMSE of normalised scores, QWK of the 3-way label."""
    from scipy.stats import pearsonr
    from sklearn.metrics import cohen_kappa_score

    engine = np.array([r.score / r.max_score for r in results])
    human = np.array([a.score for a in answers], dtype=float)
    order = {label: n for n, label in enumerate(SAF_LABELS)}
    kappa = cohen_kappa_score(
        [order[a.label] for a in answers], [order[band(s)] for s in engine], weights="quadratic"
    )
    return {
        "pearson_r": round(float(pearsonr(engine, human)[0]), 4),
        "rmse": round(float(np.sqrt(np.mean((engine - human) ** 2))), 4),
        "qwk": round(float(kappa), 4),
    }


def tutor_calibrations(
    grader: Grader, graded: Sequence[GradedAnswer], questions: set[str]
) -> Grader:
    """The grader calibrated, per question of `questions`, on its answers in `graded` with the
    tutor's whole-answer scores as a teacher's grades (SAF gives no per-point grades)."""
    scored = by_question(a for a in graded if a.group in questions and a.score is not None)
    return calibrated_on(
        grader, [(answers[0].rubric, tutor_rows(answers)) for answers in scored.values()]
    )


def tutor_rows(answers: Sequence[GradedAnswer]) -> list[GradedRow]:
    """SAF answers to one question as a teacher's grades: the tutor's score, no point grades."""
    top = answers[0].rubric.scoring.max_score
    return [GradedRow(str(n), a.answer, float(a.score or 0.0) * top) for n, a in enumerate(answers)]


def evaluate_saf(
    grader: Grader,
    answers: Sequence[GradedAnswer],
    corpus: str,
    split: str,
    progress: Callable[[int], None] | None = None,
    graded: Grader | None = None,
) -> SafEvaluation:
    """Pearson r and RMSE of normalised scores, QWK of the 3-way label, feedback agreement;
    with `graded`, the same figures of the engine calibrated on a tutor's scores
    (`extra["graded"]`)."""
    from assess.evaluation import assess_all

    outcomes, *calibrated = assess_all([grader, *([graded] if graded else [])], answers, progress)
    results = [r for r in outcomes if isinstance(r, AssessmentResult)]
    kept = [a for r, a in zip(outcomes, answers, strict=True) if isinstance(r, AssessmentResult)]
    figures = score_figures(results, kept)
    extra: dict[str, Any] = {
        **feedback_agreement(results, kept),
        "refused": len(answers) - len(kept),
    }
    if calibrated:
        twin = [r for r in calibrated[0] if isinstance(r, AssessmentResult)]
        if len(twin) == len(results):  # the same answers assessed: comparable figures
            extra["graded"] = score_figures(twin, kept)
    return SafEvaluation(corpus, split, len(answers), figures, extra)
