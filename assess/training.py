"""Fit the default coverage calibrator on public data with human labels (SemEval-2013 train).

Each question becomes a one-point rubric whose exemplars are its reference answers; each
student answer is analysed like any other; the label is whether graders called it correct.
Only `train` is read. Run: `python -m assess.training --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from assess.analyse import Analyser, Analysis, AnswerRequest
from assess.coverage import DEFAULT_FEATURES, FEATURES, feature_matrix
from assess.datasets import semeval_rubric
from models import load_encoder
from models.artefact import artefacts_path
from models.calibrator import DEFAULT_CALIBRATOR, LogisticCalibrator
from models.calibrator import save_calibrator as write_artefact
from rubrics import Rubric

CORPORA = ("beetle", "sciEntsBank")
CHUNK = 256


@dataclass(frozen=True)
class LabelledAnswer:
    """A student answer, its question's one-point rubric and the human label."""

    rubric: Rubric
    answer: str
    covered: bool
    group: str


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def labelled_answers(data: Path, corpora: Iterable[str] = CORPORA) -> list[LabelledAnswer]:
    """Every train answer of the given corpora."""
    rubrics: dict[str, Rubric] = {}
    examples = []
    for corpus in corpora:
        for row in read_jsonl(data / corpus / "train.jsonl"):
            key = f"{corpus}/{row['question_id']}"
            if key not in rubrics:
                rubrics[key] = semeval_rubric(row)
            examples.append(
                LabelledAnswer(rubrics[key], row["answer"], row["label"] == "correct", key)
            )
    return examples


def features_of(
    analyser: Analyser, examples: Sequence[LabelledAnswer], names: Sequence[str]
) -> np.ndarray:
    """Feature rows (the point item only) for each example, in chunks to bound memory."""
    rows = []
    for start in range(0, len(examples), CHUNK):
        chunk = examples[start : start + CHUNK]
        outcomes = analyser.analyse_many([AnswerRequest(e.rubric, e.answer) for e in chunk])
        for outcome in outcomes:
            assert isinstance(outcome, Analysis)
            rows.append(feature_matrix(outcome.alignments[:1], names)[0])
    return np.asarray(rows)


def fit(features: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> tuple[Any, dict[str, Any]]:
    """Logistic regression, with question-grouped 5-fold cross-validated figures.

    Classes are weighted to balance: SemEval's 41% of correct answers is a fact about that
    data, not about how often a student covers a rubric point, so the calibrator starts from
    an even prior and lets the features move it.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(
        StandardScaler(), LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced")
    )
    proba = cross_val_predict(
        model, features, labels, groups=groups, cv=GroupKFold(n_splits=5), method="predict_proba"
    )[:, 1]
    predicted = proba >= 0.5
    figures = {
        "cv": "5-fold GroupKFold by question (unseen questions)",
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
        "roc_auc": round(float(roc_auc_score(labels, proba)), 4),
        "positive_share": round(float(labels.mean()), 4),
    }
    model.fit(features, labels)
    return model, figures


def to_calibrator(model: Any, names: Sequence[str], card: dict[str, Any]) -> LogisticCalibrator:
    """Copy a fitted scaler + logistic regression into the JSON artefact."""
    scaler, logistic = model[0], model[-1]
    return LogisticCalibrator(
        feature_names=tuple(names),
        coef=tuple(float(c) for c in logistic.coef_[0]),
        intercept=float(logistic.intercept_[0]),
        mean=tuple(float(m) for m in scaler.mean_),
        scale=tuple(float(s) for s in scaler.scale_),
        version=card["version"],
        card=card,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on `train` and write the artefact with its model card."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--out", type=Path, default=artefacts_path() / DEFAULT_CALIBRATOR)
    parser.add_argument("--version", default="coverage-v1")
    parser.add_argument(
        "--features", default=",".join(DEFAULT_FEATURES),
        help=f"comma-separated, from: {', '.join(FEATURES)}",
    )  # fmt: skip
    parser.add_argument(
        "--encoder-backend", default="torch", help="torch, onnx or onnx-int8 (see models.onnx)"
    )
    args = parser.parse_args(argv)
    encoder = load_encoder(backend=args.encoder_backend)
    examples = labelled_answers(args.data)
    names = [n.strip() for n in args.features.split(",") if n.strip()]
    features = features_of(Analyser(encoder), examples, names)
    labels = np.array([e.covered for e in examples], dtype=int)
    groups = np.array([e.group for e in examples])
    model, figures = fit(features, labels, groups)
    card = {
        "version": args.version,
        "created": dt.date.today().isoformat(),
        "task": "P(rubric point covered) from alignment features",
        "prior": "balanced class weights (an even prior on covered / not covered)",
        "training_data": "SemEval-2013 Task 7 train (beetle, sciEntsBank); label correct vs "
        "not; each question a one-point rubric with its reference answers as phrasings",
        "n_examples": len(examples),
        "features": names,
        "encoder": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "cross_validated": figures,
        "library_versions": {
            name: metadata.version(name)
            for name in ("scikit-learn", "sentence-transformers", "torch", "numpy")
        },
        "command": "python -m assess.training --data ../shared/data/semeval2013-3way",
    }
    write_artefact(to_calibrator(model, names, card), args.out)
    print(json.dumps(card["cross_validated"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
