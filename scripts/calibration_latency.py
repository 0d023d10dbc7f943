"""Median time to fit a rubric's calibration on a class's grades, the answers already read.

What `assess calibrate` and `POST /v1/rubrics/{id}/calibration` spend after reading the graded
answers: the Platt scaling, and the agreement report, which judges each graded answer by the
others (one word vote fitted per graded answer and point, `assess.word_vote`). The class is
the SemEval-2013 train question with the most answers (128 on Beetle), graded as a teacher
would (`assess.evaluation.teacher_rows`). `--no-letter-runs` fits the word vote on stems and
stem pairs only, to show what the runs of letters cost.

Run: .venv/bin/python scripts/calibration_latency.py [--corpus beetle] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import assess.word_vote
from assess.calibration import analyse_graded, fit_calibration
from assess.datasets import by_question, read_split, split_path
from assess.evaluation import teacher_rows
from service.settings import Settings
from service.wiring import build_grader

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2013-3way"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--corpus", default="beetle")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-letter-runs", action="store_true")
    args = parser.parse_args()
    if args.no_letter_runs:
        assess.word_vote.letter_runs = lambda words: frozenset()
    grader = build_grader(Settings())
    questions = by_question(read_split(split_path(args.data, args.corpus, "train")))
    answers = max(questions.values(), key=len)
    rubric, rows = answers[0].rubric, teacher_rows(answers)
    analyses = analyse_graded(grader, rubric, rows)
    times = []
    for _ in range(args.repeats):
        fresh = grader.calibrated({})  # no graded answers read before: each fit from scratch
        start = time.perf_counter()
        fit_calibration(fresh, rubric, rows, analyses)
        times.append(time.perf_counter() - start)
    print(
        f"calibration on {len(rows)} graded answers ({rubric.id}): median "
        f"{statistics.median(times):.2f} s over {args.repeats} fits (min {min(times):.2f}, "
        f"max {max(times):.2f}){'; no letter runs' if args.no_letter_runs else ''}"
    )


if __name__ == "__main__":
    main()
