"""Fit the point model (`models/point_model.py`) on SemEval-2013 `train` only.

Each question becomes a one-point rubric of its reference answers; each train answer is
analysed as any answer is; its label says whether the point is covered (`correct`),
contradicted (`contradictory`) or missing (`incorrect`). `deny` learns from `pair`'s
probabilities held out by question (5-fold), as the engine meets questions it has not seen.

Why this shape: a single three-way model over the same inputs (tried while building this one;
not kept as a command) scored higher on SemEval's held-out Beetle questions but called
faithful paraphrases of the Track II points contradictions, because SemEval's contradictions
are near-copies of the reference with a twist, so near-copies looked like denials; and
word-overlap features, strong on SemEval, failed paraphrases that share few words.
Deterministic.
Run: `python -m assess.point_training --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.align import ItemAlignment
from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.coverage import POINT_FEATURES, feature_matrix
from assess.datasets import GradedAnswer, read_split, split_path
from models import SERVED_BACKEND, Encoder, load_encoder
from models.artefact import artefacts_path
from models.point_model import (
    CLASSES,
    DEFAULT_POINT_MODEL,
    LogisticStage,
    PointModel,
    pair_interaction,
    save_point_model,
)

CORPORA = ("beetle", "sciEntsBank")
CHUNK = 256
# SemEval's label of an answer -> the status of its question's one point.
STATUS_OF = {"correct": "covered", "contradictory": "contradicted", "incorrect": "missing"}
PAIR_C = 0.02  # strong L2: 768 interaction features from about 5,000 answers
NAMED_C = 1.0
FOLDS = 5


def point_alignments(encoder: Encoder, answers: Sequence[GradedAnswer]) -> list[ItemAlignment]:
    """Each answer's alignment with its question's one point, analysed as any answer is."""
    analyser = Analyser(encoder)
    found = []
    for start in range(0, len(answers), CHUNK):
        chunk = answers[start : start + CHUNK]
        for outcome in analyser.analyse_many([AnswerRequest(a.rubric, a.answer) for a in chunk]):
            assert isinstance(outcome, Analysis)
            found.append(outcome.alignments[0])
    return found


def rows_of(
    points: Sequence[ItemAlignment], dimension: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Named features, evidence vectors and closest point text vectors of each alignment."""
    blank = np.zeros(dimension)
    evidence = [blank if p.evidence_vector is None else p.evidence_vector for p in points]
    texts = [blank if p.text_vector is None else p.text_vector for p in points]
    return (
        feature_matrix(points, POINT_FEATURES),
        np.asarray(evidence, float),
        np.asarray(texts, float),
    )


def analysed_rows(
    encoder: Encoder, answers: Sequence[GradedAnswer]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Named features, evidence vectors and closest point text vectors of each answer."""
    return rows_of(point_alignments(encoder, answers), encoder.dimension)


def logistic(c: float) -> Any:
    """Standardised inputs, logistic regression, an even prior over the two classes."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(), LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    )


def export_stage(model: Any) -> LogisticStage:
    """A fitted scaler + logistic regression as a stage of the artefact."""
    scaler, regression = model[0], model[-1]
    return LogisticStage(
        coef=np.asarray(regression.coef_[0], dtype=np.float64),
        intercept=float(regression.intercept_[0]),
        mean=np.asarray(scaler.mean_, dtype=np.float64),
        scale=np.asarray(scaler.scale_, dtype=np.float64),
    )


@dataclass(frozen=True)
class Stages:
    """The three fitted scikit-learn models."""

    cover: Any
    pair: Any
    deny: Any


def fit_stages(
    named: npt.NDArray[np.float64],
    pairs: npt.NDArray[np.float64],
    labels: npt.NDArray[Any],
    groups: npt.NDArray[Any],
) -> Stages:
    """`cover` on every answer; `pair` and `deny` on the answers that do not cover the
    point, `deny` reading `pair`'s probabilities held out by question."""
    from sklearn.model_selection import GroupKFold, cross_val_predict

    cover = logistic(NAMED_C).fit(named, labels == "covered")
    rest = labels != "covered"
    denied = labels[rest] == "contradicted"
    held_out = cross_val_predict(
        logistic(PAIR_C), pairs[rest], denied, groups=groups[rest],
        cv=GroupKFold(n_splits=FOLDS), method="predict_proba",
    )[:, 1]  # fmt: skip
    pair = logistic(PAIR_C).fit(pairs[rest], denied)
    deny = logistic(NAMED_C).fit(np.column_stack([named[rest], held_out]), denied)
    return Stages(cover, pair, deny)


def to_model(stages: Stages, version: str, card: dict[str, Any]) -> PointModel:
    """The artefact of fitted stages."""
    return PointModel(
        POINT_FEATURES, export_stage(stages.cover), export_stage(stages.pair),
        export_stage(stages.deny), version, card,
    )  # fmt: skip


def statuses(probabilities: npt.NDArray[np.float64], contradicted_at: float = 0.5) -> Any:
    """The engine's decision without its evidence guards and negation rule: covered at
    P(covered) >= 0.5, else contradicted where P(denied | not covered) reaches
    `contradicted_at`, else missing."""
    covered = probabilities[:, 0]
    denied = probabilities[:, 1] / np.maximum(1 - covered, 1e-12)
    return np.where(
        covered >= 0.5, "covered", np.where(denied >= contradicted_at, "contradicted", "missing")
    )


def figures_of(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """3-way and 2-way macro-F1 of statuses."""
    from sklearn.metrics import f1_score

    g, p = np.asarray(gold), np.asarray(predicted)
    return {
        "macro_f1_3way": round(float(f1_score(g, p, labels=list(CLASSES), average="macro")), 4),
        "macro_f1_2way": round(float(f1_score(g == "covered", p == "covered", average="macro")), 4),
    }


def held_out_probabilities(
    named: npt.NDArray[np.float64],
    pairs: npt.NDArray[np.float64],
    labels: npt.NDArray[Any],
    groups: npt.NDArray[Any],
) -> npt.NDArray[np.float64]:
    """Each answer's three probabilities from the whole fit on the other questions (5-fold,
    grouped by question): what the point model says of questions it has not seen."""
    from sklearn.model_selection import GroupKFold

    probabilities = np.zeros((len(labels), len(CLASSES)))
    for train, test in GroupKFold(n_splits=FOLDS).split(named, labels, groups):
        stages = fit_stages(named[train], pairs[train], labels[train], groups[train])
        probabilities[test] = _predict(stages, named[test], pairs[test])
    return probabilities


def cross_validated(
    named: npt.NDArray[np.float64],
    pairs: npt.NDArray[np.float64],
    labels: npt.NDArray[Any],
    groups: npt.NDArray[Any],
    corpora: npt.NDArray[Any],
) -> dict[str, Any]:
    """Question-grouped CV of the whole fit (inner held-out pair probabilities included)."""
    predicted = statuses(held_out_probabilities(named, pairs, labels, groups))
    figures: dict[str, Any] = {"cv": f"{FOLDS}-fold GroupKFold by question (unseen questions)"}
    for corpus in sorted(set(corpora)):
        mine = corpora == corpus
        figures[corpus] = figures_of(labels[mine], predicted[mine])
    return figures


def _predict(
    stages: Stages, named: npt.NDArray[np.float64], pairs: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """What the exported model computes, from the scikit-learn stages."""
    covered = stages.cover.predict_proba(named)[:, 1]
    paired = stages.pair.predict_proba(pairs)[:, 1]
    denied = stages.deny.predict_proba(np.column_stack([named, paired]))[:, 1]
    return np.column_stack([covered, (1 - covered) * denied, (1 - covered) * (1 - denied)])


def training_arguments(
    description: str, out: Path, version: str, argv: Sequence[str] | None
) -> argparse.Namespace:
    """The options every artefact fitted on SemEval train takes: where the data is, where the
    artefact goes, its version, and the encoder backend (as served, by default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--version", default=version)
    parser.add_argument(
        "--encoder-backend",
        default=SERVED_BACKEND,
        help="torch, onnx or onnx-int8 (default: as served)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on `train`, check the exported stages against scikit-learn, write the artefact."""
    args = training_arguments(
        __doc__.splitlines()[0], artefacts_path() / DEFAULT_POINT_MODEL, "point-v6", argv
    )
    encoder = load_encoder(backend=args.encoder_backend)
    answers = [a for c in CORPORA for a in read_split(split_path(args.data, c, "train"))]
    features, evidence, texts = analysed_rows(encoder, answers)
    labels = np.array([STATUS_OF[a.label] for a in answers])
    groups = np.array([a.group for a in answers])
    corpora = np.array([a.group.split("/")[0] for a in answers])
    pairs = pair_interaction(evidence, texts)
    figures = cross_validated(features, pairs, labels, groups, corpora)
    stages = fit_stages(features, pairs, labels, groups)
    card = {
        "version": args.version,
        "created": dt.date.today().isoformat(),
        "task": "P(covered), P(contradicted), P(missing) of a rubric point in an answer",
        "training_data": "SemEval-2013 Task 7 train (beetle, sciEntsBank), 3-way labels; each "
        "question a one-point rubric with its reference answers as phrasings",
        "n_examples": len(answers),
        "features": list(POINT_FEATURES),
        "stages": {
            "cover": f"StandardScaler + LogisticRegression(C={NAMED_C}, balanced) on every "
            "answer: covered or not",
            "pair": f"StandardScaler + LogisticRegression(C={PAIR_C}, balanced) on the answers "
            "not covering the point: contradicted or missing",
            "deny": f"StandardScaler + LogisticRegression(C={NAMED_C}, balanced) on the same "
            "answers, over the features and the pair stage's probability held out by question",
        },
        "encoder": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "cross_validated": figures,
        "library_versions": {
            name: metadata.version(name) for name in ("scikit-learn", "numpy", "onnxruntime")
        },
        "command": "python -m assess.point_training --data ../shared/data/semeval2013-3way",
    }
    model = to_model(stages, args.version, card)
    expected = _predict(stages, features, pairs)
    gap = float(np.abs(expected - model.predict_proba(features, evidence, texts)).max())
    if gap > 1e-6:
        raise SystemExit(f"the exported point model differs from scikit-learn's by {gap:.2e}")
    save_point_model(model, args.out)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
