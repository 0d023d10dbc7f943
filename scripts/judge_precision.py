"""What the pair judge's precision changes: batch dependence, agreement and time.

    python -m models.judge_build --out /tmp/judge-int8 --precision int8
    python -m models.judge_build --out /tmp/judge-fp32 --precision fp32
    .venv/bin/python scripts/judge_precision.py --data ../shared/data/semeval2013-3way \\
        --judge /tmp/judge-int8 --judge /tmp/judge-fp32

Dynamic int8 scales activations over a whole batch, so a pair's probabilities can depend on
the pairs batched with it. For each judge folder this grades one split's answers with the
default engine twice, in one batch and in the chunks `assess evaluate` uses, and prints
macro-F1 (3-way / 2-way) of each (the encoder is int8 in both, so some of the difference is
the encoder's); then, for the judge alone on each answer paired with its question's point,
the largest change of P(correct) between one batch and those chunks, and the median time on
all the pairs at once and on one pair at a time (the judges timed in turns). It reads only
the split it is given; nothing is chosen from a test split's figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from assess.analyse import Analysis, AnswerRequest
from assess.datasets import read_split, split_path
from assess.evaluation import CHUNK, classification_figures, label_of
from models.judge import load_judge
from service.settings import Settings
from service.wiring import build_grader

REPEATS = 5
SINGLES = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--corpus", default="beetle")
    parser.add_argument("--split", default="test_unseen_answers")
    parser.add_argument("--judge", type=Path, action="append", required=True)
    args = parser.parse_args()
    answers = read_split(split_path(args.data, args.corpus, args.split))
    requests = [AnswerRequest(a.rubric, a.answer) for a in answers]
    gold = [a.label for a in answers]
    pairs = [(a.rubric.points[0].text, a.answer) for a in answers]
    rows: list[dict[str, object]] = []
    for folder in args.judge:
        row: dict[str, object] = {"judge": str(folder)}
        read: dict[str, list[Analysis]] = {}
        for batching, size in (("one batch", len(requests)), ("chunks", CHUNK)):
            grader = build_grader(Settings(judge=str(folder)))  # fresh caches
            found = []
            for start in range(0, len(requests), size):
                found += grader.analyse_many(requests[start : start + size])
            read[batching] = [a for a in found if isinstance(a, Analysis)]
            results = [grader.result(a, None) for a in read[batching]]
            figures = classification_figures(gold, [label_of(r) for r in results])
            row[batching] = [round(figures["macro_f1"], 4), round(figures["macro_f1_2way"], 4)]
        one = load_judge(folder).predict(pairs)
        chunked = load_judge(folder)
        parts = [chunked.predict(pairs[n : n + CHUNK]) for n in range(0, len(pairs), CHUNK)]
        row["largest_p_correct_change"] = round(
            float(np.abs(one - np.vstack(parts))[:, 0].max()), 4
        )
        rows.append(row)
    # Time the judges in turns, so a busy spell of the machine falls on each alike.
    judges = [load_judge(folder) for folder in args.judge]
    batch_times: list[list[float]] = [[] for _ in judges]
    single_times: list[list[float]] = [[] for _ in judges]
    for _ in range(REPEATS):
        for n, judge in enumerate(judges):
            judge.clear_cache()
            start = time.perf_counter()
            judge.predict(pairs)
            batch_times[n].append(time.perf_counter() - start)
            judge.clear_cache()
            for pair in pairs[:SINGLES]:
                start = time.perf_counter()
                judge.predict([pair])
                single_times[n].append(time.perf_counter() - start)
    for n, row in enumerate(rows):
        row[f"batch_of_{len(pairs)}_s"] = round(float(np.median(batch_times[n])), 3)
        row["one_pair_ms"] = round(1000 * float(np.median(single_times[n])), 2)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
