"""Median time to assess one long essay (default 2,000 words) with the model warm.

Run: .venv/bin/python scripts/essay_latency.py [--words N] [--repeats R] [--backend B]
The essay is built from SAF answers in ../shared/data (real student prose), fixed order.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rubrics import library_path, load_rubrics
from service.settings import Settings
from service.wiring import build_grader

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data" / "saf-english" / "train.jsonl"


def essays(words: int, count: int) -> list[str]:
    """`count` essays of `words` words from consecutive, non-overlapping stretches of SAF."""
    text: list[str] = []
    with DATA.open(encoding="utf-8") as handle:
        for line in handle:
            text += json.loads(line)["answer"].split()
            if len(text) >= words * count:
                break
    if len(text) < words * count:
        raise SystemExit(f"not enough text in {DATA} for {count} essays of {words} words")
    return [" ".join(text[i * words : (i + 1) * words]) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backend", default=None, help="torch, onnx or onnx-int8 (default: "
                        "ASSESS_ENCODER_BACKEND, else onnx)")  # fmt: skip
    args = parser.parse_args()
    settings = Settings(encoder_backend=args.backend) if args.backend else Settings()
    grader = build_grader(settings)
    rubric = load_rubrics(library_path())["track-ii/complement"]
    grader.assess(rubric, "warm up the model and the rubric cache")
    times = []
    for text in essays(args.words, args.repeats):  # fresh text each time: no cache hits
        start = time.perf_counter()
        result = grader.assess(rubric, text)
        times.append(time.perf_counter() - start)
    print(
        f"{args.words}-word essay: median {statistics.median(times) * 1000:.0f} ms over "
        f"{args.repeats} runs (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); "
        f"{len(result.points)} points; {result.model.name}"
    )


if __name__ == "__main__":
    main()
