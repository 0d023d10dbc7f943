"""Agreement with human graders on a public split: the engine and two baselines, one run.

SemEval-2013: each question is a one-point rubric; the point's status is the label (`covered`
-> correct, `contradicted` -> contradictory, anything else -> incorrect). SAF: each sentence of
the reference answer is a point; the normalised score is compared with the tutor's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from assess.analyse import AnswerRequest
from assess.baselines import BASELINES, baseline_scores, threshold_for
from assess.calibration import calibrated_on
from assess.datasets import SEMEVAL_LABELS, GradedAnswer, by_question, read_split, split_path
from assess.errors import AssessError
from assess.evaluation_saf import SafEvaluation, evaluate_saf, tutor_calibrations
from assess.graded import DENIED, GradedRow
from assess.grader import Grader
from assess.result import AssessmentResult
from assess.shared_points import SHARED_AT, lent_answers
from rubrics import Rubric

CHUNK = 128
Progress = Callable[[int], None]


@dataclass(frozen=True)
class SplitEvaluation:
    """Figures of every system on one SemEval split."""

    corpus: str
    split: str
    n: int
    figures: dict[str, dict[str, float]]  # system -> figures (see `classification_figures`)
    confusion: dict[str, list[list[int]]]  # system -> 3x3 counts, rows gold, `SEMEVAL_LABELS`
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The engine's headline figures, as `assess evaluate --json` prints them."""
        keys = ("accuracy", "macro_f1", "weighted_f1", "accuracy_2way", "macro_f1_2way")
        summary: dict[str, Any] = {**{k: self.figures["engine"][k] for k in keys}, "n": self.n}
        if "engine_graded" in self.figures:
            summary["engine_graded"] = {k: self.figures["engine_graded"][k] for k in keys}
        return summary


def label_of(result: AssessmentResult) -> str:
    """The SemEval label of a one-point result."""
    status = result.points[0].status
    if status == "covered":
        return "correct"
    if status == "contradicted":
        return "contradictory"
    return "incorrect"


def assess_all(
    graders: Sequence[Grader], answers: Sequence[GradedAnswer], progress: Progress | None = None
) -> list[list[AssessmentResult | AssessError]]:
    """Each grader's result for every answer. The answers are analysed once, by the first
    grader, in chunks that share one encoder call; the others are its calibrated twins (the
    same models), so every grader reads the very same vectors."""
    results: list[list[AssessmentResult | AssessError]] = [[] for _ in graders]
    for start in range(0, len(answers), CHUNK):
        chunk = answers[start : start + CHUNK]
        analyses = graders[0].analyse_many([AnswerRequest(a.rubric, a.answer) for a in chunk])
        for grader, found in zip(graders, results, strict=True):
            found.extend(
                a if isinstance(a, AssessError) else grader.result(a, None) for a in analyses
            )
        if progress is not None:
            progress(len(chunk))
    return results


def labels_read_as(
    grader: Grader, answers: Sequence[GradedAnswer], texts: Sequence[str]
) -> list[str]:
    """The SemEval label of each text read as the answer of its graded answer (a refused one
    reads as incorrect): what the invariance scripts compare, one way of writing against
    another."""
    requests = [replace(a, answer=t) for a, t in zip(answers, texts, strict=True)]
    return [
        label_of(r) if isinstance(r, AssessmentResult) else "incorrect"
        for r in assess_all([grader], requests)[0]
    ]


def classification_figures(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and weighted-F1, 3-way and 2-way (correct vs the rest)."""
    from sklearn.metrics import accuracy_score, f1_score

    two_gold = [g == "correct" for g in gold]
    two_pred = [p == "correct" for p in predicted]
    labels = list(SEMEVAL_LABELS)
    per_class = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
    figures = {
        "accuracy": accuracy_score(gold, predicted),
        "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
        "weighted_f1": f1_score(
            gold, predicted, labels=labels, average="weighted", zero_division=0
        ),
        "accuracy_2way": accuracy_score(two_gold, two_pred),
        "macro_f1_2way": f1_score(two_gold, two_pred, average="macro", zero_division=0),
        "weighted_f1_2way": f1_score(two_gold, two_pred, average="weighted", zero_division=0),
        **{f"f1_{label}": value for label, value in zip(labels, per_class, strict=True)},
    }
    return {k: round(float(v), 4) for k, v in figures.items()}


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """3x3 counts, rows the human label, columns the prediction, in `SEMEVAL_LABELS` order."""
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(gold, predicted, labels=list(SEMEVAL_LABELS))
    return [[int(v) for v in row] for row in matrix]


def _bins(
    probability: Sequence[float], right: Sequence[bool], bins: int
) -> list[tuple[float, float, int, float, float]]:
    """Equal-width bins of confidence holding answers: (low, high, count, mean confidence,
    share right)."""
    p = np.asarray(probability, dtype=float)
    r = np.asarray(right, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    return [
        (float(edges[b]), float(edges[b + 1]), int(mask.sum()), float(p[mask].mean()),
         float(r[mask].mean()))
        for b in range(bins)
        if (mask := which == b).any()
    ]  # fmt: skip


def expected_calibration_error(
    probability: Sequence[float], right: Sequence[bool], bins: int = 10
) -> float:
    """ECE: mean |confidence - accuracy| over equal-width bins, weighted by their size."""
    total = len(probability)
    error = sum(n / total * abs(c - a) for _, _, n, c, a in _bins(probability, right, bins))
    return round(float(error), 4)


def reliability_bins(
    probability: Sequence[float], right: Sequence[bool], bins: int = 10
) -> list[dict[str, float]]:
    """The bins `expected_calibration_error` averages over, those holding answers: each
    bin's edges, its count, its mean confidence and how often its calls are right."""
    return [
        {"low": round(low, 2), "high": round(high, 2), "n": n,
         "confidence": round(c, 4), "accuracy": round(a, 4)}
        for low, high, n, c, a in _bins(probability, right, bins)
    ]  # fmt: skip


REVIEW_THRESHOLDS = (0.0, 0.6, 0.7, 0.8, 0.9)


def auto_graded(confidence: Sequence[float], right: Sequence[bool]) -> list[dict[str, float]]:
    """For each review threshold: the share of answers at or above it (graded without a
    human) and how often their label is right."""
    c, r = np.asarray(confidence, dtype=float), np.asarray(right, dtype=bool)
    rows = []
    for t in REVIEW_THRESHOLDS:
        kept = c >= t
        rows.append({
            "threshold": t,
            "share": round(float(kept.mean()), 4) if len(c) else 0.0,
            "accuracy": round(float(r[kept].mean()), 4) if kept.any() else 0.0,
        })  # fmt: skip
    return rows


def evaluate_semeval(
    grader: Grader,
    answers: Sequence[GradedAnswer],
    corpus: str,
    split: str,
    baselines: dict[str, Any],
    progress: Progress | None = None,
    graded: Grader | None = None,
) -> SplitEvaluation:
    """The engine's and the baselines' figures on one SemEval split; with `graded`, the
    engine calibrated on a teacher's grades too (`engine_graded`)."""
    gold = [a.label for a in answers]
    results, *calibrated = assess_all([grader, *([graded] if graded else [])], answers, progress)
    predictions = {
        name: [label_of(r) if isinstance(r, AssessmentResult) else "incorrect" for r in found]
        for name, found in zip(("engine", "engine_graded"), [results, *calibrated], strict=False)
    }
    scores = baseline_scores(
        grader.encoder, [a.answer for a in answers], [a.references for a in answers]
    )
    for name in BASELINES:
        cut = threshold_for(baselines, name, corpus)
        predictions[name] = ["correct" if s >= cut else "incorrect" for s in scores[name]]
    figures = {name: classification_figures(gold, p) for name, p in predictions.items()}
    matrices = {name: confusion(gold, p) for name, p in predictions.items()}
    done = [r for r in results if isinstance(r, AssessmentResult)]
    calls = two_way_calls(results, answers)
    extra = {
        "confidence_ece_2way": expected_calibration_error(*calls),
        "reliability": reliability_bins(*calls),
        "refused": len(results) - len(done),
        "auto_graded": auto_graded(
            [r.confidence for r in done],
            [label_of(r) == a.label for r, a in zip(results, answers, strict=True)
             if isinstance(r, AssessmentResult)],
        ),
    }  # fmt: skip
    if calibrated:
        graded_calls = two_way_calls(calibrated[0], answers)
        extra["confidence_ece_2way_graded"] = expected_calibration_error(*graded_calls)
        extra["reliability_graded"] = reliability_bins(*graded_calls)
    return SplitEvaluation(corpus, split, len(answers), figures, matrices, extra)


def two_way_calls(
    results: Sequence[AssessmentResult | AssessError], answers: Sequence[GradedAnswer]
) -> tuple[list[float], list[bool]]:
    """Over the answers the engine assessed: each `confidence`, which claims the chance that
    the 2-way call (correct or not) is right, and whether that call is right."""
    kept = [
        (r, a) for r, a in zip(results, answers, strict=True) if isinstance(r, AssessmentResult)
    ]
    return (
        [r.confidence for r, _ in kept],
        [(label_of(r) == "correct") == (a.label == "correct") for r, a in kept],
    )


# A SemEval label as a teacher's per-point grade of the question's one point.
TEACHER_GRADE = {"correct": 1, "contradictory": DENIED, "incorrect": 0}


def teacher_rows(answers: Sequence[GradedAnswer], denials: bool = True) -> list[GradedRow]:
    """SemEval answers to one question as a teacher's grades: full marks for `correct`, none
    otherwise, and the point graded covered (1), contradicted (-1) or not (0); with `denials`
    off, the scores alone, as a teacher who never marks contradictions."""
    rows = []
    for n, answer in enumerate(answers):
        point = answer.rubric.points[0].id
        grade = TEACHER_GRADE[answer.label]
        top = answer.rubric.scoring.max_score
        rows.append(
            GradedRow(str(n), answer.answer, top if grade == 1 else 0.0,
                      {point: grade} if denials else {})
        )  # fmt: skip
    return rows


def teacher_calibrations(
    grader: Grader,
    graded: Sequence[GradedAnswer],
    rubrics: dict[str, Rubric],
    shared_at: float = SHARED_AT,
) -> tuple[Grader, int, int]:
    """The grader calibrated, per question of `rubrics`, as a teacher would calibrate it by
    grading that question's answers in `graded` (correct: full marks and its point covered;
    contradictory: no marks, the point contradicted; incorrect: no marks, not covered), or,
    for a question `graded` lacks, the answers of the graded questions that share its point
    (`assess.shared_points`). Also returns how many questions had their own grades and how
    many borrowed."""
    grouped = by_question(graded)
    own = {q: grouped[q] for q in rubrics if q in grouped}
    lent = lent_answers(
        grader.encoder, grouped, {q: r for q, r in rubrics.items() if q not in own}, shared_at
    )
    sets = [*own.values(), *lent.values()]
    twin = calibrated_on(grader, [(answers[0].rubric, teacher_rows(answers)) for answers in sets])
    return twin, len(own), len(lent)


def evaluate_split(
    grader: Grader,
    data: Path,
    corpus: str,
    split: str,
    baselines: dict[str, Any],
    progress: Progress | None = None,
    graded_split: str | None = None,
) -> SplitEvaluation | SafEvaluation:
    """Read `DIR/CORPUS/SPLIT.jsonl` (nothing else) and evaluate it; with `graded_split`, also
    read `DIR/CORPUS/GRADED_SPLIT.jsonl` as a teacher's grades of the same questions, or of
    questions sharing their point, and report the engine calibrated on them as one more
    system (`engine_graded`)."""
    answers = read_split(split_path(data, corpus, split))
    if answers and answers[0].score is not None:
        tutor = None
        if graded_split is not None:
            graded = read_split(split_path(data, corpus, graded_split))
            questions = {a.group for a in answers} & {a.group for a in graded}
            tutor = tutor_calibrations(grader, graded, questions) if questions else None
        return evaluate_saf(grader, answers, corpus, split, progress, tutor)
    if graded_split is None:
        return evaluate_semeval(grader, answers, corpus, split, baselines, progress)
    graded = read_split(split_path(data, corpus, graded_split))
    rubrics = {a.group: a.rubric for a in answers}
    twin, own, lent = teacher_calibrations(grader, graded, rubrics)
    evaluation = evaluate_semeval(
        grader, answers, corpus, split, baselines, progress, twin if own or lent else None
    )
    return replace(evaluation, extra={
        **evaluation.extra, "graded_split": graded_split,
        "graded_questions": f"{own} of {len(rubrics)}",
        "questions_sharing_a_graded_point": f"{lent} of {len(rubrics)}",
    })  # fmt: skip
