"""Why the point model's `cover` stage stays logistic: boosted trees fit SemEval better and
the Track II paraphrases worse.

Fits the point model's stages on SemEval-2013 train as `assess.point_training` does, once with
its logistic `cover` and once with monotone gradient-boosted trees in its place (never lower
P(covered) as a similarity rises, never raise it for a negation), and prints the
question-grouped cross-validated macro-F1 of both, then P(covered) of every Track II point in
the paraphrases of `tests/assess/test_behaviour.py` under each `cover` fitted on all of train.

Run: `.venv/bin/python scripts/cover_trees.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

import assess.point_training as training
from assess.analyse import Analysis, AnswerRequest
from assess.coverage import POINT_FEATURES, feature_matrix
from assess.datasets import read_split, split_path
from models import load_encoder
from models.point_model import pair_interaction
from rubrics import library_path, load_rubrics

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.assess.test_behaviour import PARAPHRASES  # noqa: E402

MONOTONE = {
    "similarity": 1, "margin": 1, "context_similarity": 1, "context_similarity_mean": 1,
    "negation_mismatch": -1, "polarity_differs": -1, "negation_differs": -1,
}  # fmt: skip


def trees() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, max_leaf_nodes=8, class_weight="balanced",
        random_state=0, monotonic_cst=[MONOTONE.get(n, 0) for n in POINT_FEATURES],
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    args = parser.parse_args()
    encoder = load_encoder(backend="onnx-int8")
    answers = [a for c in training.CORPORA for a in read_split(split_path(args.data, c, "train"))]
    named, evidence, texts = training.analysed_rows(encoder, answers)
    labels = np.array([training.STATUS_OF[a.label] for a in answers])
    groups = np.array([a.group for a in answers])
    corpora = np.array([a.group.split("/")[0] for a in answers])
    pairs = pair_interaction(evidence, texts)
    logistic_fit = training.fit_stages

    def with_trees(*given: Any) -> training.Stages:
        stages = logistic_fit(*given)
        return training.Stages(trees().fit(given[0], given[2] == "covered"), stages.pair,
                               stages.deny)  # fmt: skip

    covers = {}
    for name, fit in (("logistic", logistic_fit), ("monotone trees", with_trees)):
        training.fit_stages = fit
        figures = training.cross_validated(named, pairs, labels, groups, corpora)
        print(f"{name}: " + " | ".join(f"{c} {figures[c]}" for c in training.CORPORA))
        covers[name] = fit(named, pairs, labels, groups).cover
    training.fit_stages = logistic_fit
    library = load_rubrics(library_path())
    from assess.analyse import Analyser

    analyser = Analyser(encoder)
    for rubric_id, answer in PARAPHRASES.items():
        rubric = library[rubric_id]
        (analysis,) = analyser.analyse_many([AnswerRequest(rubric, answer)])
        assert isinstance(analysis, Analysis)
        rows = feature_matrix(analysis.alignments[: len(rubric.points)], POINT_FEATURES)
        for point, row in zip(rubric.points, rows, strict=True):
            found = {n: float(c.predict_proba(row[None])[0, 1]) for n, c in covers.items()}
            print(f"{rubric_id} {point.id}: " + ", ".join(f"{n} {p:.2f}" for n, p in found.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
