"""Agreement after a teacher grades some answers to each question, measured on train only.

For every SemEval-2013 train question, its answers are split into 5 folds; the rubric is
calibrated on four (`assess.calibration.fit_parameters`; the teacher's grades mark
contradictory answers as contradicting the point unless `--no-denials`; `--graded N`: the
teacher graded only N of them) and the fifth is graded, as a teacher who graded most of a
class would see. The engine reads the graded answers with the example model
(`assess.examples`), or with `--no-example-model` with the calibration's own Platt scaling and
nearness (`assess.neighbours.NEIGHBOURS` and `assess.calibration_fit.PULL` were chosen from
runs of that: `--pull 0.01` against the default). The example model was itself fitted on these
questions (11 weights shared by all; its card has its question-grouped cross-validation).
Prints 3-way and 2-way macro-F1 per corpus for the engine alone and calibrated, for each
number of neighbours tried.

Run: `.venv/bin/python scripts/graded_cv.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import assess.calibration_fit
import assess.neighbours
from assess.analyse import Analysis, AnswerRequest
from assess.calibration import fit_parameters
from assess.datasets import by_question, read_split, split_path
from assess.evaluation import classification_figures, label_of, teacher_rows
from assess.point_training import CORPORA
from service.settings import get_settings
from service.wiring import build_grader

FOLDS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--neighbours", default="3")
    parser.add_argument("--pull", type=float, default=assess.calibration_fit.PULL,
                        help="the pull on the nearness weight")  # fmt: skip
    parser.add_argument(
        "--no-denials", action="store_true", help="grades say covered or not, never contradicted"
    )
    parser.add_argument(
        "--no-example-model",
        action="store_true",
        help="calibrated rubrics use their own Platt scaling and nearness",
    )
    parser.add_argument("--graded", type=int, default=0,
                        help="the teacher grades only this many of the other answers (drawn "
                        "at random; 0: all of them)")  # fmt: skip
    args = parser.parse_args()
    assess.calibration_fit.PULL = args.pull
    grader = build_grader(get_settings())
    if args.no_example_model:
        grader.example_model = None
    questions = by_question(
        a for corpus in CORPORA for a in read_split(split_path(args.data, corpus, "train"))
    )
    analysed: dict[str, list[Analysis]] = {}
    for group, answers in questions.items():
        found = grader.analyse_many([AnswerRequest(a.rubric, a.answer) for a in answers])
        analysed[group] = [a for a in found if isinstance(a, Analysis)]
    rng = np.random.default_rng(0)
    folds = {g: rng.permutation(len(a)) % FOLDS for g, a in questions.items()}
    for k in [int(v) for v in args.neighbours.split(",")]:
        assess.neighbours.NEIGHBOURS = k
        gold: dict[str, list[str]] = {c: [] for c in CORPORA}
        alone: dict[str, list[str]] = {c: [] for c in CORPORA}
        tuned: dict[str, list[str]] = {c: [] for c in CORPORA}
        for group, answers in questions.items():
            corpus, rubric = group.split("/")[0], answers[0].rubric
            for fold in range(FOLDS):
                train = [n for n in range(len(answers)) if folds[group][n] != fold]
                if 0 < args.graded < len(train):
                    train = sorted(rng.choice(train, args.graded, replace=False).tolist())
                test = [n for n in range(len(answers)) if folds[group][n] == fold]
                rows = teacher_rows([answers[n] for n in train], denials=not args.no_denials)
                fitted, bank = fit_parameters(
                    grader, rubric, rows, [analysed[group][n] for n in train]
                )
                calibrated = grader.calibrated({fitted.key: fitted}, banks={fitted: bank})
                for n in test:
                    gold[corpus].append(answers[n].label)
                    alone[corpus].append(label_of(grader.result(analysed[group][n], None)))
                    tuned[corpus].append(label_of(calibrated.result(analysed[group][n], None)))
        for corpus in CORPORA:
            a = classification_figures(gold[corpus], alone[corpus])
            t = classification_figures(gold[corpus], tuned[corpus])
            print(
                f"neighbours {k} | {corpus} | engine {a['macro_f1']:.3f} / "
                f"{a['macro_f1_2way']:.3f} | calibrated on the other answers "
                f"{t['macro_f1']:.3f} / {t['macro_f1_2way']:.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
