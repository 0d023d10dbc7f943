"""Agreement on train when each question is graded with the answers of the other train
questions that share its point (`assess.shared_points`), against the engine alone.

No question's own answers are used for it: this is what `assess evaluate --graded-split
train` does for an unseen question, measured where no test split is read. `--shared-at`
takes one or more thresholds (comma-separated) to compare.

Run: `.venv/bin/python scripts/shared_points.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from assess.analyse import AnswerRequest
from assess.datasets import by_question, read_split, split_path
from assess.errors import AssessError
from assess.evaluation import classification_figures, label_of, teacher_calibrations
from assess.point_training import CORPORA
from assess.result import AssessmentResult
from assess.shared_points import SHARED_AT
from service.settings import get_settings
from service.wiring import build_grader


def labels(results: Sequence[AssessmentResult | AssessError]) -> list[str]:
    return [label_of(r) if isinstance(r, AssessmentResult) else "incorrect" for r in results]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--shared-at", default=str(SHARED_AT), help="thresholds, e.g. 0.8,0.9")
    args = parser.parse_args()
    grader = build_grader(get_settings())
    for corpus in CORPORA:
        answers = read_split(split_path(args.data, corpus, "train"))
        questions = by_question(answers)
        requests = [AnswerRequest(a.rubric, a.answer) for a in answers]
        gold = [a.label for a in answers]
        alone = labels(grader.assess_many(requests))
        print(corpus, "alone", summary(gold, alone))
        for shared_at in [float(v) for v in args.shared_at.split(",")]:
            predicted = list(alone)
            borrowed = 0
            for question, graded in questions.items():
                # Every other question may lend to it; its own answers never do.
                others = [a for q, rows in questions.items() if q != question for a in rows]
                twin, _, lent = teacher_calibrations(
                    grader, others, {question: graded[0].rubric}, shared_at
                )
                if not lent:
                    continue
                borrowed += 1
                asked = [AnswerRequest(a.rubric, a.answer) for a in graded]
                at = [i for i, a in enumerate(answers) if a.group == question]
                for i, label in zip(at, labels(twin.assess_many(asked)), strict=True):
                    predicted[i] = label
            print(corpus, f"shared at {shared_at}: {borrowed} of {len(questions)} questions "
                  "borrowed,", summary(gold, predicted))  # fmt: skip
    return 0


def summary(gold: list[str], predicted: list[str]) -> str:
    figures = classification_figures(gold, predicted)
    return f"macro-F1 3-way / 2-way {figures['macro_f1']:.3f} / {figures['macro_f1_2way']:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
