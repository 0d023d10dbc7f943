"""Fit the example model (`models/example_model.py`) on SemEval-2013 `train` only.

Each train question stands for a rubric a teacher has graded: its answers are split into 5
folds, and each answer is read against the graded answers of the other four (a teacher's
grades: correct covers the point, contradictory contradicts it, incorrect neither), as a new
answer to a calibrated rubric is. The point model's probabilities it reads are held out by
question (`assess.point_training.held_out_probabilities`), as the shipped point model meets
a teacher's own question. Figures: the same rows, 5-fold cross-validated by question, so each
question's answers are judged by weights fitted on other questions only. Deterministic.
Run: `python -m assess.example_training --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.align import ItemAlignment
from assess.datasets import GradedAnswer, read_split, split_path
from assess.evaluation import teacher_rows
from assess.examples import EXAMPLE_INPUTS, example_inputs
from assess.graded import graded_exemplars
from assess.neighbours import MIN_EXAMPLES, bank_of, example_features
from assess.point_training import (
    CORPORA,
    FOLDS,
    STATUS_OF,
    figures_of,
    held_out_probabilities,
    point_alignments,
    rows_of,
    statuses,
    training_arguments,
)
from models import load_encoder
from models.artefact import artefacts_path
from models.example_model import DEFAULT_EXAMPLE_MODEL, ExampleModel, save_example_model
from models.point_model import CLASSES, pair_interaction

EXAMPLE_C = 1.0


def within_question_folds(groups: npt.NDArray[Any], seed: int = 0) -> npt.NDArray[np.int64]:
    """Each answer's fold (0..FOLDS-1) among its question's answers, drawn at random."""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(groups), dtype=np.int64)
    for group in dict.fromkeys(groups.tolist()):
        mine = np.flatnonzero(groups == group)
        folds[mine] = rng.permutation(len(mine)) % FOLDS
    return folds


def example_rows(
    answers: Sequence[GradedAnswer],
    alignments: Sequence[ItemAlignment],
    base: npt.NDArray[np.float64],
    folds: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """`EXAMPLE_INPUTS` of each answer, its question's other folds as the graded answers,
    and which answers had enough graded answers of each kind to read (the others keep the
    point model's probabilities, as in the engine)."""
    groups = np.array([a.group for a in answers])
    features = np.zeros((len(answers), len(EXAMPLE_INPUTS) - 2))
    read = np.zeros(len(answers), dtype=bool)
    for group in dict.fromkeys(groups.tolist()):
        mine = np.flatnonzero(groups == group)
        rubric = answers[mine[0]].rubric
        point_ids = [rubric.points[0].id]
        for fold in range(FOLDS):
            graded = [int(i) for i in mine if folds[i] != fold]
            exemplars = graded_exemplars(rubric, teacher_rows([answers[i] for i in graded]))
            bank = bank_of(exemplars, [[alignments[i]] for i in graded], rubric)
            for i in mine[folds[mine] == fold]:
                found, has = example_features(bank, point_ids, [alignments[i]], None)
                features[i], read[i] = found[0], has[0]
    return example_inputs(base, features), read


def logistic() -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=EXAMPLE_C, max_iter=3000))


def cross_validated(
    inputs: npt.NDArray[np.float64],
    read: npt.NDArray[np.bool_],
    base: npt.NDArray[np.float64],
    labels: npt.NDArray[Any],
    groups: npt.NDArray[Any],
    corpora: npt.NDArray[Any],
) -> dict[str, Any]:
    """Question-grouped CV: 3-way and 2-way macro-F1 per corpus, with and without examples."""
    from sklearn.model_selection import GroupKFold

    target = np.array([CLASSES.index(label) for label in labels])
    probabilities = np.zeros((len(labels), len(CLASSES)))
    for train, test in GroupKFold(n_splits=FOLDS).split(inputs, target, groups):
        probabilities[test] = (
            logistic().fit(inputs[train], target[train]).predict_proba(inputs[test])
        )
    with_examples, alone = statuses(probabilities), statuses(base)
    figures: dict[str, Any] = {
        "cv": f"{FOLDS}-fold GroupKFold by question; graded answers: the question's other "
        f"{FOLDS - 1} folds; point model probabilities held out by question"
    }
    for corpus in sorted(set(corpora)):
        mine = corpora == corpus
        figures[corpus] = {
            "with_examples": figures_of(labels[mine], with_examples[mine]),
            "point_model_alone": figures_of(labels[mine], alone[mine]),
        }
    return figures


def to_model(fitted: Any, version: str, card: dict[str, Any]) -> ExampleModel:
    scaler, regression = fitted[0], fitted[-1]
    return ExampleModel(
        EXAMPLE_INPUTS,
        np.asarray(regression.coef_, dtype=np.float64),
        np.asarray(regression.intercept_, dtype=np.float64),
        np.asarray(scaler.mean_, dtype=np.float64),
        np.asarray(scaler.scale_, dtype=np.float64),
        version,
        card,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on `train`, check the export against scikit-learn, write the artefact."""
    args = training_arguments(
        __doc__.splitlines()[0], artefacts_path() / DEFAULT_EXAMPLE_MODEL, "examples-v7", argv
    )
    encoder = load_encoder(backend=args.encoder_backend)
    answers = [a for c in CORPORA for a in read_split(split_path(args.data, c, "train"))]
    alignments = point_alignments(encoder, answers)
    named, evidence, texts = rows_of(alignments, encoder.dimension)
    labels = np.array([STATUS_OF[a.label] for a in answers])
    groups = np.array([a.group for a in answers])
    corpora = np.array([a.group.split("/")[0] for a in answers])
    base = held_out_probabilities(named, pair_interaction(evidence, texts), labels, groups)
    inputs, read = example_rows(answers, alignments, base, within_question_folds(groups))
    figures = cross_validated(inputs, read, base, labels, groups, corpora)
    target = np.array([CLASSES.index(label) for label in labels])
    fitted = logistic().fit(inputs[read], target[read])
    card = {
        "version": args.version,
        "created": dt.date.today().isoformat(),
        "task": "P(covered), P(contradicted), P(missing) of a rubric point in an answer, "
        "given the point model's probabilities and the teacher's graded answers of the rubric",
        "training_data": "SemEval-2013 Task 7 train (beetle, sciEntsBank), 3-way labels; each "
        f"question a one-point rubric whose answers in the other {FOLDS - 1} of {FOLDS} "
        "folds are the teacher's grades; answers whose question had fewer than "
        f"{MIN_EXAMPLES} graded answers of a kind are left out, as the engine leaves them to "
        "the point model",
        "n_examples": int(read.sum()),
        "n_answers": len(answers),
        "features": list(EXAMPLE_INPUTS),
        "model": f"StandardScaler + multinomial LogisticRegression(C={EXAMPLE_C})",
        "encoder": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "cross_validated": figures,
        "library_versions": {name: metadata.version(name) for name in ("scikit-learn", "numpy")},
        "command": "python -m assess.example_training --data ../shared/data/semeval2013-3way",
    }
    model = to_model(fitted, args.version, card)
    check = inputs[read]
    gap = float(np.abs(model.predict_proba(check) - fitted.predict_proba(check)).max())
    if gap > 1e-6:
        raise SystemExit(f"the exported example model differs from scikit-learn's by {gap:.2e}")
    save_example_model(model, args.out)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
