"""How the point model's decision rules trade SemEval agreement for fewer false denials.

Question-grouped 5-fold CV on SemEval-2013 train (the same folds and fit as
`python -m assess.point_training`), then each rule for calling a point `contradicted`:
macro-F1 3-way / 2-way per corpus, and how often an answer the graders called correct or
incorrect is called contradicted. The engine's guard that a point is about this point is left
out (every SemEval rubric has one point); the last two rows add its off-topic guard to the
engine's rule (evidence off the topic is missing, whatever the model says): as the engine
has it (`assess.coverage.on_topic`), then by the similarity without the question's words
alone (`GraderConfig.off_topic_worded_similarity` None). Reads only `train`.

Run: `.venv/bin/python scripts/point_decisions.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from assess.config import GraderConfig
from assess.coverage import on_topic
from assess.datasets import read_split, split_path
from assess.point_training import (
    CORPORA,
    FOLDS,
    STATUS_OF,
    _predict,
    figures_of,
    fit_stages,
    point_alignments,
    rows_of,
)
from models import load_encoder
from models.point_model import pair_interaction


def main() -> int:
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    args = parser.parse_args()
    encoder = load_encoder(backend="onnx-int8")
    answers = [a for c in CORPORA for a in read_split(split_path(args.data, c, "train"))]
    points = point_alignments(encoder, answers)
    features, evidence, texts = rows_of(points, encoder.dimension)
    pairs = pair_interaction(evidence, texts)
    negation = [p.context_facts.get("negation_involved", 0.0) > 0 for p in points]
    turned = [p.context_facts.get("turn_involved", 0.0) > 0 for p in points]
    negates = [p.context_facts.get("context_negated", 0.0) > 0 for p in points]
    mismatch = [p.negation_mismatch for p in points]
    config = GraderConfig()
    unworded = replace(config, off_topic_worded_similarity=None)
    off_topic = np.array([not on_topic(p, config) for p in points])
    off_words = np.array([not on_topic(p, unworded) for p in points])
    labels = np.array([STATUS_OF[a.label] for a in answers])
    groups = np.array([a.group for a in answers])
    corpora = np.array([a.group.split("/")[0] for a in answers])
    probabilities = np.zeros((len(labels), 3))
    for train, test in GroupKFold(n_splits=FOLDS).split(features, labels, groups):
        stages = fit_stages(features[train], pairs[train], labels[train], groups[train])
        probabilities[test] = _predict(stages, features[test], pairs[test])
    covered = probabilities[:, 0]
    denied = probabilities[:, 1] / np.maximum(probabilities[:, 1] + probabilities[:, 2], 1e-12)
    plainly_missing = probabilities[:, 2] >= 0.5
    engine = (denied >= 0.5) & (covered < 0.4) & np.asarray(turned)
    rules: dict[str, tuple[np.ndarray, np.ndarray | None]] = {
        "denial >= 0.5": (denied >= 0.5, None),
        "... and P(covered) < 0.4": ((denied >= 0.5) & (covered < 0.4), None),
        "... and a negation in the answer or the point": (
            (denied >= 0.5) & (covered < 0.4) & np.asarray(negation),
            None,
        ),
        "... or an opposite or another number instead (the engine)": (engine, None),
        "... and a negation in the answer itself": (
            (denied >= 0.5) & (covered < 0.4) & np.asarray(negates),
            None,
        ),
        "the engine, evidence off the topic missing": (engine, off_topic),
        "... off the topic by its words without the question's only": (engine, off_words),
    }
    print("rule | beetle 3-way / 2-way | sciEntsBank 3-way / 2-way | contradicted: of correct, "
          "of incorrect, of all non-contradictory")  # fmt: skip
    for name, (denies, guarded) in rules.items():
        predicted = np.where(covered >= 0.5, "covered", np.where(denies, "contradicted", "missing"))
        predicted = np.where(np.asarray(mismatch) & ~plainly_missing, "contradicted", predicted)
        if guarded is not None:
            predicted = np.where(guarded, "missing", predicted)
        cells = []
        for corpus in CORPORA:
            mine = corpora == corpus
            f = figures_of(labels[mine], predicted[mine])
            cells.append(f"{f['macro_f1_3way']:.3f} / {f['macro_f1_2way']:.3f}")
        called = predicted == "contradicted"
        wrong = [
            (called & (labels == gold)).sum() / max(1, (labels == gold).sum())
            for gold in ("covered", "missing")
        ]
        others = labels != "contradicted"
        share = (called & others).sum() / others.sum()
        print(f"{name} | {' | '.join(cells)} | {wrong[0]:.3f}, {wrong[1]:.3f}, {share:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
