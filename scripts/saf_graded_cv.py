"""Agreement on SAF train after a tutor scores some answers to each question.

For every SAF train question, its answers are split into 5 folds; the rubric (each sentence of
the reference a point) is calibrated on four folds' scores (`assess.calibration.fit_parameters`;
whole-answer scores only, as SAF gives no per-point grades) and the fifth is scored. Prints
Pearson r and RMSE of normalised scores for the engine alone and calibrated; with
`--no-example-model` the calibrated rubrics use their own Platt scaling only; with `--flags`,
per flag, how many answers it marks, the tutor's and the engine's mean score of them, and the
calibrated figures if the teacher's scores were not read for them (the score model's guards,
`Grader.result`).

Run: `.venv/bin/python scripts/saf_graded_cv.py --data ../shared/data/saf-english`
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr

from assess.analyse import Analysis, AnswerRequest
from assess.calibration import fit_parameters
from assess.datasets import GradedAnswer, by_question, read_split
from assess.evaluation_saf import tutor_rows
from assess.flags import salad_on_closest
from service.settings import get_settings
from service.wiring import build_grader

FOLDS = 5


def score_of(answer: GradedAnswer) -> float:
    if answer.score is None:
        raise SystemExit("not a SAF split: its answers carry no score")
    return answer.score


FLAGS = ("gibberish", "keyword_list", "off_topic", "copies_question", "language_unsupported")


def pearson_rmse(scores: list[float], human: list[float]) -> str:
    s, h = np.asarray(scores), np.asarray(human)
    return f"Pearson r {pearsonr(s, h)[0]:.3f}, RMSE {float(np.sqrt(np.mean((s - h) ** 2))):.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/saf-english"))
    parser.add_argument("--no-example-model", action="store_true")
    parser.add_argument(
        "--flags",
        action="store_true",
        help="also print, per flag (and for word salad in the evidence for the closest point), "
        "the answers it marks and what not reading the teacher's scores for them would do "
        "(the score model is never read for random letters; for the others it is, and asks "
        "for a look)",
    )
    args = parser.parse_args()
    grader = build_grader(get_settings())
    if args.no_example_model:
        grader.example_model = None
    questions = by_question(read_split(args.data / "train.jsonl"))
    rng = np.random.default_rng(0)
    alone: list[float] = []
    calibrated: list[float] = []
    every: list[float] = []  # the score model's share wherever it reads one, guards aside
    flags: list[set[str]] = []
    salad: list[bool] = []  # word salad in the evidence for the answer's closest point
    human: list[float] = []
    for answers in questions.values():
        rubric = answers[0].rubric
        analyses = grader.analyse_many([AnswerRequest(rubric, a.answer) for a in answers])
        folds = rng.permutation(len(answers)) % FOLDS
        for fold in range(FOLDS):
            train = [n for n in range(len(answers)) if folds[n] != fold]
            test = [n for n in range(len(answers)) if folds[n] == fold]
            rows = tutor_rows([answers[n] for n in train])
            fitted, bank = fit_parameters(grader, rubric, rows, [analyses[n] for n in train])
            twin = grader.calibrated(
                {**grader.calibrations, fitted.key: fitted}, banks={fitted: bank}
            )
            for n in test:
                analysis = analyses[n]
                if not isinstance(analysis, Analysis):
                    continue
                plain, tuned = grader.result(analysis, None), twin.result(analysis, None)
                alone.append(plain.score / plain.max_score)
                calibrated.append(tuned.score / tuned.max_score)
                share = twin.scored_share(fitted, analysis)
                every.append(calibrated[-1] if share is None else share)
                flags.append(set(tuned.flags))
                salad.append(salad_on_closest(analysis, grader.config))
                human.append(score_of(answers[n]))
    print(f"alone: {pearson_rmse(alone, human)}")
    print(f"calibrated: {pearson_rmse(calibrated, human)}")
    if args.flags:
        print(
            f"calibrated, the teacher's scores read for every answer: {pearson_rmse(every, human)}"
        )
        marks = [(f, [f in found for found in flags]) for f in FLAGS] + [("word salad", salad)]
        for name, marked in marks:
            mine = np.flatnonzero(marked)
            if not len(mine):
                continue
            kept = [alone[n] if marked[n] else every[n] for n in range(len(every))]
            tutor, engine = np.mean(np.take(human, mine)), np.mean(np.take(alone, mine))
            print(
                f"{name}: {len(mine)} answers, the tutor's mean {tutor:.2f}, the engine's "
                f"alone {engine:.2f}; their teacher's scores not read: "
                f"{pearson_rmse(kept, human)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
