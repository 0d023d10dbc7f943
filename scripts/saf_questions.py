"""Per question of a SAF split: Pearson r of the engine's score with the tutor's, and the
mean of each, with no grades from anyone.

    .venv/bin/python scripts/saf_questions.py --split test_unseen_questions

The split's Pearson r in `make eval` pools every question: a question the engine scores low
across the board lowers it even where the engine orders that question's answers as the tutor
does. This tells the two apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assess.config import GraderConfig
from assess.datasets import read_split
from assess.evaluation import assess_all
from assess.packaged import packaged_grader
from assess.result import AssessmentResult


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/saf-english"))
    parser.add_argument("--split", default="test_unseen_questions")
    args = parser.parse_args()
    graded = read_split(args.data / f"{args.split}.jsonl")
    results = assess_all([packaged_grader("default", GraderConfig())], graded)[0]
    engine = np.array([r.score if isinstance(r, AssessmentResult) else 0.0 for r in results])
    tutor = np.array([a.score for a in graded], dtype=float)
    groups = np.array([a.group for a in graded])
    print("| question | answers | r | engine mean | tutor mean |")
    print("|---|---|---|---|---|")
    for group in [*dict.fromkeys(groups.tolist()), None]:
        mine = groups == group if group is not None else np.ones(len(groups), dtype=bool)
        r = float(np.corrcoef(engine[mine], tutor[mine])[0, 1])
        print(
            f"| {group or 'all'} | {int(mine.sum())} | {r:.3f} | {engine[mine].mean():.3f} "
            f"| {tutor[mine].mean():.3f} |"
        )


if __name__ == "__main__":
    main()
