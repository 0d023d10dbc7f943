"""Agreement on SAF train after a tutor scores some answers to each question.

For every SAF train question, its answers are split into 5 folds; the rubric (each sentence of
the reference a point) is calibrated on four folds' scores (`assess.calibration.fit_parameters`;
whole-answer scores only, as SAF gives no per-point grades) and the fifth is scored. Prints
Pearson r and RMSE of normalised scores for the engine alone and calibrated; with
`--no-example-model` the calibrated rubrics use their own Platt scaling only.

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
from assess.result import AssessmentResult
from service.settings import get_settings
from service.wiring import build_grader

FOLDS = 5


def score_of(answer: GradedAnswer) -> float:
    if answer.score is None:
        raise SystemExit("not a SAF split: its answers carry no score")
    return answer.score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/saf-english"))
    parser.add_argument("--no-example-model", action="store_true")
    args = parser.parse_args()
    grader = build_grader(get_settings())
    if args.no_example_model:
        grader.example_model = None
    questions = by_question(read_split(args.data / "train.jsonl"))
    rng = np.random.default_rng(0)
    alone: list[float] = []
    calibrated: list[float] = []
    human: list[float] = []
    for answers in questions.values():
        rubric = answers[0].rubric
        asked = [AnswerRequest(rubric, a.answer) for a in answers]
        analyses = grader.analyse_many(asked)
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
                if not isinstance(analyses[n], Analysis):
                    continue
                for found, into in ((grader, alone), (twin, calibrated)):
                    result = found.assess(rubric, answers[n].answer)
                    assert isinstance(result, AssessmentResult)
                    into.append(result.score / result.max_score)
                human.append(score_of(answers[n]))
    for name, scores in (("alone", alone), ("calibrated", calibrated)):
        s, h = np.asarray(scores), np.asarray(human)
        rmse = float(np.sqrt(np.mean((s - h) ** 2)))
        print(f"{name}: Pearson r {pearsonr(s, h)[0]:.3f}, RMSE {rmse:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
