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

`--peer-weights 0,0.25,0.5` prints a calibrated row for each share of P(covered) that the pair
judge's reading of an answer against the closest answers graded covering the point decides
(`GraderConfig.peer_weight`). Measured honestly only with a judge that never saw these
questions: `--judge DIR` grades with the judge trained with `--holdout` (same seed; see
scripts/judge_holdout.py) and only the questions it held out. (The shipped point and example
models were fitted on every train question, these included, the same for every row.)

Run: `.venv/bin/python scripts/graded_cv.py --data ../shared/data/semeval2013-3way`
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

import assess.calibration_fit
import assess.neighbours
from assess.analyse import Analysis, AnswerRequest
from assess.calibration import fit_parameters
from assess.config import GraderConfig
from assess.datasets import by_question, read_split, split_path
from assess.evaluation import classification_figures, label_of, teacher_rows
from assess.judge_data import held_out_groups
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
    parser.add_argument(
        "--judge",
        type=Path,
        default=None,
        help="a judge trained with --holdout; only its held-out questions",
    )
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--peer-weights", default="0", help="comma-separated peer_weight values")
    parser.add_argument("--peer-neighbours", type=int, default=GraderConfig.peer_neighbours)
    parser.add_argument("--graded", type=int, default=0,
                        help="the teacher grades only this many of the other answers (drawn "
                        "at random; 0: all of them)")  # fmt: skip
    args = parser.parse_args()
    assess.calibration_fit.PULL = args.pull
    settings = get_settings()
    grader = build_grader(settings.model_copy(update={"judge": str(args.judge)}) if args.judge
                          else settings)  # fmt: skip
    if args.no_example_model:
        grader.example_model = None
    questions = by_question(
        a for corpus in CORPORA for a in read_split(split_path(args.data, corpus, "train"))
    )
    if args.judge:
        held = held_out_groups(set(questions), args.holdout)
        questions = {g: a for g, a in questions.items() if g in held}
    weights = [float(w) for w in args.peer_weights.split(",")]
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
        tuned = {w: {c: [] for c in CORPORA} for w in weights}
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
                for w in weights:
                    calibrated.config = replace(
                        grader.config, peer_weight=w, peer_neighbours=args.peer_neighbours
                    )
                    for n in test:
                        found = calibrated.result(analysed[group][n], None)
                        tuned[w][corpus].append(label_of(found))
        for corpus in CORPORA:
            a = classification_figures(gold[corpus], alone[corpus])
            for w in weights:
                t = classification_figures(gold[corpus], tuned[w][corpus])
                print(
                    f"neighbours {k} | {corpus} ({len(gold[corpus])} answers) | engine "
                    f"{a['macro_f1']:.3f} / {a['macro_f1_2way']:.3f} | calibrated on the other "
                    f"answers, peer weight {w} {t['macro_f1']:.3f} / {t['macro_f1_2way']:.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
