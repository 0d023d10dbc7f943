"""Fit the baselines' thresholds on SemEval-2013 `train` only, with question-grouped CV.

Run: `python -m assess.baseline_training --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.baselines import BASELINES, baseline_scores
from assess.datasets import read_split, split_path
from models import load_encoder
from models.artefact import artefacts_path
from models.thresholds import DEFAULT_BASELINES, save_thresholds

CORPORA = ("beetle", "sciEntsBank")


def best_threshold(scores: npt.NDArray[np.float64], correct: npt.NDArray[np.bool_]) -> float:
    """The cut that maximises 2-way macro-F1 on these examples (midpoints between scores)."""
    from sklearn.metrics import f1_score

    values = np.unique(np.quantile(scores, np.linspace(0.02, 0.98, 97)))
    cuts = (values[:-1] + values[1:]) / 2 if len(values) > 1 else values
    results = [f1_score(correct, scores >= c, average="macro") for c in cuts]
    return float(cuts[int(np.argmax(results))])


def cross_validated(
    scores: npt.NDArray[np.float64], correct: npt.NDArray[np.bool_], groups: npt.NDArray[Any]
) -> float:
    """2-way macro-F1 on held-out questions, each fold's threshold fitted on the others."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    predicted = np.zeros(len(scores), dtype=bool)
    for fit_rows, held_rows in GroupKFold(n_splits=5).split(scores, correct, groups):
        cut = best_threshold(scores[fit_rows], correct[fit_rows])
        predicted[held_rows] = scores[held_rows] >= cut
    return round(float(f1_score(correct, predicted, average="macro")), 4)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit every baseline's threshold per corpus and on both together; write the artefact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--out", type=Path, default=artefacts_path() / DEFAULT_BASELINES)
    args = parser.parse_args(argv)
    encoder = load_encoder()
    per_corpus = {c: read_split(split_path(args.data, c, "train")) for c in CORPORA}
    scores: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    for corpus, answers in per_corpus.items():
        scores[corpus] = baseline_scores(
            encoder, [a.answer for a in answers], [a.references for a in answers]
        )
    thresholds: dict[str, dict[str, float]] = {b: {} for b in BASELINES}
    cv: dict[str, dict[str, float]] = {b: {} for b in BASELINES}
    for name in [*CORPORA, "all"]:
        corpora = CORPORA if name == "all" else (name,)
        answers = [a for c in corpora for a in per_corpus[c]]
        correct = np.array([a.label == "correct" for a in answers])
        groups = np.array([a.group for a in answers])
        for baseline in BASELINES:
            values = np.concatenate([scores[c][baseline] for c in corpora])
            thresholds[baseline][name] = round(best_threshold(values, correct), 4)
            cv[baseline][name] = cross_validated(values, correct, groups)
    card = {
        "version": "baselines-v1",
        "created": dt.date.today().isoformat(),
        "task": "correct if the baseline's number reaches the threshold (2-way macro-F1 optimum)",
        "training_data": "SemEval-2013 Task 7 train (beetle, sciEntsBank) only",
        "cross_validated_macro_f1_2way": cv,
        "encoder": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "command": "python -m assess.baseline_training --data ../shared/data/semeval2013-3way",
    }
    save_thresholds({"thresholds": thresholds, "card": card}, args.out)
    print(json.dumps({"thresholds": thresholds, "cv": cv}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
