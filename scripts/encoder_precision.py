"""Does a student's grade depend on whose answers are graded with it? The encoder's precision.

    .venv/bin/python scripts/encoder_precision.py --data ../shared/data/semeval2013-3way

Dynamic int8 quantisation (ONNX Runtime's `DynamicQuantizeLinear`) scales each activation
tensor by its range over the whole batch, so a text's embedding can move with the texts
encoded beside it: the same answer graded alone (a student's own submission) and in a class
batch (a teacher's batch grading) may get different vectors, and so different statuses.

For each encoder backend (default: `onnx-int8` and `onnx`, the same weights in fp32), with the
default judge (fp32), this grades one split's answers three ways with a fresh grader each
(empty caches): each answer on its own, all in one batch, and in the chunks `assess
evaluate` uses. It prints macro-F1 (3-way / 2-way) of each way, how many answers get another
label or another score alone than in one batch, the largest change of P(covered), and the
median time to grade one answer on its own and the whole split in chunks (the backends timed
in turns, so a busy spell of the machine falls on each alike). It reads only the split it is
given; nothing is chosen from a test split's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assess.analyse import Analysis, AnswerRequest
from assess.datasets import read_split, split_path
from assess.evaluation import CHUNK, classification_figures, label_of
from assess.grader import Grader
from assess.result import AssessmentResult
from service.settings import Settings
from service.wiring import build_grader

REPEATS = 3


def grade(grader: Grader, requests: Sequence[AnswerRequest], size: int) -> list[AssessmentResult]:
    """The results of `requests` sent to the grader `size` at a time."""
    found: list[Analysis] = []
    for start in range(0, len(requests), size):
        for analysis in grader.analyse_many(requests[start : start + size]):
            if not isinstance(analysis, Analysis):
                raise SystemExit(f"an answer failed: {analysis}")
            found.append(analysis)
    return [grader.result(a, None) for a in found]


def covered(results: Sequence[AssessmentResult]) -> np.ndarray:
    """Every point's coverage, answer by answer."""
    return np.array([p.coverage for r in results for p in r.points], dtype=float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--corpus", default="beetle")
    parser.add_argument("--split", default="test_unseen_answers")
    parser.add_argument("--backend", action="append", choices=("onnx-int8", "onnx", "torch"))
    args = parser.parse_args()
    backends = args.backend or ["onnx-int8", "onnx"]
    answers = read_split(split_path(args.data, args.corpus, args.split))
    requests = [AnswerRequest(a.rubric, a.answer) for a in answers]
    gold = [a.label for a in answers]
    rows: dict[str, dict[str, object]] = {}
    for backend in backends:
        row: dict[str, object] = {"encoder": backend}
        ways: dict[str, list[AssessmentResult]] = {}
        for way, size in (("alone", 1), ("one batch", len(requests)), ("chunks", CHUNK)):
            grader = build_grader(Settings(encoder_backend=backend))  # fresh caches
            ways[way] = grade(grader, requests, size)
            figures = classification_figures(gold, [label_of(r) for r in ways[way]])
            row[way] = [round(figures["macro_f1"], 4), round(figures["macro_f1_2way"], 4)]
        alone, batched = ways["alone"], ways["one batch"]
        row["labels_changed"] = sum(
            label_of(a) != label_of(b) for a, b in zip(alone, batched, strict=True)
        )
        row["scores_changed"] = sum(
            abs(a.score - b.score) > 1e-9 for a, b in zip(alone, batched, strict=True)
        )
        row["largest_p_covered_change"] = round(
            float(np.abs(covered(alone) - covered(batched)).max()), 4
        )
        rows[backend] = row
    graders = {b: build_grader(Settings(encoder_backend=b)) for b in backends}
    single: dict[str, list[float]] = {b: [] for b in backends}
    whole: dict[str, list[float]] = {b: [] for b in backends}
    for _ in range(REPEATS):
        for backend, grader in graders.items():
            grader.clear_cache()
            for request in requests[:60]:
                start = time.perf_counter()
                grade(grader, [request], 1)
                single[backend].append(time.perf_counter() - start)
            grader.clear_cache()
            start = time.perf_counter()
            grade(grader, requests, CHUNK)
            whole[backend].append(time.perf_counter() - start)
    for backend, row in rows.items():
        row["one_answer_ms"] = round(1000 * statistics.median(single[backend]), 1)
        row[f"split_of_{len(requests)}_s"] = round(statistics.median(whole[backend]), 2)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
