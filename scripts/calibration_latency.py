"""Median time to fit a rubric's calibration on a class's grades, the answers already read.

What `assess calibrate` and `POST /v1/rubrics/{id}/calibration` spend after reading the graded
answers: the Platt scaling, and the agreement report, which judges each graded answer by the
others (a word vote fitted per graded answer and point, `assess.word_vote`, or per tenth of
them past `assess.neighbours.EXACT_HOLD_OUT`). The class is the SemEval-2013 train question
with the most answers (128 on Beetle), graded as a teacher would
(`assess.evaluation.teacher_rows`). `--no-letter-runs` fits the word vote on stems and stem
pairs only, to show what the runs of letters cost. `--pool N` grades N answers instead, the
corpus's largest questions' answers pooled against the largest one's rubric (a class that
size, for timing only: its agreement means nothing). `--exact` fits one vote per graded
answer at any size, as before `assess.neighbours.PointExamples.voters`. `--agreement` prints
instead, for every train question of both corpora with more graded answers than
`EXACT_HOLD_OUT`, its report's QWK and exact agreement fitted both ways.

Run: .venv/bin/python scripts/calibration_latency.py [--corpus beetle] [--repeats 5]
     [--pool 512] [--exact] [--agreement]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import assess.neighbours
import assess.word_vote
from assess.calibration import analyse_graded, fit_calibration
from assess.datasets import by_question, read_split, split_path
from assess.evaluation import teacher_rows
from assess.grader import Grader
from service.settings import Settings
from service.wiring import build_grader

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2013-3way"


def agreements(grader: Grader, data: Path) -> None:
    """Each large question's agreement report with one vote per graded answer and by tenths."""
    exact_up_to = assess.neighbours.EXACT_HOLD_OUT
    for corpus in ("beetle", "sciEntsBank"):
        for answers in by_question(read_split(split_path(data, corpus, "train"))).values():
            if len(answers) <= exact_up_to:
                continue
            rubric, rows = answers[0].rubric, teacher_rows(answers)
            analyses = analyse_graded(grader, rubric, rows)
            read = []
            for exact in (True, False):
                assess.neighbours.EXACT_HOLD_OUT = 10**9 if exact else exact_up_to
                _, report = fit_calibration(grader.calibrated({}), rubric, rows, analyses)
                read.append(f"{report.figures['qwk']['value']:.4f} / "
                            f"{report.figures['exact']['value']:.4f}")  # fmt: skip
            assess.neighbours.EXACT_HOLD_OUT = exact_up_to
            print(f"{rubric.id} ({len(rows)} graded): QWK / exact agreement {read[0]} with one "
                  f"vote per graded answer, {read[1]} by tenths")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--corpus", default="beetle")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-letter-runs", action="store_true")
    parser.add_argument("--pool", type=int, default=0, help="grade this many pooled answers")
    parser.add_argument("--exact", action="store_true", help="one vote per graded answer")
    parser.add_argument("--agreement", action="store_true", help="reports both ways")
    args = parser.parse_args()
    if args.no_letter_runs:
        assess.word_vote.letter_runs = lambda words: frozenset()
    if args.exact:
        assess.neighbours.EXACT_HOLD_OUT = 10**9
    grader = build_grader(Settings())
    if args.agreement:
        agreements(grader, args.data)
        return
    questions = by_question(read_split(split_path(args.data, args.corpus, "train")))
    largest = sorted(questions.values(), key=len, reverse=True)
    answers = largest[0]
    if args.pool:
        answers = [a for question in largest for a in question][: args.pool]
    rubric, rows = largest[0][0].rubric, teacher_rows(answers)
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
        f"{'; one vote per graded answer' if args.exact else ''}"
    )


if __name__ == "__main__":
    main()
