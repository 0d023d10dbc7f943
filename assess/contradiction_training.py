"""Fit the contradiction model on SemEval-2013 `train` only, with question-grouped CV.

Each train answer's evidence and its question's closest reference answer become a pair;
the label is whether graders called the answer `contradictory`. The decision threshold is the
one that maximises 3-way macro-F1 of the engine's rule on held-out questions.
Run: `python -m assess.contradiction_training --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.coverage import feature_matrix
from assess.datasets import GradedAnswer, read_split, split_path
from models import Encoder, load_encoder
from models.artefact import artefacts_path
from models.calibrator import load_calibrator
from models.contradiction import (
    CUES,
    DEFAULT_CONTRADICTION,
    ContradictionModel,
    pair_features,
    save_contradiction,
)

CORPORA = ("beetle", "sciEntsBank")
CHUNK = 256
C = 0.02  # strong L2: 1,539 features from about 9,000 answers
ENGINE_RULE = (
    "the cross-validated figures are for the model heard alone; the engine hears it only "
    "where the evidence negates and the point does not, and where the evidence is on topic "
    "(similarity >= the off-topic bar) and about this point more than any other"
)


def training_rows(
    encoder: Encoder, answers: Sequence[GradedAnswer], calibrator_features: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Pair features and calibrator features of each answer's one point."""
    analyser = Analyser(encoder)
    pairs, calibration = [], []
    dimension = encoder.dimension
    for start in range(0, len(answers), CHUNK):
        chunk = answers[start : start + CHUNK]
        for outcome in analyser.analyse_many([AnswerRequest(a.rubric, a.answer) for a in chunk]):
            assert isinstance(outcome, Analysis)
            point = outcome.alignments[0]
            u = point.evidence_vector if point.evidence_vector is not None else np.zeros(dimension)
            v = point.text_vector if point.text_vector is not None else np.zeros(dimension)
            cues = feature_matrix([point], CUES)
            pairs.append(pair_features(u, v, cues)[0])
            calibration.append(feature_matrix([point], calibrator_features)[0])
    return np.asarray(pairs), np.asarray(calibration)


def engine_labels(p_covered: npt.NDArray[Any], p_denied: npt.NDArray[Any], t: float) -> Any:
    """The engine's SemEval label from P(covered) and P(contradicted)."""
    return np.where(
        p_denied >= t, "contradictory", np.where(p_covered >= 0.5, "correct", "incorrect")
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, choose the threshold by grouped CV, write the artefact with its model card."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--out", type=Path, default=artefacts_path() / DEFAULT_CONTRADICTION)
    args = parser.parse_args(argv)
    encoder, calibrator = load_encoder(), load_calibrator()
    answers = [a for c in CORPORA for a in read_split(split_path(args.data, c, "train"))]
    pairs, calibration = training_rows(encoder, answers, calibrator.feature_names)
    labels = np.array([a.label for a in answers])
    denied = (labels == "contradictory").astype(int)
    groups = np.array([a.group for a in answers])
    cv = GroupKFold(n_splits=5)

    def model() -> Any:
        return make_pipeline(
            StandardScaler(), LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        )

    p_denied = cross_val_predict(
        model(), pairs, denied, groups=groups, cv=cv, method="predict_proba"
    )[:, 1]
    covered = (labels == "correct").astype(int)
    p_covered = cross_val_predict(
        make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced")),
        calibration, covered, groups=groups, cv=cv, method="predict_proba",
    )[:, 1]  # fmt: skip
    grid = np.round(np.arange(0.5, 0.96, 0.05), 2)
    macro = [f1_score(labels, engine_labels(p_covered, p_denied, t), average="macro") for t in grid]
    threshold = float(grid[int(np.argmax(macro))])
    chosen = engine_labels(p_covered, p_denied, threshold)
    without = engine_labels(p_covered, p_denied, 2.0)
    figures = {
        "cv": "5-fold GroupKFold by question (unseen questions)",
        "threshold": threshold,
        "contradictory_f1": round(float(f1_score(denied, p_denied >= threshold)), 4),
        "macro_f1_3way": round(float(max(macro)), 4),
        "macro_f1_3way_without_model": round(float(f1_score(labels, without, average="macro")), 4),
        "macro_f1_2way": round(
            float(f1_score(labels == "correct", chosen == "correct", average="macro")), 4
        ),
    }
    fitted = model().fit(pairs, denied)
    scaler, logistic = fitted[0], fitted[-1]
    card = {
        "version": "contradiction-v1",
        "created": dt.date.today().isoformat(),
        "task": "P(evidence contradicts the rubric point)",
        "features": "[u, v, |u-v|, u*v] of the evidence and closest point text embeddings, "
        f"then {', '.join(CUES)}",
        "training_data": "SemEval-2013 Task 7 train (beetle, sciEntsBank); label "
        "contradictory vs not; each question a one-point rubric of its reference answers",
        "n_examples": len(answers),
        "model": f"StandardScaler + LogisticRegression(C={C}, class_weight=balanced)",
        "encoder": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "cross_validated": figures,
        "engine_rule": ENGINE_RULE,
        "library_versions": {
            name: metadata.version(name)
            for name in ("scikit-learn", "sentence-transformers", "torch", "numpy")
        },
        "command": "python -m assess.contradiction_training --data ../shared/data/semeval2013-3way",
    }
    save_contradiction(
        ContradictionModel(
            coef=tuple(float(c) for c in logistic.coef_[0]),
            intercept=float(logistic.intercept_[0]),
            mean=tuple(float(m) for m in scaler.mean_),
            scale=tuple(float(s) for s in scaler.scale_),
            threshold=threshold,
            version=str(card["version"]),
            card=card,
        ),
        args.out,
    )
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
